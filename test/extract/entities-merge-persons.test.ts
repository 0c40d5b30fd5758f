import { describe, expect, it } from 'vitest';

import type { PersonHit } from '../../src/extract/entities/find-persons.ts';
import { mergePersons } from '../../src/extract/entities/merge-persons.ts';
import { tokenize } from '../../src/extract/entities/tokens.ts';
import type { Paragraph } from '../../src/extract/types.ts';

function hit(body: string, name: string, from: number, extra: Partial<PersonHit> = {}): PersonHit {
  const start = body.indexOf(name, from);
  return {
    name,
    words: name.split(' ').filter((w) => !/^[A-Z]\.?$/.test(w)),
    start,
    end: start + name.length,
    paragraph: body.slice(0, start).split('\n\n').length,
    titles: [],
    countryCode: null,
    organization: null,
    evidence: 'title',
    ...extra,
  };
}

function merge(body: string, hits: PersonHit[], host: string | null = 'CA') {
  const paragraphs: Paragraph[] = [];
  let start = 0;
  body.split('\n\n').forEach((text, index) => {
    paragraphs.push({ number: index + 1, marking: null, text, start, end: start + text.length });
    start += text.length + 2;
  });
  return mergePersons(hits, tokenize(body, paragraphs), host, () => false);
}

describe('merge-persons', () => {
  it('makes one person of a full name and the bare surname, in every paragraph it appears', () => {
    const body = 'Prime Minister Jean Chretien decided.\n\nChretien spoke with Laverdure.\n\nLater Chretien left.';
    const { persons, mentions } = merge(body, [hit(body, 'Jean Chretien', 0, { titles: ['Prime Minister'] })]);
    expect(persons).toEqual([
      {
        name: 'Jean Chretien',
        aliases: ['Chretien'],
        titles: ['Prime Minister'],
        country: 'Canada',
        countryCode: 'CA',
        organizations: [],
        paragraphs: [1, 2, 3],
      },
    ]);
    expect(mentions.map((m) => [body.slice(m.start, m.end), m.paragraph, m.title])).toEqual([
      ['Jean Chretien', 1, 'Prime Minister'],
      ['Chretien', 2, null],
      ['Chretien', 3, null],
    ]);
  });

  it("gives a titled US official the United States, others the title's country or the post's", () => {
    const body = 'Senator Jon Corzine met Mexican President Fox and Rob Fonberg.';
    const { persons } = merge(body, [
      hit(body, 'Jon Corzine', 0, { titles: ['Senator'] }),
      hit(body, 'Fox', 0, { titles: ['President'], countryCode: 'MX' }),
      hit(body, 'Rob Fonberg', 0, { evidence: 'protect' }),
    ]);
    expect(persons.map((p) => [p.name, p.country])).toEqual([
      ['Jon Corzine', 'United States'],
      ['Rob Fonberg', 'Canada'],
      ['Fox', 'Mexico'],
    ]);
  });

  it('joins the short and long forms of a name with two surnames, and Arabic names by the given name', () => {
    const body = 'Ivan Iporre Salguero spoke; Ivan Iporre agreed.\n\nMinstate Hamdan bin Zayid called. Hamdan said no.';
    const { persons } = merge(body, [
      hit(body, 'Ivan Iporre Salguero', 0),
      hit(body, 'Ivan Iporre', 20),
      hit(body, 'Hamdan bin Zayid', 0, { words: ['Hamdan', 'Zayid'] }),
    ]);
    expect(persons.map((p) => [p.name, p.aliases, p.paragraphs])).toEqual([
      ['Ivan Iporre Salguero', ['Ivan Iporre'], [1]],
      ['Hamdan bin Zayid', ['Hamdan'], [2]],
    ]);
  });

  it('keeps apart two people whose first names differ', () => {
    const body = 'Ahmad Khatami spoke. Mohammad Khatami did not.';
    const { persons } = merge(body, [hit(body, 'Ahmad Khatami', 0), hit(body, 'Mohammad Khatami', 0)]);
    expect(persons.map((p) => p.name)).toEqual(['Ahmad Khatami', 'Mohammad Khatami']);
  });

  it('takes single names listed with a known person as persons, but not a clause after a comma', () => {
    const body =
      'Ayatollah Ahmad Khatami spoke.\n\nThe regime moved against Mousavi, Karrubi and\nKhatami. Relations with the Kurds, Khatami said, are good.';
    const { persons } = merge(body, [hit(body, 'Ahmad Khatami', 0, { titles: ['Ayatollah'] })], 'IR');
    expect(persons.map((p) => [p.name, p.paragraphs])).toEqual([
      ['Ahmad Khatami', [1, 2]],
      ['Mousavi', [2]],
      ['Karrubi', [2]],
    ]);
  });

  it('gives a titled surname to the namesake who holds the title, else to someone else of that name', () => {
    const body = 'President Hamid Karzai met Ahmed Wali Karzai.\n\nPresident Karzai left.';
    const holder = merge(body, [
      hit(body, 'Hamid Karzai', 0, { titles: ['President'] }),
      hit(body, 'Ahmed Wali Karzai', 0),
      hit(body, 'Karzai', body.indexOf('President Karzai'), { titles: ['President'] }),
    ]);
    expect(holder.persons.map((p) => [p.name, p.titles])).toEqual([
      ['Hamid Karzai', ['President']],
      ['Ahmed Wali Karzai', []],
    ]);
    // Neither namesake holds the title: "President Karzai" is a third person, whom the later bare
    // surnames mean too.
    const other = 'Hamid Karzai met Ahmed Wali Karzai.\n\nPresident Karzai left. Karzai returned.';
    const { persons } = merge(other, [
      hit(other, 'Hamid Karzai', 0),
      hit(other, 'Ahmed Wali Karzai', 0),
      hit(other, 'Karzai', other.indexOf('President Karzai'), { titles: ['President'] }),
    ]);
    expect(persons.map((p) => [p.name, p.titles, p.paragraphs])).toEqual([
      ['Hamid Karzai', [], [1]],
      ['Ahmed Wali Karzai', [], [1]],
      ['Karzai', ['President'], [2]],
    ]);
  });

  it('keeps a titled surname with the one full name before it, not with one the text names later', () => {
    const body = 'Nicolas Sarkozy spoke.\n\nPresident Sarkozy agreed.';
    expect(
      merge(body, [
        hit(body, 'Nicolas Sarkozy', 0),
        hit(body, 'Sarkozy', body.indexOf('President'), { titles: ['President'] }),
      ]).persons.map((p) => p.name),
    ).toEqual(['Nicolas Sarkozy']);
    const later = "President Karzai's cabinet met.\n\nHis half-brother Ahmed Wali Karzai objected.";
    expect(
      merge(later, [hit(later, 'Karzai', 0, { titles: ['President'] }), hit(later, 'Ahmed Wali Karzai', 0)]).persons.map((p) => p.name),
    ).toEqual(['Ahmed Wali Karzai', 'Karzai']);
  });
});
