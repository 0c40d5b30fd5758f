import { describe, expect, it } from 'vitest';

import { cableDateOf, findDates } from '../../src/extract/entities/find-dates.ts';

const cable = { year: 2009, month: 12 };
const dates = (body: string, allCaps = false, date: { year: number; month: number | null } | null = cable) =>
  findDates(body, date, () => 0, allCaps).map((d) => [d.text, d.date]);

describe('find-dates', () => {
  it('normalizes the forms cables use, the year taken from the cable', () => {
    expect(dates('DECL: 03/12/2013. They met March 12 and will meet again 22-23 September.')).toEqual([
      ['03/12/2013', '2013-03-12'],
      ['March 12', '2009-03-12'],
      ['22-23 September', '2009-09-22'],
    ]);
    expect(dates('Talks on November 8-11 followed the vote in mid-May 2009 and June 24, 1984.')).toEqual([
      ['November 8-11', '2009-11-08'],
      ['mid-May 2009', '2009-05'],
      ['June 24, 1984', '1984-06-24'],
    ]);
  });

  it('dates a bare month to a month, and reads "last" and "next" across the year boundary', () => {
    expect(dates('Forces were sent in July; since August, and in late November, they fought.')).toEqual([
      ['July', '2009-07'],
      ['August', '2009-08'],
      ['late November', '2009-11'],
    ]);
    expect(dates('The vote was last December; the next one is next March.', false, { year: 2009, month: 4 })).toEqual([
      ['December', '2008-12'],
      ['March', '2010-03'],
    ]);
  });

  it('leaves "may" and "march" the words alone, and takes May and March inside a sentence', () => {
    expect(dates('He may march on. May we go? The March visit was canceled.')).toEqual([['March', '2009-03']]);
  });

  it('does not run a month into the next paragraph number, nor read REF lines or date-time groups', () => {
    const body = 'REF: STATE 106206 OF NOV 2, 1966\n\n1. Recommended as recently as December.\n\n4. (C) O 031250Z JUN 03 text';
    expect(dates(body)).toEqual([['December', '2009-12']]);
  });

  it('reads upper-case cables, where a bare month needs a preposition', () => {
    expect(dates('BEFORE JUNE 28 COUP. (SEE NAVATT IR OF NOV 18) MARCH ON.', true, { year: 1966, month: 12 })).toEqual([
      ['JUNE 28', '1966-06-28'],
      ['NOV 18', '1966-11-18'],
    ]);
  });

  it('knows the cable year from its date, its id or its DECL line', () => {
    expect(cableDateOf({ date: '2003-03-12', id: null }, '')).toEqual({ year: 2003, month: 3 });
    expect(cableDateOf({ date: null, id: '66BUENOSAIRES2481' }, '')).toEqual({ year: 1966, month: null });
    expect(cableDateOf({ date: null, id: null }, 'E.O. 12958: DECL: 05/06/2013')).toEqual({ year: 2003, month: 5 });
    expect(dates('On May 6 they met.', false, null)).toEqual([]);
  });
});
