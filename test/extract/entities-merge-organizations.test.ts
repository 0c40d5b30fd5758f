import { describe, expect, it } from 'vitest';

import { findCountries } from '../../src/extract/entities/find-countries.ts';
import { findOrganizations } from '../../src/extract/entities/find-organizations.ts';
import { mergeOrganizations } from '../../src/extract/entities/merge-organizations.ts';
import { tokenize } from '../../src/extract/entities/tokens.ts';
import type { Paragraph } from '../../src/extract/types.ts';

function merged(body: string, hostCountry: string | null) {
  const paragraphs: Paragraph[] = [
    { number: 1, marking: null, text: '', start: 0, end: body.indexOf('\n\n') },
    { number: 2, marking: null, text: '', start: body.indexOf('\n\n'), end: body.length },
  ];
  const tokens = tokenize(body, paragraphs);
  const countries = findCountries(tokens, { tags: [] });
  return mergeOrganizations(findOrganizations(tokens, { countryHits: countries.hits, hostCountry }));
}

describe('merge-organizations', () => {
  it('makes one organization of a name, its acronym and its later uses, across paragraphs', () => {
    const { organizations, mentions } = merged('The Counter Terrorism Unit (CTU) is stretched.\n\nThe CTU fought in July.', 'YE');
    expect(organizations).toEqual([
      { name: 'Counter Terrorism Unit', aliases: ['CTU'], kind: 'military', country: 'Yemen', countryCode: 'YE', paragraphs: [1, 2] },
    ]);
    expect(mentions.map((m) => [m.text, m.entity, m.paragraph])).toEqual([
      ['Counter Terrorism Unit', 'Counter Terrorism Unit', 1],
      ['CTU', 'Counter Terrorism Unit', 1],
      ['CTU', 'Counter Terrorism Unit', 2],
    ]);
  });

  it('joins a bare head word to the organization named before with that head', () => {
    const { organizations } = merged('The Pakistan Army will act.\n\nThe police and the Army agree.', 'PK');
    expect(organizations.map((o) => [o.name, o.aliases, o.country])).toEqual([['Pakistan Army', ['Army'], 'Pakistan']]);
  });

  it('keeps the gazetteer name of a known body and the written forms as aliases', () => {
    const { organizations } = merged('The State Department and the Department agree.\n\nSo does the United Nations (UN).', null);
    expect(organizations.map((o) => [o.name, o.aliases.sort(), o.countryCode])).toEqual([
      ['Department of State', ['Department', 'State Department'], 'US'],
      ['United Nations', ['UN'], null],
    ]);
  });
});
