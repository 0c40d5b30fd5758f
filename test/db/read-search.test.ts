// Search ranks at most a window of matches (the latest-written), and counts exactly only what
// PostgreSQL expects to be few: at the full release's size a common word matches a million
// paragraphs, too many to rank or count within a request.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { countSearchHits, searchParagraphs } from '../../src/db/read-search.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { writeFixtureCsv } from '../helpers/finding-fixtures.ts';

describe.each(databaseKinds)('search windows and counts on %s', (kind) => {
  let handle: DatabaseHandle;
  let fixtures: string;
  /** The word most paragraphs have, and the paragraphs that match it, latest-written first. */
  let word: string;
  let matches: { cable_id: number; position: number }[];
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    fixtures = writeFixtureCsv();
    expect((await ingestPaths(handle.db, [fixtures])).failed).toEqual([]);
    const common = await sql<{
      word: string;
    }>`select word from ts_stat('select search from paragraph') order by ndoc desc, word limit 1`.execute(handle.db);
    word = common.rows[0]!.word;
    const rows = await sql<{ cable_id: number; position: number }>`
      select cable_id, position from paragraph where search @@ websearch_to_tsquery('english', ${word})
      order by cable_id desc, position desc`.execute(handle.db);
    matches = rows.rows;
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(dirname(fixtures), { recursive: true, force: true });
  });

  const key = (row: { cable_id: number; position: number }) => `${row.cable_id}/${row.position}`;

  it('ranks every match when they fit the window, and only the latest-written ones when they do not', async () => {
    expect(matches.length).toBeGreaterThan(6);
    const all = await searchParagraphs(handle.db, word, 0, 1000);
    expect(new Set(all.map((hit) => key(hit.paragraph)))).toEqual(new Set(matches.map(key)));
    const windowed = await searchParagraphs(handle.db, word, 0, 1000, 5);
    expect(new Set(windowed.map((hit) => key(hit.paragraph)))).toEqual(new Set(matches.slice(0, 5).map(key)));
    // Best first within the window, as the same paragraphs rank among all matches.
    const ranks = windowed.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    for (const hit of windowed) expect(hit.rank).toBe(all.find((other) => key(other.paragraph) === key(hit.paragraph))!.rank);
    // Pages end with the window.
    expect(await searchParagraphs(handle.db, word, 5, 10, 5)).toEqual([]);
  });

  it('counts exactly what it expects to be few, and gives its estimate otherwise', async () => {
    expect(await countSearchHits(handle.db, word)).toEqual({ count: matches.length, exact: true });
    const estimated = await countSearchHits(handle.db, word, 0);
    expect(estimated.exact).toBe(false);
    expect(Number.isInteger(estimated.count) && estimated.count > 0).toBe(true);
    // One match more than the limit: an estimate above it, or a count stopped just past it.
    const limit = matches.length - 1;
    const over = await countSearchHits(handle.db, word, limit);
    expect(over.exact).toBe(false);
    expect(over.count).toBeGreaterThan(limit);
    expect(await countSearchHits(handle.db, word, matches.length)).toEqual({ count: matches.length, exact: true });
  });
});
