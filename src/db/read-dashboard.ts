// Aggregates over the cables a filter admits: how many per period, and which entities appear in
// the most of them. One statement each, grouped in the database.
import { sql, type Kysely } from 'kysely';

import { whereCable, type CableFilter } from './read-cables.ts';
import type { Database } from './schema.ts';
import { MENTION_KIND } from './write-graph.ts';

export type TimelineInterval = 'day' | 'month' | 'year';

/** Whether a filter admits every cable: no condition set (an empty list sets none). */
function hasNoCondition(filter: CableFilter): boolean {
  return Object.values(filter).every((value) => value == null || (Array.isArray(value) && value.length === 0));
}

export interface TimelineBucketRow {
  /** First day of the period, YYYY-MM-DD. */
  start: string;
  count: number;
}

/**
 * Cables per period, oldest period first; periods without a cable are left out, and so are
 * undated cables. Cables are counted per day first and the days then summed per period, with
 * date_trunc run once per distinct day rather than once per cable; with no condition but dates,
 * the days are the stored per-day counts (cable_day), not the cables themselves.
 */
export function timelineQuery(db: Kysely<Database>, filter: CableFilter, interval: TimelineInterval) {
  // The unit is one of three literals; as a parameter, the select and the group by would differ.
  const start = sql<string>`date_trunc(${sql.lit(interval)}, days.day::timestamp)::date`;
  if (hasNoCondition({ ...filter, dateFrom: null, dateTo: null })) {
    // Over all cables, or a span of days: the stored per-day counts (0012), a row a day.
    let stored = db
      .selectFrom('cable_day')
      .select(['cable_day.day', sql<string>`cable_day.cables`.as('count')])
      .where('cable_day.cables', '>', 0);
    if (filter.dateFrom) stored = stored.where('cable_day.day', '>=', filter.dateFrom);
    if (filter.dateTo) stored = stored.where('cable_day.day', '<=', filter.dateTo);
    const days = stored.as('days');
    return db
      .selectFrom(days)
      .select([start.as('start'), sql<string>`sum(days.count)`.as('count')])
      .groupBy(start)
      .orderBy(start);
  }
  const days = whereCable(
    db
      .selectFrom('cable')
      .select(['cable.date as day', (eb) => eb.fn.countAll<string>().as('count')])
      .where('cable.date', 'is not', null),
    filter,
  )
    .groupBy('cable.date')
    .as('days');
  return db
    .selectFrom(days)
    .select([start.as('start'), sql<string>`sum(days.count)`.as('count')])
    .groupBy(start)
    .orderBy(start);
}

export async function cableTimeline(db: Kysely<Database>, filter: CableFilter, interval: TimelineInterval): Promise<TimelineBucketRow[]> {
  const rows = await timelineQuery(db, filter, interval).execute();
  return rows.map((row) => ({ start: row.start, count: Number(row.count) }));
}

export type EntityKindName = 'person' | 'organization' | 'country' | 'topic';

export interface EntityCountRow {
  kind: EntityKindName;
  /** The entity's own key: person and organization id, country ISO code, TAGS code. */
  key: string;
  label: string;
  count: number;
}

/**
 * (cable, entity) pairs of one kind, each at most once per cable. A cable is about a country when
 * one of its TAGS is the country's geographic code or its text names the country, as the
 * `country` condition of a cable filter has it.
 */
function cableEntityPairs(kind: EntityKindName) {
  switch (kind) {
    case 'person':
      return sql`select distinct cable_id, person_id as entity_id from cable_person where person_id is not null`;
    case 'organization':
      return sql`select distinct cable_id, organization_id as entity_id from cable_organization where organization_id is not null`;
    case 'country':
      return sql`select cable_id, entity_id from mention where kind = ${MENTION_KIND.country} and entity_id is not null
                 union
                 select cable_topic.cable_id, topic.country_id from cable_topic join topic on topic.id = cable_topic.topic_id
                 where topic.country_id is not null`;
    case 'topic':
      return sql`select cable_id, topic_id as entity_id from cable_topic`;
  }
}

const ENTITY_COLUMNS: Record<EntityKindName, { table: string; key: string; label: string }> = {
  person: { table: 'person', key: 'entity.id::text', label: 'entity.name' },
  organization: { table: 'organization', key: 'entity.id::text', label: 'entity.name' },
  country: { table: 'country', key: 'entity.code', label: 'entity.name' },
  topic: { table: 'topic', key: 'entity.code', label: 'coalesce(entity.name, entity.code)' },
};

/**
 * The entities of one kind named in the most cables among those `filter` admits, most first;
 * equal counts in label order (byte order, the same on every database), then by key.
 *
 * With `storedCounts` (a reader who sees every cable), persons and organizations over all cables
 * are read from their stored cable counts (write-graph's refreshCounts counts the cables of their
 * records, as the pairs below do): grouping every record of the full release took 5–10 s. A
 * restricted reader's counts come from the portions it sees, so its pairs are always counted.
 */
export async function topEntities(
  db: Kysely<Database>,
  kind: EntityKindName,
  filter: CableFilter,
  limit: number,
  options: { storedCounts?: boolean } = {},
): Promise<EntityCountRow[]> {
  const columns = ENTITY_COLUMNS[kind];
  const unfiltered = hasNoCondition(filter);
  if (options.storedCounts && (kind === 'person' || kind === 'organization') && unfiltered) {
    const stored = await sql<{ key: string; label: string; count: number }>`
      select ${sql.raw(columns.key)} as key, ${sql.raw(columns.label)} as label, entity.cable_count as count
      from ${sql.table(columns.table)} as entity
      where entity.cable_count > 0
      order by entity.cable_count desc, ${sql.raw(columns.label)} collate "C", ${sql.raw(columns.key)} collate "C"
      limit ${limit}
    `.execute(db);
    return stored.rows.map((row) => ({ kind, key: row.key, label: row.label, count: Number(row.count) }));
  }
  const cables = unfiltered ? sql`true` : sql`pairs.cable_id in (${whereCable(db.selectFrom('cable').select('cable.id'), filter)})`;
  const result = await sql<{ key: string; label: string; count: number }>`
    select ${sql.raw(columns.key)} as key, ${sql.raw(columns.label)} as label, counts.count
    from (select pairs.entity_id, count(*)::int as count
          from (${cableEntityPairs(kind)}) as pairs
          where ${cables}
          group by pairs.entity_id) as counts
    join ${sql.table(columns.table)} as entity on entity.id = counts.entity_id
    order by counts.count desc, ${sql.raw(columns.label)} collate "C", ${sql.raw(columns.key)} collate "C"
    limit ${limit}
  `.execute(db);
  return result.rows.map((row) => ({ kind, key: row.key, label: row.label, count: Number(row.count) }));
}
