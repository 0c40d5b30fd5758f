// Per-request loaders for cables and what hangs off them: one SQL statement per level of a query.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import {
  cablesByIds,
  cablesByRefs,
  paragraphsByCableIds,
  referencesByCableIds,
  referencingCables,
  type CableRow,
  type ParagraphRow,
  type ReferenceRow,
} from '../db/read-cables.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey, oneByKey } from './group.ts';

export function cableLoaders(db: Kysely<Database>) {
  return {
    cableByRef: new DataLoader<string, CableRow | null>(async (refs) => oneByKey(refs, await cablesByRefs(db, refs), (c) => c.ref)),
    cableById: new DataLoader<number, CableRow | null>(async (ids) => oneByKey(ids, await cablesByIds(db, ids), (c) => c.id)),
    paragraphsByCable: new DataLoader<number, ParagraphRow[]>(async (ids) =>
      groupByKey(ids, await paragraphsByCableIds(db, ids), (p) => p.cable_id),
    ),
    referencesByCable: new DataLoader<number, ReferenceRow[]>(async (ids) =>
      groupByKey(ids, await referencesByCableIds(db, ids), (r) => r.cable_id),
    ),
    referencedBy: new DataLoader<string, CableRow[]>(async (refs) => groupByKey(refs, await referencingCables(db, refs), (c) => c.to_ref)),
  };
}
