// Search ranks at most a window of matches (the latest-written), and counts exactly only what it
// read: at the full release's size a common word matches a million paragraphs, too many to rank or
// count within a request.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { observeStatements, PLANNED_PER_CALL, type DatabaseHandle } from '../../src/db/connect.ts';
import { searchParagraphs, searchWindow } from '../../src/db/read-search.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { FIXTURE_CABLES, writeFixtureCsv, type FixtureCable } from '../helpers/finding-fixtures.ts';

type Key = { cable_id: number; position: number };

/** The latest-written cable, the only one to name the quillwort: in its subject and each of its twelve paragraphs. */
const LATE_CABLE: FixtureCable = {
  ref: '09OTTAWA990',
  date: '2009-06-02',
  origin: 'Embassy Ottawa',
  route: 'AMEMBASSY OTTAWA',
  station: 'OTTAWA',
  classification: 'UNCLASSIFIED',
  tags: ['SENV', 'CA'],
  subject: 'QUILLWORT SURVEY',
  paragraphs: Array.from({ length: 12 }, (_, i) => `Survey team ${i + 1} counted quillwort along the river bank.`),
};

describe.each(databaseKinds)('search windows and counts on %s', (kind) => {
  let handle: DatabaseHandle;
  let fixtures: string;
  /** The word most paragraphs have. */
  let common: string;
  /** A word only the earliest-written cables have, none of the latest. */
  let early: string | undefined;
  let lastCable: number;
  const matchesOf = async (word: string) =>
    (
      await sql<Key>`select cable_id, position from paragraph where search @@ websearch_to_tsquery('english', ${word})
                     order by cable_id desc, position desc`.execute(handle.db)
    ).rows;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    fixtures = writeFixtureCsv([...FIXTURE_CABLES, LATE_CABLE]);
    expect((await ingestPaths(handle.db, [fixtures])).failed).toEqual([]);
    lastCable = (await sql<{ id: number }>`select max(id) as id from cable`.execute(handle.db)).rows[0]!.id;
    const words = await sql<{ word: string }>`select word from ts_stat('select search from paragraph') order by ndoc desc, word`.execute(
      handle.db,
    );
    common = words.rows[0]!.word;
    for (const { word } of words.rows) {
      const matches = await matchesOf(word);
      if (matches.length >= 2 && matches[0]!.cable_id <= lastCable / 2) {
        early = word;
        break;
      }
    }
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(dirname(fixtures), { recursive: true, force: true });
  });

  const key = (row: Key) => `${row.cable_id}/${row.position}`;

  it("leaves no word of the ingested paragraphs in the full-text index's pending list", async () => {
    // Pages still pending would be merged now, and counted.
    const merged = await sql<{ pages: number }>`select gin_clean_pending_list('paragraph_search_idx'::regclass) as pages`.execute(
      handle.db,
    );
    expect(Number(merged.rows[0]!.pages)).toBe(0);
  });

  it('keeps cable ids beside words in the full-text index, so that a lower bound on them is a condition of its scan', async () => {
    // At full size the first reads of a window are planned on this index alone (docs/PERFORMANCE.md);
    // at this size the primary key serves the bound better, so the index itself is what is checked.
    const index = await sql<{ definition: string }>`select pg_get_indexdef('paragraph_search_idx'::regclass) as definition`.execute(
      handle.db,
    );
    expect(index.rows[0]!.definition).toMatch(/USING gin \(search, cable_id\)$/);
  });

  it.runIf(kind === 'postgres')('plans its statements on every call: PostgreSQL never gets them to prepare', async () => {
    await handle.db.connection().execute(async (connection) => {
      const run = (marked: boolean) => {
        const query = connection.selectNoFrom(sql<number>`${1}::int + 1`.as('two'));
        return (marked ? query.modifyEnd(PLANNED_PER_CALL) : query).execute();
      };
      for (let call = 0; call < 3; call++) await Promise.all([run(true), run(false)]);
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(connection);
      const texts = prepared.rows.map((row) => row.statement);
      expect(texts.some((text) => text.includes('::int + 1') && !text.endsWith(' /* planned per call */'))).toBe(true);
      expect(texts.filter((text) => text.includes('planned per call'))).toEqual([]);
    });
  });

  it('ranks every match when they fit the window, and only the latest-written ones when they do not', async () => {
    const matches = await matchesOf(common);
    expect(matches.length).toBeGreaterThan(6);
    const everything = await searchWindow(handle.db, common);
    const all = await searchParagraphs(handle.db, common, 0, 1000, everything);
    expect(new Set(all.map((hit) => key(hit.paragraph)))).toEqual(new Set(matches.map(key)));
    const found = await searchWindow(handle.db, common, { window: 5 });
    const windowed = await searchParagraphs(handle.db, common, 0, 1000, found, 5);
    expect(new Set(windowed.map((hit) => key(hit.paragraph)))).toEqual(new Set(matches.slice(0, 5).map(key)));
    // Best first within the window, as the same paragraphs rank among all matches.
    const ranks = windowed.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    for (const hit of windowed) expect(hit.rank).toBe(all.find((other) => key(other.paragraph) === key(hit.paragraph))!.rank);
    // Page after page, three hits at a time, the same hits in the same order as in one page, ties
    // (hits of equal rank) included.
    const paged = [];
    for (let offset = 0; offset < all.length; offset += 3)
      paged.push(...(await searchParagraphs(handle.db, common, offset, 3, everything)));
    expect(paged).toEqual(all);
    expect(new Set(all.map((hit) => hit.rank)).size).toBeLessThan(all.length);
    // Pages end with the window.
    expect(await searchParagraphs(handle.db, common, 5, 10, found, 5)).toEqual([]);
    // The walk back along the key (a word PostgreSQL expects to be common) finds the same window.
    const walk = await searchWindow(handle.db, common, { window: 5, denseEstimate: -1 });
    expect(walk.kind).toBe('walk');
    expect(await searchParagraphs(handle.db, common, 0, 1000, walk, 5)).toEqual(windowed);
  });

  it('counts exactly when it read every match, and estimates from the latest cables when it stopped before', async () => {
    const matches = await matchesOf(common);
    expect(await searchWindow(handle.db, common)).toEqual({ kind: 'keys', keys: matches, count: matches.length, exact: true });
    // The latest cables hold the window of five: the count is what they hold scaled to all cables.
    const estimated = await searchWindow(handle.db, common, { window: 5 });
    expect(estimated).toMatchObject({ kind: 'keys', keys: matches.slice(0, 5), exact: false });
    expect(Number.isInteger(estimated.count) && estimated.count >= 5).toBe(true);
    // Above the estimate for a common word, PostgreSQL's own estimate.
    const walk = await searchWindow(handle.db, common, { denseEstimate: -1 });
    expect(walk.exact).toBe(false);
    expect(Number.isInteger(walk.count) && walk.count > 0).toBe(true);
  });

  it('reads further back while the latest cables hold no match, down to the first cable', async () => {
    expect(early).toBeDefined();
    const matches = await matchesOf(early!);
    expect(await searchWindow(handle.db, early!, { window: matches.length })).toEqual({
      kind: 'keys',
      keys: matches,
      count: matches.length,
      exact: true,
    });
    // A window one match larger than all there are: back from the latest cables over all those
    // without any, in slices that grow rather than creep a cable or two at a time.
    let statements = 0;
    const counted = observeStatements(handle.db, () => statements++);
    const latest = await matchesOf('quillwort');
    expect(latest.length).toBeGreaterThanOrEqual(12);
    expect(new Set(latest.map((match) => match.cable_id))).toEqual(new Set([lastCable]));
    expect(await searchWindow(counted, 'quillwort', { window: latest.length + 1 })).toMatchObject({ keys: latest, exact: true });
    expect(statements).toBeLessThanOrEqual(2 + 7);
    expect(await searchWindow(handle.db, 'zyzzyva')).toEqual({ kind: 'keys', keys: [], count: 0, exact: true });
    expect(await searchParagraphs(handle.db, 'zyzzyva', 0, 10, await searchWindow(handle.db, 'zyzzyva'))).toEqual([]);
  });
});
