import { describe, expect, it } from 'vitest';

import { parseSubject } from '../../src/extract/header/subject.ts';

describe('subject', () => {
  it('reads a subject over several lines', () => {
    expect(parseSubject('TAGS: PREL\nSUBJECT: FIRST LINE OF IT\nSECOND LINE\n\nREF: OSLO 1')).toBe('FIRST LINE OF IT SECOND LINE');
  });

  it('stops at REF, Classified By and page-break lines, on the same line or the next', () => {
    expect(parseSubject('SUBJECT: TALKS RESUME REF: A. OSLO 4')).toBe('TALKS RESUME');
    expect(parseSubject('SUBJECT: TALKS RESUMEClassified By: DCM Doe')).toBe('TALKS RESUME');
    expect(parseSubject('SUBJECT: TALKS\nRESUME\nOSLO 00000954  001.2 OF 004\n')).toBe('TALKS RESUME');
    expect(parseSubject('SUBJECT: TALKS\nREF A. OSLO 4')).toBe('TALKS');
  });

  it('drops the portion marking and joins hyphenated line breaks', () => {
    expect(parseSubject('SUBJECT: (C) ARMS TALKS')).toBe('ARMS TALKS');
    expect(parseSubject('SUBJECT: US-\nCANADA TIES\n')).toBe('US-CANADA TIES');
  });

  it('reads other spellings and a subject on the line after the keyword', () => {
    expect(parseSubject('SUBJ: Visit of the Minister\n\nClassified by')).toBe('Visit of the Minister');
    expect(parseSubject('UBJECT: LOST LETTER\n')).toBe('LOST LETTER');
    expect(parseSubject('SUBJECT:\n\nLate Subject\n1. (U) Text')).toBe('Late Subject');
    expect(parseSubject('SUBJECT: It&#8217;s done')).toBe('It\u2019s done');
  });

  it('returns null without a subject', () => {
    expect(parseSubject('TAGS: PREL\n\n1. (U) Text')).toBeNull();
  });
});

describe('subject: lines that belong to the next header', () => {
  it('stops at a date line or a repeated cable line, not at a line starting with SECRET', () => {
    expect(parseSubject('SUBJECT: TALKS RESUME\nFriday, 18 December 2009, 11:04\nS E C R E T OSLO 000301\n')).toBe('TALKS RESUME');
    expect(parseSubject('SUBJECT: IRAN AND ITS\nSECRET PROGRAM\n\n')).toBe('IRAN AND ITS SECRET PROGRAM');
    expect(parseSubject('SUBJECT: WHO WILL BE PRIMEREF: A. OSLO 1939\n')).toBe('WHO WILL BE PRIME');
  });
});
