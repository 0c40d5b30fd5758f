// Dashboard aggregates (timeline, topEntities) over the seeds and the invented cables of
// finding-fixtures.ts, checked against counts computed here from the stored rows.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { writeFixtureCsv } from '../helpers/finding-fixtures.ts';
import { graphql } from '../helpers/graphql.ts';

interface StoredCable {
  id: number;
  date: string | null;
  classification: string | null;
  tags: string[];
}

/** (cable, entity key, label) triples of one kind, each at most once per cable. */
type Pairs = { cable_id: number; key: string; label: string }[];

const TIMELINE = `
  query ($filter: CableFilter, $interval: TimelineInterval) {
    timeline(filter: $filter, interval: $interval) { start count }
  }
`;

const TOP = `
  query ($kind: EntityKind!, $filter: CableFilter, $first: Int) {
    topEntities(kind: $kind, filter: $filter, first: $first) {
      kind
      label
      count
      entity {
        id
        __typename
        ... on Person { name }
        ... on Organization { name }
        ... on Country { code name }
        ... on Topic { code }
      }
    }
  }
`;

function countBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return counts;
}

describe.each(databaseKinds)('dashboard aggregates on %s', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  let fixtures: string | undefined;
  let cables: StoredCable[];
  const pairs: Record<string, Pairs> = {};

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    fixtures = writeFixtureCsv();
    const summary = await ingestPaths(handle.db, [fixtures, SEED_DIR]);
    expect(summary.failed).toEqual([]);
    yoga = createServer({ db: handle.db });
    cables = await handle.db.selectFrom('cable').select(['id', 'date', 'classification', 'tags']).execute();
    const read = async (query: ReturnType<typeof sql<{ cable_id: number; key: string; label: string }>>) => {
      const rows = (await query.execute(handle.db)).rows;
      return [...new Map(rows.map((row) => [`${row.cable_id}|${row.key}`, row])).values()];
    };
    pairs.PERSON = await read(sql`
      select cp.cable_id, p.id::text as key, p.name as label from cable_person cp join person p on p.id = cp.person_id`);
    pairs.ORGANIZATION = await read(sql`
      select co.cable_id, o.id::text as key, o.name as label from cable_organization co join organization o on o.id = co.organization_id`);
    pairs.COUNTRY = await read(sql`
      select m.cable_id, c.code as key, c.name as label from mention m join country c on c.id = m.entity_id where m.kind = 3
      union all
      select ct.cable_id, c.code, c.name from cable_topic ct join topic t on t.id = ct.topic_id join country c on c.id = t.country_id`);
    pairs.TOPIC = await read(sql`
      select ct.cable_id, t.code as key, coalesce(t.name, t.code) as label from cable_topic ct join topic t on t.id = ct.topic_id`);
  });
  afterAll(async () => {
    await handle?.close();
    if (fixtures) rmSync(dirname(fixtures), { recursive: true, force: true });
  });

  it('counts cables per month, year and day, leaving undated cables out', async () => {
    const filters: { filter: Record<string, unknown> | null; keep: (c: StoredCable) => boolean }[] = [
      { filter: null, keep: () => true },
      { filter: { classification: 'CONFIDENTIAL' }, keep: (c) => c.classification === 'CONFIDENTIAL' },
      {
        filter: { topic: 'PREL', dateFrom: '2007-03-01' },
        keep: (c) => c.tags.includes('PREL') && c.date !== null && c.date >= '2007-03-01',
      },
      { filter: { classification: 'UNCLASSIFIED' }, keep: (c) => c.classification === 'UNCLASSIFIED' },
    ];
    const cut = { DAY: 10, MONTH: 7, YEAR: 4 } as const;
    for (const { filter, keep } of filters) {
      const dated = cables.filter((c) => keep(c) && c.date !== null);
      expect(dated.length).toBeGreaterThan(0);
      for (const interval of ['DAY', 'MONTH', 'YEAR'] as const) {
        const result = await graphql(yoga, TIMELINE, { filter, interval });
        expect(result.errors).toBeUndefined();
        const buckets: { start: string; count: number }[] = result.data.timeline;
        const padding = { DAY: '', MONTH: '-01', YEAR: '-01-01' }[interval];
        const want = [...countBy(dated, (c) => c.date!.slice(0, cut[interval]) + padding)]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([start, count]) => ({ start, count }));
        expect(buckets, `${interval} ${JSON.stringify(filter)}`).toEqual(want);
        expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(dated.length);
      }
    }
    // The undated fixture cable is among the unclassified ones, and in no bucket.
    const unclassified = cables.filter((c) => c.classification === 'UNCLASSIFIED');
    expect(unclassified.some((c) => c.date === null)).toBe(true);
    const listed = await graphql(yoga, '{ cables(filter: { classification: "UNCLASSIFIED" }) { totalCount } }');
    const months = await graphql(yoga, TIMELINE, { filter: { classification: 'UNCLASSIFIED' }, interval: 'MONTH' });
    const sum = months.data.timeline.reduce((total: number, bucket: { count: number }) => total + bucket.count, 0);
    expect(sum).toBe(listed.data.cables.totalCount - 1);
  });

  it.each(['PERSON', 'ORGANIZATION', 'COUNTRY', 'TOPIC'])('ranks %s entities by the cables naming them', async (entityKind) => {
    const filters: { filter: Record<string, unknown> | null; keep: (c: StoredCable) => boolean }[] = [
      { filter: null, keep: () => true },
      {
        filter: { classification: 'SECRET', dateFrom: '2007-01-01' },
        keep: (c) => c.classification === 'SECRET' && c.date !== null && c.date >= '2007-01-01',
      },
    ];
    for (const { filter, keep } of filters) {
      const kept = new Set(cables.filter(keep).map((c) => c.id));
      const counted = pairs[entityKind]!.filter((pair) => kept.has(pair.cable_id));
      const labels = new Map(counted.map((pair) => [pair.key, pair.label]));
      const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const want = [...countBy(counted, (pair) => pair.key)]
        .map(([key, count]) => ({ key, label: labels.get(key)!, count }))
        .sort((a, b) => b.count - a.count || byte(a.label, b.label) || byte(a.key, b.key))
        .slice(0, 5);
      expect(want.length).toBeGreaterThan(1);
      const result = await graphql(yoga, TOP, { kind: entityKind, filter, first: 5 });
      expect(result.errors).toBeUndefined();
      const top = result.data.topEntities;
      expect(
        top.map((row: { label: string; count: number }) => ({ label: row.label, count: row.count })),
        `${entityKind} ${JSON.stringify(filter)}`,
      ).toEqual(want.map(({ label, count }) => ({ label, count })));
      for (const row of top) {
        expect(row.kind).toBe(entityKind);
        expect(row.entity.__typename).toBe(
          { PERSON: 'Person', ORGANIZATION: 'Organization', COUNTRY: 'Country', TOPIC: 'Topic' }[entityKind],
        );
        if (entityKind === 'PERSON' || entityKind === 'ORGANIZATION' || entityKind === 'COUNTRY') expect(row.entity.name).toBe(row.label);
      }
    }
  });

  it('agrees with the cable filter for the same entity', async () => {
    const countries = (await graphql(yoga, TOP, { kind: 'COUNTRY', first: 4 })).data.topEntities;
    const topics = (await graphql(yoga, TOP, { kind: 'TOPIC', first: 4 })).data.topEntities;
    const persons = (await graphql(yoga, TOP, { kind: 'PERSON', first: 4 })).data.topEntities;
    const organizations = (await graphql(yoga, TOP, { kind: 'ORGANIZATION', first: 4 })).data.topEntities;
    const checks = [
      ...countries.map((row: any) => ({ filter: { country: row.entity.code }, count: row.count })),
      ...topics.map((row: any) => ({ filter: { topic: row.entity.code }, count: row.count })),
      ...persons.map((row: any) => ({ filter: { person: row.entity.id }, count: row.count })),
      ...organizations.map((row: any) => ({ filter: { organization: row.entity.id }, count: row.count })),
    ];
    expect(checks).toHaveLength(16);
    for (const { filter, count } of checks) {
      const result = await graphql(yoga, 'query ($filter: CableFilter) { cables(filter: $filter) { totalCount } }', { filter });
      expect(result.data.cables.totalCount, JSON.stringify(filter)).toBe(count);
    }
  });

  it('resolves the entities of a list in a fixed number of statements', async () => {
    const statements = async (first: number) => {
      const before = handle.statements.count;
      const result = await graphql(yoga, TOP, { kind: 'PERSON', first });
      expect(result.errors).toBeUndefined();
      expect(result.data.topEntities.length).toBe(first);
      return handle.statements.count - before;
    };
    expect(await statements(2)).toBe(await statements(8));
  });

  it('refuses what it cannot count with the documented codes', async () => {
    const cable = await graphql(yoga, TOP, { kind: 'CABLE' });
    expect(cable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await graphql(yoga, TOP, { kind: 'PERSON', first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('PAGE_TOO_LARGE');
    const negative = await graphql(yoga, TOP, { kind: 'PERSON', first: -1 });
    expect(negative.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badId = await graphql(yoga, TIMELINE, { filter: { organization: 'nonsense' } });
    expect(badId.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
    const stopWords = await graphql(yoga, TOP, { kind: 'TOPIC', filter: { text: 'the' } });
    expect(stopWords.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
