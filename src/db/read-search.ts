// Full-text search over paragraphs: PostgreSQL's own parser, English stemming and stop words, the
// stored `paragraph.search` tsvector and its GIN index (see text-query.ts for how text gets in).
import { sql, type Kysely } from 'kysely';

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
 * the full release's 3.6 million paragraphs) ranks the latest-written SEARCH_WINDOW matches: taking
 * them is a walk back along the paragraph key until that many match, while ranking every match
 * read and scored them all (seconds for one query at full size). A query with fewer matches ranks
 * them all.
 */
export const SEARCH_WINDOW = 1_000;

/**
 * A page of the paragraphs matching `text`, best first among the SEARCH_WINDOW latest-written
 * matches. Ties (equal rank) are broken by the cable's reference id and the paragraph's position,
 * which do not depend on ingest order. Only the page's rows get a headline, since ts_headline
 * re-parses the paragraph text.
 */
export async function searchParagraphs(
  db: Kysely<Database>,
  text: string,
  offset: number,
  limit: number,
  window = SEARCH_WINDOW,
): Promise<SearchHitRow[]> {
  const query = textQuery(text);
  // The planner picks the walk along the key (common words) or the GIN index and a sort of what it
  // finds (rarer ones) from the words' frequencies in the column's statistics. The rank is worked
  // out for the window only (below), not for every match the GIN path reads.
  const candidates = db
    .selectFrom('paragraph')
    .select(['paragraph.cable_id', 'paragraph.position'])
    .where(sql<boolean>`paragraph.search @@ ${query}`)
    .orderBy('paragraph.cable_id', 'desc')
    .orderBy('paragraph.position', 'desc')
    .limit(window)
    .as('candidates');
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
    .execute();
  return rows.map(({ rank, snippet, ...paragraph }) => ({ paragraph, rank: Number(rank), snippet }));
}

/**
 * Matches are counted exactly when there are at most this many; above, the count is PostgreSQL's
 * estimate from the column's statistics (counting a common word's million matches takes longer
 * than any request may).
 */
export const EXACT_COUNT_LIMIT = 20_000;

/**
 * How many paragraphs match `text`: exactly when at most `exactLimit` do, else an estimate. The
 * planner's estimate decides when it is above the limit; when it is not, the count stops at
 * `exactLimit + 1`, since the estimate can be far too low (it takes words to occur independently,
 * and "prime minister" does not): the answer is then that lower bound, not exact.
 */
export async function countSearchHits(
  db: Kysely<Database>,
  text: string,
  exactLimit = EXACT_COUNT_LIMIT,
): Promise<{ count: number; exact: boolean }> {
  const matching = db.selectFrom('paragraph').where(sql<boolean>`paragraph.search @@ ${textQuery(text)}`);
  const plan = await matching.select(sql<number>`1`.as('one')).explain('json');
  const estimate = Math.round(
    Number((plan[0] as { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] })['QUERY PLAN'][0]!.Plan['Plan Rows']),
  );
  if (estimate > exactLimit) return { count: estimate, exact: false };
  const row = await db
    .selectFrom(
      matching
        .select(sql<number>`1`.as('one'))
        .limit(exactLimit + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  const count = Number(row.count);
  return { count, exact: count <= exactLimit };
}
