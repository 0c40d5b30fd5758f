// /metrics in Prometheus text format, and what it is for: the SQL statements a traversal runs are
// about one per level of the query, however many items each level holds (no N+1).
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { schema } from '../../src/schema/index.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase, SHARED } from '../helpers/databases.ts';
import { graphql } from '../helpers/graphql.ts';

const CSV = join(SHARED, 'corpus/cablegate-1295.csv.gz');

const hasParagraphPersons = Boolean(
  schema.getType('Paragraph') && 'persons' in (schema.getType('Paragraph') as { getFields(): object }).getFields(),
);

/** cables → persons → cables, `size` items at each level. */
function traversal(size: number) {
  return `
    query Traversal {
      cables(first: ${size}) { nodes { ref persons(first: ${size}) { nodes { name cables(first: ${size}) { nodes { ref } } } } } }
    }
  `;
}

interface Item {
  ref: string;
  persons: { nodes: { name: string; cables: { nodes: { ref: string }[] } }[] };
}

// Ingesting the corpus takes tens of seconds, more when other suites share the two cores.
describe.each(databaseKinds)('metrics and statement counts over the corpus on %s', { timeout: 600_000 }, (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;

  async function scrape(): Promise<string> {
    const response = await yoga.fetch('http://yoga/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  }

  function sample(text: string, series: string): number {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }

  /** Statements the query ran, from /metrics before and after it, and its response. */
  async function statementsOf(query: string) {
    const before = sample(await scrape(), 'cablegraph_sql_statements_total');
    const result = await graphql(yoga, query);
    const after = sample(await scrape(), 'cablegraph_sql_statements_total');
    return { statements: after - before, result };
  }

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [CSV, SEED_DIR]);
    expect(summary.failed).toEqual([]);
    yoga = createServer({ db: handle.db });
    // The corpus ingest: about a minute on a quiet machine, several on one shared with other work.
  }, 900_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('runs a 10 × 10 × 10 traversal in about one statement per level', async () => {
    const { statements, result } = await statementsOf(traversal(10));
    expect(result.errors).toBeUndefined();
    const cables: Item[] = result.data.cables.nodes;
    // Wide enough for N+1 to show: ten cables, dozens of persons, more cables under them.
    expect(cables).toHaveLength(10);
    const persons = cables.flatMap((cable) => cable.persons.nodes);
    expect(persons.length).toBeGreaterThan(20);
    expect(persons.flatMap((person) => person.cables.nodes).length).toBeGreaterThan(persons.length);
    // Three levels: at most depth + 2 statements, whatever the number of items.
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThanOrEqual(3 + 2);
  });

  it('runs as many statements for 2 items a level as for 10', async () => {
    const small = await statementsOf(traversal(2));
    const large = await statementsOf(traversal(10));
    expect(small.result.errors).toBeUndefined();
    expect(large.statements).toBe(small.statements);
  });

  it('reports the statements of one request in its extensions when asked', async () => {
    const before = sample(await scrape(), 'cablegraph_sql_statements_total');
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cablegraph-debug': 'statements' },
      body: JSON.stringify({ query: traversal(10) }),
    });
    const body = (await response.json()) as { extensions?: { sqlStatements?: number } };
    const after = sample(await scrape(), 'cablegraph_sql_statements_total');
    expect(body.extensions?.sqlStatements).toBe(after - before);
    expect((await graphql(yoga, traversal(1))) as { extensions?: unknown }).not.toHaveProperty('extensions');
  });

  it.runIf(hasParagraphPersons)('walks cable → paragraphs → persons → cables in about one statement per level', async () => {
    const { statements, result } = await statementsOf(`
      {
        cable(ref: "03OTTAWA692") {
          paragraphs(first: 10) { totalCount edges { node { persons(first: 10) { edges { node { name cables(first: 5) { edges { node { ref } } } } } } } } }
        }
      }
    `);
    expect(result.errors).toBeUndefined();
    const paragraphs = result.data.cable.paragraphs.edges;
    expect(paragraphs).toHaveLength(Math.min(10, result.data.cable.paragraphs.totalCount));
    const persons = paragraphs.flatMap((p: { node: { persons: { edges: { node: { name: string } }[] } } }) => p.node.persons.edges);
    expect(persons.map((edge: { node: { name: string } }) => edge.node.name)).toContain('Jean Chretien');
    // cable, paragraphs, persons, cables: four levels.
    expect(statements).toBeLessThanOrEqual(4 + 2);
  });

  it('counts requests by operation and outcome, with their latency', async () => {
    await graphql(
      yoga,
      `
        query OneCable {
          cable(ref: "03OTTAWA692") {
            ref
          }
        }
      `,
    );
    await graphql(
      yoga,
      `
        query TooMuch {
          cables(first: 100000) {
            nodes {
              ref
            }
          }
        }
      `,
    );
    await graphql(
      yoga,
      `
        query BadCursor {
          cables(after: "nonsense") {
            totalCount
          }
        }
      `,
    );
    const text = await scrape();
    expect(sample(text, 'cablegraph_graphql_requests_total{operation="OneCable",outcome="ok"}')).toBe(1);
    expect(sample(text, 'cablegraph_graphql_requests_total{operation="TooMuch",outcome="refused"}')).toBe(1);
    expect(sample(text, 'cablegraph_graphql_requests_total{operation="BadCursor",outcome="client_error"}')).toBe(1);
    expect(sample(text, 'cablegraph_graphql_requests_total{operation="Traversal",outcome="ok"}')).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'cablegraph_graphql_request_duration_seconds_count{operation="OneCable"}')).toBe(1);
    expect(sample(text, 'cablegraph_graphql_request_duration_seconds_sum{operation="OneCable"}')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE cablegraph_sql_statements_total counter');
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
  });
});
