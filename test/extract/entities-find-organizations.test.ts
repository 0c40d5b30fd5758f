import { describe, expect, it } from 'vitest';

import { findCountries } from '../../src/extract/entities/find-countries.ts';
import { abbreviates, findOrganizations, isOfficeCode } from '../../src/extract/entities/find-organizations.ts';
import { tokenize } from '../../src/extract/entities/tokens.ts';
import type { Paragraph } from '../../src/extract/types.ts';

function organizations(body: string, hostCountry: string | null = 'CA') {
  const paragraphs: Paragraph[] = [{ number: 0, marking: null, text: body, start: 0, end: body.length }];
  const tokens = tokenize(body, paragraphs);
  const countries = findCountries(tokens, { tags: [] });
  return findOrganizations(tokens, { countryHits: countries.hits, hostCountry });
}

describe('find-organizations', () => {
  it('pairs a name with the acronym after it, and finds the acronym later', () => {
    const hits = organizations('Officials at the Privy Council Office (PCO) agree. The file is handled by PCO.');
    expect(hits.map((h) => [h.text, h.acronym, h.kind, h.countryCode])).toEqual([
      ['Privy Council Office', 'PCO', 'agency', 'CA'],
      ['PCO', 'PCO', 'agency', 'CA'],
      ['PCO', 'PCO', 'agency', 'CA'],
    ]);
  });

  it('reads a run of tens of thousands of capitalized words in linear time, still finding the name after it', () => {
    // Each word once started a scan to the end of the run: 20 s for 160 KB of "WORD WORD …" (here mixed case, as the text around keeps it).
    const hits = organizations(`${'Word '.repeat(60_000)}spoke; the Frontier Corps agrees.`, 'PK');
    expect(hits.map((h) => h.text)).toContain('Frontier Corps');
  });

  it('pairs a shortened name with a longer acronym ("Foreign Affairs (DFAIT)")', () => {
    expect(abbreviates('DFAIT', ['Foreign', 'Affairs'])).toBe(true);
    expect(abbreviates('AOE', ['Assembly', 'of', 'Experts'])).toBe(true);
    expect(abbreviates('NATO', ['Prime', 'Minister'])).toBe(false);
  });

  it('finds organizations by their head word, with the country written before them', () => {
    const hits = organizations('The police, Frontier Constabulary and Frontier Corps need help; the Pakistan Army agrees.', 'PK');
    expect(hits.map((h) => [h.text, h.kind, h.countryCode])).toEqual([
      ['Frontier Constabulary', 'military', 'PK'],
      ['Frontier Corps', 'military', 'PK'],
      ['Pakistan Army', 'military', 'PK'],
    ]);
  });

  it('keeps titles and people out of the name', () => {
    const hits = organizations('MFA Head of Northern Europe Division Thomas Terstegen and Director of the MFA Russia Office spoke.', 'DE');
    expect(hits.map((h) => h.text)).toEqual(['MFA', 'Northern Europe Division', 'MFA Russia Office']);
  });

  it('knows international bodies and takes the longest known name', () => {
    const hits = organizations('The UN Security Council and NATO met; the EU and the UNSC did not.', null);
    expect(hits.map((h) => [h.known?.name, h.kind, h.countryCode])).toEqual([
      ['Security Council', 'international', null],
      ['NATO', 'international', null],
      ['EU', 'international', null],
      ['Security Council', 'international', null],
    ]);
  });

  it('reads office codes and routing lines, but not portion markings or titles', () => {
    expect(isOfficeCode('NEA/ARP')).toBe(true);
    expect(isOfficeCode('S/S-O')).toBe(true);
    expect(isOfficeCode('EUR/WE')).toBe(true);
    expect(isOfficeCode('S/NF')).toBe(false);
    expect(isOfficeCode('A/S')).toBe(false);
    const hits = organizations(
      "STATE FOR NEA/ARP AND INR\nNSC FOR JWOOD\n\n1. (S/NF) The Department's view differs from the State of Kuwait.",
      'KW',
    );
    expect(hits.map((h) => h.known?.name ?? h.text)).toEqual(['Department of State', 'NEA/ARP', 'INR', 'NSC', 'Department of State']);
  });

  it('reads upper-case cables without running a name across the sentence', () => {
    const hits = organizations(
      'DRAFT LAW UNDER CONSIDERATION IN ARGENTINE SENATE BEFORE COUP. SIX MONTHS ALARMED ARGENTINE ARMED FORCES.',
      'AR',
    );
    expect(hits.map((h) => [h.text, h.countryCode])).toEqual([
      ['ARGENTINE SENATE', 'AR'],
      ['ARGENTINE ARMED FORCES', 'AR'],
    ]);
  });

  it('takes a bare head word ("the Army\'s") as an organization to resolve', () => {
    const hits = organizations("Dissent in his own Cabinet; the Army's chief agrees.");
    expect(hits.map((h) => [h.text, h.bare, h.countryCode])).toEqual([
      ['Cabinet', false, 'CA'],
      ['Army', true, 'CA'],
    ]);
  });

  it('pairs acronyms only with names of organizations, not laws, programs or governments', () => {
    const hits = organizations(
      'Mine Resistant Ambush Protected (MRAP) vehicles; the Government of Pakistan (GOP) and the Anti-Terrorism Unit (ATU) agree.',
      'PK',
    );
    expect(hits.map((h) => [h.text, h.acronym])).toEqual([
      ['Anti-Terrorism Unit', 'ATU'],
      ['ATU', 'ATU'],
    ]);
  });
});
