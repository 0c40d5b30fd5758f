import { describe, expect, it } from 'vitest';

import { parseSubjectMarking } from '../../src/extract/header/subject.ts';
import { accessOf, allows, clearanceAccess, MOST_RESTRICTIVE, portionAccess } from '../../src/extract/markings.ts';

describe('accessOf', () => {
  it.each([
    ['UNCLASSIFIED', { rank: 0, noforn: false }],
    ['U', { rank: 0, noforn: false }],
    ['UNCLASSIFIED//FOR OFFICIAL USE ONLY', { rank: 1, noforn: false }],
    ['SBU', { rank: 1, noforn: false }],
    ['SBU/NF', { rank: 1, noforn: true }],
    ['LOU', { rank: 1, noforn: false }],
    ['C', { rank: 2, noforn: false }],
    ['CONFIDENTIAL//NOFORN', { rank: 2, noforn: true }],
    ['C/NF', { rank: 2, noforn: true }],
    ['S', { rank: 3, noforn: false }],
    ['SECRET', { rank: 3, noforn: false }],
    ['S/NF', { rank: 3, noforn: true }],
    ['SECRET//NOFORN', { rank: 3, noforn: true }],
    ['TS', { rank: 4, noforn: false }],
  ])('reads %s', (marking, access) => {
    expect(accessOf(marking)).toEqual(access);
  });

  it('takes NOFORN from the caveats as well', () => {
    expect(accessOf('CONFIDENTIAL', ['NOFORN', 'SIPDIS'])).toEqual({ rank: 2, noforn: true });
    expect(accessOf('CONFIDENTIAL', ['SIPDIS'])).toEqual({ rank: 2, noforn: false });
  });

  it('knows no level in an odd marking', () => {
    expect(accessOf('XYZ')).toBeNull();
    expect(accessOf(null)).toBeNull();
  });
});

describe('allows', () => {
  it('lets a clearance see its level and below, NOFORN only with NOFORN', () => {
    const confidential = clearanceAccess('confidential', false)!;
    expect(allows(confidential, { rank: 2, noforn: false })).toBe(true);
    expect(allows(confidential, { rank: 3, noforn: false })).toBe(false);
    expect(allows(confidential, { rank: 0, noforn: true })).toBe(false);
    expect(allows({ ...confidential, noforn: true }, { rank: 1, noforn: true })).toBe(true);
    expect(clearanceAccess('COSMIC', false)).toBeNull();
  });
});

describe('portionAccess', () => {
  it('gives marked portions their own marking and unmarked ones the cable’s, the cable the strictest', () => {
    const access = portionAccess('CONFIDENTIAL', ['NOFORN'], 'U', [{ marking: null }, { marking: 'U' }, { marking: 'S' }]);
    expect(access.subject).toEqual({ rank: 0, noforn: false });
    expect(access.paragraphs).toEqual([
      { rank: 2, noforn: true },
      { rank: 0, noforn: false },
      { rank: 3, noforn: false },
    ]);
    expect(access.cable).toEqual({ rank: 3, noforn: true });
  });

  it('hides what it cannot read from everyone but those who see everything', () => {
    const access = portionAccess(null, [], null, [{ marking: 'U' }, { marking: null }]);
    expect(access.paragraphs[1]).toEqual(MOST_RESTRICTIVE);
    expect(access.cable).toEqual(MOST_RESTRICTIVE);
  });
});

describe('parseSubjectMarking', () => {
  it('reads the marking that opens the subject', () => {
    expect(parseSubjectMarking('CONFIDENTIAL\n\nSUBJECT: (C) TURKEY: CABINET\n\n1. (C) Text.')).toBe('C');
    expect(parseSubjectMarking('SECRET\n\nSUBJECT: (S//NF) TALKS\n\n1. (S) Text.')).toBe('S/NF');
    expect(parseSubjectMarking('SECRET\n\nSUBJECT: TALKS\n\n1. (S) Text.')).toBeNull();
  });
});
