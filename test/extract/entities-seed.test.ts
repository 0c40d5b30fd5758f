import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { extract } from '../../src/extract/index.ts';

const seed = (name: string) => readFileSync(fileURLToPath(new URL(`../../seeds/${name}.txt`, import.meta.url)), 'utf8');

describe('entities of the seed cable 03OTTAWA692', () => {
  const result = extract({ text: seed('03OTTAWA692') });

  it('yields exactly its twelve persons, with their titles and countries', () => {
    expect(result.persons.map((p) => [p.name, p.titles, p.country])).toEqual([
      ['Stephen R. Kelly', ['Deputy Chief of Mission'], 'United States'],
      ['Jean Chretien', ['Prime Minister'], 'Canada'],
      ['Claude Laverdure', ['PCO Foreign Policy Advisor'], 'Canada'],
      ['Paul Heinbecker', ['Ambassador to the UN'], 'Canada'],
      ['Paul Genet', [], 'Canada'],
      ['Jon Allen', [], 'Canada'],
      ['Rob Fonberg', [], 'Canada'],
      ['Alex Himelfarb', ['Clerk of the Privy Council'], 'Canada'],
      ['Dan McNeil', ['Commodore', 'Director of Operations and Strategic Planning'], 'Canada'],
      ['Blair', ['Prime Minister'], 'United Kingdom'],
      ['Lagos', ['President'], 'Chile'],
      ['Fox', ['President'], 'Mexico'],
    ]);
  });

  it('merges the bare surnames and records the paragraphs', () => {
    const chretien = result.persons.find((p) => p.name === 'Jean Chretien')!;
    expect(chretien.aliases).toEqual(['Chretien']);
    expect(chretien.paragraphs).toEqual([1, 2, 3, 4]);
    expect(result.persons.find((p) => p.name === 'Rob Fonberg')!.organizations).toEqual(['Privy Council Office']);
  });

  it('pairs acronyms and fills kinds and countries of the organizations', () => {
    const byName = Object.fromEntries(result.organizations.map((o) => [o.name, [o.aliases, o.kind, o.country]]));
    expect(byName['Privy Council Office']).toEqual([['PCO'], 'agency', 'Canada']);
    expect(byName["Prime Minister's Office"]).toEqual([['PMO'], 'agency', 'Canada']);
    expect(byName['Foreign Affairs']).toEqual([['DFAIT'], 'ministry', 'Canada']);
    expect(byName['Security Council']).toEqual([['UNSC'], 'international', null]);
  });

  it('lists countries by English short name and dates with their years', () => {
    expect(result.countries).toEqual(['Iraq', 'Canada', 'United Kingdom', 'Chile', 'Mexico', 'France', 'United States']);
    expect(result.dates.map((d) => [d.text, d.date])).toEqual([
      ['03/12/2013', '2013-03-12'],
      ['March 12', '2003-03-12'],
      ['April 15', '2003-04-15'],
    ]);
  });

  it('gives every mention a paragraph and the span of its text in the body', () => {
    const { body } = { body: seed('03OTTAWA692').replace(/\r\n?/g, '\n') };
    expect(result.mentions.length).toBeGreaterThan(40);
    for (const mention of result.mentions) expect(body.slice(mention.start, mention.end)).toBe(mention.text);
    const laverdure = result.mentions.filter((m) => m.entity === 'Claude Laverdure');
    expect(laverdure.map((m) => [m.text, m.paragraph, m.title ?? null])).toEqual([
      ['Claude Laverdure', 1, 'PCO Foreign Policy Advisor'],
      ['Laverdure', 1, null],
      ['Laverdure', 2, null],
    ]);
  });
});
