// Read queries over cables: batched by key for the API's loaders, keyset-paginated lists.
import { sql, type Kysely, type SelectQueryBuilder, type Selectable } from 'kysely';

import { precompiled } from './precompiled.ts';
import type { CableReferenceTable, CableTable, Database, ParagraphTable } from './schema.ts';
import { RANK_NORMALIZATION, textQuery } from './text-query.ts';
import { MENTION_KIND } from './write-graph.ts';

/**
 * The cable columns every read of a cable returns: what its references, lists and header fields
 * need. The long texts (`CABLE_TEXT_COLUMNS`) are read separately, and only when a query asks for
 * them: a traversal that walks through dozens of cables to print their refs would otherwise ship
 * every body (about 10 KB each) from the database and parse it.
 */
/**
 * What a cable row carries wherever a cable is listed: enough to show it in a list and to decide
 * what the reader sees of it. The header's fields and the long texts are read on demand, for the
 * cables a query asks them of (parsing every list's arrays cost a tenth of a traversal's time).
 */
export const CABLE_COLUMNS = [
  'cable.id',
  'cable.ref',
  'cable.date',
  'cable.classification',
  'cable.caveats',
  'cable.origin',
  'cable.subject',
  // What it takes to see the whole cable: whether the reader sees it only in part.
  'cable.access_rank',
  'cable.noforn',
] as const;

/** The header's fields of a cable, read by `cableHeadersByIds`. */
export const CABLE_HEADER_COLUMNS = [
  'cable.id',
  'cable.tags',
  'cable.declassify_on',
  'cable.classified_by_name',
  'cable.classified_by_title',
  'cable.signers',
  'cable.recipients',
  'cable.info_recipients',
  'cable.source',
] as const;

/** The long texts of a cable, read by `cableTextsByIds`. */
export const CABLE_TEXT_COLUMNS = ['cable.id', 'cable.summary', 'cable.header', 'cable.body'] as const;

type Unqualified<C extends string> = C extends `cable.${infer Column}` ? Column : never;

export type CableRow = Pick<Selectable<CableTable>, Unqualified<(typeof CABLE_COLUMNS)[number]>>;
export type CableHeaderRow = Pick<Selectable<CableTable>, Unqualified<(typeof CABLE_HEADER_COLUMNS)[number]>>;
export type CableTextRow = Pick<Selectable<CableTable>, Unqualified<(typeof CABLE_TEXT_COLUMNS)[number]>>;
/** A paragraph as readers see it (what it takes to see it is the database's business). */
export type ParagraphRow = Omit<ParagraphTable, 'access_rank' | 'noforn'>;
export type ReferenceRow = CableReferenceTable;

/** The paragraph columns the API reads (not the stored tsvector). */
export const PARAGRAPH_COLUMNS = [
  'paragraph.cable_id',
  'paragraph.position',
  'paragraph.number',
  'paragraph.marking',
  'paragraph.text',
  'paragraph.span_start',
  'paragraph.span_end',
] as const;

export interface CableFilter {
  dateFrom?: string | null;
  dateTo?: string | null;
  origin?: string | null;
  classification?: string | null;
  /** TAGS codes the cable must all carry. */
  topics?: readonly string[] | null;
  /** A resolved person (person.id) the cable names. */
  personId?: number | null;
  /** A resolved organization (organization.id) the cable names. */
  organizationId?: number | null;
  /**
   * ISO code or English name of a country the cable is about: one of its TAGS is that country's
   * geographic code, or its text names the country (name or adjective: "Canada", "Canadian").
   */
  country?: string | null;
  /** Full-text query (web-search syntax) over paragraph text. */
  text?: string | null;
}

/** The orders lists of cables come in; RELEVANCE needs a `text` condition. */
export type CableOrder = 'DATE_ASC' | 'DATE_DESC' | 'RELEVANCE';

/** Position of a cable in the (date, id) order that lists use. */
export interface CableCursor {
  date: string;
  id: number;
}

/**
 * `= any($1)` with the batch as one array parameter, rather than `in ($1, $2 …)`: the statement
 * text is then the same whatever the batch size, so PostgreSQL plans it once per connection
 * (see `preparing` in connect.ts).
 */
export function anyInt(values: readonly number[]) {
  return sql<number>`any(${values}::int[])`;
}

export function anyText(values: readonly string[]) {
  return sql<string>`any(${values}::text[])`;
}

const UNDATED = '0001-01-01';
const sortDate = sql<string>`coalesce(cable.date, ${UNDATED}::date)`;

const selectCablesByRefs = precompiled((db, refs: readonly string[]) =>
  db.selectFrom('cable').select(CABLE_COLUMNS).where('cable.ref', '=', anyText(refs)),
);

export async function cablesByRefs(db: Kysely<Database>, refs: readonly string[]): Promise<CableRow[]> {
  if (refs.length === 0) return [];
  return selectCablesByRefs(db, refs);
}

const selectCablesByIds = precompiled((db, ids: readonly number[]) =>
  db.selectFrom('cable').select(CABLE_COLUMNS).where('cable.id', '=', anyInt(ids)),
);

export async function cablesByIds(db: Kysely<Database>, ids: readonly number[]): Promise<CableRow[]> {
  if (ids.length === 0) return [];
  return selectCablesByIds(db, ids);
}

const selectCableHeaders = precompiled((db, ids: readonly number[]) =>
  db.selectFrom('cable').select(CABLE_HEADER_COLUMNS).where('cable.id', '=', anyInt(ids)),
);

export async function cableHeadersByIds(db: Kysely<Database>, ids: readonly number[]): Promise<CableHeaderRow[]> {
  if (ids.length === 0) return [];
  return selectCableHeaders(db, ids);
}

const selectCableTexts = precompiled((db, ids: readonly number[]) =>
  db.selectFrom('cable').select(CABLE_TEXT_COLUMNS).where('cable.id', '=', anyInt(ids)),
);

export async function cableTextsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<CableTextRow[]> {
  if (ids.length === 0) return [];
  return selectCableTexts(db, ids);
}

const selectParagraphsByCables = precompiled((db, ids: readonly number[]) =>
  db.selectFrom('paragraph').select(PARAGRAPH_COLUMNS).where('cable_id', '=', anyInt(ids)).orderBy('cable_id').orderBy('position'),
);

export async function paragraphsByCableIds(db: Kysely<Database>, ids: readonly number[]): Promise<ParagraphRow[]> {
  if (ids.length === 0) return [];
  return selectParagraphsByCables(db, ids);
}

export async function referencesByCableIds(db: Kysely<Database>, ids: readonly number[]): Promise<ReferenceRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('cable_reference')
    .selectAll()
    .where('cable_id', 'in', [...ids])
    .orderBy('cable_id')
    .orderBy('position')
    .execute();
}

/** Cables whose REF lines point at each of `refs`, as (to_ref, cable) pairs in (date, id) order. */
export async function referencingCables(db: Kysely<Database>, refs: readonly string[]): Promise<(CableRow & { to_ref: string })[]> {
  if (refs.length === 0) return [];
  // A cable may cite the same target under two bullets: it is listed once.
  const citing = db
    .selectFrom('cable_reference')
    .select(['cable_id', 'to_ref'])
    .distinct()
    .where('to_ref', 'in', [...refs])
    .as('citing');
  return db
    .selectFrom(citing)
    .innerJoin('cable', 'cable.id', 'citing.cable_id')
    .select(CABLE_COLUMNS)
    .select('citing.to_ref')
    .orderBy(sortDate)
    .orderBy('cable.id')
    .execute() as Promise<(CableRow & { to_ref: string })[]>;
}

/** Restricts a query over `cable` to the cables a filter admits. */
export function whereCable<O>(
  query: SelectQueryBuilder<Database, 'cable', O>,
  filter: CableFilter,
): SelectQueryBuilder<Database, 'cable', O> {
  let q = query;
  if (filter.dateFrom) q = q.where('cable.date', '>=', filter.dateFrom);
  if (filter.dateTo) q = q.where('cable.date', '<=', filter.dateTo);
  if (filter.origin) q = q.where(sql`lower(cable.origin)`, '=', filter.origin.toLowerCase());
  if (filter.classification) q = q.where(sql`upper(cable.classification)`, '=', filter.classification.toUpperCase());
  const topics = [...new Set((filter.topics ?? []).map((code) => code.trim().toUpperCase()))];
  if (topics.length > 0) q = q.where(sql<boolean>`cable.tags @> ${topics}::text[]`);
  if (filter.personId != null) {
    const personId = filter.personId;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('cable_person')
          .select(sql`1`.as('one'))
          .whereRef('cable_person.cable_id', '=', 'cable.id')
          .where('cable_person.person_id', '=', personId),
      ),
    );
  }
  if (filter.organizationId != null) {
    const organizationId = filter.organizationId;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('cable_organization')
          .select(sql`1`.as('one'))
          .whereRef('cable_organization.cable_id', '=', 'cable.id')
          .where('cable_organization.organization_id', '=', organizationId),
      ),
    );
  }
  if (filter.country?.trim()) {
    const country = filter.country.trim();
    const countryIds = sql`(select id from country where code = ${country.toUpperCase()} or lower(name) = ${country.toLowerCase()})`;
    // About a country: tagged with its geographic TAGS code, or naming it in the text.
    q = q.where(
      sql<boolean>`(exists (select 1 from cable_topic join topic on topic.id = cable_topic.topic_id
                            where cable_topic.cable_id = cable.id and topic.country_id in ${countryIds})
                    or exists (select 1 from mention
                               where mention.cable_id = cable.id and mention.kind = ${MENTION_KIND.country}
                                 and mention.entity_id in ${countryIds}))`,
    );
  }
  if (filter.text) {
    const query = textQuery(filter.text);
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('paragraph')
          .select(sql`1`.as('one'))
          .whereRef('paragraph.cable_id', '=', 'cable.id')
          .where(sql<boolean>`paragraph.search @@ ${query}`),
      ),
    );
  }
  return q;
}

export interface CablePage {
  after?: CableCursor | undefined;
  before?: CableCursor | undefined;
  limit: number;
  /** Fetch from the end backwards (for `last`); rows come in reverse order. */
  inverted: boolean;
}

/** A page of cables in (date, id) order, ascending or descending; undated cables count as oldest. */
export async function listCables(
  db: Kysely<Database>,
  filter: CableFilter,
  page: CablePage,
  order: Exclude<CableOrder, 'RELEVANCE'> = 'DATE_ASC',
): Promise<CableRow[]> {
  let q = whereCable(db.selectFrom('cable').select(CABLE_COLUMNS), filter);
  const descending = order === 'DATE_DESC';
  const [following, preceding] = descending ? (['<', '>'] as const) : (['>', '<'] as const);
  if (page.after) q = q.where(sql<boolean>`(${sortDate}, cable.id) ${sql.raw(following)} (${page.after.date}::date, ${page.after.id})`);
  if (page.before) q = q.where(sql<boolean>`(${sortDate}, cable.id) ${sql.raw(preceding)} (${page.before.date}::date, ${page.before.id})`);
  const direction = descending !== page.inverted ? 'desc' : 'asc';
  return q.orderBy(sortDate, direction).orderBy('cable.id', direction).limit(page.limit).execute();
}

/**
 * A page of the cables matching `filter` (which must have `text`), best match first: a cable's
 * rank is the sum of the cover-density ranks of its matching paragraphs, so that a cable that
 * returns to the words in several paragraphs outranks one that uses them in passing. Ties go in
 * date order.
 */
export async function listCablesByRelevance(
  db: Kysely<Database>,
  filter: CableFilter & { text: string },
  offset: number,
  limit: number,
): Promise<(CableRow & { rank: number })[]> {
  const query = textQuery(filter.text);
  const ranked = db
    .selectFrom('paragraph')
    .select(['paragraph.cable_id', sql<number>`sum(ts_rank_cd(paragraph.search, ${query}, ${RANK_NORMALIZATION}))`.as('rank')])
    .where(sql<boolean>`paragraph.search @@ ${query}`)
    .groupBy('paragraph.cable_id')
    .as('ranked');
  const rows = await whereCable(db.selectFrom('cable').select(CABLE_COLUMNS), { ...filter, text: null })
    .innerJoin(ranked, 'ranked.cable_id', 'cable.id')
    .select('ranked.rank')
    .orderBy('ranked.rank', 'desc')
    .orderBy(sortDate)
    .orderBy('cable.id')
    .offset(offset)
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, rank: Number(row.rank) }));
}

export async function countCables(db: Kysely<Database>, filter: CableFilter): Promise<number> {
  const row = await whereCable(
    db.selectFrom('cable').select((eb) => eb.fn.countAll<string>().as('count')),
    filter,
  ).executeTakeFirstOrThrow();
  return Number(row.count);
}

export function cableCursor(row: Pick<CableRow, 'date' | 'id'>): CableCursor {
  return { date: row.date ?? UNDATED, id: row.id };
}
