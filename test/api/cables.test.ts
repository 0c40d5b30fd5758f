import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { createServer, EXAMPLE_QUERY } from '../../src/server.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { graphql } from '../helpers/graphql.ts';

describe.each(databaseKinds)('GraphQL over the seed cables on %s', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [SEED_DIR]);
    expect(summary.failed).toEqual([]);
    yoga = createServer({ db: handle.db });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('answers a cable with its paragraphs', async () => {
    const result = await graphql(
      yoga,
      `
        {
          cable(ref: "03OTTAWA692") {
            ref
            date
            subject
            tags
            paragraphs {
              totalCount
              nodes {
                number
                classification
                text
              }
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    const cable = result.data.cable;
    expect(cable).toMatchObject({ ref: '03OTTAWA692', date: '2003-03-12', tags: ['PREL', 'PARM', 'MOPS', 'IZ', 'CA', 'UNSC'] });
    expect(cable.subject).toContain('BRIDGE THE DIVIDE');
    const numbered = cable.paragraphs.nodes.filter((p: { number: number }) => p.number > 0);
    expect(numbered.map((p: { number: number }) => p.number)).toEqual([1, 2, 3, 4]);
    expect(numbered.every((p: { classification: string }) => p.classification === 'C')).toBe(true);
    expect(cable.paragraphs.totalCount).toBe(cable.paragraphs.nodes.length);
  });

  it('pages through paragraphs with cursors', async () => {
    const first = await graphql(
      yoga,
      `
        {
          cable(ref: "03OTTAWA1284") {
            paragraphs(first: 2) {
              edges {
                cursor
                node {
                  number
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        }
      `,
    );
    const page = first.data.cable.paragraphs;
    expect(page.edges).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await graphql(
      yoga,
      `
        query ($after: String) {
          cable(ref: "03OTTAWA1284") {
            paragraphs(first: 100, after: $after) {
              edges {
                node {
                  number
                }
              }
            }
          }
        }
      `,
      {
        after: page.pageInfo.endCursor,
      },
    );
    const numbers = [...page.edges, ...next.data.cable.paragraphs.edges].map((e: { node: { number: number } }) => e.node.number);
    expect(numbers.filter((n) => n > 0)).toEqual([1, 2, 3, 4, 5]);
  });

  it('lists references, resolving the ones that are ingested', async () => {
    const result = await graphql(
      yoga,
      `
        {
          cable(ref: "03OTTAWA1284") {
            references {
              totalCount
              nodes {
                bullet
                ref
                cable {
                  ref
                }
              }
            }
          }
        }
      `,
    );
    expect(result.data.cable.references.nodes.map((r: { ref: string }) => r.ref)).toEqual(['03OTTAWA1123', '03OTTAWA492']);
    expect(result.data.cable.references.nodes.every((r: { cable: unknown }) => r.cable === null)).toBe(true);
  });

  it('filters and counts cables, and fetches them again as nodes', async () => {
    const result = await graphql(
      yoga,
      `
        {
          cables(filter: { tag: "MARR" }) {
            totalCount
            nodes {
              id
              ref
            }
          }
          all: cables {
            totalCount
          }
        }
      `,
    );
    expect(result.data.all.totalCount).toBe(2);
    expect(result.data.cables.totalCount).toBe(1);
    const [{ id, ref }] = result.data.cables.nodes;
    expect(ref).toBe('03OTTAWA1284');
    const node = await graphql(
      yoga,
      `
        query ($id: ID!) {
          node(id: $id) {
            ... on Cable {
              ref
            }
          }
        }
      `,
      { id },
    );
    expect(node.data.node.ref).toBe('03OTTAWA1284');
  });

  it('finds cables by full text', async () => {
    const result = await graphql(
      yoga,
      `
        {
          cables(filter: { text: "blue helmets" }) {
            totalCount
            nodes {
              ref
            }
          }
        }
      `,
    );
    expect(result.data.cables.nodes.map((c: { ref: string }) => c.ref)).toEqual(['03OTTAWA692']);
  });

  it('returns null for an unknown cable and a clear error for a bad cursor', async () => {
    expect(
      (
        await graphql(
          yoga,
          `
            {
              cable(ref: "99NOWHERE1") {
                ref
              }
            }
          `,
        )
      ).data.cable,
    ).toBeNull();
    const bad = await graphql(
      yoga,
      `
        {
          cables(after: "nonsense") {
            totalCount
          }
        }
      `,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
  });

  it('lists the individuals a cable names, and finds persons by name', async () => {
    const result = await graphql(
      yoga,
      `
        {
          cable(ref: "03OTTAWA692") {
            persons(first: 50) {
              totalCount
              nodes {
                name
                countryName
                titles {
                  title
                }
                cableCount
              }
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    const persons = result.data.cable.persons;
    // The twelve the text names, and the signer.
    expect(persons.totalCount).toBe(13);
    expect(persons.nodes.map((p: { name: string }) => p.name)).toContain('CELLUCCI');
    const chretien = persons.nodes.find((p: { name: string }) => p.name === 'Jean Chretien');
    expect(chretien).toMatchObject({ countryName: 'Canada', cableCount: 1 });
    expect(chretien.titles.map((t: { title: string }) => t.title)).toContain('Prime Minister');
    const search = await graphql(
      yoga,
      `
        {
          persons(filter: { name: "chret" }) {
            totalCount
            nodes {
              name
              cables {
                nodes {
                  ref
                }
              }
            }
          }
        }
      `,
    );
    expect(search.data.persons.totalCount).toBe(1);
    expect(search.data.persons.nodes[0].cables.nodes.map((c: { ref: string }) => c.ref)).toEqual(['03OTTAWA692']);
  });

  it('answers each example operation GraphiQL opens with', async () => {
    const operations = [...EXAMPLE_QUERY.matchAll(/^query (\w+)/gm)].map((m) => m[1]!);
    expect(operations).toEqual(['Analyst', 'Dashboard', 'Notebook']);
    for (const operationName of operations) {
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: EXAMPLE_QUERY, operationName }),
      });
      const result = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      expect(result.errors, operationName).toBeUndefined();
      expect(result.data, operationName).toBeTruthy();
    }
  });

  it('reports health', async () => {
    const response = await yoga.fetch('http://yoga/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
