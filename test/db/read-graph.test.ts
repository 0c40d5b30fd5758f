import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import {
  coMentionNetwork,
  ENTITY_KIND,
  entityKey,
  neighbourhood,
  strongestNeighbours,
  type EdgeRow,
  type EntityKey,
} from '../../src/db/read-graph.ts';
import { shortestPaths } from '../../src/db/read-paths.ts';
import { writeCables } from '../../src/db/write-cables.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { byStrength, coMentionTruth, FIXTURE_CABLES, type TruthEdge } from '../helpers/graph-fixture.ts';

const PERSON = ENTITY_KIND.person;

/** Every entity reachable from `start` through `edges`. */
function reachable(start: EntityKey, edges: { source: EntityKey; target: EntityKey }[]): Set<string> {
  const seen = new Set([entityKey(start)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const edge of edges) {
      const [a, b] = [entityKey(edge.source), entityKey(edge.target)];
      if (seen.has(a) !== seen.has(b)) {
        seen.add(a);
        seen.add(b);
        grew = true;
      }
    }
  }
  return seen;
}

function comparable(edge: EdgeRow | TruthEdge) {
  return {
    kind: edge.kind,
    source: entityKey(edge.source),
    target: entityKey(edge.target),
    paragraphs: edge.paragraphs,
    cables: edge.cables,
  };
}

describe.each(databaseKinds)('reads over the co-mention graph on %s', (kind) => {
  let handle: DatabaseHandle;
  let truth: TruthEdge[];
  const person: Record<string, EntityKey> = {};
  const organization: Record<string, EntityKey> = {};
  const country: Record<string, EntityKey> = {};

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await writeCables(handle.db, FIXTURE_CABLES);
    truth = await coMentionTruth(handle.db);
    for (const row of await handle.db.selectFrom('person').select(['id', 'name']).execute())
      person[row.name] = { kind: PERSON, id: row.id };
    for (const row of await handle.db.selectFrom('organization').select(['id', 'name']).execute()) {
      organization[row.name] = { kind: ENTITY_KIND.organization, id: row.id };
    }
    for (const row of await handle.db.selectFrom('country').select(['id', 'code']).execute()) {
      country[row.code] = { kind: ENTITY_KIND.country, id: row.id };
    }
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** The truth's neighbours of an entity, of some kinds, strongest first, then by kind and id. */
  function truthNeighbours(entity: EntityKey, kinds: number[]) {
    return truth
      .flatMap((edge) => {
        if (entityKey(edge.source) === entityKey(entity)) return [{ ...edge.target, paragraphs: edge.paragraphs, cables: edge.cables }];
        if (entityKey(edge.target) === entityKey(entity)) return [{ ...edge.source, paragraphs: edge.paragraphs, cables: edge.cables }];
        return [];
      })
      .filter((n) => kinds.includes(n.kind))
      .sort((a, b) => byStrength(a, b) || a.kind - b.kind || a.id - b.id);
  }

  it('resolves the fixture into the persons, organizations and countries it names', () => {
    expect(Object.keys(person).sort()).toEqual([
      'Alice Archer',
      'Bob Brennan',
      'Carol Castillo',
      'Dan Dorsey',
      'Eve Ellison',
      'Frank Fuller',
      'Gina Gomez',
      'Hugo Hayes',
      'Ivan Ibarra',
    ]);
    expect(Object.keys(organization).sort()).toEqual(['Ministry of Finance', 'Ministry of Trade']);
  });

  it('lists the strongest neighbours of every entity in the order the mentions give', async () => {
    const entities = [...Object.values(person), ...Object.values(organization), ...Object.values(country)];
    const rows = await strongestNeighbours(handle.db, entities, { kinds: [1, 2, 3], first: 100, minCables: 1 });
    for (const entity of entities) {
      const found = rows.filter((row) => row.from_kind === entity.kind && row.from_id === entity.id);
      const expected = truthNeighbours(entity, [1, 2, 3]);
      expect(found.map(({ kind, id, paragraphs, cables }) => ({ kind, id, paragraphs, cables }))).toEqual(expected);
    }
    // Bob: Alice (two paragraphs), the Ministry (one), Carol (a cable only).
    const bob = rows.filter((row) => row.from_id === person['Bob Brennan']!.id && row.from_kind === PERSON);
    expect(bob.map((row) => entityKey(row))).toEqual([
      entityKey(person['Alice Archer']!),
      entityKey(organization['Ministry of Finance']!),
      entityKey(person['Carol Castillo']!),
    ]);
  });

  it('cuts the neighbours to the first few, of the kinds asked, with enough shared cables', async () => {
    const carol = person['Carol Castillo']!;
    const firstTwo = await strongestNeighbours(handle.db, [carol], { kinds: [PERSON], first: 2, minCables: 1 });
    expect(firstTwo.map((row) => row.id)).toEqual(
      truthNeighbours(carol, [PERSON])
        .slice(0, 2)
        .map((n) => n.id),
    );
    const alice = person['Alice Archer']!;
    const strong = await strongestNeighbours(handle.db, [alice], { kinds: [PERSON], first: 10, minCables: 2 });
    expect(strong.map((row) => row.id)).toEqual([person['Bob Brennan']!.id]);
    const organizations = await strongestNeighbours(handle.db, [alice], { kinds: [ENTITY_KIND.organization], first: 10, minCables: 1 });
    expect(organizations.map((row) => row.id)).toEqual([organization['Ministry of Finance']!.id]);
  });

  it('finds the shortest chains between two persons who never meet, strongest first, with evidence', async () => {
    const paths = await shortestPaths(handle.db, person['Alice Archer']!, person['Carol Castillo']!, { maxHops: 4, via: [PERSON] });
    expect(paths.map((path) => path.nodes.map((node) => node.id))).toEqual([
      [person['Alice Archer']!.id, person['Bob Brennan']!.id, person['Carol Castillo']!.id],
      [person['Alice Archer']!.id, person['Hugo Hayes']!.id, person['Carol Castillo']!.id],
    ]);
    for (const path of paths) {
      expect(path.steps).toHaveLength(2);
      for (const step of path.steps) {
        const edge = truth.find(
          (e) =>
            e.kind === 1 &&
            [entityKey(e.source), entityKey(e.target)].sort().join() === [entityKey(step.from), entityKey(step.to)].sort().join(),
        )!;
        expect({ paragraphs: step.paragraphs, cables: step.cables }).toEqual({ paragraphs: edge.paragraphs, cables: edge.cables });
        // The evidence names both: in its paragraph when it gives one, in the cable at least.
        const mentions = await handle.db
          .selectFrom('mention')
          .select(['entity_id', 'paragraph'])
          .where('cable_id', '=', step.cable.id)
          .where('kind', '=', PERSON)
          .execute();
        const paragraphsOf = (entity: EntityKey) => mentions.filter((m) => m.entity_id === entity.id).map((m) => m.paragraph);
        expect(paragraphsOf(step.from).length).toBeGreaterThan(0);
        expect(paragraphsOf(step.to).length).toBeGreaterThan(0);
        if (step.paragraph) {
          expect(paragraphsOf(step.from)).toContain(step.paragraph.position);
          expect(paragraphsOf(step.to)).toContain(step.paragraph.position);
          expect(step.paragraph.cable_id).toBe(step.cable.id);
        } else expect(edge.paragraphs).toBe(0);
        // A pair that shares a paragraph somewhere is shown in one.
        if (edge.paragraphs > 0) expect(step.paragraph).not.toBeNull();
      }
      expect(path.paragraphs).toBe(path.steps.reduce((sum, step) => sum + step.paragraphs, 0));
      expect(path.cables).toBe(path.steps.reduce((sum, step) => sum + step.cables, 0));
    }
    expect(byStrength(paths[0]!, paths[1]!)).toBeLessThan(0);
    // Bob and Carol only share a cable: no paragraph to show.
    expect(paths[0]!.steps[1]!.paragraph).toBeNull();
    expect(paths[0]!.steps[1]!.cable.ref).toBe('08TESTVILLE2');
    expect(paths[0]!.steps[0]!.paragraph?.text).toContain('Alice Archer');
  });

  it('respects maxHops and returns nothing when no chain exists', async () => {
    const alice = person['Alice Archer']!;
    const eve = person['Eve Ellison']!;
    expect(await shortestPaths(handle.db, alice, eve, { maxHops: 3, via: [PERSON] })).toEqual([]);
    const four = await shortestPaths(handle.db, alice, eve, { maxHops: 4, via: [PERSON] });
    expect(four.map((path) => path.steps.length)).toEqual([4, 4]);
    expect(four.every((path) => path.nodes[0]!.id === alice.id && path.nodes.at(-1)!.id === eve.id)).toBe(true);
    expect(await shortestPaths(handle.db, alice, person['Gina Gomez']!, { maxHops: 6, via: [PERSON] })).toEqual([]);
    const direct = await shortestPaths(handle.db, alice, person['Bob Brennan']!, { maxHops: 1, via: [PERSON] });
    expect(direct.map((path) => path.steps.length)).toEqual([1]);
  });

  it('keeps the strongest entities of a level when the frontier is capped, and so may miss weaker chains', async () => {
    const [alice, carol] = [person['Alice Archer']!, person['Carol Castillo']!];
    // Alice's strongest tie is Bob; with room for one entity per level, the chain through Hugo is not seen.
    const capped = await shortestPaths(handle.db, alice, carol, { maxHops: 4, via: [PERSON], frontier: 1 });
    expect(capped.map((path) => path.nodes.map((node) => node.id))).toEqual([[alice.id, person['Bob Brennan']!.id, carol.id]]);
    // Entities the other side has reached come first whatever their strength: Bob's weak tie to
    // Carol (a cable, no paragraph) beats his strong one to Alice.
    const bob = person['Bob Brennan']!;
    const weak = await shortestPaths(handle.db, bob, carol, { maxHops: 1, via: [PERSON], frontier: 1 });
    expect(weak.map((path) => path.nodes.map((node) => node.id))).toEqual([[bob.id, carol.id]]);
  });

  it('finds the same chains whether meetings are probed in the edge key or found by growing a side', async () => {
    const persons = Object.values(person);
    const entities = [...persons, ...Object.values(country)];
    const via = [PERSON, ENTITY_KIND.organization];
    let chains = 0;
    for (const from of persons) {
      for (const to of entities) {
        const probed = await shortestPaths(handle.db, from, to, { maxHops: 4, via });
        const grown = await shortestPaths(handle.db, from, to, { maxHops: 4, via, meetingProbes: 0 });
        expect(probed, `${entityKey(from)} → ${entityKey(to)}`).toEqual(grown);
        chains += probed.length;
      }
    }
    expect(chains).toBeGreaterThan(entities.length);
  });

  it('passes only through the kinds of entity asked for', async () => {
    const alice = person['Alice Archer']!;
    const canada = country.CA!;
    expect(await shortestPaths(handle.db, alice, canada, { maxHops: 6, via: [PERSON] })).toEqual([]);
    const viaOrganizations = await shortestPaths(handle.db, alice, canada, { maxHops: 6, via: [PERSON, ENTITY_KIND.organization] });
    expect(viaOrganizations.map((path) => path.nodes.map(entityKey))).toEqual([
      [entityKey(alice), entityKey(organization['Ministry of Finance']!), entityKey(canada)],
    ]);
    const step = viaOrganizations[0]!.steps[1]!;
    expect(step.paragraph?.text).toContain('Canada');
  });

  it('gives the neighbourhood of an entity, connected, strongest first, within its caps', async () => {
    const bob = person['Bob Brennan']!;
    const one = await neighbourhood(handle.db, bob, { depth: 1, limit: 100, kinds: [1, 2, 3] });
    expect(one.nodes.slice(1).map(entityKey)).toEqual(truthNeighbours(bob, [1, 2, 3]).map(entityKey));
    const two = await neighbourhood(handle.db, bob, { depth: 2, limit: 100, kinds: [1, 2, 3] });
    for (const graph of [one, two]) {
      expect(graph.nodes[0]).toMatchObject({ ...bob, depth: 0 });
      expect(reachable(bob, graph.edges)).toEqual(new Set(graph.nodes.map(entityKey)));
      // Every edge among the nodes, and only those.
      const keys = new Set(graph.nodes.map(entityKey));
      const among = truth.filter((e) => keys.has(entityKey(e.source)) && keys.has(entityKey(e.target)));
      expect(graph.edges.map(comparable).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
        among.map(comparable).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    }
    // Depth 2 adds the neighbours' neighbours: Carol's Dan, Hugo and Ivan, the Ministry's Canada.
    expect(
      two.nodes
        .filter((n) => n.depth === 2)
        .map(entityKey)
        .sort(),
    ).toEqual([person['Dan Dorsey']!, person['Hugo Hayes']!, person['Ivan Ibarra']!, country.CA!].map(entityKey).sort());
    // Three nodes: Bob and his two strongest neighbours, still connected.
    const capped = await neighbourhood(handle.db, bob, { depth: 2, limit: 3, kinds: [1, 2, 3] });
    expect(capped.nodes.map(entityKey)).toEqual([bob, ...truthNeighbours(bob, [1, 2, 3]).slice(0, 2)].map(entityKey));
    expect(reachable(bob, capped.edges)).toEqual(new Set(capped.nodes.map(entityKey)));
    // Persons only.
    const persons = await neighbourhood(handle.db, bob, { depth: 3, limit: 100, kinds: [PERSON] });
    expect(persons.nodes.every((n) => n.kind === PERSON)).toBe(true);
    expect(persons.nodes.map((n) => n.id).sort()).toEqual(
      ['Bob Brennan', 'Alice Archer', 'Carol Castillo', 'Hugo Hayes', 'Dan Dorsey', 'Ivan Ibarra', 'Eve Ellison']
        .map((name) => person[name]!.id)
        .sort(),
    );
  });

  it('gives the strongest edges of the whole graph from the edge table', async () => {
    const edges = await coMentionNetwork(handle.db, { filter: null, edgeKinds: [1, 2], minCables: 1, first: 4 });
    const expected = truth
      .filter((e) => e.kind !== 3)
      .sort((a, b) => byStrength(a, b) || a.kind - b.kind || a.source.id - b.source.id || a.target.id - b.target.id);
    expect(edges.map(comparable)).toEqual(expected.slice(0, 4).map(comparable));
    const strong = await coMentionNetwork(handle.db, { filter: null, edgeKinds: [1], minCables: 2, first: 100 });
    expect(strong.map(comparable)).toEqual(truth.filter((e) => e.kind === 1 && e.cables >= 2).map(comparable));
  });

  it('computes the network of the cables a filter admits from their mentions', async () => {
    const sort = (edges: ReturnType<typeof comparable>[]) => edges.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    // Every cable: the same counts as the edge table.
    const all = await coMentionNetwork(handle.db, { filter: { dateFrom: '2000-01-01' }, edgeKinds: [1, 2, 3], minCables: 1, first: 100 });
    expect(sort(all.map(comparable))).toEqual(sort(truth.map(comparable)));
    // The 2008 cables: counts over those only.
    const cables2008 = await handle.db.selectFrom('cable').select('id').where('date', '<=', '2008-12-31').execute();
    const truth2008 = await coMentionTruth(
      handle.db,
      cables2008.map((c) => c.id),
    );
    const in2008 = await coMentionNetwork(handle.db, { filter: { dateTo: '2008-12-31' }, edgeKinds: [1, 2], minCables: 1, first: 100 });
    expect(sort(in2008.map(comparable))).toEqual(sort(truth2008.filter((e) => e.kind !== 3).map(comparable)));
    // Alice and Bob share two cables in 2008; asking for two keeps only them.
    const strong = await coMentionNetwork(handle.db, { filter: { dateTo: '2008-12-31' }, edgeKinds: [1, 2], minCables: 2, first: 100 });
    expect(strong.map((e) => [e.source.id, e.target.id].sort())).toEqual([[person['Alice Archer']!.id, person['Bob Brennan']!.id].sort()]);
    expect(await coMentionNetwork(handle.db, { filter: { dateFrom: '2030-01-01' }, edgeKinds: [1, 2], minCables: 1, first: 100 })).toEqual(
      [],
    );
  });
});
