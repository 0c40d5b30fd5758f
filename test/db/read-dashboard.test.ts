// The timeline over all cables (or a span of days) reads the per-day counts (cable_day, 0012),
// not the cables: at the full release's size grouping 251,287 cables took seconds. The counts
// must follow every write: new cables, and cables written again with another date or none.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { timelineQuery, topEntities } from '../../src/db/read-dashboard.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { FIXTURE_CABLES, writeFixtureCsv } from '../helpers/finding-fixtures.ts';

describe.each(databaseKinds)('per-day cable counts on %s', (kind) => {
  let handle: DatabaseHandle;
  const files: string[] = [];
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
    for (const file of files) rmSync(dirname(file), { recursive: true, force: true });
  });

  const ingest = async (cables = FIXTURE_CABLES) => {
    const file = writeFixtureCsv(cables);
    files.push(file);
    const summary = await ingestPaths(handle.db, [file]);
    expect(summary.failed).toEqual([]);
    return summary;
  };
  /** The stored counts and the counts of the cables themselves, day by day. */
  const counts = async () => {
    const stored = await sql<{
      day: string;
      n: number;
    }>`select day::text, cables as n from cable_day where cables <> 0 order by day`.execute(handle.db);
    const counted = await sql<{ day: string; n: number }>`
      select date::text as day, count(*)::int as n from cable where date is not null group by date order by date`.execute(handle.db);
    return { stored: stored.rows, counted: counted.rows };
  };

  it('keeps them as cables are written, rewritten with another date, or left alone', async () => {
    await ingest();
    let { stored, counted } = await counts();
    expect(counted.length).toBeGreaterThan(10);
    expect(stored).toEqual(counted);

    // Two cables move: one to a day no other cable has, one to no date at all; the rest are
    // written again unchanged.
    const dated = FIXTURE_CABLES.filter((cable) => cable.date);
    const moved = FIXTURE_CABLES.map((cable) =>
      cable === dated[0] ? { ...cable, date: '1999-12-31' } : cable === dated[1] ? { ...cable, date: null } : cable,
    );
    const summary = await ingest(moved);
    expect(summary.updated).toBe(2);
    ({ stored, counted } = await counts());
    expect(stored).toEqual(counted);
    expect(stored.find((row) => row.day === '1999-12-31')?.n).toBe(1);
  });

  it('reads them, not the cables, for the timeline over all cables or a span of days', async () => {
    const plan = async (filter: Parameters<typeof timelineQuery>[1]) => {
      const rows = await timelineQuery(handle.db, filter, 'month').explain();
      return rows.map((row) => String(Object.values(row)[0])).join('\n');
    };
    for (const filter of [{}, { dateFrom: '2005-01-01', dateTo: '2007-12-31' }]) {
      const text = await plan(filter);
      expect(text).toMatch(/cable_day/);
      expect(text).not.toMatch(/ on cable\b(?!_)/);
    }
    // Any other condition is about the cables themselves.
    expect(await plan({ origin: 'Embassy Paris' })).toMatch(/ on cable\b(?!_)/);
  });

  it('gives the most-named persons and organizations from stored counts as from counting their records', async () => {
    if ((await sql<{ n: number }>`select count(*)::int as n from cable`.execute(handle.db)).rows[0]!.n === 0) await ingest();
    for (const kind of ['person', 'organization'] as const) {
      const counted = await topEntities(handle.db, kind, {}, 100);
      const stored = await topEntities(handle.db, kind, {}, 100, { storedCounts: true });
      expect(counted.length).toBeGreaterThan(3);
      expect(stored).toEqual(counted);
    }
  });
});
