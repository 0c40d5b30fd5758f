// Per-request loaders for paragraphs as nodes, and the keys that batch per-paragraph lists.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import { paragraphsByRefPositions, type ParagraphKey, type ParagraphNodeRow } from '../db/read-paragraphs.ts';
import type { Database } from '../db/schema.ts';
import { splitSentences, type Span } from '../extract/sentences.ts';
import { oneByKey } from './group.ts';

/** "03OTTAWA692:3": a paragraph by its cable's ref and its position, the id it is fetched again by. */
export function paragraphNodeKey(ref: string, position: number): string {
  return `${ref}:${position}`;
}

/** The ref and position of a node key; null when the key is not of that form. */
export function parseParagraphNodeKey(key: string): { ref: string; position: number } | null {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(key);
  return match ? { ref: match[1]!, position: Number(match[2]) } : null;
}

/** Batch key of per-paragraph lists: the cable's database id and the position. */
export function paragraphListKey(row: { cable_id: number; position: number }): string {
  return `${row.cable_id}:${row.position}`;
}

export function parseParagraphListKeys(keys: readonly string[]): ParagraphKey[] {
  return keys.map((key) => {
    const [cableId, position] = key.split(':').map(Number);
    return { cableId: cableId!, position: position! };
  });
}

export function paragraphLoaders(db: Kysely<Database>) {
  const paragraphByKey = new DataLoader<string, ParagraphNodeRow | null>(async (keys) => {
    const parsed = keys.map(parseParagraphNodeKey).filter((key) => key !== null);
    const rows = await paragraphsByRefPositions(db, parsed);
    return oneByKey(keys, rows, (row) => paragraphNodeKey(row.ref, row.position));
  });
  return {
    paragraphByKey,
    /** Sentence spans of a paragraph's text, split once per request whatever asks for them. */
    sentencesByParagraph: new DataLoader<{ key: string; text: string }, Span[], string>(
      async (paragraphs) => paragraphs.map((paragraph) => splitSentences(paragraph.text)),
      { cacheKeyFn: (paragraph) => paragraph.key },
    ),
  };
}
