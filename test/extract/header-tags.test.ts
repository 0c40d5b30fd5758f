import { describe, expect, it } from 'vitest';

import { parseTags } from '../../src/extract/header/tags.ts';

describe('tags', () => {
  it('reads space- and comma-separated lists and stops at SUBJECT', () => {
    expect(parseTags('TAGS: PREL PGOV FR\nSUBJECT: X')).toEqual(['PREL', 'PGOV', 'FR']);
    expect(parseTags('Tags: prel, pgov, tu Subject: x')).toEqual(['PREL', 'PGOV', 'TU']);
  });

  it('continues on the next line only when the list goes on', () => {
    expect(parseTags('TAGS: PREL,\nPGOV\nSUBJECT: X')).toEqual(['PREL', 'PGOV']);
    expect(parseTags('TAGS: PREL ECON\nPGOV, BR\nSUBJECT: X')).toEqual(['PREL', 'ECON', 'PGOV', 'BR']);
    expect(parseTags('TAGS something\nhere')).toEqual(['SOMETHING']);
  });

  it('reads misspelt keywords, glued codes and repeated pages', () => {
    expect(parseTags('TABS: EFIS, ECON\n')).toEqual(['EFIS', 'ECON']);
    expect(parseTags('TAGS: EAIDPRELPGOVKE\n')).toEqual(['EAID', 'PREL', 'PGOV', 'KE']);
    expect(parseTags('TAGS: PREL, PE   SECRET   PAGE 02   LIMA  02475  01 OF 03  251228Z PREL, PE\n')).toEqual(['PREL', 'PE']);
  });

  it('keeps multi-word and person tags', () => {
    expect(parseTags('TAGS: IS KMDR MEDIA REACTION REPORT\n')).toEqual(['IS', 'KMDR', 'MEDIA REACTION REPORT']);
    expect(parseTags('TAGS: PREL OVIP SMITH JOHN US\n')).toEqual(['PREL', 'OVIP', 'SMITH, JOHN', 'US']);
    expect(parseTags('TAGS: PTER COUNTER TERRORISM\n')).toEqual(['PTER', 'COUNTERTERRORISM']);
  });

  it('strips link markup left by a web copy', () => {
    expect(parseTags('TAGS: [MARR](#) [CA](#)\n')).toEqual(['MARR', 'CA']);
  });
});

describe('person tags in parentheses', () => {
  it('keeps the comma of a parenthesized person tag', () => {
    expect(parseTags('TAGS OVIP (DOE, JANE), PREL, AS\n')).toEqual(['OVIP', 'DOE, JANE', 'PREL', 'AS']);
  });
});
