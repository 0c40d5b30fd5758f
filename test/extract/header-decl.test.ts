import { describe, expect, it } from 'vitest';

import { parseDate, parseDeclassifyOn } from '../../src/extract/header/decl.ts';

describe('declassify on', () => {
  it('reads every date style as ISO', () => {
    expect(parseDeclassifyOn('E.O. 12958: DECL: 03/12/2013\n')).toBe('2013-03-12');
    expect(parseDeclassifyOn('EO 12958 DECL: 2021/07/04')).toBe('2021-07-04');
    expect(parseDeclassifyOn('E.o. 12958: decl: 6/3/08 Tags: x')).toBe('2008-06-03');
    expect(parseDate('12 MARCH 2015')).toBe('2015-03-12');
    expect(parseDate('MAR 12, 2015')).toBe('2015-03-12');
  });

  it('returns null for markers that are not dates', () => {
    expect(parseDeclassifyOn('E.O. 12958: DECL: OADR\n')).toBeNull();
    expect(parseDeclassifyOn('E.O. 12958: N/A\n')).toBeNull();
    expect(parseDeclassifyOn('E.O. 12958: DECL: 13/45/2013\n')).toBeNull();
  });
});
