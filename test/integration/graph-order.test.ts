// The resolved graph does not depend on the order cables arrive in, nor on how runs split them.
import { join } from 'node:path';

import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { writeCables, type CableRecord } from '../../src/db/write-cables.ts';
import { buildCableRecord } from '../../src/ingest/cable-record.ts';
import { readSources } from '../../src/ingest/read-sources.ts';
import { databaseKinds, openTestDatabase, SHARED } from '../helpers/databases.ts';
import { storedEdges } from '../helpers/graph.ts';

const CSV = join(SHARED, 'corpus/cablegate-1295.csv.gz');

async function corpusRecords(): Promise<CableRecord[]> {
  const records: CableRecord[] = [];
  for await (const item of readSources([CSV])) if (item.kind === 'cable') records.push(buildCableRecord(item.cable));
  return records;
}

/** A deterministic shuffle (a linear congruential generator, seeded). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function writeInBatches(db: Kysely<Database>, records: CableRecord[]) {
  for (let i = 0; i < records.length; i += 200) await writeCables(db, records.slice(i, i + 200));
}

/** The graph in terms that do not depend on generated ids. */
async function graphSnapshot(db: Kysely<Database>) {
  const persons = await db
    .selectFrom('cable_person')
    .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
    .innerJoin('person', 'person.id', 'cable_person.person_id')
    .select(['person.key', 'person.name', 'person.cable_count', 'person.mention_count', 'cable.ref', 'cable_person.name_key'])
    .execute();
  const personClusters = new Map<string, string[]>();
  for (const row of persons) {
    const label = `${row.key}|${row.name}|${row.cable_count}|${row.mention_count}`;
    personClusters.set(label, [...(personClusters.get(label) ?? []), `${row.ref}:${row.name_key}`]);
  }
  const organizations = await db
    .selectFrom('cable_organization')
    .innerJoin('cable', 'cable.id', 'cable_organization.cable_id')
    .innerJoin('organization', 'organization.id', 'cable_organization.organization_id')
    .select(['organization.key', 'organization.name', 'organization.cable_count', 'cable.ref', 'cable_organization.name'])
    .execute();
  const organizationClusters = new Map<string, string[]>();
  for (const row of organizations) {
    const label = `${row.key}|${row.cable_count}`;
    organizationClusters.set(label, [...(organizationClusters.get(label) ?? []), `${row.ref}:${row.name}`]);
  }
  const keyOf = new Map<string, string>();
  for (const row of await db.selectFrom('person').select(['id', 'key']).execute()) keyOf.set(`1:${row.id}`, row.key);
  for (const row of await db.selectFrom('organization').select(['id', 'key']).execute()) keyOf.set(`2:${row.id}`, row.key);
  for (const row of await db.selectFrom('country').select(['id', 'code']).execute()) keyOf.set(`3:${row.id}`, row.code);
  const ends: Record<number, [number, number]> = { 1: [1, 1], 2: [1, 2], 3: [2, 3] };
  const edges = (await storedEdges(db))
    .map((e) => {
      const [a, b] = ends[e.kind]!;
      const pair = [keyOf.get(`${a}:${e.source_id}`)!, keyOf.get(`${b}:${e.target_id}`)!];
      if (e.kind === 1) pair.sort();
      return `${e.kind}|${pair.join('|')}|${e.paragraphs}|${e.cables}`;
    })
    .sort();
  const sorted = (clusters: Map<string, string[]>) =>
    [...clusters].map(([label, members]) => `${label}: ${members.sort().join(' ')}`).sort();
  return { persons: sorted(personClusters), organizations: sorted(organizationClusters), edges };
}

describe.each(databaseKinds)('resolution order on %s', { timeout: 900_000 }, (kind) => {
  let inOrder: DatabaseHandle;
  let twoHalves: DatabaseHandle;
  let records: CableRecord[];
  beforeAll(async () => {
    [inOrder, twoHalves, records] = await Promise.all([openTestDatabase(kind), openTestDatabase(kind), corpusRecords()]);
  });
  afterAll(async () => {
    await inOrder?.close();
    await twoHalves?.close();
  });

  it('resolves the corpus in another order and in two halves into the same graph', async () => {
    await writeInBatches(inOrder.db, records);
    const mixed = shuffled(records, 20030312);
    const half = Math.floor(mixed.length / 2);
    await writeInBatches(twoHalves.db, mixed.slice(0, half));
    await writeInBatches(twoHalves.db, mixed.slice(half));
    const [a, b] = await Promise.all([graphSnapshot(inOrder.db), graphSnapshot(twoHalves.db)]);
    expect(a.persons.length).toBeGreaterThan(1000);
    expect(b.persons).toEqual(a.persons);
    expect(b.organizations).toEqual(a.organizations);
    expect(b.edges).toEqual(a.edges);
  });
});
