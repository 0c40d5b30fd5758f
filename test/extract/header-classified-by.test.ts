import { describe, expect, it } from 'vitest';

import { parseClassifiedBy } from '../../src/extract/header/classified-by.ts';

const name = (text: string) => parseClassifiedBy(text)?.name ?? null;

describe('classified by', () => {
  it('separates a leading title from the name', () => {
    expect(parseClassifiedBy('Classified By: Acting Political Counselor Jane Q. Public for reasons 1.4 (b) and (d)')).toEqual({
      name: 'Jane Q. Public',
      title: 'Acting Political Counselor',
    });
    expect(name('CLASSIFIED BY POLOFF JOHN DOE, 1.5 (D).')).toBe('JOHN DOE');
    expect(name('Classified By: DCM Mary Roe; reasons 1.4 (b,d)')).toBe('Mary Roe');
  });

  it('takes a title written after the name', () => {
    expect(parseClassifiedBy('CLASSIFIED BY: Ann Smith, Director, Office of Policy, DOS. REASON: 1.4 (b)')).toEqual({
      name: 'Ann Smith',
      title: 'Director, Office of Policy, DOS',
    });
    expect(name('CLASSIFIED BY RICHARD ROE, JR., AMBASSADOR. REASON 1.5 (D).')).toBe('RICHARD ROE, JR.');
  });

  it('reads misspelt titles and repeated keywords', () => {
    expect(name('Classified By: Ambasador Peter Poe for reasons 1.4 (b)')).toBe('Peter Poe');
    expect(name('Classified By: Classified by Economic Counsellor Lee Loe for reasons 1.4 (b)')).toBe('Lee Loe');
    expect(name("Classified By: Charge d'Affaires, a.i. Ida Ivy.  Reasons 1.4 (b) and (d)")).toBe('Ida Ivy');
    expect(name('CLASSIFIED BY AMBASSADOR TO CHAD TOM TOE. REASON 1.5(D).')).toBe('TOM TOE');
  });

  it('keeps particles inside names', () => {
    expect(name('Classified By: Political Counselor Jan van der Berg for reasons 1.4 (b) and (d)')).toBe('Jan van der Berg');
    expect(name('Classified By: Ambassador Maria del Carmen Ruiz, reasons 1.4')).toBe('Maria del Carmen Ruiz');
  });

  it('joins words split by line wrapping', () => {
    expect(name('Classified By: Acting Minister Counselor for Political Affairs Bob Rosen\nfeld, 1.4 (b/d).')).toBe('Bob Rosenfeld');
    // ... but a whole word on the next line stays a word of its own.
    expect(name('Classified By: Acting Permanent Representative Jonathan B. Doe \n per reasons 1.4 (b) and (d)')).toBe('Jonathan B. Doe');
  });

  it('returns null without a name or without the line', () => {
    expect(parseClassifiedBy('Classified By: Ambassador, reason 1.4 (b,d)')).toBeNull();
    expect(parseClassifiedBy('SUBJECT: NOTHING CLASSIFIED HERE')).toBeNull();
  });
});

describe('classified by: compound titles', () => {
  it('treats abbreviations written together as a title, not a name', () => {
    expect(parseClassifiedBy('Classified By: EconMinCouns Eve T. Doe, Reasons 1.4 (b,d)')).toEqual({
      name: 'Eve T. Doe',
      title: 'EconMinCouns',
    });
    expect(name('Classified By: Amb. Joan LeBaron for Reasons 1.4 (b) and (d).')).toBe('Joan LeBaron');
  });
});
