// Streaming reads for `cablegraph export`: the entity graph, whole or a slice of it, row by row.
// Everything is read inside one repeatable-read transaction (nodes and edges agree) through
// server-side cursors, so the client holds one fetch of rows at a time on PostgreSQL and PGlite
// alike (Kysely's `.stream()` needs pg-cursor on pg and buffers the whole result on PGlite).
// A slice is computed set-based into temporary tables first: the matching cables, their
// mentions, the co-mention edges recomputed from those mentions, and the entities that appear.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';

import { whereCable, type CableFilter } from './read-cables.ts';
import type { Database } from './schema.ts';
import { EDGE_KIND, MENTION_KIND } from './write-graph.ts';

export type ExportNodeKind = 'PERSON' | 'ORGANIZATION' | 'COUNTRY' | 'TOPIC' | 'CABLE';

export type ExportEdgeKind =
  | 'PERSON_PERSON'
  | 'PERSON_ORGANIZATION'
  | 'ORGANIZATION_COUNTRY'
  | 'CABLE_PERSON'
  | 'CABLE_ORGANIZATION'
  | 'CABLE_COUNTRY'
  | 'CABLE_TOPIC'
  | 'TOPIC_PERSON'
  | 'TOPIC_ORGANIZATION'
  | 'TOPIC_COUNTRY';

/** Which part of the graph to read. */
export interface ExportSelection {
  /** Cables whose mentions make the slice; no condition means the whole stored graph. */
  cables: Pick<CableFilter, 'dateFrom' | 'dateTo' | 'topics' | 'country' | 'origin' | 'classification' | 'text'>;
  /** Keep co-mention (and topic-entity) edges of at least this weight, and the entities they join. */
  minWeight: number | null;
  /** The measure that is an edge's weight: shared cables or shared paragraphs. */
  weight: 'cables' | 'paragraphs';
  /** Add cable nodes and cable-entity edges. */
  includeCables: boolean;
  /** Add topic (TAGS) nodes, joined to cables when those are included, else to entities. */
  includeTopics: boolean;
}

/** A node as the database knows it; `key` is its id within its kind (number, ISO code, TAGS code, ref). */
export interface ExportNodeRow {
  kind: ExportNodeKind;
  key: string;
  label: string;
  country_code: string | null;
  /** Organization kind ("ministry") or topic kind ("subject", "geographic"). */
  category: string | null;
  cable_count: number | null;
  mention_count: number | null;
  first_date: string | null;
  last_date: string | null;
  /** A topic's meaning, a cable's subject. */
  description: string | null;
  date: string | null;
  classification: string | null;
  origin: string | null;
}

export interface ExportEdgeRow {
  kind: ExportEdgeKind;
  source_kind: ExportNodeKind;
  source_key: string;
  target_kind: ExportNodeKind;
  target_key: string;
  paragraphs: number;
  cables: number;
}

export interface ExportReader {
  /** Persons, organizations, countries, then topics and cables when included. */
  nodes(): AsyncGenerator<ExportNodeRow>;
  /** Co-mention edges, then cable-entity and topic edges when included. */
  edges(): AsyncGenerator<ExportEdgeRow>;
  /** How many nodes and edges `nodes()` and `edges()` will give. */
  count(): Promise<{ nodes: number; edges: number }>;
}

export interface ReadOptions {
  /** Rows per FETCH from a cursor: the most the client holds at once. */
  fetchSize?: number;
}

const { person: PERSON, organization: ORGANIZATION, country: COUNTRY } = MENTION_KIND;

function hasCableFilter(filter: ExportSelection['cables']): boolean {
  return Object.values(filter).some((value) => (Array.isArray(value) ? value.length > 0 : Boolean(value)));
}

/** How the slice is stored for the node and edge queries. */
interface Scope {
  /** export_cable holds the matching cables, export_mention their mentions (one row per paragraph). */
  sliced: boolean;
  /** export_entity holds the entities to write (with slice counts when `sliced`), export_edge the co-mention edges. */
  selected: boolean;
}

/**
 * Runs `work` with a reader over one consistent snapshot of the graph. The reader's generators
 * share the transaction's connection: consume one before starting the next.
 */
export async function withExportReader<T>(
  db: Kysely<Database>,
  selection: ExportSelection,
  work: (reader: ExportReader) => Promise<T>,
  options: ReadOptions = {},
): Promise<T> {
  const fetchSize = options.fetchSize ?? 2000;
  const trx = await db.startTransaction().setIsolationLevel('repeatable read').execute();
  try {
    const scope = await prepareScope(trx, selection);
    const queries = exportQueries(selection, scope);
    let cursors = 0;
    const reader: ExportReader = {
      nodes: () => readAll(trx, queries.nodes, fetchSize, () => `export_cursor_${cursors++}`),
      edges: () => readAll(trx, queries.edges, fetchSize, () => `export_cursor_${cursors++}`),
      count: async () => ({ nodes: await countAll(trx, queries.nodes), edges: await countAll(trx, queries.edges) }),
    };
    const result = await work(reader);
    await trx.commit().execute();
    return result;
  } catch (error) {
    // The cause matters more than a failed rollback (the connection may be gone with it).
    await trx
      .rollback()
      .execute()
      .catch(() => {});
    throw error;
  }
}

async function* readAll<R>(trx: Transaction<Database>, queries: RawBuilder<R>[], fetchSize: number, name: () => string): AsyncGenerator<R> {
  for (const query of queries) yield* cursorRows(trx, name(), query, fetchSize);
}

async function* cursorRows<R>(trx: Transaction<Database>, name: string, query: RawBuilder<R>, fetchSize: number): AsyncGenerator<R> {
  const cursor = sql.id(name);
  await sql`declare ${cursor} no scroll cursor for ${query}`.execute(trx);
  let failed = false;
  try {
    for (;;) {
      const { rows } = await sql<R>`fetch forward ${sql.lit(fetchSize)} from ${cursor}`.execute(trx);
      if (rows.length === 0) break;
      yield* rows;
    }
  } catch (error) {
    // The transaction is aborted: closing would fail and hide the cause; rollback closes it.
    failed = true;
    throw error;
  } finally {
    if (!failed) await sql`close ${cursor}`.execute(trx);
  }
}

async function countAll(trx: Transaction<Database>, queries: RawBuilder<unknown>[]): Promise<number> {
  let total = 0;
  for (const query of queries) {
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from (${query}) as counted`.execute(trx);
    total += rows[0]?.count ?? 0;
  }
  return total;
}

function weightColumn(selection: ExportSelection, alias: string): RawBuilder<number> {
  return sql.ref(`${alias}.${selection.weight}`);
}

// The pairs the edge table stores, as conditions on two mention rows `a` and `b`.
const PAIRS = sql`((a.kind = ${sql.lit(PERSON)} and b.kind = ${sql.lit(PERSON)} and a.entity_id < b.entity_id)
  or (a.kind = ${sql.lit(PERSON)} and b.kind = ${sql.lit(ORGANIZATION)})
  or (a.kind = ${sql.lit(ORGANIZATION)} and b.kind = ${sql.lit(COUNTRY)}))`;

async function prepareScope(trx: Transaction<Database>, selection: ExportSelection): Promise<Scope> {
  const sliced = hasCableFilter(selection.cables);
  const minWeight = selection.minWeight;
  if (!sliced && minWeight == null) return { sliced: false, selected: false };

  if (sliced) {
    const matching = whereCable(trx.selectFrom('cable').select('cable.id'), selection.cables);
    await sql`create temporary table export_cable on commit drop as ${matching}`.execute(trx);
    await sql`alter table export_cable add primary key (id)`.execute(trx);
    await sql`
      create temporary table export_mention on commit drop as
      select m.kind, m.entity_id, m.cable_id, m.paragraph, count(*)::int as mentions
      from mention m join export_cable x on x.id = m.cable_id
      where m.entity_id is not null
      group by 1, 2, 3, 4
    `.execute(trx);
    await sql`analyze export_mention`.execute(trx);
    // The edge table's definition, restricted to the slice's cables: shared cables and shared
    // paragraphs of each stored pair, joined on the cable alone so that the planner hashes.
    await sql`
      create temporary table export_edge on commit drop as
      with c as (select distinct kind, entity_id, cable_id from export_mention),
      by_cable as (
        select a.kind as source_kind, b.kind as target_kind, a.entity_id as source_id, b.entity_id as target_id, count(*)::int as cables
        from c a join c b using (cable_id) where ${PAIRS} group by 1, 2, 3, 4
      ),
      by_paragraph as (
        select a.kind as source_kind, b.kind as target_kind, a.entity_id as source_id, b.entity_id as target_id, count(*)::int as paragraphs
        from export_mention a join export_mention b using (cable_id, paragraph) where ${PAIRS} group by 1, 2, 3, 4
      )
      select (case when c.source_kind = ${sql.lit(PERSON)} and c.target_kind = ${sql.lit(PERSON)} then ${sql.lit(EDGE_KIND.personPerson)}
                   when c.source_kind = ${sql.lit(PERSON)} then ${sql.lit(EDGE_KIND.personOrganization)}
                   else ${sql.lit(EDGE_KIND.organizationCountry)} end)::smallint as kind,
             c.source_kind, c.source_id, c.target_kind, c.target_id, coalesce(p.paragraphs, 0) as paragraphs, c.cables
      from by_cable c left join by_paragraph p using (source_kind, target_kind, source_id, target_id)
    `.execute(trx);
    if (minWeight != null) await sql`delete from export_edge x where ${weightColumn(selection, 'x')} < ${minWeight}`.execute(trx);
    await sql`
      create temporary table export_entity on commit drop as
      select m.kind, m.entity_id as id, count(distinct m.cable_id)::int as cables, sum(m.mentions)::int as mentions,
             min(c.date) as first_date, max(c.date) as last_date
      from export_mention m join cable c on c.id = m.cable_id
      group by 1, 2
    `.execute(trx);
  } else {
    await sql`
      create temporary table export_edge on commit drop as
      select e.kind, (case when e.kind = ${sql.lit(EDGE_KIND.organizationCountry)} then ${sql.lit(ORGANIZATION)} else ${sql.lit(PERSON)} end)::smallint as source_kind,
             e.source_id,
             (case e.kind when ${sql.lit(EDGE_KIND.personPerson)} then ${sql.lit(PERSON)} when ${sql.lit(EDGE_KIND.personOrganization)} then ${sql.lit(ORGANIZATION)}
                           else ${sql.lit(COUNTRY)} end)::smallint as target_kind,
             e.target_id, e.paragraphs, e.cables
      from edge e where ${weightColumn(selection, 'e')} >= ${minWeight}
    `.execute(trx);
    await sql`
      create temporary table export_entity on commit drop as
      select source_kind as kind, source_id as id from export_edge union select target_kind, target_id from export_edge
    `.execute(trx);
  }
  if (minWeight != null && sliced) {
    // Only the entities a kept edge joins: the strong core, without the isolated rest.
    await sql`
      delete from export_entity e where not exists (
        select 1 from export_edge x
        where (x.source_kind = e.kind and x.source_id = e.id) or (x.target_kind = e.kind and x.target_id = e.id))
    `.execute(trx);
  }
  await sql`alter table export_entity add primary key (kind, id)`.execute(trx);
  return { sliced, selected: true };
}

interface Queries {
  nodes: RawBuilder<ExportNodeRow>[];
  edges: RawBuilder<ExportEdgeRow>[];
}

function exportQueries(selection: ExportSelection, scope: Scope): Queries {
  const cables = scope.sliced ? sql`(select c.* from cable c join export_cable x on x.id = c.id)` : sql`cable`;
  // One row per (entity, cable, paragraph) with the mention count there: the evidence of the slice.
  const mentions = scope.sliced
    ? sql`export_mention`
    : sql`(select kind, entity_id, cable_id, paragraph, count(*)::int as mentions from mention where entity_id is not null group by 1, 2, 3, 4)`;
  const entityJoin = (kind: number, id: RawBuilder<unknown>) =>
    scope.selected ? sql`join export_entity e on e.kind = ${sql.lit(kind)} and e.id = ${id}` : sql``;
  // Slice counts replace the stored ones, which describe the whole corpus.
  const count = (column: 'cables' | 'mentions' | 'first_date' | 'last_date', stored: RawBuilder<unknown>) =>
    scope.sliced ? sql.ref(`e.${column}`) : stored;
  const entityCounts = (kind: number) =>
    sql`(select entity_id, count(distinct cable_id)::int as cables, count(*)::int as mentions
         from mention where kind = ${sql.lit(kind)} and entity_id is not null group by 1)`;

  const nodes: RawBuilder<ExportNodeRow>[] = [
    sql<ExportNodeRow>`
      select 'PERSON' as kind, p.id::text as key, p.name as label, co.code as country_code, null::text as category,
             ${count('cables', sql`p.cable_count`)} as cable_count, ${count('mentions', sql`p.mention_count`)} as mention_count,
             ${count('first_date', sql`p.first_date`)}::text as first_date, ${count('last_date', sql`p.last_date`)}::text as last_date,
             null::text as description, null::text as date, null::text as classification, null::text as origin
      from person p ${entityJoin(PERSON, sql`p.id`)} left join country co on co.id = p.country_id
      order by p.id`,
    sql<ExportNodeRow>`
      select 'ORGANIZATION' as kind, o.id::text as key, o.name as label, co.code as country_code, o.kind as category,
             ${count('cables', sql`o.cable_count`)} as cable_count, ${count('mentions', sql`o.mention_count`)} as mention_count,
             null::text as first_date, null::text as last_date,
             null::text as description, null::text as date, null::text as classification, null::text as origin
      from organization o ${entityJoin(ORGANIZATION, sql`o.id`)} left join country co on co.id = o.country_id
      order by o.id`,
    sql<ExportNodeRow>`
      select 'COUNTRY' as kind, co.code as key, co.name as label, co.code as country_code, null::text as category,
             ${count('cables', sql`coalesce(s.cables, 0)`)} as cable_count, ${count('mentions', sql`coalesce(s.mentions, 0)`)} as mention_count,
             null::text as first_date, null::text as last_date,
             null::text as description, null::text as date, null::text as classification, null::text as origin
      from country co ${entityJoin(COUNTRY, sql`co.id`)}
      ${scope.sliced ? sql`` : sql`left join ${entityCounts(COUNTRY)} s on s.entity_id = co.id`}
      order by co.code`,
  ];
  if (selection.includeTopics) {
    nodes.push(sql<ExportNodeRow>`
      select 'TOPIC' as kind, t.code as key, t.code as label, co.code as country_code, t.kind as category,
             s.cables as cable_count, null::int as mention_count, null::text as first_date, null::text as last_date,
             t.name as description, null::text as date, null::text as classification, null::text as origin
      from topic t
      join (select ct.topic_id, count(*)::int as cables from cable_topic ct join ${cables} c on c.id = ct.cable_id group by 1) s on s.topic_id = t.id
      left join country co on co.id = t.country_id
      order by t.code`);
  }
  if (selection.includeCables) {
    nodes.push(sql<ExportNodeRow>`
      select 'CABLE' as kind, c.ref as key, c.ref as label, null::text as country_code, null::text as category,
             null::int as cable_count, null::int as mention_count, null::text as first_date, null::text as last_date,
             c.subject as description, c.date::text as date, c.classification, c.origin
      from ${cables} c
      order by c.id`);
  }

  const edgeSource = scope.selected ? sql`export_edge` : sql`(select kind, source_id, target_id, paragraphs, cables from edge)`;
  const edges: RawBuilder<ExportEdgeRow>[] = [
    sql<ExportEdgeRow>`
      select (case x.kind when ${sql.lit(EDGE_KIND.personPerson)} then 'PERSON_PERSON'
                          when ${sql.lit(EDGE_KIND.personOrganization)} then 'PERSON_ORGANIZATION'
                          else 'ORGANIZATION_COUNTRY' end) as kind,
             (case x.kind when ${sql.lit(EDGE_KIND.organizationCountry)} then 'ORGANIZATION' else 'PERSON' end) as source_kind,
             x.source_id::text as source_key,
             (case x.kind when ${sql.lit(EDGE_KIND.personPerson)} then 'PERSON'
                          when ${sql.lit(EDGE_KIND.personOrganization)} then 'ORGANIZATION' else 'COUNTRY' end) as target_kind,
             coalesce(co.code, x.target_id::text) as target_key, x.paragraphs, x.cables
      from ${edgeSource} x
      left join country co on x.kind = ${sql.lit(EDGE_KIND.organizationCountry)} and co.id = x.target_id
      order by x.kind, x.source_id, x.target_id`,
  ];
  const entityKind = (alias: string) =>
    sql`(case ${sql.ref(`${alias}.kind`)} when ${sql.lit(PERSON)} then 'PERSON' when ${sql.lit(ORGANIZATION)} then 'ORGANIZATION' else 'COUNTRY' end)`;
  const entityKey = (alias: string) => sql`coalesce(co.code, ${sql.ref(`${alias}.entity_id`)}::text)`;
  const entityEnds = (alias: string) => sql`
    ${scope.selected ? sql`join export_entity e on e.kind = ${sql.ref(`${alias}.kind`)} and e.id = ${sql.ref(`${alias}.entity_id`)}` : sql``}
    left join country co on ${sql.ref(`${alias}.kind`)} = ${sql.lit(COUNTRY)} and co.id = ${sql.ref(`${alias}.entity_id`)}`;
  if (selection.includeCables) {
    edges.push(sql<ExportEdgeRow>`
      select 'CABLE_' || ${entityKind('m')} as kind, 'CABLE' as source_kind, c.ref as source_key,
             ${entityKind('m')} as target_kind, ${entityKey('m')} as target_key,
             count(*)::int as paragraphs, 1 as cables
      from ${mentions} m join ${cables} c on c.id = m.cable_id ${entityEnds('m')}
      group by m.cable_id, c.ref, m.kind, m.entity_id, co.code
      order by m.cable_id, m.kind, m.entity_id`);
  }
  if (selection.includeTopics && selection.includeCables) {
    edges.push(sql<ExportEdgeRow>`
      select 'CABLE_TOPIC' as kind, 'CABLE' as source_kind, c.ref as source_key, 'TOPIC' as target_kind, t.code as target_key,
             0 as paragraphs, 1 as cables
      from cable_topic ct join ${cables} c on c.id = ct.cable_id join topic t on t.id = ct.topic_id
      order by ct.cable_id, ct.position`);
  } else if (selection.includeTopics) {
    // Without cable nodes, a topic joins the entities its cables name, weighted like co-mentions.
    edges.push(sql<ExportEdgeRow>`
      select * from (
        select 'TOPIC_' || ${entityKind('m')} as kind, 'TOPIC' as source_kind, t.code as source_key,
               ${entityKind('m')} as target_kind, ${entityKey('m')} as target_key,
               count(*)::int as paragraphs, count(distinct m.cable_id)::int as cables
        from ${mentions} m join cable_topic ct on ct.cable_id = m.cable_id join topic t on t.id = ct.topic_id ${entityEnds('m')}
        group by t.code, m.kind, m.entity_id, co.code
      ) topic_edge
      ${selection.minWeight != null ? sql`where ${weightColumn(selection, 'topic_edge')} >= ${selection.minWeight}` : sql``}
      order by source_key, target_kind, target_key`);
  }
  return { nodes, edges };
}
