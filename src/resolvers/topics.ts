// Per-request loaders for topics.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import { cableRefsOfTopics, topicsByCodes, topicsOfCables, type TopicRow } from '../db/read-topics.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey, oneByKey } from './group.ts';

export function topicLoaders(db: Kysely<Database>) {
  return {
    topicByCode: new DataLoader<string, TopicRow | null>(async (codes) => oneByKey(codes, await topicsByCodes(db, codes), (t) => t.code)),
    topicsByCable: new DataLoader<number, TopicRow[]>(async (ids) => groupByKey(ids, await topicsOfCables(db, ids), (t) => t.cable_id)),
    cableRefsByTopic: new DataLoader<number, string[]>(async (ids) =>
      groupByKey(ids, await cableRefsOfTopics(db, ids), (r) => r.topic_id).map((rows) => rows.map((r) => r.ref)),
    ),
  };
}
