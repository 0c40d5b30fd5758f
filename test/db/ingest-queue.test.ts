// Ingest shared through the job queue (pg-boss, PostgreSQL only): a cables.csv cut into slices of
// whole records, and two workers taking the slices, leave the graph one ingest of the file leaves.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { enqueue, openQueue, planJobs, work, type WorkerSummary } from '../../src/ingest/queue.ts';
import { readSlice, readSources, splitCsv } from '../../src/ingest/read-sources.ts';
import type { ReadItem } from '../../src/ingest/types.ts';
import { openTestDatabase, SHARED, type TestDatabase } from '../helpers/databases.ts';
import { graphSnapshot } from '../helpers/graph.ts';

/** What a reader yields, by its text: the location of a sliced record names its slice. */
async function texts(items: AsyncIterable<ReadItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item.kind === 'cable' ? item.cable.text : `error: ${item.reason}`);
  return out;
}

describe.runIf(process.env.DATABASE_URL)('ingest through the job queue', { timeout: 600_000 }, () => {
  let dir: string;
  let whole: string;
  let part: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cablegraph-queue-'));
    whole = join(dir, 'cables.csv');
    await pipeline(createReadStream(join(SHARED, 'corpus/cablegate-1295.csv.gz')), createGunzip(), createWriteStream(whole));
    // The first 240 records, cut where splitCsv says a record ends.
    part = join(dir, 'part.csv');
    const [, second] = await splitCsv(whole, 120);
    const file = await open(whole);
    try {
      const { buffer } = await file.read({ buffer: Buffer.alloc(second!.end), position: 0 });
      await pipeline([buffer], createWriteStream(part));
    } finally {
      await file.close();
    }
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('cuts a CSV file into slices of whole records that read as the file does', async () => {
    const slices = await splitCsv(whole, 100);
    expect(slices.length).toBe(13);
    expect(slices[0]!.start).toBe(0);
    for (let i = 1; i < slices.length; i++) expect(slices[i]!.start).toBe(slices[i - 1]!.end);
    const sliced: string[] = [];
    for (const slice of slices) {
      const got = await texts(readSlice(slice));
      expect(got.length).toBeLessThanOrEqual(100);
      sliced.push(...got);
    }
    const read = await texts(readSources([whole]));
    expect(read.length).toBe(1295);
    expect(sliced).toEqual(read);
  });

  describe('two workers', () => {
    let single: TestDatabase;
    let shared: TestDatabase;
    const workers: { handle: DatabaseHandle; boss: PgBoss }[] = [];
    beforeAll(async () => {
      [single, shared] = await Promise.all([openTestDatabase('postgres'), openTestDatabase('postgres')]);
    });
    afterAll(async () => {
      for (const { handle, boss } of workers) {
        await boss.stop({ graceful: false, wait: true });
        await handle.close();
      }
      await single?.close();
      await shared?.close();
    });

    it('leave the graph one ingest of the whole file leaves', async () => {
      const once = await ingestPaths(single.db, [part], { threads: 0 });
      expect(once.inserted).toBe(240);

      const errors: Error[] = [];
      for (let i = 0; i < 2; i++) {
        // Each worker as its own process would have it: its own pool and its own queue client.
        const handle = await openDatabase({ url: shared.url!, maxConnections: 4 });
        workers.push({ handle, boss: await openQueue({ url: shared.url!, onError: (error) => errors.push(error) }) });
      }
      const jobs = await planJobs([part], 40);
      expect(jobs).toHaveLength(6);
      await enqueue(workers[0]!.boss, jobs);
      const done: WorkerSummary[] = await Promise.all(
        workers.map(({ handle, boss }) => work(handle.db, boss, { threads: 0, batchSize: 25 })),
      );

      expect(done.map((summary) => summary.failedJobs)).toEqual([[], []]);
      // Both took part, and between them took every job once.
      for (const summary of done) expect(summary.jobs).toBeGreaterThan(0);
      expect(done[0]!.jobs + done[1]!.jobs).toBe(6);
      expect(done[0]!.inserted + done[1]!.inserted).toBe(240);
      expect(errors).toEqual([]);

      const [a, b] = await Promise.all([graphSnapshot(single.db), graphSnapshot(shared.db)]);
      expect(a.persons.length).toBeGreaterThan(100);
      expect(a.edges.length).toBeGreaterThan(100);
      expect(b.persons).toEqual(a.persons);
      expect(b.organizations).toEqual(a.organizations);
      expect(b.edges).toEqual(a.edges);
    });
  });
});
