// What the server refuses (too deep, too costly, pages above the cap, huge documents, too slow),
// how it says so, and how it reports errors it did not expect: clients see stable codes, the
// server log sees the rest, and the server keeps serving.
import { Writable } from 'node:stream';

import { getIntrospectionQuery, parse } from 'graphql';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { schema } from '../../src/schema/index.ts';
import { createServer } from '../../src/server.ts';
import { isDatabaseUnavailable, isStatementTimeout } from '../../src/server/errors.ts';
import { DEFAULT_LIMITS, refusalKey } from '../../src/server/limits.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { graphql } from '../helpers/graphql.ts';

const ORDINARY = `{ cable(ref: "03OTTAWA692") { ref subject } }`;

// cable → persons → cables → paragraphs down to a scalar, with edges { node }: 11 fields deep.
const DEPTH_11 = `
  {
    cable(ref: "03OTTAWA692") {
      persons(first: 10) { edges { node { cables(first: 5) { edges { node { paragraphs(first: 10) { edges { node { text } } } } } } } } }
    }
  }
`;

// One field deeper: a paragraph's cable in between.
const DEPTH_12 = `
  {
    cable(ref: "03OTTAWA692") {
      paragraphs(first: 1) { edges { node { cable { persons(first: 1) { edges { node { cables(first: 1) { edges { node { ref } } } } } } } } } }
    }
  }
`;

const NESTED_PAGES = `
  query ($n: Int) {
    cables(first: $n) { nodes { ref persons(first: $n) { nodes { name cables(first: $n) { nodes { ref } } } } } }
  }
`;

const hasParagraphPersons = Boolean(
  schema.getType('Paragraph') && 'persons' in (schema.getType('Paragraph') as { getFields(): object }).getFields(),
);

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  return { logger, lines };
}

describe.each(databaseKinds)('limits and errors on %s', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [SEED_DIR]);
    expect(summary.failed).toEqual([]);
    yoga = createServer({ db: handle.db, limits: DEFAULT_LIMITS });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('answers a traversal as deep as the limit', async () => {
    const result = await graphql(yoga, DEPTH_11);
    expect(result.errors).toBeUndefined();
    const persons = result.data.cable.persons.edges;
    expect(persons.length).toBe(10);
    expect(persons[0].node.cables.edges[0].node.paragraphs.edges.length).toBeGreaterThan(0);
  });

  it.runIf(hasParagraphPersons)('accepts the cable → paragraphs → persons → cables traversal', async () => {
    const result = await graphql(
      yoga,
      `
        {
          cable(ref: "03OTTAWA692") {
            paragraphs(first: 10) {
              totalCount
              edges {
                node {
                  persons(first: 10) {
                    edges {
                      node {
                        name
                        cables(first: 5) {
                          edges {
                            node {
                              ref
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    const paragraphs = result.data.cable.paragraphs;
    expect(paragraphs.edges.length).toBe(Math.min(10, paragraphs.totalCount));
    expect(paragraphs.edges.some((edge: { node: { persons: { edges: unknown[] } } }) => edge.node.persons.edges.length > 0)).toBe(true);
  });

  it('refuses a query one level deeper, says why, and keeps serving', async () => {
    const refused = await graphql(yoga, DEPTH_12);
    expect(refused.data).toBeUndefined();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 12, maxDepth: 11 });
    expect(refused.errors![0]!.message).toContain('limit is 11');
    const after = await graphql(yoga, ORDINARY);
    expect(after.errors).toBeUndefined();
    expect(after.data.cable.ref).toBe('03OTTAWA692');
  });

  it('counts cost by page size: small nested pages pass, large nested pages are refused', async () => {
    const small = await graphql(yoga, NESTED_PAGES, { n: 10 });
    expect(small.errors).toBeUndefined();
    expect(small.data.cables.nodes).toHaveLength(2);
    // The same document: the check depends on the variables, not on a cached validation.
    const large = await graphql(yoga, NESTED_PAGES, { n: 100 });
    expect(large.data).toBeUndefined();
    expect(large.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: DEFAULT_LIMITS.maxCost });
    expect(large.errors![0]!.extensions!.cost).toBeGreaterThan(1_000_000);
    expect(large.errors![0]!.message).toMatch(/budget of 5000.*smaller pages/);
    expect((await graphql(yoga, ORDINARY)).data.cable.ref).toBe('03OTTAWA692');
  });

  it('checks an operation once per shape of its variables: strings do not change its cost, pages and id lists do', async () => {
    const byRef = `query ($ref: String!, $n: Int) { cable(ref: $ref) { persons(first: $n) { nodes { name } } } }`;
    expect((await graphql(yoga, byRef, { ref: '03OTTAWA692', n: 10 })).errors).toBeUndefined();
    // Another cable, the same shape: answered (from the cached check) for that cable.
    const other = await graphql(yoga, byRef, { ref: '08STATE12', n: 10 });
    expect(other.errors).toBeUndefined();
    expect(other.data.cable).toBeNull();
    // The same cable, a page above the cap: a shape of its own, refused.
    const refused = await graphql(yoga, byRef, { ref: '03OTTAWA692', n: 101 });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'PAGE_TOO_LARGE' });
    // An id list's length multiplies the cost: 2 ids pass, 3,000 of the same do not.
    const id = (await graphql(yoga, ORDINARY.replace('ref subject', 'id'))).data.cable.id as string;
    const ids = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Cable { persons(first: 10) { nodes { cables(first: 10) { nodes { ref } } } } } } }`;
    expect((await graphql(yoga, ids, { ids: [id, id] })).errors).toBeUndefined();
    const many = await graphql(yoga, ids, { ids: Array.from({ length: 3_000 }, () => id) });
    expect(many.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
    // Ids are kept whole: an id that does not decode is refused after a valid one of the same length.
    const bad = await graphql(yoga, ids, { ids: [id, `${id.slice(0, -2)}!!`] });
    expect(bad.data).toBeUndefined();
    expect(bad.errors![0]!.message).toMatch(/global ID/i);
  });

  it("keys the check by the operation, and by String variables' shape only", () => {
    const document = parse(`query A($ref: String!, $refs: [ID!], $n: Int, $f: CableFilter) { a: __typename } query B { b: __typename }`);
    const key = (variables: unknown, name: string | null = 'A') => refusalKey(document, name, variables);
    expect(key({ ref: 'a', n: 3 })).toBe(key({ ref: 'bcd', n: 3 }));
    // Ids are kept whole (decoding them may fail), so lists of other ids or lengths differ.
    expect(key({ refs: ['x', 'y'] })).not.toBe(key({ refs: ['x', 'z'] }));
    expect(key({ refs: ['x', 'y'] })).not.toBe(key({ refs: ['x', 'y', 'y'] }));
    expect(key({ ref: 'a', n: 3 })).not.toBe(key({ ref: 'a', n: 4 }));
    // Input objects are kept whole (their fields may hold numbers a cost reads).
    expect(key({ f: { text: 'a' } })).not.toBe(key({ f: { text: 'b' } }));
    // A string where an Int is declared is kept: coercion refuses it, with its own message.
    expect(key({ n: '3' })).not.toBe(key({ n: '4' }));
    expect(key({}, 'B')).not.toBe(key({}, 'A'));
    // Two operations and no name: no key, nothing cached.
    expect(key({}, null)).toBeNull();
  });

  it('refuses a page above the cap, naming the cap, and accepts one at the cap', async () => {
    for (const [query, variables] of [
      [`{ cables(first: 100000) { nodes { ref } } }`, {}],
      [`query ($n: Int) { cable(ref: "03OTTAWA692") { persons(first: $n) { totalCount } } }`, { n: 100000 }],
    ] as const) {
      const refused = await graphql(yoga, query, variables);
      expect(refused.data).toBeUndefined();
      expect(refused.errors![0]!.extensions).toMatchObject({ code: 'PAGE_TOO_LARGE', maxPageSize: 100 });
      expect(refused.errors![0]!.message).toContain('page size cap of 100');
    }
    const negative = await graphql(
      yoga,
      `
        {
          cables(last: -1) {
            nodes {
              ref
            }
          }
        }
      `,
    );
    expect(negative.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const atCap = await graphql(
      yoga,
      `
        {
          cables(first: 100) {
            totalCount
            nodes {
              ref
            }
          }
        }
      `,
    );
    expect(atCap.errors).toBeUndefined();
    expect(atCap.data.cables.nodes).toHaveLength(atCap.data.cables.totalCount);
  });

  it('refuses documents with too many tokens before parsing them whole', async () => {
    const aliases = Array.from({ length: 3_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const refused = await graphql(yoga, `{ ${aliases} }`);
    expect(refused.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(refused.errors![0]!.message).toContain(`more that ${DEFAULT_LIMITS.maxTokens} tokens`);
  });

  it('keeps introspection on: the full introspection query is neither too deep nor too costly', async () => {
    const result = await graphql(yoga, getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect(result.data.__schema.types.map((t: { name: string }) => t.name)).toContain('Cable');
  });

  it('stops a request that runs past its time limit, and serves the next one', async () => {
    // Every statement answers 200 ms late; the limit is 100 ms.
    const slowDb = handle.db.withPlugin({
      transformQuery: ({ node }) => node,
      transformResult: async ({ result }) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return result;
      },
    });
    const slow = createServer({ db: slowDb, limits: { ...DEFAULT_LIMITS, timeoutMs: 100 } });
    const started = performance.now();
    const result = await graphql(
      slow,
      `
        {
          cables(first: 10) {
            nodes {
              persons(first: 10) {
                nodes {
                  name
                }
              }
            }
          }
        }
      `,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.data).toBeUndefined();
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'TIMEOUT', timeoutMs: 100 });
    expect(result.errors![0]!.message).toContain('time limit of 0.1 s');
    expect((await graphql(yoga, ORDINARY)).data.cable.ref).toBe('03OTTAWA692');
  });

  it('passes client errors through with their code, masks and logs unexpected ones', async () => {
    const { logger, lines } = capture();
    const brokenDb = handle.db.withPlugin({
      transformQuery: ({ node }) => node,
      transformResult: async () => {
        throw new Error('column "secret" of relation "cable" does not exist');
      },
    });
    const broken = createServer({ db: brokenDb, logger, limits: DEFAULT_LIMITS });
    const masked = await graphql(broken, ORDINARY);
    expect(masked.errors).toHaveLength(1);
    expect(masked.errors![0]!.message).toBe('Unexpected error.');
    expect(JSON.stringify(masked)).not.toContain('secret');
    expect(masked.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    const logged = lines.find((line) => line.msg === 'unexpected error while serving a request');
    expect(logged).toMatchObject({ level: 50, path: 'cable' });
    expect(JSON.stringify(logged)).toContain('column \\"secret\\"');

    const clientError = await graphql(
      createServer({ db: handle.db, logger }),
      `
        {
          cables(after: "nonsense") {
            totalCount
          }
        }
      `,
    );
    expect(clientError.errors![0]!.extensions!.code).toBe('BAD_CURSOR');
    expect(lines.filter((line) => line.msg === 'unexpected error while serving a request')).toHaveLength(1);
  });

  it.runIf(kind === 'postgres')('sets statement_timeout on pooled PostgreSQL connections, and recognizes its cancellation', async () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const name = `cablegraph_limits_${process.pid}`;
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const bounded = await openDatabase({ url: url.toString(), statementTimeoutMs: 300 });
    try {
      const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(bounded.db);
      expect(shown.rows[0]!.statement_timeout).toBe('300ms');
      const error = await sql`select pg_sleep(2)`.execute(bounded.db).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(isStatementTimeout(error)).toBe(true);
      expect(isDatabaseUnavailable(error)).toBe(false);
    } finally {
      await bounded.close();
      // Without force: terminating a pooled connection that is still closing is an unhandled error.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`drop database if exists ${name}`);
          break;
        } catch (error) {
          if (attempt === 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      await admin.end();
    }
  });
});

describe('a database that cannot be reached', () => {
  it('answers DATABASE_UNAVAILABLE when PostgreSQL refuses connections', async () => {
    // Nothing listens on port 1.
    const unreachable = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1 }) }),
    });
    const { logger, lines } = capture();
    const yoga = createServer({ db: unreachable, logger });
    const result = await graphql(yoga, ORDINARY);
    expect(result.errors![0]!.extensions!.code).toBe('DATABASE_UNAVAILABLE');
    expect(result.errors![0]!.message).toContain('try again later');
    expect(lines.some((line) => line.msg === 'database unavailable')).toBe(true);
    await unreachable.destroy();
  });

  it('answers DATABASE_UNAVAILABLE once the database handle is closed', async () => {
    const handle = await openDatabase({ dataDir: 'memory://' });
    const yoga = createServer({ db: handle.db });
    expect((await graphql(yoga, ORDINARY)).data.cable).toBeNull();
    await handle.close();
    expect((await graphql(yoga, ORDINARY)).errors![0]!.extensions!.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('tells connection failures from failing statements', () => {
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(isDatabaseUnavailable(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('53300', 'sorry, too many clients already'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([pgError('ECONNREFUSED', 'connect ECONNREFUSED ::1:5432')]))).toBe(true);
    expect(isDatabaseUnavailable(pgError('42703', 'column "x" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('57014', 'canceling statement due to statement timeout'))).toBe(false);
    expect(isStatementTimeout(pgError('57014', 'canceling statement due to statement timeout'))).toBe(true);
    expect(isStatementTimeout(pgError('57014', 'canceling statement due to user request'))).toBe(false);
  });
});
