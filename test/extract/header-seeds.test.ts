// The two bundled seed cables: plain text without metadata, one with mangled paragraph numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { extractHeader } from '../../src/extract/index.ts';
import { splitParagraphs } from '../../src/extract/paragraphs.ts';

const seed = (name: string) => readFileSync(join(import.meta.dirname, '../../seeds', `${name}.txt`), 'utf8');

describe('seed cables', () => {
  it('03OTTAWA692', () => {
    const text = seed('03OTTAWA692');
    const header = extractHeader({ text });
    expect(header).toMatchObject({
      id: '03OTTAWA692',
      date: '2003-03-12',
      classification: 'CONFIDENTIAL',
      subject: 'IRAQ/UNSC: CANADA STILL WORKING - AT THE HIGHEST LEVELS - TO "BRIDGE THE DIVIDE"',
      tags: ['PREL', 'PARM', 'MOPS', 'IZ', 'CA', 'UNSC'],
      references: ['03USUNNEWYORK656', '03OTTAWA589'],
      classifiedBy: { name: 'Stephen R. Kelly', title: 'Deputy Chief of Mission' },
      signers: ['CELLUCCI'],
      declassifyOn: '2013-03-12',
    });
    const numbered = splitParagraphs(text).filter((paragraph) => paragraph.number > 0);
    expect(numbered.map((paragraph) => [paragraph.number, paragraph.marking])).toEqual([
      [1, 'C'],
      [2, 'C'],
      [3, 'C'],
      [4, 'C'],
    ]);
  });

  it('03OTTAWA1284', () => {
    const text = seed('03OTTAWA1284');
    expect(extractHeader({ text })).toMatchObject({
      id: '03OTTAWA1284',
      date: '2003-05-06',
      subject: 'CANADIAN CABINET DISCUSSES MISSILE DEFENSE',
      tags: ['MARR', 'PREL', 'PARM', 'CA'],
      references: ['03OTTAWA1123', '03OTTAWA492'],
      classifiedBy: { name: 'Brian Flora', title: 'Political Minister Counselor' },
      signers: ['CELLUCCI'],
    });
    expect(splitParagraphs(text).filter((paragraph) => paragraph.number > 0)).toHaveLength(5);
  });
});
