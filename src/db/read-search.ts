// Full-text search over paragraphs: PostgreSQL's own parser, English stemming and stop words, the
// stored `paragraph.search` tsvector and its GIN index (see text-query.ts for how text gets in).
import { sql, type Kysely } from 'kysely';

import { PLANNED_PER_CALL } from './connect.ts';
import { PARAGRAPH_COLUMNS, type ParagraphRow } from './read-cables.ts';
import type { Database } from './schema.ts';
import { RANK_NORMALIZATION, textQuery } from './text-query.ts';

/** Marks around the matched words of a snippet: guillemets, which cable text does not use. */
export const SNIPPET_MARKS = { start: '«', stop: '»' } as const;

const HEADLINE_OPTIONS = `StartSel=${SNIPPET_MARKS.start}, StopSel=${SNIPPET_MARKS.stop}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/** Whether a query keeps any word to search for once stop words and punctuation are dropped. */
export async function isSearchable(db: Kysely<Database>, text: string): Promise<boolean> {
  const result = await sql<{ nodes: number }>`select numnode(${textQuery(text)}) as nodes`.execute(db);
  return Number(result.rows[0]?.nodes ?? 0) > 0;
}

export interface SearchHitRow {
  /** The paragraph, with its cable's reference id. */
  paragraph: ParagraphRow & { ref: string };
  rank: number;
  snippet: string;
}

/**
 * Paragraphs ranked for one query at most. A query matching more (a common word is in a third of
 * the full release's paragraphs) ranks the latest-written SEARCH_WINDOW matches, while ranking
 * every match read and scored them all (seconds for one query at full size). A query with fewer
 * matches ranks them all.
 */
export const SEARCH_WINDOW = 1_000;

/**
 * Above this many expected matches (PostgreSQL's estimate from the column's statistics), the
 * window is found by walking back along the paragraph key: at such a density the latest few
 * thousand paragraphs hold it. At or below it, the window is read a slice of the latest cables at
 * a time (see searchWindow).
 */
export const DENSE_ESTIMATE = 100_000;

/** The first slice of cable ids read for a window: this share of them, the latest. */
export const FIRST_SLICE = 1 / 32;

/** Which matches a page is ranked among, and how many paragraphs match in all. */
export type SearchWindow =
  /** The latest-written matches, found by the page's own walk back along the key. */
  | { kind: 'walk'; count: number; exact: false }
  /** These matches, latest-written first. */
  | { kind: 'keys'; keys: { cable_id: number; position: number }[]; count: number; exact: boolean };

/**
 * The window of the matches of `text`, and how many paragraphs match. PostgreSQL's estimate decides
 * how the window is found, but for several words it takes them to occur independently, and they
 * rarely do: on the synthetic full release "human rights" is expected in 1,387 paragraphs and is in
 * 54,831, "prime minister said" in 11,853 against 52,751. Sorting every match of such a query by key
 * (or counting them) reads tens of thousands of paragraphs from the heap. So at or below
 * DENSE_ESTIMATE the window is read a slice of cable ids at a time, latest first: first
 * FIRST_SLICE of the ids, then a slice sized from the density seen so far to hold twice what is
 * missing but no smaller than all the ids read so far (four times them while nothing matched), or
 * all the ids left once that would cover half of them. Up to INDEXED_RANGE of the latest ids, GIN
 * finds the matches within the range itself (the index holds cable ids, migration 0017); further
 * back, PostgreSQL intersects the words' matches with the primary key's range. So a query runs at
 * most seven reads. The count is exact when the reads reached the first cable; otherwise it is the
 * matches read scaled to all the cable ids, an estimate that takes matches to spread evenly over
 * the cables. Above DENSE_ESTIMATE the count is PostgreSQL's estimate.
 */
export async function searchWindow(
  db: Kysely<Database>,
  text: string,
  { window = SEARCH_WINDOW, denseEstimate = DENSE_ESTIMATE }: { window?: number; denseEstimate?: number } = {},
): Promise<SearchWindow> {
  const plan = await db
    .selectFrom('paragraph')
    .where(sql<boolean>`paragraph.search @@ ${textQuery(text)}`)
    .select(sql<number>`1`.as('one'))
    .explain('json');
  const estimate = Math.round(
    Number((plan[0] as { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] })['QUERY PLAN'][0]!.Plan['Plan Rows']),
  );
  if (estimate > denseEstimate) return { kind: 'walk', count: estimate, exact: false };
  return windowInSlices(db, text, window);
}

/** The widest range of the latest cable ids read through the full-text index's cable-id key: this share of them. */
export const INDEXED_RANGE = 1 / 8;

/** Above any paragraph position (a smallint): `(cable_id, position) > (id, MAX_POSITION)` is `cable_id > id`. */
const MAX_POSITION = 32_767;

async function windowInSlices(db: Kysely<Database>, text: string, window: number): Promise<SearchWindow> {
  const query = textQuery(text);
  const last = await db
    .selectFrom('paragraph')
    .select((eb) => eb.fn.max('paragraph.cable_id').as('id'))
    .executeTakeFirst();
  const lastId = Number(last?.id ?? 0);
  const matching = () =>
    db
      .selectFrom('paragraph')
      .select(['paragraph.cable_id', 'paragraph.position', sql<string>`count(*) over ()`.as('matches')])
      .where(sql<boolean>`paragraph.search @@ ${query}`);
  /** The latest `limit` matches a read finds, latest first. */
  const latest = (read: ReturnType<typeof matching>, limit: number) =>
    read.orderBy('paragraph.cable_id', 'desc').orderBy('paragraph.position', 'desc').limit(limit).modifyEnd(PLANNED_PER_CALL).execute();
  let keys: { cable_id: number; position: number }[] = [];
  let matched = 0;
  let upper = lastId;
  let slice = Math.ceil(lastId * FIRST_SLICE);
  /** The next slice: sized from the density seen so far to hold twice what is missing. */
  const nextSlice = () => {
    const idsRead = lastId - upper;
    const missing = window - keys.length;
    // At least as many ids as were read so far: a slice sized for the one match missing would
    // otherwise creep back over a stretch of cables without any, a few ids at a time.
    slice = matched === 0 ? 4 * idsRead : Math.max(idsRead, Math.ceil((2 * missing * idsRead) / matched));
    if (2 * slice >= upper) slice = upper;
  };
  // The latest cables, through the index's cable-id key (migration 0017): GIN steps through the
  // range's paragraphs and looks the words up there only, instead of decoding their whole posting
  // lists. Every read starts from the latest cable, since a lower bound alone is one key of the
  // index; an upper bound would be a second, matching every cable below it. Stepping through a
  // range costs in proportion to its paragraphs, so only the latest INDEXED_RANGE of the ids are
  // read so.
  while (upper > 0 && keys.length < window && (upper === lastId || lastId - (upper - slice) <= lastId * INDEXED_RANGE)) {
    const lower = Math.max(0, upper - slice);
    let read = matching();
    if (lower > 0) read = read.where('paragraph.cable_id', '>', lower);
    const rows = await latest(read, window);
    matched = Number(rows[0]?.matches ?? 0);
    keys = rows.map(({ cable_id, position }) => ({ cable_id, position }));
    upper = lower;
    nextSlice();
  }
  // Further back, a slice of ids at a time below what was read, where PostgreSQL intersects the
  // words' matches with the primary key's range or filters them on it. The bounds compare rows
  // so that the full-text index's cable-id key cannot take them.
  while (upper > 0 && keys.length < window) {
    const lower = Math.max(0, upper - slice);
    const rows = await latest(
      matching()
        .where(sql<boolean>`(paragraph.cable_id, paragraph.position) > (${lower}, ${MAX_POSITION})`)
        .where(sql<boolean>`(paragraph.cable_id, paragraph.position) <= (${upper}, ${MAX_POSITION})`),
      window - keys.length,
    );
    matched += Number(rows[0]?.matches ?? 0);
    for (const { cable_id, position } of rows) keys.push({ cable_id, position });
    upper = lower;
    nextSlice();
  }
  const exact = upper === 0;
  return { kind: 'keys', keys, count: exact ? matched : Math.round((matched * lastId) / (lastId - upper)), exact };
}

/**
 * A page of the paragraphs matching `text`, best first among the window's matches (searchWindow).
 * Ties (equal rank) are broken by the cable's reference id and the paragraph's position, which do
 * not depend on ingest order. Only the page's rows get a headline, since ts_headline re-parses the
 * paragraph text.
 */
export async function searchParagraphs(
  db: Kysely<Database>,
  text: string,
  offset: number,
  limit: number,
  found: SearchWindow,
  window = SEARCH_WINDOW,
): Promise<SearchHitRow[]> {
  if (found.kind === 'keys' && found.keys.length === 0) return [];
  const query = textQuery(text);
  // The walk is the planner's: it expects a common word, whose latest matches a walk back along
  // the key finds after a few thousand paragraphs.
  const candidates =
    found.kind === 'walk'
      ? db
          .selectFrom('paragraph')
          .select(['paragraph.cable_id', 'paragraph.position'])
          .where(sql<boolean>`paragraph.search @@ ${query}`)
          .orderBy('paragraph.cable_id', 'desc')
          .orderBy('paragraph.position', 'desc')
          .limit(window)
          .as('candidates')
      : db
          .selectNoFrom([
            sql<number>`unnest(${found.keys.map((key) => key.cable_id)}::int[])`.as('cable_id'),
            sql<number>`unnest(${found.keys.map((key) => key.position)}::smallint[])`.as('position'),
          ])
          .as('candidates');
  // The rank is worked out for the window only.
  const page = db
    .selectFrom(candidates)
    .innerJoin('paragraph', (join) =>
      join.onRef('paragraph.cable_id', '=', 'candidates.cable_id').onRef('paragraph.position', '=', 'candidates.position'),
    )
    .innerJoin('cable', 'cable.id', 'paragraph.cable_id')
    .select([...PARAGRAPH_COLUMNS, 'cable.ref', sql<number>`ts_rank_cd(paragraph.search, ${query}, ${RANK_NORMALIZATION})`.as('rank')])
    .orderBy('rank', 'desc')
    .orderBy('cable.ref')
    .orderBy('paragraph.position')
    .offset(offset)
    .limit(limit)
    .as('page');
  const rows = await db
    .selectFrom(page)
    .selectAll('page')
    // Line breaks of the cable's fixed-width layout mean nothing inside an extract.
    .select(
      sql<string>`regexp_replace(ts_headline('english', page.text, ${query}, ${HEADLINE_OPTIONS}), '[[:space:]]+', ' ', 'g')`.as('snippet'),
    )
    .orderBy('page.rank', 'desc')
    .orderBy('page.ref')
    .orderBy('page.position')
    .modifyEnd(PLANNED_PER_CALL)
    .execute();
  return rows.map(({ rank, snippet, ...paragraph }) => ({ paragraph, rank: Number(rank), snippet }));
}
