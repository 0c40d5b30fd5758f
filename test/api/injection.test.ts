// SQL-injection payloads in every filter, search string and id argument the API takes: each request gives
// normal results or a clear error with a stable code (BAD_USER_INPUT, INVALID_ID), never an
// unexpected error, and the tables are intact afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { graphql, type GraphQLResponse } from '../helpers/graphql.ts';

const PAYLOADS = [
  "'",
  "''",
  '"',
  "'; drop table cable; --",
  "'); drop table cable; --",
  "' or '1'='1",
  "1' or 1=1 --",
  '1; select pg_sleep(5)',
  '$$; drop table cable; $$',
  "E'\\x00'",
  '\\',
  "\\'",
  'ottawa\\',
  '%',
  '_',
  "%' --",
  '\u0000',
  'ottawa\u0000; drop table cable',
  '!!',
  '&|<->:*',
  'iraq & !canada | (bridge <-> divide):*',
  '"unclosed phrase',
  '-',
  'or',
  'or or or',
  '-iraq',
  '((((((((((((',
  '*',
  '::text',
  'canada\u202e\u200b',
  '\ud800',
  '😀 iraq',
  'iraq '.repeat(10_000),
  'x'.repeat(60_000),
] as const;

const CABLE_FILTER_FIELDS = ['text', 'origin', 'classification', 'topic', 'country'] as const;

/** The codes a client may get for a string it chose; anything else (or none) is a failure. */
// GRAPHQL_PARSE_FAILED: a literal the GraphQL grammar itself refuses ("\\ud800" written in the document).
const CLEAR_CODES = new Set(['BAD_USER_INPUT', 'INVALID_ID', 'GRAPHQL_PARSE_FAILED']);

/** What is wrong with a response to a chosen string: nothing (data, or only errors with a clear code), or why. */
function problemOf(result: GraphQLResponse, what: string): string[] {
  if (!result.errors) return result.data ? [] : [`${what}: neither data nor errors`];
  return result.errors
    .filter((error) => !CLEAR_CODES.has(String(error.extensions?.code)))
    .map((error) => `${what}: ${error.message} (${String(error.extensions?.code)})`);
}

describe.each(databaseKinds)('injection payloads through the API on %s', { timeout: 120_000 }, (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  let before: Record<string, number>;

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of ['cable', 'paragraph', 'person', 'organization', 'mention', 'country', 'topic'] as const) {
      const row = await handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      result[table] = Number(row.count);
    }
    return result;
  }

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [SEED_DIR]);
    expect(summary.failed).toEqual([]);
    // No rate limit: this suite sends a few hundred requests in a burst.
    yoga = createServer({ db: handle.db, abuse: { ratePerSecond: 0 } });
    before = await counts();
    expect(before.cable).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it.each(CABLE_FILTER_FIELDS)('cables(filter.%s), timeline and topEntities take every payload', async (field) => {
    const problems: string[] = [];
    for (const payload of PAYLOADS) {
      const filter = { [field]: payload };
      const what = `filter.${field} = ${JSON.stringify(payload.slice(0, 40))}`;
      problems.push(
        ...problemOf(
          await graphql(yoga, 'query ($filter: CableFilter) { cables(filter: $filter, first: 5) { totalCount nodes { ref } } }', {
            filter,
          }),
          `cables ${what}`,
        ),
      );
      problems.push(
        ...problemOf(
          await graphql(yoga, 'query ($filter: CableFilter) { timeline(filter: $filter, interval: YEAR) { count } }', { filter }),
          `timeline ${what}`,
        ),
      );
      problems.push(
        ...problemOf(
          await graphql(yoga, 'query ($filter: CableFilter) { topEntities(kind: PERSON, filter: $filter, first: 3) { count } }', {
            filter,
          }),
          `topEntities ${what}`,
        ),
      );
    }
    expect(problems).toEqual([]);
  });

  it('search(query) and RELEVANCE ordering take every payload', async () => {
    const problems: string[] = [];
    for (const payload of PAYLOADS) {
      const what = JSON.stringify(payload.slice(0, 40));
      problems.push(
        ...problemOf(
          await graphql(yoga, 'query ($q: String!) { search(query: $q, first: 5) { totalCount nodes { rank snippet } } }', { q: payload }),
          `search ${what}`,
        ),
      );
      problems.push(
        ...problemOf(
          await graphql(yoga, 'query ($q: String) { cables(filter: { text: $q }, orderBy: RELEVANCE, first: 3) { nodes { ref } } }', {
            q: payload,
          }),
          `relevance ${what}`,
        ),
      );
    }
    expect(problems).toEqual([]);
  });

  it('persons, organizations, cable, country and global ids take every payload', async () => {
    const problems: string[] = [];
    for (const payload of PAYLOADS) {
      const what = JSON.stringify(payload.slice(0, 40));
      for (const field of ['name', 'title', 'country']) {
        problems.push(
          ...problemOf(
            await graphql(yoga, 'query ($f: PersonFilter) { persons(filter: $f, first: 5) { totalCount nodes { name } } }', {
              f: { [field]: payload },
            }),
            `persons.${field} ${what}`,
          ),
        );
      }
      for (const field of ['name', 'country']) {
        problems.push(
          ...problemOf(
            await graphql(yoga, 'query ($f: OrganizationFilter) { organizations(filter: $f, first: 5) { totalCount nodes { name } } }', {
              f: { [field]: payload },
            }),
            `organizations.${field} ${what}`,
          ),
        );
      }
      problems.push(
        ...problemOf(await graphql(yoga, 'query ($r: String!) { cable(ref: $r) { ref } }', { r: payload }), `cable(ref) ${what}`),
      );
      problems.push(
        ...problemOf(await graphql(yoga, 'query ($c: String!) { country(code: $c) { name } }', { c: payload }), `country(code) ${what}`),
      );
      for (const field of ['person', 'organization']) {
        problems.push(
          ...problemOf(
            await graphql(yoga, 'query ($f: CableFilter) { cables(filter: $f, first: 1) { totalCount } }', { f: { [field]: payload } }),
            `cables filter.${field} ${what}`,
          ),
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('takes payloads written into the query document itself, not only as variables', async () => {
    const problems: string[] = [];
    for (const payload of PAYLOADS.filter((p) => p.length < 1000)) {
      const literal = JSON.stringify(payload);
      problems.push(
        ...problemOf(
          await graphql(yoga, `{ cables(filter: { origin: ${literal}, text: ${literal} }, first: 2) { totalCount } }`),
          `literal ${literal.slice(0, 40)}`,
        ),
      );
    }
    expect(problems).toEqual([]);
  });

  it('finds what a quote-bearing query really asks for, and refuses one with no word', async () => {
    const quoted = await graphql(yoga, 'query ($q: String!) { search(query: $q, first: 1) { totalCount } }', { q: "iraq'; --" });
    const plain = await graphql(yoga, 'query ($q: String!) { search(query: $q, first: 1) { totalCount } }', { q: 'iraq' });
    expect(quoted.errors).toBeUndefined();
    // The quotes are punctuation to the text search: the same hits as the words alone.
    expect(quoted.data.search.totalCount).toBe(plain.data.search.totalCount);
    const noWord = await graphql(yoga, 'query ($q: String!) { search(query: $q) { totalCount } }', { q: "'; --" });
    expect(noWord.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('leaves every table as it was', async () => {
    expect(await counts()).toEqual(before);
    const check = await graphql(yoga, '{ cable(ref: "03OTTAWA692") { ref paragraphs { totalCount } } }');
    expect(check.errors).toBeUndefined();
    expect(check.data.cable.ref).toBe('03OTTAWA692');
  });
});
