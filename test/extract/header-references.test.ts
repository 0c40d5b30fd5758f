import { describe, expect, it } from 'vitest';

import { cableIdsIn, parseReferences, referenceItemTexts } from '../../src/extract/header/references.ts';

const refs = (text: string, year = '08', own: string | null = null) => parseReferences(text, year, own);

describe('references', () => {
  it('reads lettered items in every bullet style', () => {
    expect(refs('REF: A. 06 ACCRA 1201\nB. ACCRA 77\n').references).toEqual(['06ACCRA1201', '08ACCRA77']);
    expect(refs('REF: (A)STATE 012345, (B) LIMA 0399').references).toEqual(['08STATE12345', '08LIMA399']);
    expect(refs('REFS: A) QUITO 12 B) 2007 QUITO 3333').references).toEqual(['08QUITO12', '07QUITO3333']);
    expect(refs('REF: A. A) SOFIA 55 ¶B. B) SOFIA 56').referenceItems.map((item) => item.bullet)).toEqual(['A', 'B']);
  });

  it('takes the year from before, inside or after the serial, else the cable year', () => {
    expect(refs('REF: (99) OSLO 441; OSLO 00512-01; OSLO 0622 02; OSLO 73 (05); STATE (04) 998877').references).toEqual([
      '99OSLO441',
      '01OSLO512',
      '02OSLO622',
      '05OSLO73',
      '04STATE998877',
    ]);
    expect(refs('REF: 07RIGA0201; O6 RIGA 17', '09').references).toEqual(['07RIGA201', '06RIGA17']);
  });

  it('canonicalizes spaced, abbreviated and misspelt station names', () => {
    expect(refs('REF: A. USUN NEW YORK 88 B. SECSTATE 4455 C. RIO DE JAN 12 D. UNVIE 0031 E. MEXICO CITY 9').references).toEqual([
      '08USUNNEWYORK88',
      '08STATE4455',
      '08RIODEJANEIRO12',
      '08UNVIEVIENNA31',
      '08MEXICO9',
    ]);
    expect(refs('REF: KHARTOM 5; BUENOSAIRE 6; 05 THE HAGUE 7; HAGUE 8').references).toEqual([
      '08KHARTOUM5',
      '08BUENOSAIRES6',
      '05THEHAGUE7',
      '08THEHAGUE8',
    ]);
  });

  it('keeps items cut by page-break lines and blank lines together', () => {
    const text = 'REF: A. STATE 40001\n\nVALLETTA 00000031  001.2 OF 002\n\nB. 07 ROME 1877 C)\n\nROME 9\n\nClassified By: x';
    expect(refs(text).references).toEqual(['08STATE40001', '07ROME1877', '08ROME9']);
  });

  it('stops at the end of the REF block', () => {
    const text = 'REF: OSLO 44\n\nClassified By: Ambassador Jane Doe, reasons 1.4 (b)\n\n1. (C) See OSLO 45 and reftel.';
    expect(refs(text).references).toEqual(['08OSLO44']);
  });

  it('never returns the cable itself, and de-duplicates', () => {
    expect(refs('REF: A. BERN 12 B. BERN 12 C. BERN 13', '08', '08BERN13').references).toEqual(['08BERN12']);
  });

  it('reads several serials of one station', () => {
    expect(refs('REF: Athens 7472 and 7677').references).toEqual(['08ATHENS7472', '08ATHENS7677']);
  });

  it('types the items that are not cables and keeps their text', () => {
    const items = refs('REF: A. STATE 1 B. DOE-ROE EMAIL OF 3/3 C. 9 FAM 41.113 D. TELCON 4/4 E. INCSR 2008 F. SEPTEL').referenceItems;
    expect(items.map((item) => [item.bullet, item.kind, item.value])).toEqual([
      ['A', 'cable', '08STATE1'],
      ['B', 'email', 'DOE-ROE EMAIL OF 3/3'],
      ['C', 'book', '9 FAM 41.113'],
      ['D', 'tel', 'TELCON 4/4'],
      ['E', 'report', 'INCSR 2008'],
      ['F', 'other', 'SEPTEL'],
    ]);
  });

  it('returns nothing without a REF line', () => {
    expect(refs('SUBJECT: NOTHING\n\n1. (U) Reftel A asked about ROME 12.')).toEqual({ references: [], referenceItems: [] });
  });

  it('splits lettered and unlettered lists', () => {
    expect(referenceItemTexts('A. ONE B. TWO').map((item) => item.bullet)).toEqual(['A', 'B']);
    // "J." is not a bullet when the list does not start with A.
    expect(referenceItemTexts('E-mails J. Doe-K. Roe')).toEqual([{ bullet: null, text: 'E-mails J. Doe-K. Roe' }]);
    expect(cableIdsIn('STATE CA-3400 NOV 2, 1966', '66')).toEqual([]);
  });
});

describe('references: words that only look like terminators', () => {
  it('does not end the block inside a word ("SECRETARY") and reads ids run together', () => {
    const text = "REF A SECRETARY'S LETTER TO THE MINISTER\nREF B SECSTATE 76108\n\n1. (S) Text";
    expect(refs(text, '09').referenceItems).toEqual([
      { kind: 'memo', value: "SECRETARY'S LETTER TO THE MINISTER", bullet: 'A' },
      { kind: 'cable', value: '09STATE76108', bullet: 'B' },
    ]);
    expect(refs('REF: A. ASHGABAT687 B. BELGRADE743', '09').references).toEqual(['09ASHGABAT687', '09BELGRADE743']);
  });
});
