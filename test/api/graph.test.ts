import { join } from 'node:path';

import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { writeCables } from '../../src/db/write-cables.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase, SHARED } from '../helpers/databases.ts';
import { byStrength, coMentionTruth, FIXTURE_CABLES, type TruthEdge } from '../helpers/graph-fixture.ts';
import { graphql } from '../helpers/graphql.ts';

const TYPENAMES: Record<number, string> = { 1: 'Person', 2: 'Organization', 3: 'Country' };

interface GraphResult {
  nodes: { id: string; kind: string; label: string; weight: number; depth: number | null }[];
  edges: { source: string; target: string; kind: string; weight: number; paragraphs: number }[];
}

/** Ids reachable from `start` through the edges of a returned graph. */
function reachable(start: string, edges: GraphResult['edges']): Set<string> {
  const seen = new Set([start]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const edge of edges) {
      if (seen.has(edge.source) !== seen.has(edge.target)) {
        seen.add(edge.source);
        seen.add(edge.target);
        grew = true;
      }
    }
  }
  return seen;
}

const PATH = `
  query Path($from: ID!, $to: ID!, $maxHops: Int, $via: [EntityKind!]) {
    path(from: $from, to: $to, maxHops: $maxHops, via: $via) {
      length
      weight
      paragraphs
      nodes { id }
      steps {
        from { id ... on Person { name } }
        to { id ... on Person { name } }
        weight
        paragraphs
        cable { ref }
        paragraph { position text cable { ref } }
      }
    }
  }
`;

const NEIGHBORHOOD = `
  query Neighborhood($id: ID!, $depth: Int, $limit: Int, $kinds: [EntityKind!]) {
    neighborhood(id: $id, depth: $depth, limit: $limit, kinds: $kinds) {
      nodes { id kind label weight depth }
      edges { source target kind weight paragraphs }
    }
  }
`;

describe.each(databaseKinds)('the co-mention graph in the API on %s', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  let truth: TruthEdge[];
  const ids: Record<string, string> = {};
  const countryCodes: Record<number, string> = {};

  function globalIdOf(entity: { kind: number; id: number }): string {
    return encodeGlobalID(TYPENAMES[entity.kind]!, entity.kind === 3 ? countryCodes[entity.id]! : String(entity.id));
  }

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await writeCables(handle.db, FIXTURE_CABLES);
    truth = await coMentionTruth(handle.db);
    for (const row of await handle.db.selectFrom('person').select(['id', 'name']).execute())
      ids[row.name] = encodeGlobalID('Person', String(row.id));
    for (const row of await handle.db.selectFrom('organization').select(['id', 'name']).execute()) {
      ids[row.name] = encodeGlobalID('Organization', String(row.id));
    }
    for (const row of await handle.db.selectFrom('country').select(['id', 'code']).execute()) {
      ids[row.code] = encodeGlobalID('Country', row.code);
      countryCodes[row.id] = row.code;
    }
    yoga = createServer({ db: handle.db });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("lists a person's co-mentioned persons strongest first, with the weights the mentions give", async () => {
    const result = await graphql(
      yoga,
      `
        {
          persons(first: 20) {
            nodes {
              id
              name
              coMentioned {
                person {
                  id
                  name
                }
                paragraphs
                cables
              }
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    for (const node of result.data.persons.nodes) {
      const id = Number(decodeGlobalID(node.id).id);
      const expected = truth
        .filter((e) => e.kind === 1 && (e.source.id === id || e.target.id === id))
        .map((e) => ({ id: e.source.id === id ? e.target.id : e.source.id, paragraphs: e.paragraphs, cables: e.cables }))
        .sort((a, b) => byStrength(a, b) || a.id - b.id);
      expect(
        node.coMentioned.map((c: { person: { id: string }; paragraphs: number; cables: number }) => ({
          id: Number(decodeGlobalID(c.person.id).id),
          paragraphs: c.paragraphs,
          cables: c.cables,
        })),
      ).toEqual(expected);
    }
    const carol = result.data.persons.nodes.find((n: { name: string }) => n.name === 'Carol Castillo');
    expect(carol.coMentioned.length).toBeGreaterThan(2);
  });

  it('cuts co-mentions by count and weight, and reads them for a whole list in a fixed number of statements', async () => {
    const query = `query ($first: Int) { persons(first: $first) { nodes { coMentioned(first: 1, minWeight: 2) { person { name } cables } } } }`;
    const result = await graphql(yoga, query, { first: 20 });
    const lists = result.data.persons.nodes.map((n: { coMentioned: unknown[] }) => n.coMentioned);
    expect(lists.filter((list: unknown[]) => list.length > 0)).toEqual([
      [{ person: { name: expect.stringMatching(/Alice Archer|Bob Brennan/) }, cables: 2 }],
      [{ person: { name: expect.stringMatching(/Alice Archer|Bob Brennan/) }, cables: 2 }],
    ]);
    const before = handle.statements.count;
    await graphql(yoga, query, { first: 2 });
    const few = handle.statements.count - before;
    await graphql(yoga, query, { first: 9 });
    const many = handle.statements.count - before - few;
    expect(many).toBe(few);
    const tooMany = await graphql(
      yoga,
      `
        {
          persons(first: 1) {
            nodes {
              coMentioned(first: 101) {
                cables
              }
            }
          }
        }
      `,
    );
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('PAGE_TOO_LARGE');
  });

  it("lists an organization's persons and countries and a country's organizations", async () => {
    const result = await graphql(
      yoga,
      `
        query ($org: ID!, $ca: ID!) {
          org: node(id: $org) {
            ... on Organization {
              coMentionedPersons {
                person {
                  name
                }
                paragraphs
                cables
              }
              coMentionedCountries {
                country {
                  code
                }
                cables
              }
            }
          }
          ca: node(id: $ca) {
            ... on Country {
              coMentionedOrganizations {
                organization {
                  name
                }
                cables
              }
            }
          }
        }
      `,
      { org: ids['Ministry of Finance'], ca: ids.CA },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.org.coMentionedPersons).toEqual([
      { person: { name: 'Bob Brennan' }, paragraphs: 1, cables: 1 },
      { person: { name: 'Alice Archer' }, paragraphs: 0, cables: 1 },
    ]);
    expect(result.data.org.coMentionedCountries).toEqual([{ country: { code: 'CA' }, cables: 1 }]);
    expect(result.data.ca.coMentionedOrganizations).toEqual([{ organization: { name: 'Ministry of Finance' }, cables: 1 }]);
  });

  it('finds a two-step chain between persons who never share a cable, with a cable and paragraph for each step', async () => {
    const result = await graphql(yoga, PATH, { from: ids['Alice Archer'], to: ids['Carol Castillo'] });
    expect(result.errors).toBeUndefined();
    const paths = result.data.path;
    expect(paths.map((p: { nodes: { id: string }[] }) => p.nodes.map((n) => n.id))).toEqual([
      [ids['Alice Archer'], ids['Bob Brennan'], ids['Carol Castillo']],
      [ids['Alice Archer'], ids['Hugo Hayes'], ids['Carol Castillo']],
    ]);
    const [first] = paths;
    expect(first).toMatchObject({ length: 2, weight: 3, paragraphs: 2 });
    expect(first.steps[0]).toMatchObject({
      from: { id: ids['Alice Archer'], name: 'Alice Archer' },
      to: { id: ids['Bob Brennan'], name: 'Bob Brennan' },
      weight: 2,
      paragraphs: 2,
    });
    expect(['08TESTVILLE1', '08TESTVILLE3']).toContain(first.steps[0].cable.ref);
    expect(first.steps[0].paragraph.cable.ref).toBe(first.steps[0].cable.ref);
    expect(first.steps[0].paragraph.text).toMatch(/Alice Archer/);
    expect(first.steps[0].paragraph.text).toMatch(/Bob Brennan/);
    // Bob and Carol share a cable but no paragraph.
    expect(first.steps[1]).toMatchObject({ cable: { ref: '08TESTVILLE2' }, paragraph: null, weight: 1, paragraphs: 0 });
  });

  it('reaches organizations and countries through the kinds `via` allows', async () => {
    const persons = await graphql(yoga, PATH, { from: ids['Alice Archer'], to: ids.CA });
    expect(persons.data.path).toEqual([]);
    const result = await graphql(yoga, PATH, { from: ids['Alice Archer'], to: ids.CA, via: ['PERSON', 'ORGANIZATION'] });
    expect(result.errors).toBeUndefined();
    expect(result.data.path.map((p: { nodes: { id: string }[] }) => p.nodes.map((n) => n.id))).toEqual([
      [ids['Alice Archer'], ids['Ministry of Finance'], ids.CA],
    ]);
  });

  it('returns no chain when there is none within maxHops, or when an end does not exist', async () => {
    expect((await graphql(yoga, PATH, { from: ids['Alice Archer'], to: ids['Gina Gomez'], maxHops: 6 })).data.path).toEqual([]);
    expect((await graphql(yoga, PATH, { from: ids['Alice Archer'], to: ids['Eve Ellison'], maxHops: 3 })).data.path).toEqual([]);
    const four = await graphql(yoga, PATH, { from: ids['Alice Archer'], to: ids['Eve Ellison'] });
    expect(four.data.path.map((p: { length: number }) => p.length)).toEqual([4, 4]);
    const unknown = encodeGlobalID('Person', '999999');
    expect((await graphql(yoga, PATH, { from: ids['Alice Archer'], to: unknown })).data.path).toEqual([]);
    expect((await graphql(yoga, PATH, { from: ids['Alice Archer'], to: encodeGlobalID('Country', 'ZZ') })).data.path).toEqual([]);
  });

  it('refuses bad arguments with stable codes', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ from: ids['Alice Archer'], to: ids['Carol Castillo'], maxHops: 7 }, 'BAD_USER_INPUT'],
      [{ from: ids['Alice Archer'], to: ids['Carol Castillo'], maxHops: 0 }, 'BAD_USER_INPUT'],
      [{ from: ids['Alice Archer'], to: ids['Carol Castillo'], via: ['TOPIC'] }, 'BAD_USER_INPUT'],
      [{ from: encodeGlobalID('Cable', '08TESTVILLE1'), to: ids['Carol Castillo'] }, 'INVALID_ID'],
      [{ from: ids['Alice Archer'], to: 'not an id' }, 'INVALID_ID'],
      [{ from: ids['Alice Archer'], to: encodeGlobalID('Person', 'bob') }, 'INVALID_ID'],
      [{ from: ids['Alice Archer'], to: encodeGlobalID('Person', '99999999999') }, 'INVALID_ID'],
    ];
    for (const [variables, code] of cases) {
      const result = await graphql(yoga, PATH, variables);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(code);
      expect(result.errors?.[0]?.message).not.toBe('Unexpected error.');
    }
    const deep = await graphql(yoga, NEIGHBORHOOD, { id: ids['Bob Brennan'], depth: 4 });
    expect(deep.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wide = await graphql(yoga, NEIGHBORHOOD, { id: ids['Bob Brennan'], limit: 0 });
    expect(wide.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const topic = await graphql(yoga, NEIGHBORHOOD, { id: encodeGlobalID('Topic', 'PREL') });
    expect(topic.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });

  it('gives a neighborhood ready for a graph library: connected, capped, every edge among its nodes', async () => {
    const result = await graphql(yoga, NEIGHBORHOOD, { id: ids['Bob Brennan'], depth: 2 });
    expect(result.errors).toBeUndefined();
    const graph: GraphResult = result.data.neighborhood;
    expect(graph.nodes[0]).toEqual({ id: ids['Bob Brennan'], kind: 'PERSON', label: 'Bob Brennan', weight: 3, depth: 0 });
    expect(reachable(ids['Bob Brennan']!, graph.edges)).toEqual(new Set(graph.nodes.map((n) => n.id)));
    expect(graph.nodes.find((n) => n.id === ids.CA)).toEqual({ id: ids.CA, kind: 'COUNTRY', label: 'Canada', weight: 1, depth: 2 });
    expect(graph.nodes.find((n) => n.id === ids['Ministry of Finance'])).toMatchObject({ kind: 'ORGANIZATION', depth: 1 });
    const nodeIds = new Set(graph.nodes.map((n) => n.id));
    const expectedEdges = truth
      .map((e) => ({
        source: globalIdOf(e.source),
        target: globalIdOf(e.target),
        kind: ['PERSON_PERSON', 'PERSON_ORGANIZATION', 'ORGANIZATION_COUNTRY'][e.kind - 1],
        weight: e.cables,
        paragraphs: e.paragraphs,
      }))
      .filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
    const order = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect([...graph.edges].sort(order)).toEqual(expectedEdges.sort(order));

    for (const limit of [1, 2, 4]) {
      const capped: GraphResult = (await graphql(yoga, NEIGHBORHOOD, { id: ids['Bob Brennan'], depth: 3, limit })).data.neighborhood;
      expect(capped.nodes).toHaveLength(limit);
      expect(reachable(ids['Bob Brennan']!, capped.edges)).toEqual(new Set(capped.nodes.map((n) => n.id)));
    }
    const persons: GraphResult = (await graphql(yoga, NEIGHBORHOOD, { id: ids['Bob Brennan'], depth: 3, kinds: ['PERSON'] })).data
      .neighborhood;
    expect(new Set(persons.nodes.map((n) => n.kind))).toEqual(new Set(['PERSON']));
    expect(persons.edges.every((e) => e.kind === 'PERSON_PERSON')).toBe(true);
    expect((await graphql(yoga, NEIGHBORHOOD, { id: encodeGlobalID('Person', '999999') })).data.neighborhood).toBeNull();
  });

  it('resolves the nodes of a graph and of a path as the entities they are', async () => {
    const result = await graphql(
      yoga,
      `
        query ($id: ID!) {
          neighborhood(id: $id) {
            nodes {
              id
              node {
                id
                ... on Person {
                  name
                }
                ... on Organization {
                  name
                }
                ... on Country {
                  code
                }
              }
            }
          }
        }
      `,
      { id: ids['Ministry of Finance'] },
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data.neighborhood.nodes;
    expect(nodes.every((n: { id: string; node: { id: string } }) => n.node.id === n.id)).toBe(true);
    expect(nodes.map((n: { node: Record<string, string> }) => n.node.name ?? n.node.code).sort()).toEqual([
      'Alice Archer',
      'Bob Brennan',
      'CA',
      'Ministry of Finance',
    ]);
  });

  it('gives the co-mention network of all cables or of those a filter admits', async () => {
    const query = `query ($filter: CableFilter, $minWeight: Int, $first: Int) {
      coMentionNetwork(filter: $filter, minWeight: $minWeight, first: $first) { nodes { id kind label depth } edges { source target kind weight paragraphs } }
    }`;
    const all = await graphql(yoga, query, { first: 3 });
    expect(all.errors).toBeUndefined();
    const expected = truth
      .filter((e) => e.kind !== 3)
      .sort((a, b) => byStrength(a, b) || a.kind - b.kind || a.source.id - b.source.id || a.target.id - b.target.id)
      .slice(0, 3);
    expect(all.data.coMentionNetwork.edges.map((e: { source: string; target: string }) => [e.source, e.target])).toEqual(
      expected.map((e) => [globalIdOf(e.source), globalIdOf(e.target)]),
    );
    const network = all.data.coMentionNetwork as GraphResult;
    expect(new Set(network.nodes.map((n) => n.id))).toEqual(new Set(network.edges.flatMap((e) => [e.source, e.target])));
    expect(network.nodes.every((n) => n.depth === null)).toBe(true);

    // 2009 only: Alice and Bob never meet then; Carol's ties are counted over 2009 cables only.
    const in2009 = await graphql(yoga, query, { filter: { dateFrom: '2009-01-01' } });
    expect(in2009.errors).toBeUndefined();
    const edges2009 = (in2009.data.coMentionNetwork as GraphResult).edges;
    const pair = (a: string, b: string) => edges2009.find((e) => [e.source, e.target].sort().join() === [ids[a], ids[b]].sort().join());
    expect(pair('Alice Archer', 'Bob Brennan')).toBeUndefined();
    expect(pair('Carol Castillo', 'Dan Dorsey')).toMatchObject({ weight: 1, paragraphs: 1 });
    expect(pair('Hugo Hayes', 'Carol Castillo')).toMatchObject({ weight: 1, paragraphs: 1 });
    const strong = await graphql(yoga, query, { filter: { dateTo: '2008-12-31' }, minWeight: 2 });
    expect((strong.data.coMentionNetwork as GraphResult).edges.map((e) => [e.source, e.target].sort())).toEqual([
      [ids['Alice Archer'], ids['Bob Brennan']].sort(),
    ]);
    const tooMany = await graphql(yoga, query, { first: 501 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('PAGE_TOO_LARGE');
  });
});

// Ingesting the corpus takes tens of seconds, more when other suites share the two cores.
describe.each(databaseKinds)('chains in the 1,295-cable corpus on %s', { timeout: 600_000 }, (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [join(SHARED, 'corpus/cablegate-1295.csv.gz')]);
    expect(summary.failed).toEqual([]);
    yoga = createServer({ db: handle.db });
    // The corpus ingest: about a minute on a quiet machine, several on one shared with other work.
  }, 900_000);
  afterAll(async () => {
    await handle?.close();
  });

  it('links two persons who never share a cable through a colleague they share, with evidence', async () => {
    // The strongest such pair, read from the mentions: a and c share no cable, b shares cables with
    // each (as many as possible with the weaker of the two).
    const named = await handle.db
      .selectFrom('mention')
      .select(['entity_id', 'cable_id'])
      .distinct()
      .where('kind', '=', 1)
      .where('entity_id', 'is not', null)
      .execute();
    const personsOfCable = new Map<number, number[]>();
    for (const row of named) personsOfCable.set(row.cable_id, [...(personsOfCable.get(row.cable_id) ?? []), row.entity_id!]);
    const shared = new Map<number, Map<number, number>>();
    for (const persons of personsOfCable.values()) {
      for (const p of persons) {
        const counts = shared.get(p) ?? new Map<number, number>();
        shared.set(p, counts);
        for (const q of persons) if (q !== p) counts.set(q, (counts.get(q) ?? 0) + 1);
      }
    }
    let best: { a: number; c: number; strength: number } | null = null;
    for (const [, counts] of [...shared].sort(([x], [y]) => x - y)) {
      // The strongest ties of a colleague are enough to find a strong pair.
      const ties = [...counts].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, 50);
      for (const [a, ab] of ties) {
        for (const [c, bc] of ties) {
          const strength = Math.min(ab, bc);
          if (a >= c || shared.get(a)!.has(c) || (best && strength <= best.strength)) continue;
          best = { a, c, strength };
        }
      }
    }
    expect(best).not.toBeNull();
    const { a, c } = best!;
    const result = await graphql(yoga, PATH, { from: encodeGlobalID('Person', String(a)), to: encodeGlobalID('Person', String(c)) });
    expect(result.errors).toBeUndefined();
    const paths = result.data.path;
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.length).toBeLessThanOrEqual(10);
    for (const path of paths) {
      expect(path.length).toBe(2);
      expect(path.nodes.map((n: { id: string }) => Number(decodeGlobalID(n.id).id))).toEqual([a, expect.any(Number), c]);
      for (const step of path.steps) {
        const [from, to] = [Number(decodeGlobalID(step.from.id).id), Number(decodeGlobalID(step.to.id).id)];
        const named = await sql<{ entity_id: number; paragraph: number }>`
          select m.entity_id, m.paragraph from mention m join cable on cable.id = m.cable_id
          where cable.ref = ${step.cable.ref} and m.kind = 1 and m.entity_id in (${from}, ${to})
        `.execute(handle.db);
        expect(new Set(named.rows.map((r) => r.entity_id))).toEqual(new Set([from, to]));
        if (step.paragraph) {
          const inParagraph = named.rows.filter((r) => r.paragraph === step.paragraph.position).map((r) => r.entity_id);
          expect(new Set(inParagraph)).toEqual(new Set([from, to]));
        }
      }
    }
  });

  it('gives a connected neighborhood within its cap around the most named person', async () => {
    const top = await handle.db
      .selectFrom('person')
      .select('id')
      .orderBy('cable_count', 'desc')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const id = encodeGlobalID('Person', String(top.id));
    const result = await graphql(yoga, NEIGHBORHOOD, { id, depth: 2, limit: 150 });
    expect(result.errors).toBeUndefined();
    const graph: GraphResult = result.data.neighborhood;
    expect(graph.nodes).toHaveLength(150);
    expect(reachable(id, graph.edges)).toEqual(new Set(graph.nodes.map((n) => n.id)));
  });
});
