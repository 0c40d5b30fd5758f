// Per-request loaders for mentions and date mentions.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import {
  dateMentionsOfCables,
  dateMentionsOfParagraphs,
  mentionsOfCables,
  mentionsOfEntities,
  mentionsOfParagraphs,
  type DateMentionRow,
  type MentionRow,
} from '../db/read-mentions.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey } from './group.ts';
import { paragraphListKey, parseParagraphListKeys } from './paragraphs.ts';

const byParagraph = (row: { cable_id: number; paragraph: number }) => paragraphListKey({ cable_id: row.cable_id, position: row.paragraph });

export function mentionLoaders(db: Kysely<Database>) {
  return {
    mentionsByCable: new DataLoader<number, MentionRow[]>(async (ids) =>
      groupByKey(ids, await mentionsOfCables(db, ids), (m) => m.cable_id),
    ),
    /** Keyed by paragraphListKey. */
    mentionsByParagraph: new DataLoader<string, MentionRow[]>(async (keys) =>
      groupByKey(keys, await mentionsOfParagraphs(db, parseParagraphListKeys(keys)), byParagraph),
    ),
    mentionsByPerson: new DataLoader<number, MentionRow[]>(async (ids) =>
      groupByKey(ids, await mentionsOfEntities(db, 'person', ids), (m) => m.entity_id!),
    ),
    mentionsByOrganization: new DataLoader<number, MentionRow[]>(async (ids) =>
      groupByKey(ids, await mentionsOfEntities(db, 'organization', ids), (m) => m.entity_id!),
    ),
    datesByCable: new DataLoader<number, DateMentionRow[]>(async (ids) =>
      groupByKey(ids, await dateMentionsOfCables(db, ids), (d) => d.cable_id),
    ),
    /** Keyed by paragraphListKey. */
    datesByParagraph: new DataLoader<string, DateMentionRow[]>(async (keys) =>
      groupByKey(keys, await dateMentionsOfParagraphs(db, parseParagraphListKeys(keys)), byParagraph),
    ),
  };
}
