// The reader schemas fail closed: a table or a column nobody wrote a visibility rule for stops
// them from being built, rather than being shown to every reader as it is.
import { describe, expect, it } from 'vitest';

import { readerSchema, readerSchemasSql, restrictedAccesses, seesEverything } from '../../src/db/visibility.ts';

const TABLES = new Map<string, string[]>([
  ['paragraph', ['cable_id', 'position', 'text', 'access_rank', 'noforn']],
  ['judgment', ['id', 'kind']],
]);

describe('reader schemas', () => {
  it('are built for every restricted clearance, with a view per table that has a rule', () => {
    const ddl = readerSchemasSql(TABLES);
    expect(restrictedAccesses()).toHaveLength(9);
    for (const access of restrictedAccesses()) {
      expect(ddl).toContain(`create view ${readerSchema(access)}.paragraph as`);
      expect(ddl).toContain(`create view ${readerSchema(access)}.judgment as`);
    }
    expect(seesEverything({ rank: 4, noforn: true })).toBe(true);
    expect(seesEverything({ rank: 4, noforn: false })).toBe(false);
    expect(seesEverything(null)).toBe(true);
  });

  it('refuse a table without a rule', () => {
    expect(() => readerSchemasSql(new Map([...TABLES, ['secret_notes', ['id']]]))).toThrow(/no visibility rule for table secret_notes/);
  });

  it('refuse a column of a redacted table without a rule', () => {
    const person = ['id', 'key', 'name', 'aliases', 'country_id', 'surname_key', 'cable_count', 'mention_count', 'first_date', 'last_date'];
    expect(() => readerSchemasSql(new Map([...TABLES, ['person', person]]))).not.toThrow();
    expect(() => readerSchemasSql(new Map([...TABLES, ['person', [...person, 'birthplace']]]))).toThrow(/person.*no rule for birthplace/);
  });

  it('leave bookkeeping and credentials unreachable', () => {
    const ddl = readerSchemasSql(new Map([...TABLES, ['api_key', ['id', 'key_hash']]]));
    expect(ddl).not.toMatch(/\.api_key as/);
  });
});
