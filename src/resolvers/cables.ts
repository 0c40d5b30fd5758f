// Per-request loaders for cables and what hangs off them: one SQL statement per level of a query.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import {
  cablesByIds,
  cableHeadersByIds,
  cablesByRefs,
  cableTextsByIds,
  paragraphsByCableIds,
  referencesByCableIds,
  referencingCables,
  type CableHeaderRow,
  type CableRow,
  type CableTextRow,
  type ParagraphRow,
  type ReferenceRow,
} from '../db/read-cables.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey, oneByKey } from './group.ts';

export function cableLoaders(db: Kysely<Database>) {
  // A cable read by ref is known by id too, and the other way round: no second statement for it.
  const cableByRef: DataLoader<string, CableRow | null> = new DataLoader(async (refs) => {
    const rows = await cablesByRefs(db, refs);
    for (const row of rows) cableById.prime(row.id, row);
    return oneByKey(refs, rows, (c) => c.ref);
  });
  const cableById: DataLoader<number, CableRow | null> = new DataLoader(async (ids) => {
    const rows = await cablesByIds(db, ids);
    for (const row of rows) cableByRef.prime(row.ref, row);
    return oneByKey(ids, rows, (c) => c.id);
  });
  return {
    cableByRef,
    cableById,
    /** TAGS, DECL, Classified By, signers, addressees and source: read only for the cables a query asks them of. */
    cableHeaderById: new DataLoader<number, CableHeaderRow | null>(async (ids) =>
      oneByKey(ids, await cableHeadersByIds(db, ids), (c) => c.id),
    ),
    /** Summary, header and body: read only for the cables a query asks them of. */
    cableTextById: new DataLoader<number, CableTextRow | null>(async (ids) => oneByKey(ids, await cableTextsByIds(db, ids), (c) => c.id)),
    paragraphsByCable: new DataLoader<number, ParagraphRow[]>(async (ids) =>
      groupByKey(ids, await paragraphsByCableIds(db, ids), (p) => p.cable_id),
    ),
    referencesByCable: new DataLoader<number, ReferenceRow[]>(async (ids) =>
      groupByKey(ids, await referencesByCableIds(db, ids), (r) => r.cable_id),
    ),
    referencedBy: new DataLoader<string, CableRow[]>(async (refs) => groupByKey(refs, await referencingCables(db, refs), (c) => c.to_ref)),
  };
}
