// Reads over the co-mention graph: an entity's strongest neighbours, its neighbourhood, and the
// co-mention network of a set of cables. An entity is a (kind, id) pair with the mention kinds
// (1 person, 2 organization, 3 country). The edge table stores each pair once (person-person with
// the smaller id as source, person -> organization, organization -> country), so every read looks
// at both ends of an edge, through the primary key (kind, source_id, …) and the (kind, target_id)
// index. "Stronger" always means more shared paragraphs, then more shared cables.
import { sql, type Kysely, type RawBuilder } from 'kysely';

import { whereCable, type CableFilter } from './read-cables.ts';
import type { Database } from './schema.ts';
import { EDGE_KIND, MENTION_KIND } from './write-graph.ts';

/** Kinds of entity in the graph: the mention kinds. */
export const ENTITY_KIND = MENTION_KIND;

export interface EntityKey {
  kind: number;
  id: number;
}

/** How strongly two entities are tied: paragraphs and cables that name both. */
export interface Tie {
  paragraphs: number;
  cables: number;
}

export interface NeighbourRow extends EntityKey, Tie {
  /** The entity whose neighbour this is. */
  from_kind: number;
  from_id: number;
}

export interface EdgeRow extends Tie {
  /** Edge kind: 1 person-person, 2 person-organization, 3 organization-country. */
  kind: number;
  source: EntityKey;
  target: EntityKey;
}

export interface EntityDetails extends EntityKey {
  /** Name of the person or organization, English name of the country. */
  label: string;
  /** How many cables name the entity. */
  cables: number;
  /** ISO code of a country; null for other kinds. */
  code: string | null;
}

export function entityKey(entity: EntityKey): string {
  return `${entity.kind}:${entity.id}`;
}

/** Which kinds of entity each edge kind joins, source end first. */
export const EDGE_ENDS: readonly { edge: number; source: number; target: number }[] = [
  { edge: EDGE_KIND.personPerson, source: MENTION_KIND.person, target: MENTION_KIND.person },
  { edge: EDGE_KIND.personOrganization, source: MENTION_KIND.person, target: MENTION_KIND.organization },
  { edge: EDGE_KIND.organizationCountry, source: MENTION_KIND.organization, target: MENTION_KIND.country },
];

export const ENDS = sql`(values ${sql.join(
  EDGE_ENDS.map((end) => sql`(${sql.lit(end.edge)}::smallint, ${sql.lit(end.source)}::smallint, ${sql.lit(end.target)}::smallint)`),
)}) as ends(edge_kind, source_kind, target_kind)`;

/**
 * Every edge at the entities of `from` (a relation with columns kind, id), seen from them, to
 * neighbours of the given kinds: rows (from_kind, from_id, kind, id, edge_kind, paragraphs, cables).
 * Each half walks one index, one probe per entity and edge kind.
 */
export function adjacentTo(from: RawBuilder<unknown>, kinds: readonly number[]): RawBuilder<unknown> {
  return sql`
    select f.kind as from_kind, f.id as from_id, ends.target_kind as kind, e.target_id as id, ends.edge_kind, e.paragraphs, e.cables
    from ${from} f
    join ${ENDS} on ends.source_kind = f.kind and ends.target_kind = any(${[...kinds]}::smallint[])
    join edge e on e.kind = ends.edge_kind and e.source_id = f.id
    union all
    select f.kind, f.id, ends.source_kind, e.source_id, ends.edge_kind, e.paragraphs, e.cables
    from ${from} f
    join ${ENDS} on ends.target_kind = f.kind and ends.source_kind = any(${[...kinds]}::smallint[])
    join edge e on e.kind = ends.edge_kind and e.target_id = f.id`;
}

/** A relation (kind, id) of the given entities, for a `with` clause. */
export function entityValues(entities: readonly EntityKey[]): RawBuilder<unknown> {
  return sql`select * from unnest(${entities.map((e) => e.kind)}::smallint[], ${entities.map((e) => e.id)}::int[])`;
}

/**
 * Whether the entity in columns `kind`, `id` is one of `entities`: an `= any(array)` per kind,
 * which PostgreSQL hashes. A join to the list instead is planned from estimates, and tables
 * without statistics (PGlite, or a database autovacuum has not reached) make it a nested loop.
 */
export function isAmong(kind: RawBuilder<unknown>, id: RawBuilder<unknown>, entities: readonly EntityKey[]): RawBuilder<boolean> {
  const kinds = [...new Set(entities.map((e) => e.kind))].sort();
  if (kinds.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    kinds.map((k) => sql`(${kind} = ${sql.lit(k)} and ${id} = any(${entities.filter((e) => e.kind === k).map((e) => e.id)}::int[]))`),
    sql` or `,
  )})`;
}

/**
 * The `first` strongest neighbours of each entity, of the given kinds and sharing at least
 * `minCables` cables with it: strongest first, then by kind and id.
 */
export async function strongestNeighbours(
  db: Kysely<Database>,
  entities: readonly EntityKey[],
  options: { kinds: readonly number[]; first: number; minCables: number },
): Promise<NeighbourRow[]> {
  if (entities.length === 0 || options.first <= 0) return [];
  const result = await sql<NeighbourRow>`
    with source(kind, id) as (${entityValues(entities)})
    select source.kind as from_kind, source.id as from_id, n.kind, n.id, n.paragraphs, n.cables
    from source
    cross join lateral (
      select a.kind, a.id, a.paragraphs, a.cables
      from (${adjacentTo(sql`(select source.kind, source.id)`, options.kinds)}) a
      where a.cables >= ${options.minCables}
      order by a.paragraphs desc, a.cables desc, a.kind, a.id
      limit ${options.first}
    ) n
    order by source.kind, source.id, n.paragraphs desc, n.cables desc, n.kind, n.id
  `.execute(db);
  return result.rows;
}

/** Names, cable counts and country codes of entities; entities that do not exist are left out. */
export async function entityDetails(db: Kysely<Database>, entities: readonly EntityKey[]): Promise<EntityDetails[]> {
  if (entities.length === 0) return [];
  const ids = (kind: number) => [...new Set(entities.filter((e) => e.kind === kind).map((e) => e.id))];
  const result = await sql<EntityDetails>`
    select ${sql.lit(MENTION_KIND.person)}::smallint as kind, id, name as label, cable_count as cables, null::text as code
    from person where id = any(${ids(MENTION_KIND.person)}::int[])
    union all
    select ${sql.lit(MENTION_KIND.organization)}::smallint, id, name, cable_count, null
    from organization where id = any(${ids(MENTION_KIND.organization)}::int[])
    union all
    select ${sql.lit(MENTION_KIND.country)}::smallint, c.id, c.name,
           (select count(distinct m.cable_id)::int from mention m where m.kind = ${sql.lit(MENTION_KIND.country)} and m.entity_id = c.id),
           c.code
    from country c where c.id = any(${ids(MENTION_KIND.country)}::int[])
  `.execute(db);
  return result.rows;
}

/** Country ids by ISO code; codes the graph does not know are absent from the map. */
export async function countryIdsByCodes(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('country')
    .select(['id', 'code'])
    .where('code', 'in', [...codes])
    .execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

interface RawEdge extends Tie {
  kind: number;
  source_kind: number;
  source_id: number;
  target_kind: number;
  target_id: number;
}

function edgeRow(raw: RawEdge): EdgeRow {
  return {
    kind: raw.kind,
    source: { kind: raw.source_kind, id: raw.source_id },
    target: { kind: raw.target_kind, id: raw.target_id },
    paragraphs: raw.paragraphs,
    cables: raw.cables,
  };
}

/** Every edge whose two ends are among `entities`. */
export async function edgesAmong(db: Kysely<Database>, entities: readonly EntityKey[]): Promise<EdgeRow[]> {
  if (entities.length < 2) return [];
  // The edges out of each entity through the primary key, kept when their other end is one of them.
  const result = await sql<RawEdge>`
    with node(kind, id) as (${entityValues(entities)})
    select ends.edge_kind as kind, ends.source_kind, e.source_id, ends.target_kind, e.target_id, e.paragraphs, e.cables
    from node s
    join ${ENDS} on ends.source_kind = s.kind
    join edge e on e.kind = ends.edge_kind and e.source_id = s.id
    where ${isAmong(sql`ends.target_kind`, sql`e.target_id`, entities)}
    order by e.paragraphs desc, e.cables desc, 1, 3, 5
  `.execute(db);
  return result.rows.map(edgeRow);
}

export interface NeighbourhoodNode extends EntityKey, Tie {
  /** Hops from the centre. */
  depth: number;
}

/**
 * The entity, its strongest neighbours of the given kinds, at depth 2 their neighbours and so on,
 * nearer levels first and strongest first within a level (a level-2 entity by the sum of its ties
 * to the level before), `limit` entities in all; and every edge among them. Each entity is taken
 * from the neighbours of the level before, so the whole is connected through its edges. One
 * query per level and one for the edges.
 */
export async function neighbourhood(
  db: Kysely<Database>,
  centre: EntityKey,
  options: { depth: number; limit: number; kinds: readonly number[] },
): Promise<{ nodes: NeighbourhoodNode[]; edges: EdgeRow[] }> {
  const nodes: NeighbourhoodNode[] = [{ ...centre, depth: 0, paragraphs: 0, cables: 0 }];
  let frontier: EntityKey[] = [centre];
  for (let depth = 1; depth <= options.depth && frontier.length > 0; depth++) {
    const remaining = options.limit - nodes.length;
    if (remaining <= 0) break;
    const result = await sql<EntityKey & Tie>`
      with frontier(kind, id) as (${entityValues(frontier)})
      select a.kind, a.id, sum(a.paragraphs)::int as paragraphs, sum(a.cables)::int as cables
      from (${adjacentTo(sql`frontier`, options.kinds)}) a
      where not ${isAmong(sql`a.kind`, sql`a.id`, nodes)}
      group by a.kind, a.id
      order by paragraphs desc, cables desc, a.kind, a.id
      limit ${remaining}
    `.execute(db);
    frontier = result.rows.map((row) => ({ kind: row.kind, id: row.id }));
    for (const row of result.rows) nodes.push({ ...row, depth });
  }
  return { nodes, edges: await edgesAmong(db, nodes) };
}

/** Whether a filter restricts anything (an input with every field blank admits every cable). */
function hasConditions(filter: CableFilter): boolean {
  return Object.values(filter).some((value) =>
    Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined && value !== '',
  );
}

/**
 * The `first` strongest co-mention edges of the given kinds with at least `minCables` shared
 * cables: from the edge table when no filter is given, otherwise computed from the mentions of the
 * cables the filter admits (paragraphs and cables then count those cables only), in one statement.
 */
export async function coMentionNetwork(
  db: Kysely<Database>,
  options: { filter: CableFilter | null; edgeKinds: readonly number[]; minCables: number; first: number },
): Promise<EdgeRow[]> {
  const edgeKinds = [...options.edgeKinds];
  if (edgeKinds.length === 0 || options.first <= 0) return [];
  if (!options.filter || !hasConditions(options.filter)) {
    const result = await sql<RawEdge>`
      select ends.edge_kind as kind, ends.source_kind, e.source_id, ends.target_kind, e.target_id, e.paragraphs, e.cables
      from edge e join ${ENDS} on ends.edge_kind = e.kind
      where e.kind = any(${edgeKinds}::smallint[]) and e.cables >= ${options.minCables}
      order by e.paragraphs desc, e.cables desc, e.kind, e.source_id, e.target_id
      limit ${options.first}
    `.execute(db);
    return result.rows.map(edgeRow);
  }
  const matching = whereCable(db.selectFrom('cable').select('cable.id'), options.filter);
  const entityKinds = [...new Set(EDGE_ENDS.filter((end) => edgeKinds.includes(end.edge)).flatMap((end) => [end.source, end.target]))];
  // The pairs each matching cable makes, counted as write-graph counts them (a person pair once,
  // smaller id first): one row per shared cable and one per shared paragraph, summed in a single
  // aggregate. Joining a per-cable aggregate to a per-paragraph one instead leaves the planner,
  // on tables without statistics, a nested loop over both.
  const result = await sql<RawEdge>`
    with pair as (select * from ${ENDS} where ends.edge_kind = any(${edgeKinds}::smallint[])),
    matching as materialized (${matching}),
    -- The matching cables' mentions through the cable index, before any condition on kind or
    -- entity that would tempt the planner into the entity index, a whole scan of it per cable.
    of_matching as materialized (
      select mention.kind, mention.entity_id, mention.cable_id, mention.paragraph
      from matching join mention on mention.cable_id = matching.id
    ),
    m as materialized (
      select distinct kind, entity_id, cable_id, paragraph from of_matching
      where entity_id is not null and kind = any(${entityKinds}::smallint[])
    ),
    c as materialized (select distinct kind, entity_id, cable_id from m),
    shared as (
      select pair.edge_kind, pair.source_kind, a.entity_id as source_id, pair.target_kind, b.entity_id as target_id, 0 as paragraph, 1 as cable
      from c a join c b on b.cable_id = a.cable_id
      join pair on pair.source_kind = a.kind and pair.target_kind = b.kind
      where pair.source_kind <> pair.target_kind or a.entity_id < b.entity_id
      union all
      select pair.edge_kind, pair.source_kind, a.entity_id, pair.target_kind, b.entity_id, 1, 0
      from m a join m b on b.cable_id = a.cable_id and b.paragraph = a.paragraph
      join pair on pair.source_kind = a.kind and pair.target_kind = b.kind
      where pair.source_kind <> pair.target_kind or a.entity_id < b.entity_id
    )
    select edge_kind as kind, source_kind, source_id, target_kind, target_id, sum(paragraph)::int as paragraphs, sum(cable)::int as cables
    from shared
    group by 1, 2, 3, 4, 5
    having sum(cable) >= ${options.minCables}
    order by paragraphs desc, cables desc, 1, 3, 5
    limit ${options.first}
  `.execute(db);
  return result.rows.map(edgeRow);
}
