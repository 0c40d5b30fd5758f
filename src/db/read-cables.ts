// Read queries over cables: batched by key for the API's loaders, keyset-paginated lists.
import { sql, type Kysely, type SelectQueryBuilder, type Selectable } from 'kysely';

import type { CableReferenceTable, CableTable, Database, ParagraphTable } from './schema.ts';

export type CableRow = Selectable<CableTable>;
export type ParagraphRow = ParagraphTable;
export type ReferenceRow = CableReferenceTable;

export interface CableFilter {
  dateFrom?: string | null;
  dateTo?: string | null;
  origin?: string | null;
  classification?: string | null;
  tag?: string | null;
  /** Full-text query (web-search syntax) over paragraph text. */
  text?: string | null;
}

/** Position of a cable in the (date, id) order that lists use. */
export interface CableCursor {
  date: string;
  id: number;
}

const UNDATED = '0001-01-01';
const sortDate = sql<string>`coalesce(cable.date, ${UNDATED}::date)`;

export async function cablesByRefs(db: Kysely<Database>, refs: readonly string[]): Promise<CableRow[]> {
  if (refs.length === 0) return [];
  return db
    .selectFrom('cable')
    .selectAll()
    .where('ref', 'in', [...refs])
    .execute();
}

export async function cablesByIds(db: Kysely<Database>, ids: readonly number[]): Promise<CableRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('cable')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function paragraphsByCableIds(db: Kysely<Database>, ids: readonly number[]): Promise<ParagraphRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('paragraph')
    .selectAll()
    .where('cable_id', 'in', [...ids])
    .orderBy('cable_id')
    .orderBy('position')
    .execute();
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
    .selectAll('cable')
    .select('citing.to_ref')
    .orderBy(sortDate)
    .orderBy('cable.id')
    .execute() as Promise<(CableRow & { to_ref: string })[]>;
}

function filtered<O>(query: SelectQueryBuilder<Database, 'cable', O>, filter: CableFilter): SelectQueryBuilder<Database, 'cable', O> {
  let q = query;
  if (filter.dateFrom) q = q.where('cable.date', '>=', filter.dateFrom);
  if (filter.dateTo) q = q.where('cable.date', '<=', filter.dateTo);
  if (filter.origin) q = q.where(sql`lower(cable.origin)`, '=', filter.origin.toLowerCase());
  if (filter.classification) q = q.where(sql`upper(cable.classification)`, '=', filter.classification.toUpperCase());
  if (filter.tag) q = q.where(sql<boolean>`cable.tags @> array[${filter.tag.toUpperCase()}]::text[]`);
  if (filter.text) {
    const text = filter.text;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('paragraph')
          .select(sql`1`.as('one'))
          .whereRef('paragraph.cable_id', '=', 'cable.id')
          .where(sql<boolean>`paragraph.search @@ websearch_to_tsquery('english', ${text})`),
      ),
    );
  }
  return q;
}

export async function listCables(
  db: Kysely<Database>,
  filter: CableFilter,
  page: { after?: CableCursor | undefined; before?: CableCursor | undefined; limit: number; inverted: boolean },
): Promise<CableRow[]> {
  let q = filtered(db.selectFrom('cable').selectAll('cable'), filter);
  if (page.after) q = q.where(sql<boolean>`(${sortDate}, cable.id) > (${page.after.date}::date, ${page.after.id})`);
  if (page.before) q = q.where(sql<boolean>`(${sortDate}, cable.id) < (${page.before.date}::date, ${page.before.id})`);
  const direction = page.inverted ? 'desc' : 'asc';
  return q.orderBy(sortDate, direction).orderBy('cable.id', direction).limit(page.limit).execute();
}

export async function countCables(db: Kysely<Database>, filter: CableFilter): Promise<number> {
  const row = await filtered(
    db.selectFrom('cable').select((eb) => eb.fn.countAll<string>().as('count')),
    filter,
  ).executeTakeFirstOrThrow();
  return Number(row.count);
}

export function cableCursor(row: Pick<CableRow, 'date' | 'id'>): CableCursor {
  return { date: row.date ?? UNDATED, id: row.id };
}
