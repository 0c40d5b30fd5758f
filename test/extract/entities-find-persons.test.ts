import { describe, expect, it } from 'vitest';

import { findCountries } from '../../src/extract/entities/find-countries.ts';
import { findOrganizations } from '../../src/extract/entities/find-organizations.ts';
import { findPersons } from '../../src/extract/entities/find-persons.ts';
import { tokenize } from '../../src/extract/entities/tokens.ts';
import type { ClassifiedBy, Paragraph } from '../../src/extract/types.ts';

function persons(body: string, classifiedBy: ClassifiedBy | null = null, hostCountry = 'CA') {
  const paragraphs: Paragraph[] = [{ number: 0, marking: null, text: body, start: 0, end: body.length }];
  const tokens = tokenize(body, paragraphs);
  const countries = findCountries(tokens, { tags: [] });
  const organizationHits = findOrganizations(tokens, { countryHits: countries.hits, hostCountry });
  return findPersons(tokens, { countryHits: countries.hits, organizationHits, classifiedBy });
}

const summary = (body: string, classifiedBy: ClassifiedBy | null = null) =>
  persons(body, classifiedBy).map((p) => [p.name, p.titles, p.countryCode, p.organization]);

describe('find-persons', () => {
  it('reads the title before a name, its organization and its country adjective', () => {
    expect(summary('handled by PCO Foreign Policy Advisor Claude Laverdure and Chilean President Lagos.')).toEqual([
      ['Claude Laverdure', ['PCO Foreign Policy Advisor'], null, null],
      ['Lagos', ['President'], 'CL', null],
    ]);
    expect(summary("with British Prime Minister Blair and Canada's Ambassador to the UN Paul Heinbecker.")).toEqual([
      ['Blair', ['Prime Minister'], 'GB', null],
      ['Paul Heinbecker', ['Ambassador to the UN'], 'CA', null],
    ]);
  });

  it('takes an owner\'s possessive and "(protect)" as evidence of a person', () => {
    const body = "Officials at the Prime Minister's Office (PMO) agree. PMO's Paul Genet told us. Rob Fonberg (protect) said so.";
    expect(persons(body).map((p) => [p.name, p.evidence])).toEqual([
      ['Paul Genet', 'owner'],
      ['Rob Fonberg', 'protect'],
    ]);
  });

  it('splits titles written one after another, and keeps middle initials', () => {
    expect(summary('National Security Advisor Ambassador Mahmud Ali Durrani met Daniel L. Shields.')).toEqual([
      ['Mahmud Ali Durrani', ['National Security Advisor', 'Ambassador'], null, null],
      ['Daniel L. Shields', [], null, null],
    ]);
  });

  it('does not take bare titles, redactions or places for persons', () => {
    expect(summary("The Ambassador told XXXXXXXXXXXX that the DCM and PolOff met in Abu Dhabi. Sa'ada is quiet.")).toEqual([]);
  });

  it('reads names in routing lines and the official of the Classified By line', () => {
    const body =
      'SIPDIS\n\nEUR FOR GARY CLEMENTS AND ANGELA CERVETTI\nS/S-O PLEASE PASS NEA A/S BURNS\n\nE.O. 12958: DECL: 1/1/2019\nClassified By: Deputy Chief of Mission Stephen R. Kelly, Reasons 1.5 (b) and (d).\n';
    expect(summary(body).map(([name, titles, country]) => [name, titles, country])).toEqual([
      ['GARY CLEMENTS', [], 'US'],
      ['ANGELA CERVETTI', [], 'US'],
      ['BURNS', ['NEA A/S'], 'US'],
      ['Stephen R. Kelly', ['Deputy Chief of Mission'], 'US'],
    ]);
  });

  it('prefers the header fields for the Classified By official', () => {
    const body = 'Classified By: Alan Eyer, Director, Iran Regional Presence Office, DOS.\n';
    expect(summary(body, { name: 'Alan Eyer', title: 'Director, Iran Regional Presence Office, DOS' })).toEqual([
      ['Alan Eyer', ['Director, Iran Regional Presence Office, DOS'], 'US', null],
    ]);
  });

  it('reads a Classified By line followed by a run of hundreds of thousands of blanks', () => {
    // The split of the line into name and reasons once backtracked quadratically over such a run
    // (110 s for a 107 KB fuzzed cable, the fuzzer's directory #5998).
    const body = `Classified By: Deputy Chief of Mission Stephen R. Kelly${' '.repeat(200_000)}(b)\n`;
    expect(summary(body).map(([name, titles]) => [name, titles])).toEqual([['Stephen R. Kelly', ['Deputy Chief of Mission']]]);
  });

  it('reads titled names in upper-case cables, not title-like words', () => {
    expect(summary('FOREIGN MINISTER ZALDIVAR TOLD AMBASSADOR THAT FONOFF LEGAL ADVISOR CONCEDES NOTHING.')).toEqual([
      ['ZALDIVAR', ['FOREIGN MINISTER'], null, null],
    ]);
  });

  it('takes a name said to speak, and surnames the lexicon knows, but not ordinary words', () => {
    expect(
      persons('Later, Zhirinovsky said the plan works. Support for Putin grew. Security was tight.').map((p) => [p.name, p.evidence]),
    ).toEqual([
      ['Zhirinovsky', 'speech'],
      ['Putin', 'known-surname'],
    ]);
  });

  it('does not take ordinary words after a title-like adjective for a name', () => {
    expect(summary('At the Major Economies Forum, Secretary Rice and General Petraeus spoke.')).toEqual([
      ['Rice', ['Secretary'], null, null],
      ['Petraeus', ['General'], null, null],
    ]);
  });

  it('reads a title written in lower case right before a name, but not before other capitalized words', () => {
    expect(
      summary('the visit by Libyan leader Qadhafi, and investigating judge Baltasar Garzon spoke. Mossad chief Dagan agreed.'),
    ).toEqual([
      ['Qadhafi', ['leader'], 'LY', null],
      ['Baltasar Garzon', ['judge'], null, null],
      ['Dagan', ['Mossad chief'], 'IL', 'Mossad'],
    ]);
    expect(summary('as the chief PSDB-affiliated advisor said, and the president Tuesday.')).toEqual([]);
  });

  it('gives a plural title to every name of the list it heads', () => {
    expect(summary('the meeting of Presidents Obama and Medvedev, with Senators McCain, Graham and Lieberman.')).toEqual([
      ['Obama', ['Presidents'], null, null],
      ['Medvedev', ['Presidents'], null, null],
      ['McCain', ['Senators'], null, null],
      ['Graham', ['Senators'], null, null],
      ['Lieberman', ['Senators'], null, null],
    ]);
  });

  it('knows the abbreviations of special envoys', () => {
    expect(summary('the role of SRAP Holbrooke and SEMEP Mitchell.')).toEqual([
      ['Holbrooke', ['SRAP'], null, null],
      ['Mitchell', ['SEMEP'], null, null],
    ]);
  });
});
