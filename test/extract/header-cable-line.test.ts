import { describe, expect, it } from 'vitest';

import { classificationOf, parseCableLine } from '../../src/extract/header/cable-line.ts';
import { cableDate } from '../../src/extract/header/dates.ts';

describe('cable line', () => {
  it('reads level, station and serial in every spelling', () => {
    expect(parseCableLine('CONFIDENTIAL OTTAWA 000692\n')).toMatchObject({ level: 'CONFIDENTIAL', station: 'OTTAWA', serial: '692' });
    expect(parseCableLine('C O N F I D E N T I A L SECTION 01 OF 02 TEL AVIV 001580\n')).toMatchObject({
      station: 'TELAVIV',
      serial: '1580',
    });
    expect(parseCableLine('S e c r e t state 068250\n')).toMatchObject({ level: 'SECRET', station: 'STATE', serial: '68250' });
    expect(parseCableLine('SS E C R E T PARIS 000381 \n')).toMatchObject({ level: 'SECRET', station: 'PARIS' });
  });

  it('writes the classification with its caveats as cablegate does', () => {
    expect(classificationOf(parseCableLine('S E C R E T ROME 000097\n\nNOFORN\nSIPDIS\n'))).toBe('SECRET//NOFORN');
    expect(classificationOf(parseCableLine('UNCLAS MADRID 000572\n\nSIPDIS\n\nSENSITIVE\n'))).toBe('UNCLASSIFIED//FOR OFFICIAL USE ONLY');
    expect(parseCableLine('1. (C) No cable line here.').level).toBeNull();
  });

  it('dates a cable from the source, the routing header or the DECL line', () => {
    expect(cableDate({ date: '2004-01-02 10:00' }, '', null)).toBe('2004-01-02');
    expect(cableDate({}, 'P 061232Z MAR 09\nFM X', null)).toBe('2009-03-06');
    expect(cableDate({}, '', '2013-03-12')).toBe('2003-03-12');
    expect(cableDate({ year: 2005 }, '', '2034-01-01')).toBeNull();
  });
});
