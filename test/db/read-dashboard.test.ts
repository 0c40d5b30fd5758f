// The timeline over all cables must stay an index-only scan of cable (date): at the full release's
// size the cable heap is hundreds of megabytes, the index a few.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { timelineQuery } from '../../src/db/read-dashboard.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';

describe.each(databaseKinds)('timeline plan on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('can read all cables from the date index alone', async () => {
    // An empty table makes any plan cheap; with sequential scans priced out, the planner shows
    // whether an index can serve the query without visiting the table.
    const plan = await handle.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      const rows = await timelineQuery(trx, {}, 'month').explain();
      return rows.map((row) => String(Object.values(row)[0])).join('\n');
    });
    expect(plan).toMatch(/Index Only Scan using cable_day_idx on cable/);
  });
});
