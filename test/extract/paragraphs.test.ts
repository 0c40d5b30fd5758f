import { describe, expect, it } from 'vitest';

import { markingOf, splitParagraphs } from '../../src/extract/paragraphs.ts';

const numbers = (body: string) => splitParagraphs(body).map((paragraph) => paragraph.number);

describe('split paragraphs', () => {
  it('splits numbered paragraphs and keeps the header as paragraph 0', () => {
    const body = 'SUBJECT: X\n\n1. (C) One.\n\n2. (S//NF) Two.\n';
    const paragraphs = splitParagraphs(body);
    expect(paragraphs.map((p) => [p.number, p.marking, p.text])).toEqual([
      [0, null, 'SUBJECT: X'],
      [1, 'C', '1. (C) One.'],
      [2, 'S/NF', '2. (S//NF) Two.'],
    ]);
    for (const paragraph of paragraphs) expect(body.slice(paragraph.start, paragraph.end)).toBe(paragraph.text);
  });

  it('reads the mangled forms: "- 11." for paragraph 1, "- (C)" for the next one', () => {
    expect(numbers('HEAD\n- 11. (C) One.\n- 12. (C) Two.\n- (C) Three.\n- 14. (C) Four.')).toEqual([0, 1, 2, 3, 4]);
  });

  it('reads ¶ and parenthesis forms and extracts that start late', () => {
    expect(numbers('¶1. (U) One.\n¶2. (U) Two.')).toEqual([1, 2]);
    expect(numbers('H\n1) One.\n2) Two.')).toEqual([0, 1, 2]);
    expect(numbers('H\n¶7. (C) Seven.\n¶8. (C) Eight.')).toEqual([0, 7, 8]);
  });

  it('does not split on lists inside a paragraph or on reason numbers', () => {
    expect(numbers('Classified By: Doe, reasons 1.4 (b)\n\n1. (C) One:\n1. first point\n2. second point\n2. (C) Two.')).toEqual([0, 1, 2]);
  });

  it('finds paragraph 1 run into the header line', () => {
    expect(numbers('CLASSIFIED BY: Doe. REASON: 1.4 (b), (d) 1. (C) One.\n¶2. (C) Two.')).toEqual([0, 1, 2]);
  });

  it('normalizes markings', () => {
    expect(markingOf(' (sbu) text')).toBe('SBU');
    expect(markingOf(' (S//NF) text')).toBe('S/NF');
    expect(markingOf(' (Reuters) text')).toBeNull();
  });
});
