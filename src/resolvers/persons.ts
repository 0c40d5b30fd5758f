// Per-request loaders for persons.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import {
  cableRefsOfPersons,
  candidatesOfPersons,
  personsByIds,
  personsOfCables,
  titlesOfPersons,
  type CandidateRow,
  type PersonRow,
  type TitleRow,
} from '../db/read-persons.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey, oneByKey } from './group.ts';

export function personLoaders(db: Kysely<Database>) {
  return {
    personById: new DataLoader<number, PersonRow | null>(async (ids) => oneByKey(ids, await personsByIds(db, ids), (p) => p.id)),
    personsByCable: new DataLoader<number, PersonRow[]>(async (ids) => groupByKey(ids, await personsOfCables(db, ids), (p) => p.cable_id)),
    titlesByPerson: new DataLoader<number, TitleRow[]>(async (ids) => groupByKey(ids, await titlesOfPersons(db, ids), (t) => t.person_id)),
    candidatesByPerson: new DataLoader<number, CandidateRow[]>(async (ids) =>
      groupByKey(ids, await candidatesOfPersons(db, ids), (c) => c.person_id),
    ),
    cableRefsByPerson: new DataLoader<number, string[]>(async (ids) =>
      groupByKey(ids, await cableRefsOfPersons(db, ids), (r) => r.person_id).map((rows) => rows.map((r) => r.ref)),
    ),
  };
}
