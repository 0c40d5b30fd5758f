import { describe, expect, it } from 'vitest';

import { findCountries } from '../../src/extract/entities/find-countries.ts';
import { hostCountryOf } from '../../src/extract/entities/host-country.ts';
import { tokenize } from '../../src/extract/entities/tokens.ts';
import type { Paragraph } from '../../src/extract/types.ts';

function countries(body: string, tags: string[] = []) {
  const paragraphs: Paragraph[] = [{ number: 0, marking: null, text: body, start: 0, end: body.length }];
  return findCountries(tokenize(body, paragraphs), { tags });
}

describe('find-countries', () => {
  it('finds countries by name, demonym and abbreviation, each with its span', () => {
    const body = 'Chilean President Lagos met British officials and the U.S. delegation in Canada.';
    const found = countries(body);
    expect(found.codes).toEqual(['CL', 'GB', 'US', 'CA']);
    const us = found.hits.find((h) => h.code === 'US')!;
    expect(body.slice(us.start, us.end)).toBe('U.S.');
    expect(found.hits.map((h) => h.via)).toEqual(['demonym', 'demonym', 'abbreviation', 'name']);
  });

  it('reads TAGS geo codes as FIPS 10-4, not ISO, and ignores subject codes', () => {
    const found = countries('TAGS: PREL PARM MOPS IZ CA UK UNSC SUBJECT: IRAQ TO THE UN\n\n1. Text.');
    expect(found.codes).toEqual(['IQ', 'CA', 'GB']);
    // "TO" after SUBJECT would be Togo if the TAGS line ran on.
    expect(found.codes).not.toContain('TG');
  });

  it('takes geo codes from the header tags too', () => {
    expect(countries('No country named here.', ['PGOV', 'TC', 'RS']).codes).toEqual(['AE', 'RU']);
  });

  it('resolves a government abbreviation among its candidates by the countries of the cable', () => {
    expect(countries('The GOI told us that Iraq would agree.').codes).toEqual(['IQ']);
    expect(countries('TAGS: PREL IN\n\nThe GOI said no.').codes).toEqual(['IN']);
    expect(countries('The GoC and the ROYG and HMG agreed.').codes).toEqual(['YE', 'GB']);
  });

  it('does not read the pronoun "us" or a region as the United States', () => {
    expect(countries('He told us that Latin American states agree.').codes).toEqual([]);
    expect(countries('THE MINISTER TOLD US THAT US FORCES WOULD STAY IN PERU.').codes).toEqual(['US', 'PE']);
  });

  it('names countries by their English short name', () => {
    const found = countries('Soviet trawlers off the DPRK coast; Burmese and Ivorian officials.');
    expect(found.codes).toEqual(['SU', 'KP', 'MM', 'CI']);
  });
});

describe('host-country', () => {
  it('takes the post from the reference id', () => {
    expect(hostCountryOf({ id: '03OTTAWA692', origin: null }, [])).toBe('CA');
    expect(hostCountryOf({ id: '09RPODUBAI389', origin: null }, [])).toBe('IR');
  });

  it('falls back to the country the text dwells on, weighing the host government most', () => {
    const found = countries('Iraq, Iraq and Iraq were discussed; the GoC view on Canada matters.');
    expect(hostCountryOf({ id: null, origin: null }, found.hits)).toBe('CA');
  });
});
