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
import { graphSnapshot } from '../helpers/graph.ts';

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
