// Read queries over mentions (one occurrence of a person, organization or country in a cable
// body) and date mentions, batched by cable, by paragraph or by entity.
import { sql, type Kysely } from 'kysely';

import type { ParagraphKey } from './read-paragraphs.ts';
import type { Database } from './schema.ts';
import type { MentionKind } from './write-graph.ts';
import { MENTION_KIND } from './write-graph.ts';

export interface MentionRow {
  cable_id: number;
  /** The cable's ref, which the paragraph's and the cable's global ids are made of. */
  ref: string;
  /** Position of the paragraph in the cable. */
  paragraph: number;
  kind: number;
  entity_id: number | null;
  span_start: number;
  span_end: number;
  surface: string;
  title: string | null;
}

export interface DateMentionRow {
  cable_id: number;
  ref: string;
  position: number;
  paragraph: number;
  span_start: number;
  span_end: number;
  text: string;
  date: string;
}

function mentionQuery(db: Kysely<Database>) {
  return db
    .selectFrom('mention')
    .innerJoin('cable', 'cable.id', 'mention.cable_id')
    .select([
      'mention.cable_id',
      'cable.ref',
      'mention.paragraph',
      'mention.kind',
      'mention.entity_id',
      'mention.span_start',
      'mention.span_end',
      'mention.surface',
      'mention.title',
    ]);
}

/** `(cable_id, paragraph) in ((…), …)` over the given table, for a batch of paragraphs. */
export function inParagraphs(keys: readonly ParagraphKey[], table: 'mention' | 'date_mention') {
  const pairs = sql.join(keys.map((key) => sql`(${key.cableId}::int, ${key.position}::int)`));
  return sql<boolean>`(${sql.ref(`${table}.cable_id`)}, ${sql.ref(`${table}.paragraph`)}) in (${pairs})`;
}

/** Every mention of each cable, in body order. */
export async function mentionsOfCables(db: Kysely<Database>, cableIds: readonly number[]): Promise<MentionRow[]> {
  if (cableIds.length === 0) return [];
  return mentionQuery(db)
    .where('mention.cable_id', 'in', [...cableIds])
    .orderBy('mention.cable_id')
    .orderBy('mention.span_start')
    .orderBy('mention.span_end')
    .execute();
}

/** Every mention in each paragraph, in body order. */
export async function mentionsOfParagraphs(db: Kysely<Database>, keys: readonly ParagraphKey[]): Promise<MentionRow[]> {
  if (keys.length === 0) return [];
  return mentionQuery(db)
    .where(inParagraphs(keys, 'mention'))
    .orderBy('mention.cable_id')
    .orderBy('mention.span_start')
    .orderBy('mention.span_end')
    .execute();
}

/** The mentions of each entity of one kind, oldest cable first, in body order within a cable. */
export async function mentionsOfEntities(db: Kysely<Database>, kind: MentionKind, entityIds: readonly number[]): Promise<MentionRow[]> {
  if (entityIds.length === 0) return [];
  return mentionQuery(db)
    .where('mention.kind', '=', MENTION_KIND[kind])
    .where('mention.entity_id', 'in', [...entityIds])
    .orderBy('mention.entity_id')
    .orderBy('cable.date', (order) => order.asc().nullsFirst())
    .orderBy('mention.cable_id')
    .orderBy('mention.span_start')
    .execute();
}

function dateMentionQuery(db: Kysely<Database>) {
  return db
    .selectFrom('date_mention')
    .innerJoin('cable', 'cable.id', 'date_mention.cable_id')
    .select([
      'date_mention.cable_id',
      'cable.ref',
      'date_mention.position',
      'date_mention.paragraph',
      'date_mention.span_start',
      'date_mention.span_end',
      'date_mention.text',
      'date_mention.date',
    ]);
}

/** The dates each cable's text gives, in body order. */
export async function dateMentionsOfCables(db: Kysely<Database>, cableIds: readonly number[]): Promise<DateMentionRow[]> {
  if (cableIds.length === 0) return [];
  return dateMentionQuery(db)
    .where('date_mention.cable_id', 'in', [...cableIds])
    .orderBy('date_mention.cable_id')
    .orderBy('date_mention.position')
    .execute();
}

/** The dates each paragraph's text gives, in body order. */
export async function dateMentionsOfParagraphs(db: Kysely<Database>, keys: readonly ParagraphKey[]): Promise<DateMentionRow[]> {
  if (keys.length === 0) return [];
  return dateMentionQuery(db)
    .where(inParagraphs(keys, 'date_mention'))
    .orderBy('date_mention.cable_id')
    .orderBy('date_mention.position')
    .execute();
}
