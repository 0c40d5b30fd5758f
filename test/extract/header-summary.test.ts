import { describe, expect, it } from 'vitest';

import { parseSummary } from '../../src/extract/header/summary.ts';

describe('summary', () => {
  it('reads the text between SUMMARY and END SUMMARY', () => {
    expect(parseSummary('REF: X\n\nSUMMARY: TALKS WENT WELL.\nEND SUMMARY\n\n1. TEXT')).toBe('TALKS WENT WELL.');
    expect(parseSummary('1. (C) Summary. Talks went well. End summary.\n\n2. (C) More.')).toBe('Talks went well.');
    expect(parseSummary('1.  Summary: (SBU) Talks went well. End Summary\n')).toBe('Talks went well.');
    expect(parseSummary('------- SUMMARY -------\n\n1. Talks went well. End Summary\n')).toBe('Talks went well.');
    expect(parseSummary('Summary/Comment: Talks went well.  End Summary/Comment.\n')).toBe('Talks went well.');
  });

  it('ends at the paragraph when END SUMMARY is missing', () => {
    expect(parseSummary('1.(C) Summary: Talks went well. -------- Background --------\n\n2.(U) More')).toBe('Talks went well.');
  });

  it('takes the paragraph closed by END SUMMARY when the opening is missing', () => {
    expect(parseSummary('SUBJECT: X\n\n¶1. (C) Talks went well. End summary.\n\n¶2. (C) More.')).toBe('Talks went well.');
  });

  it('ignores "summary" inside a sentence', () => {
    expect(parseSummary('1. (C) We sent a summary of the talks to Washington.')).toBeNull();
  });
});
