// Read queries over paragraphs as nodes of their own: fetched again by (cable ref, position).
import type { Kysely } from 'kysely';

import type { ParagraphRow } from './read-cables.ts';
import type { Database } from './schema.ts';

/** A paragraph with the ref of its cable, which its global id is made of. */
export type ParagraphNodeRow = ParagraphRow & { ref: string };

/** Where a paragraph sits: its cable's database id and its position in that cable. */
export interface ParagraphKey {
  cableId: number;
  position: number;
}

export async function paragraphsByRefPositions(
  db: Kysely<Database>,
  keys: readonly { ref: string; position: number }[],
): Promise<ParagraphNodeRow[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('paragraph')
    .innerJoin('cable', 'cable.id', 'paragraph.cable_id')
    .select([
      'paragraph.cable_id',
      'paragraph.position',
      'paragraph.number',
      'paragraph.marking',
      'paragraph.text',
      'paragraph.span_start',
      'paragraph.span_end',
      'cable.ref',
    ])
    .where(({ eb, refTuple, tuple }) =>
      eb(
        refTuple('cable.ref', 'paragraph.position'),
        'in',
        keys.map((key) => tuple(key.ref, key.position)),
      ),
    )
    .execute();
}
