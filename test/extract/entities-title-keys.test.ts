import { describe, expect, it } from 'vitest';

import { titleKey, titleKeys } from '../../src/extract/entities/title-keys.ts';

describe('title-keys', () => {
  it('gives an abbreviation and the title it stands for the same office', () => {
    expect(titleKey('U/S')).toBe('under:secretary');
    expect(titleKey('Under Secretary for Political Affairs')).toBe('under:secretary');
    expect(titleKey('NEA A/S')).toBe('assistant:secretary');
    expect(titleKey('FM')).toBe(titleKey('Foreign Minister'));
    expect(titleKey('S/SRAP')).toBe(titleKey('Special Representative for Afghanistan and Pakistan'));
    expect(titleKey('Presidents')).toBe('president');
  });

  it('keeps apart a former holder, a deputy and the holder', () => {
    expect(new Set([titleKey('former President'), titleKey('ex-President'), titleKey('President')])).toEqual(
      new Set(['former:president', 'president']),
    );
    expect(titleKey('Deputy Foreign Minister')).toBe('deputy:minister');
    expect(titleKey('Deputy Assistant Secretary of State')).toBe('deputy:assistant:secretary');
  });

  it('names no office for honorifics and leftover initials', () => {
    expect(titleKeys(['Dr.', 'Mr', 'Acting'])).toEqual(new Set());
    expect(titleKey('Under Secretary R')).toBe('under:secretary');
  });
});
