// Read queries over topics: the TAGS codes cables carry, with their meaning.
import { sql, type Kysely, type Selectable } from 'kysely';

import type { Database, TopicTable } from './schema.ts';

export type TopicRow = Selectable<TopicTable> & { country_code: string | null; country_name: string | null };

export interface TopicFilter {
  kind?: string | null;
}

function topicQuery(db: Kysely<Database>) {
  return db
    .selectFrom('topic')
    .leftJoin('country', 'country.id', 'topic.country_id')
    .selectAll('topic')
    .select(['country.code as country_code', 'country.name as country_name']);
}

export async function topicsByCodes(db: Kysely<Database>, codes: readonly string[]): Promise<TopicRow[]> {
  if (codes.length === 0) return [];
  return topicQuery(db)
    .where('topic.code', 'in', [...codes])
    .execute();
}

/** Topics, most-used first (by how many cables carry them), then by code. */
export async function listTopics(db: Kysely<Database>, filter: TopicFilter, offset: number, limit: number): Promise<TopicRow[]> {
  let query = topicQuery(db).leftJoin(
    (eb) =>
      eb
        .selectFrom('cable_topic')
        .select(['topic_id', (e) => e.fn.countAll<number>().as('cables')])
        .groupBy('topic_id')
        .as('usage'),
    (join) => join.onRef('usage.topic_id', '=', 'topic.id'),
  );
  if (filter.kind) query = query.where('topic.kind', '=', filter.kind);
  return query
    .orderBy(sql`coalesce(usage.cables, 0)`, 'desc')
    .orderBy('topic.code')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function countTopics(db: Kysely<Database>, filter: TopicFilter): Promise<number> {
  let query = db.selectFrom('topic').select((eb) => eb.fn.countAll<string>().as('count'));
  if (filter.kind) query = query.where('topic.kind', '=', filter.kind);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The topics of each cable in TAGS order, as (cable_id, topic) pairs. */
export async function topicsOfCables(db: Kysely<Database>, cableIds: readonly number[]): Promise<(TopicRow & { cable_id: number })[]> {
  if (cableIds.length === 0) return [];
  return topicQuery(db)
    .innerJoin('cable_topic', 'cable_topic.topic_id', 'topic.id')
    .select('cable_topic.cable_id')
    .where('cable_topic.cable_id', 'in', [...cableIds])
    .orderBy('cable_topic.cable_id')
    .orderBy('cable_topic.position')
    .execute();
}

/** Cables carrying each topic, oldest first, as (topic_id, cable ref) pairs. */
export async function cableRefsOfTopics(db: Kysely<Database>, topicIds: readonly number[]): Promise<{ topic_id: number; ref: string }[]> {
  if (topicIds.length === 0) return [];
  return db
    .selectFrom('cable_topic')
    .innerJoin('cable', 'cable.id', 'cable_topic.cable_id')
    .select(['cable_topic.topic_id', 'cable.ref'])
    .where('cable_topic.topic_id', 'in', [...topicIds])
    .orderBy('cable_topic.topic_id')
    .orderBy('cable.date', (order) => order.asc().nullsFirst())
    .orderBy('cable.id')
    .execute();
}
