// The whole shared corpus, from both of its published forms, into each database.
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { cableHeadersByIds, cablesByRefs, paragraphsByCableIds } from '../../src/db/read-cables.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { databaseKinds, openTestDatabase, SHARED } from '../helpers/databases.ts';

const HTML = join(SHARED, 'corpus/cablegate-html-1295.tar.gz');
const CSV = join(SHARED, 'corpus/cablegate-1295.csv.gz');

// Ingesting the whole corpus takes tens of seconds, more when other suites share the two cores.
describe.each(databaseKinds)('the 1,295-cable corpus on %s', { timeout: 600_000 }, (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('ingests every cable of the HTML archive', async () => {
    const summary = await ingestPaths(handle.db, [HTML]);
    expect(summary.failed).toEqual([]);
    expect(summary.inserted).toBe(1295);
  });

  it('finds the CSV form of every cable identical to its HTML form, extracted by worker threads', async () => {
    // The HTML archive went through inline extraction; the same records from the pool hash the same.
    const summary = await ingestPaths(handle.db, [CSV], { threads: 2 });
    expect(summary.failed).toEqual([]);
    expect({ inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged }).toEqual({
      inserted: 0,
      updated: 0,
      unchanged: 1295,
    });
  });

  it('reads known values', async () => {
    const [cable] = await cablesByRefs(handle.db, ['06ISLAMABAD3705']);
    expect(cable).toMatchObject({
      date: '2006-03-07',
      classification: 'SECRET',
      origin: 'Embassy Islamabad',
      subject: 'POST REQUESTS TWO WEEK DELAY IN JUD DESIGNATION',
    });
    const [header] = await cableHeadersByIds(handle.db, [cable!.id]);
    expect(header).toMatchObject({
      tags: ['EFIN', 'PK', 'PREL', 'PTER', 'KTFN'],
      declassify_on: '2016-03-07',
      classified_by_name: 'Ryan C. Crocker',
    });
    const paragraphs = await paragraphsByCableIds(handle.db, [cable!.id]);
    expect(paragraphs.filter((p) => p.number > 0).map((p) => [p.number, p.marking])).toEqual([
      [1, 'S'],
      [2, 'S'],
    ]);
    const { count } = await handle.db
      .selectFrom('cable')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1295);
  });

  it('reports every cable unchanged on a second run', async () => {
    const summary = await ingestPaths(handle.db, [HTML]);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 1295, failed: [] });
  });
});
