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
 * A page of the paragraphs matching `text`, best first. Ties (equal rank) are broken by the
 * cable's reference id and the paragraph's position, which do not depend on ingest order. Only the
 * page's rows get a headline, since ts_headline re-parses the paragraph text.
 */
export async function searchParagraphs(db: Kysely<Database>, text: string, offset: number, limit: number): Promise<SearchHitRow[]> {
  const query = textQuery(text);
  const page = db
    .selectFrom('paragraph')
    .innerJoin('cable', 'cable.id', 'paragraph.cable_id')
    .select([...PARAGRAPH_COLUMNS, 'cable.ref', sql<number>`ts_rank_cd(paragraph.search, ${query}, ${RANK_NORMALIZATION})`.as('rank')])
    .where(sql<boolean>`paragraph.search @@ ${query}`)
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

export async function countSearchHits(db: Kysely<Database>, text: string): Promise<number> {
  const row = await db
    .selectFrom('paragraph')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where(sql<boolean>`paragraph.search @@ ${textQuery(text)}`)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
