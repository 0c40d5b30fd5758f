// Per-request loaders for persons.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import {
  cablesOfPersons,
  cableTotalsOfPersons,
  candidatesOfPersons,
  localPersonsOfCables,
  membersOfOrganizations,
  personsByIds,
  personsOfCables,
  personsOfCountries,
  personsOfParagraphs,
  titlesOfPersons,
  type CandidateRow,
  type LocalPersonRow,
  type PersonCableRow,
  type PersonRow,
  type TitleRow,
} from '../db/read-persons.ts';
import { findOfficial } from '../db/resolve/officials.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey, oneByKey } from './group.ts';
import { paragraphListKey, parseParagraphListKeys } from './paragraphs.ts';

/** What a cable's header says about who wrote it: the names as given. */
export interface CableOfficialNames {
  cableId: number;
  signers: string[];
  classifiedBy: string | null;
}

/** The individuals behind those names; a name no person of the cable answers to is left out. */
export interface CableOfficials {
  signers: PersonRow[];
  classifiedBy: PersonRow | null;
}

function officialsOf(names: CableOfficialNames, locals: LocalPersonRow[]): CableOfficials {
  const candidates = locals.map((row) => ({ name: row.local_name, aliases: row.local_aliases, row }));
  const signers = new Map<number, PersonRow>();
  for (const name of names.signers) {
    const found = findOfficial(name, candidates);
    if (found) signers.set(found.row.id, found.row);
  }
  const classifiedBy = names.classifiedBy ? (findOfficial(names.classifiedBy, candidates)?.row ?? null) : null;
  return { signers: [...signers.values()], classifiedBy };
}

export function personLoaders(db: Kysely<Database>) {
  // One loader per prefix length: the persons of one level of a query share their page arguments,
  // so they still batch into one statement.
  const cablesByLimit = new Map<number | null, DataLoader<number, PersonCableRow[]>>();
  return {
    personById: new DataLoader<number, PersonRow | null>(async (ids) => oneByKey(ids, await personsByIds(db, ids), (p) => p.id)),
    personsByCable: new DataLoader<number, PersonRow[]>(async (ids) => groupByKey(ids, await personsOfCables(db, ids), (p) => p.cable_id)),
    titlesByPerson: new DataLoader<number, TitleRow[]>(async (ids) => groupByKey(ids, await titlesOfPersons(db, ids), (t) => t.person_id)),
    candidatesByPerson: new DataLoader<number, CandidateRow[]>(async (ids) =>
      groupByKey(ids, await candidatesOfPersons(db, ids), (c) => c.person_id),
    ),
    /** How many cables name each person: the length of the list cablesByPerson pages through. */
    cableTotalByPerson: new DataLoader<number, number>(async (ids) => {
      const totals = new Map((await cableTotalsOfPersons(db, ids)).map((row) => [row.person_id, row.total]));
      return ids.map((id) => totals.get(id) ?? 0);
    }),
    /** The first `limit` cables naming each person (null: all), oldest first. */
    cablesByPerson(limit: number | null): DataLoader<number, PersonCableRow[]> {
      let loader = cablesByLimit.get(limit);
      if (!loader) {
        loader = new DataLoader(async (ids) => groupByKey(ids, await cablesOfPersons(db, ids, limit), (row) => row.person_id));
        cablesByLimit.set(limit, loader);
      }
      return loader;
    },
    /** Keyed by paragraphListKey. */
    personsByParagraph: new DataLoader<string, PersonRow[]>(async (keys) =>
      groupByKey(keys, await personsOfParagraphs(db, parseParagraphListKeys(keys)), (p) =>
        paragraphListKey({ cable_id: p.cable_id, position: p.paragraph }),
      ),
    ),
    personsByCountry: new DataLoader<number, PersonRow[]>(async (ids) =>
      groupByKey(ids, await personsOfCountries(db, ids), (p) => p.country_id!),
    ),
    /** An organization's members, each with `evidence`: how many cables tie the two. */
    membersByOrganization: new DataLoader<number, (PersonRow & { evidence: number })[]>(async (ids) =>
      groupByKey(ids, await membersOfOrganizations(db, ids), (p) => p.organization_id),
    ),
    /** Signers and the Classified By official of a cable, as persons of the graph. */
    officialsByCable: new DataLoader<CableOfficialNames, CableOfficials, number>(
      async (cables) => {
        const locals = groupByKey(
          cables.map((c) => c.cableId),
          await localPersonsOfCables(
            db,
            cables.map((c) => c.cableId),
          ),
          (row) => row.cable_id,
        );
        return cables.map((names, i) => officialsOf(names, locals[i]!));
      },
      { cacheKeyFn: (names) => names.cableId },
    ),
  };
}
