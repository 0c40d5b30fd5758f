// The export reads against the stored graph, with oracles computed here from the mention rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import {
  withExportReader,
  type ExportEdgeRow,
  type ExportNodeRow,
  type ExportSelection,
  type ReadOptions,
} from '../../src/db/read-export.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { FIXTURES } from './helpers.ts';

const WHOLE: ExportSelection = { cables: {}, minWeight: null, weight: 'cables', includeCables: false, includeTopics: false };

async function read(handle: DatabaseHandle, selection: Partial<ExportSelection>, options?: ReadOptions) {
  return withExportReader(
    handle.db,
    { ...WHOLE, ...selection },
    async (reader) => {
      const counted = await reader.count();
      const nodes: ExportNodeRow[] = [];
      for await (const node of reader.nodes()) nodes.push(node);
      const edges: ExportEdgeRow[] = [];
      for await (const edge of reader.edges()) edges.push(edge);
      return { nodes, edges, counted };
    },
    options,
  );
}

const edgeKey = (edge: ExportEdgeRow) => `${edge.kind} ${edge.source_key} ${edge.target_key}`;
const edgeTuple = (edge: ExportEdgeRow) => `${edgeKey(edge)} p${edge.paragraphs} c${edge.cables}`;
const nodeKey = (node: Pick<ExportNodeRow, 'kind' | 'key'>) => `${node.kind} ${node.key}`;
const KIND_NAME: Record<number, 'PERSON' | 'ORGANIZATION' | 'COUNTRY'> = { 1: 'PERSON', 2: 'ORGANIZATION', 3: 'COUNTRY' };

/** The graph's content computed in plain code from the mention rows of some cables. */
async function oracle(handle: DatabaseHandle, cableIds: Set<number>) {
  const countries = new Map((await handle.db.selectFrom('country').select(['id', 'code']).execute()).map((row) => [row.id, row.code]));
  const key = (kind: number, id: number) => (kind === 3 ? countries.get(id)! : String(id));
  const mentions = await handle.db
    .selectFrom('mention')
    .select(['cable_id', 'kind', 'entity_id', 'paragraph'])
    .where('entity_id', 'is not', null)
    .execute();
  const byCable = new Map<number, Map<string, { kind: number; id: number; paragraphs: Set<number> }>>();
  const entities = new Map<string, { cables: Set<number>; mentions: number }>();
  for (const mention of mentions) {
    if (!cableIds.has(mention.cable_id)) continue;
    const name = `${KIND_NAME[mention.kind]} ${key(mention.kind, mention.entity_id!)}`;
    const entity = entities.get(name) ?? { cables: new Set(), mentions: 0 };
    entity.cables.add(mention.cable_id);
    entity.mentions++;
    entities.set(name, entity);
    const inCable = byCable.get(mention.cable_id) ?? new Map();
    byCable.set(mention.cable_id, inCable);
    const local = inCable.get(name) ?? { kind: mention.kind, id: mention.entity_id!, paragraphs: new Set() };
    local.paragraphs.add(mention.paragraph);
    inCable.set(name, local);
  }
  const edges = new Map<string, { paragraphs: number; cables: number }>();
  for (const inCable of byCable.values()) {
    for (const a of inCable.values()) {
      for (const b of inCable.values()) {
        const pair =
          a.kind === 1 && b.kind === 1 && a.id < b.id
            ? 'PERSON_PERSON'
            : a.kind === 1 && b.kind === 2
              ? 'PERSON_ORGANIZATION'
              : a.kind === 2 && b.kind === 3
                ? 'ORGANIZATION_COUNTRY'
                : null;
        if (!pair) continue;
        const name = `${pair} ${key(a.kind, a.id)} ${key(b.kind, b.id)}`;
        const edge = edges.get(name) ?? { paragraphs: 0, cables: 0 };
        edge.cables++;
        for (const paragraph of a.paragraphs) if (b.paragraphs.has(paragraph)) edge.paragraphs++;
        edges.set(name, edge);
      }
    }
  }
  return {
    entities,
    edges: [...edges].map(([name, edge]) => `${name} p${edge.paragraphs} c${edge.cables}`).sort(),
  };
}

describe.each(databaseKinds)('export reads on %s', (kind) => {
  let handle: DatabaseHandle;
  let cables: { id: number; ref: string; date: string | null; tags: string[] }[];
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [SEED_DIR, FIXTURES]);
    expect(summary.failed).toEqual([]);
    cables = await handle.db.selectFrom('cable').select(['id', 'ref', 'date', 'tags']).execute();
    expect(cables).toHaveLength(4);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('reads every stored entity and edge once, and every edge joins two nodes read', async () => {
    const { nodes, edges, counted } = await read(handle, {});
    const tables: number[] = [];
    for (const table of ['person', 'organization', 'country'] as const) {
      tables.push(
        Number(
          (
            await handle.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      );
    }
    expect(nodes.filter((node) => node.kind === 'PERSON')).toHaveLength(tables[0]!);
    expect(nodes.filter((node) => node.kind === 'ORGANIZATION')).toHaveLength(tables[1]!);
    expect(nodes.filter((node) => node.kind === 'COUNTRY')).toHaveLength(tables[2]!);
    const stored = await handle.db
      .selectFrom('edge')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(edges).toHaveLength(Number(stored.n));
    expect(new Set(edges.map(edgeKey)).size).toBe(edges.length);
    expect(new Set(nodes.map(nodeKey)).size).toBe(nodes.length);
    const keys = new Set(nodes.map(nodeKey));
    for (const edge of edges) {
      expect(keys).toContain(`${edge.source_kind} ${edge.source_key}`);
      expect(keys).toContain(`${edge.target_kind} ${edge.target_key}`);
    }
    expect(counted).toEqual({ nodes: nodes.length, edges: edges.length });
    // The stored edges are what the mentions say.
    expect(edges.map(edgeTuple).sort()).toEqual((await oracle(handle, new Set(cables.map((cable) => cable.id)))).edges);
  });

  it('gives the stored attributes of the whole graph', async () => {
    const { nodes } = await read(handle, {});
    const person = await handle.db.selectFrom('person').selectAll().where('name', '=', "Conor O'Brien").executeTakeFirstOrThrow();
    const node = nodes.find((row) => row.kind === 'PERSON' && row.key === String(person.id))!;
    expect(node).toMatchObject({
      label: "Conor O'Brien",
      cable_count: 2,
      mention_count: person.mention_count,
      first_date: '2005-01-10',
      last_date: '2006-02-02',
    });
    expect(nodes.find((row) => row.kind === 'COUNTRY' && row.key === 'DE')).toMatchObject({ label: 'Germany', cable_count: 2 });
  });

  it('slices by date: the entities its cables name, edges recomputed from their mentions, counts within the slice', async () => {
    const slice = await read(handle, { cables: { dateFrom: '2006-01-01' } });
    const inSlice = new Set(cables.filter((cable) => cable.date! >= '2006-01-01').map((cable) => cable.id));
    expect(inSlice.size).toBe(1);
    const expected = await oracle(handle, inSlice);
    expect(slice.edges.map(edgeTuple).sort()).toEqual(expected.edges);
    expect(slice.nodes.map(nodeKey).sort()).toEqual([...expected.entities.keys()].sort());
    const obrien = slice.nodes.find((node) => node.label === "Conor O'Brien")!;
    expect(obrien).toMatchObject({ cable_count: 1, first_date: '2006-02-02', last_date: '2006-02-02' });
    expect(obrien.mention_count).toBe(expected.entities.get(`PERSON ${obrien.key}`)!.mentions);
    expect(slice.counted).toEqual({ nodes: slice.nodes.length, edges: slice.edges.length });
  });

  it('slices by topic and by country', async () => {
    const byTopic = await read(handle, { cables: { topics: ['ecoN', 'prel'] } });
    const tagged = new Set(cables.filter((cable) => cable.tags.includes('ECON') && cable.tags.includes('PREL')).map((cable) => cable.id));
    expect([...tagged].map((id) => cables.find((cable) => cable.id === id)!.ref)).toEqual(['05PARIS100']);
    expect(byTopic.edges.map(edgeTuple).sort()).toEqual((await oracle(handle, tagged)).edges);
    expect(byTopic.nodes.map((node) => node.label)).toContain('François Dupré');
    expect(byTopic.nodes.map((node) => node.label)).not.toContain('Angela Merkel');

    // Tagged GM (FIPS for Germany) or naming Germany.
    const aboutGermany = await read(handle, { cables: { country: 'DE' } });
    const germanyId = (await handle.db.selectFrom('country').select('id').where('code', '=', 'DE').executeTakeFirstOrThrow()).id;
    const naming = await handle.db
      .selectFrom('mention')
      .select('cable_id')
      .distinct()
      .where('kind', '=', 3)
      .where('entity_id', '=', germanyId)
      .execute();
    const about = new Set([
      ...naming.map((row) => row.cable_id),
      ...cables.filter((cable) => cable.tags.includes('GM')).map((cable) => cable.id),
    ]);
    expect(about.size).toBeLessThan(cables.length);
    expect(aboutGermany.edges.map(edgeTuple).sort()).toEqual((await oracle(handle, about)).edges);
  });

  it('recomputes, over a slice of every cable, exactly the stored edges', async () => {
    const whole = await read(handle, {});
    const everything = await read(handle, { cables: { dateFrom: '1990-01-01' } });
    expect(everything.edges.map(edgeTuple)).toEqual(whole.edges.map(edgeTuple));
  });

  it('keeps edges of at least the minimum weight and only the entities they join', async () => {
    const whole = await read(handle, {});
    for (const weight of ['cables', 'paragraphs'] as const) {
      const strong = await read(handle, { minWeight: 2, weight });
      const expected = whole.edges.filter((edge) => edge[weight] >= 2);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(whole.edges.length);
      expect(strong.edges.map(edgeTuple)).toEqual(expected.map(edgeTuple));
      const ends = new Set(
        expected.flatMap((edge) => [`${edge.source_kind} ${edge.source_key}`, `${edge.target_kind} ${edge.target_key}`]),
      );
      expect(new Set(strong.nodes.map(nodeKey))).toEqual(ends);
    }
    // With a slice too: the slice's own weights decide.
    const sliced = await read(handle, { cables: { dateTo: '2003-12-31' }, minWeight: 2 });
    const seeds = new Set(cables.filter((cable) => cable.date! <= '2003-12-31').map((cable) => cable.id));
    const expected = (await oracle(handle, seeds)).edges.filter((edge) => Number(/ c(\d+)$/.exec(edge)![1]) >= 2);
    expect(sliced.edges.map(edgeTuple).sort()).toEqual(expected);
    expect(sliced.nodes.every((node) => sliced.edges.some((edge) => edge.source_key === node.key || edge.target_key === node.key))).toBe(
      true,
    );
  });

  it('adds cables and topics: cable-entity edges per named entity, cable-topic edges per tag', async () => {
    const { nodes, edges } = await read(handle, { includeCables: true, includeTopics: true });
    expect(
      nodes
        .filter((node) => node.kind === 'CABLE')
        .map((node) => node.key)
        .sort(),
    ).toEqual(cables.map((cable) => cable.ref).sort());
    const paris = nodes.find((node) => node.key === '05PARIS100')!;
    expect(paris).toMatchObject({
      date: '2005-01-10',
      description: 'FRANCE: TRADE <TALKS> & "QUOTAS" WITH THE ÉLYSÉE',
      classification: 'CONFIDENTIAL',
    });
    const named = await handle.db
      .selectFrom('mention')
      .select(['cable_id', 'kind', 'entity_id'])
      .distinct()
      .where('entity_id', 'is not', null)
      .execute();
    expect(edges.filter((edge) => edge.source_kind === 'CABLE' && edge.target_kind !== 'TOPIC')).toHaveLength(named.length);
    const tags = await handle.db
      .selectFrom('cable_topic')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(edges.filter((edge) => edge.kind === 'CABLE_TOPIC')).toHaveLength(Number(tags.n));
    expect(nodes.find((node) => node.kind === 'TOPIC' && node.key === 'ETRD')).toMatchObject({ cable_count: 1, category: 'subject' });
    const keys = new Set(nodes.map(nodeKey));
    for (const edge of edges) expect(keys).toContain(`${edge.target_kind} ${edge.target_key}`);
  });

  it('joins topics to entities when cables are left out, weighted by the cables they share', async () => {
    const { edges } = await read(handle, { includeTopics: true, cables: { dateFrom: '2005-01-01' } });
    const econ = edges.filter((edge) => edge.kind === 'TOPIC_PERSON' && edge.source_key === 'ECON');
    const dupre = await handle.db.selectFrom('person').select('id').where('name', '=', 'François Dupré').executeTakeFirstOrThrow();
    // Both 2005-2006 cables carry ECON and name Dupré; PREL only the Paris one.
    expect(econ.find((edge) => edge.target_key === String(dupre.id))).toMatchObject({ cables: 2 });
    expect(edges.find((edge) => edge.source_key === 'PREL' && edge.target_key === String(dupre.id))).toMatchObject({ cables: 1 });
    expect(edges.some((edge) => edge.source_key === 'PARM')).toBe(false);
  });

  it('reads the same rows whatever the fetch size', async () => {
    const selection = { includeCables: true, includeTopics: true, cables: { dateFrom: '2003-01-01' } };
    const small = await read(handle, selection, { fetchSize: 3 });
    const large = await read(handle, selection);
    expect(small.nodes.length).toBeGreaterThan(3);
    expect(small).toEqual(large);
  });
});
