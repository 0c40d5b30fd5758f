import { describe, expect, it } from 'vitest';

import { findOfficial } from '../../src/db/resolve/officials.ts';

const candidates = [
  { name: 'Jean Chretien', aliases: ['Chretien'] },
  { name: 'Stephen R. Kelly', aliases: [] },
  { name: 'Paul Cellucci', aliases: ['CELLUCCI'] },
  { name: 'Robert Smith', aliases: [] },
  { name: 'Anne Smith', aliases: [] },
];

describe('findOfficial', () => {
  it('takes the record with the full name, in any case', () => {
    expect(findOfficial('STEPHEN R. KELLY', candidates)?.name).toBe('Stephen R. Kelly');
    expect(findOfficial('CELLUCCI', candidates)?.name).toBe('Paul Cellucci');
  });

  it('takes a surname with a compatible given name before a bare surname match', () => {
    expect(findOfficial('S. Kelly', candidates)?.name).toBe('Stephen R. Kelly');
    expect(findOfficial('A. SMITH', candidates)?.name).toBe('Anne Smith');
    expect(findOfficial('SMITH', candidates)?.name).toBe('Robert Smith');
    // Ingest did not add "J. Chretien" beside Jean Chretien: he is the one meant.
    expect(findOfficial('Marc Chretien', candidates)?.name).toBe('Jean Chretien');
  });

  it('finds nobody for a name no record has', () => {
    expect(findOfficial('WOLFOWITZ', candidates)).toBeNull();
    expect(findOfficial('', candidates)).toBeNull();
  });
});
