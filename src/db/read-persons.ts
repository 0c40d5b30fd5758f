// Read queries over resolved persons.
import { sql, type Kysely, type Selectable } from 'kysely';

import { anyInt, CABLE_COLUMNS, type CableRow } from './read-cables.ts';
import { affiliationEvidence } from './read-organizations.ts';
import { inParagraphs } from './read-mentions.ts';
import type { ParagraphKey } from './read-paragraphs.ts';
import { precompiled } from './precompiled.ts';
import type { Database, PersonTable } from './schema.ts';
import { MENTION_KIND } from './write-graph.ts';

export type PersonRow = Selectable<PersonTable> & { country_code: string | null; country_name: string | null };

export interface PersonFilter {
  /** Part of a name or alias, case- and accent-insensitive. */
  name?: string | null;
  /** ISO code or English name of the person's country. */
  country?: string | null;
  /** Part of any title the cables give the person, case-insensitive. */
  title?: string | null;
}

/** `%part%` for ILIKE, with the pattern characters of `part` taken literally. */
function containing(part: string): string {
  return `%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function personQuery(db: Kysely<Database>) {
  return db
    .selectFrom('person')
    .leftJoin('country', 'country.id', 'person.country_id')
    .selectAll('person')
    .select(['country.code as country_code', 'country.name as country_name']);
}

const selectPersonsByIds = precompiled((db, ids: readonly number[]) => personQuery(db).where('person.id', '=', anyInt(ids)));

export async function personsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return selectPersonsByIds(db, ids);
}

const selectPersonsOfCables = precompiled((db, cableIds: readonly number[]) =>
  personQuery(db)
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('cable_person')
          .select(['cable_id', 'person_id', (e) => e.fn.min('local_index').as('first')])
          .where('cable_id', '=', anyInt(cableIds))
          .where('person_id', 'is not', null)
          .groupBy(['cable_id', 'person_id'])
          .as('cp'),
      (join) => join.onRef('cp.person_id', '=', 'person.id'),
    )
    .select('cp.cable_id')
    .orderBy('cp.cable_id')
    .orderBy('cp.first'),
);

/** Persons named in each cable, in order of first appearance, as (cable_id, person) pairs. */
export async function personsOfCables(db: Kysely<Database>, cableIds: readonly number[]): Promise<(PersonRow & { cable_id: number })[]> {
  if (cableIds.length === 0) return [];
  return selectPersonsOfCables(db, cableIds) as Promise<(PersonRow & { cable_id: number })[]>;
}

function filtered(db: Kysely<Database>, filter: PersonFilter) {
  let query = personQuery(db);
  if (filter.name?.trim()) {
    const pattern = containing(filter.name.trim());
    query = query.where((eb) =>
      eb.or([
        eb('person.name', 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom(sql`unnest(person.aliases)`.as('alias'))
            .select(sql`1`.as('one'))
            .where(sql<boolean>`alias ilike ${pattern}`),
        ),
      ]),
    );
  }
  if (filter.country?.trim()) {
    const country = filter.country.trim();
    query = query.where((eb) =>
      eb.or([eb('country.code', '=', country.toUpperCase()), eb(sql`lower(country.name)`, '=', country.toLowerCase())]),
    );
  }
  if (filter.title?.trim()) {
    const pattern = containing(filter.title.trim());
    // The titles Person.titles lists: those of the person's per-cable records.
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('cable_person')
          .select(sql`1`.as('one'))
          .whereRef('cable_person.person_id', '=', 'person.id')
          .where(sql<boolean>`exists (select 1 from unnest(cable_person.titles) as title where title ilike ${pattern})`),
      ),
    );
  }
  return query;
}

/** Persons matching a filter, most-cited first. */
export async function listPersons(db: Kysely<Database>, filter: PersonFilter, offset: number, limit: number): Promise<PersonRow[]> {
  return filtered(db, filter).orderBy('person.cable_count', 'desc').orderBy('person.id').offset(offset).limit(limit).execute();
}

export async function countPersons(db: Kysely<Database>, filter: PersonFilter): Promise<number> {
  const row = await filtered(db, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface TitleRow {
  person_id: number;
  title: string;
  first_date: string | null;
  last_date: string | null;
  cable_count: number;
  cable_refs: string[];
}

/** Each person's titles with the cables and dates they appear in, earliest first. */
export async function titlesOfPersons(db: Kysely<Database>, personIds: readonly number[]): Promise<TitleRow[]> {
  if (personIds.length === 0) return [];
  const result = await sql<TitleRow>`
    select cp.person_id, t.title, min(c.date)::text as first_date, max(c.date)::text as last_date,
           count(distinct c.id)::int as cable_count,
           array_agg(distinct c.ref) as cable_refs
    from cable_person cp
    cross join lateral unnest(cp.titles) as t(title)
    join cable c on c.id = cp.cable_id
    where cp.person_id = any(${[...personIds]}::int[])
    group by cp.person_id, t.title
    order by cp.person_id, min(c.date) nulls last, t.title
  `.execute(db);
  return result.rows;
}

export interface CandidateRow {
  person_id: number;
  candidate_id: number;
  score: number;
  reason: string;
}

export async function candidatesOfPersons(db: Kysely<Database>, personIds: readonly number[]): Promise<CandidateRow[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('person_candidate')
    .selectAll()
    .where('person_id', 'in', [...personIds])
    .orderBy('score', 'desc')
    .execute();
}

/** A cable naming a person, with its place in the person's list (from 1). */
export type PersonCableRow = CableRow & { person_id: number; place: number };

/**
 * The cables naming each person, oldest first (by date, then id; undated last): the first `limit`
 * of them, or all of them when `limit` is null, each with the person's id.
 */
export async function cablesOfPersons(db: Kysely<Database>, personIds: readonly number[], limit: number | null): Promise<PersonCableRow[]> {
  if (personIds.length === 0) return [];
  return (limit === null ? selectAllCablesOfPersons(db, personIds) : selectFirstCablesOfPersons(db, personIds, limit)) as Promise<
    PersonCableRow[]
  >;
}

// The first cables of each person straight from cable_person (person_id, cable_date, cable_id)
// (0011): a prominent person's first five cost five index entries, not a sort of all of them. A
// person named twice in a cable (two local records) counts that cable once.
const selectFirstCablesOfPersons = precompiled((db, personIds: readonly number[], limit: number) =>
  db
    .selectFrom(sql<{ person_id: number }>`(select unnest(${personIds}::int[]) as person_id)`.as('p'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('cable_person')
          .select(['cable_person.cable_date', 'cable_person.cable_id'])
          .distinct()
          .whereRef('cable_person.person_id', '=', 'p.person_id')
          .orderBy('cable_person.cable_date')
          .orderBy('cable_person.cable_id')
          .limit(limit)
          .as('first'),
      (join) => join.onTrue(),
    )
    .innerJoin('cable', 'cable.id', 'first.cable_id')
    .select(CABLE_COLUMNS)
    .select([
      'p.person_id',
      sql<number>`row_number() over (partition by p.person_id order by first.cable_date, first.cable_id)::int`.as('place'),
    ])
    .orderBy('p.person_id')
    .orderBy('place'),
);

const selectAllCablesOfPersons = precompiled((db, personIds: readonly number[]) =>
  db
    .selectFrom((eb) =>
      eb
        .selectFrom('cable_person')
        .select(['person_id', 'cable_id', 'cable_date'])
        .distinct()
        .where('person_id', '=', anyInt(personIds))
        .as('naming'),
    )
    .innerJoin('cable', 'cable.id', 'naming.cable_id')
    .select(CABLE_COLUMNS)
    .select([
      sql<number>`naming.person_id`.as('person_id'),
      sql<number>`row_number() over (partition by naming.person_id order by naming.cable_date, naming.cable_id)::int`.as('place'),
    ])
    .orderBy('person_id')
    .orderBy('place'),
);

/** How many cables name each person, as (person_id, total); a person named in none is left out. */
export async function cableTotalsOfPersons(
  db: Kysely<Database>,
  personIds: readonly number[],
): Promise<{ person_id: number; total: number }[]> {
  if (personIds.length === 0) return [];
  return selectCableTotalsOfPersons(db, personIds);
}

const selectCableTotalsOfPersons = precompiled((db, personIds: readonly number[]) =>
  db
    .selectFrom('cable_person')
    .select(['person_id', sql<number>`count(distinct cable_id)::int`.as('total')])
    .where('person_id', '=', anyInt(personIds))
    .groupBy('person_id')
    .$narrowType<{ person_id: number }>(),
);

/** The persons each paragraph names, in order of first mention, as (cable_id, paragraph, person). */
export async function personsOfParagraphs(
  db: Kysely<Database>,
  keys: readonly ParagraphKey[],
): Promise<(PersonRow & { cable_id: number; paragraph: number })[]> {
  if (keys.length === 0) return [];
  return selectPersonsOfParagraphs(db, ...keys.flatMap((key) => [key.cableId, key.position])) as Promise<
    (PersonRow & { cable_id: number; paragraph: number })[]
  >;
}

// The pairs as `in ((…), …)` of separate parameters, one compiled statement per batch size: with
// both as arrays (unnest), PostgreSQL's generic plan for the prepared statement scanned all persons.
const selectPersonsOfParagraphs = precompiled((db, ...pairs: number[]) =>
  personQuery(db)
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('mention')
          .select(['cable_id', 'paragraph', 'entity_id', (e) => e.fn.min('span_start').as('first')])
          .where('kind', '=', MENTION_KIND.person)
          .where('entity_id', 'is not', null)
          .where(
            inParagraphs(
              Array.from({ length: pairs.length / 2 }, (_, i) => ({ cableId: pairs[2 * i]!, position: pairs[2 * i + 1]! })),
              'mention',
            ),
          )
          .groupBy(['cable_id', 'paragraph', 'entity_id'])
          .as('m'),
      (join) => join.onRef('m.entity_id', '=', 'person.id'),
    )
    .select(['m.cable_id', 'm.paragraph'])
    .orderBy('m.cable_id')
    .orderBy('m.paragraph')
    .orderBy('m.first'),
);

/** The persons affiliated with each country, most-cited first. */
export async function personsOfCountries(db: Kysely<Database>, countryIds: readonly number[]): Promise<PersonRow[]> {
  if (countryIds.length === 0) return [];
  return personQuery(db)
    .where('person.country_id', 'in', [...countryIds])
    .orderBy('person.country_id')
    .orderBy('person.cable_count', 'desc')
    .orderBy('person.id')
    .execute();
}

/** The persons affiliated with each organization (see affiliationEvidence), best attested first. */
export async function membersOfOrganizations(
  db: Kysely<Database>,
  organizationIds: readonly number[],
): Promise<(PersonRow & { organization_id: number; evidence: number })[]> {
  if (organizationIds.length === 0) return [];
  const result = await sql<PersonRow & { organization_id: number; evidence: number }>`
    select a.organization_id, a.cables as evidence, person.*, country.code as country_code, country.name as country_name
    from ${affiliationEvidence('organization', organizationIds)} a
    join person on person.id = a.person_id
    left join country on country.id = person.country_id
    order by a.organization_id, a.cables desc, person.cable_count desc, person.id
  `.execute(db);
  return result.rows;
}

/** A cable's own person record (name as that cable gives it) with the individual it resolved to. */
export type LocalPersonRow = PersonRow & { cable_id: number; local_index: number; local_name: string; local_aliases: string[] };

/** The resolved person records of each cable, in cable order: what signers and officials are matched against. */
export async function localPersonsOfCables(db: Kysely<Database>, cableIds: readonly number[]): Promise<LocalPersonRow[]> {
  if (cableIds.length === 0) return [];
  return personQuery(db)
    .innerJoin('cable_person', 'cable_person.person_id', 'person.id')
    .select([
      'cable_person.cable_id',
      'cable_person.local_index',
      'cable_person.name as local_name',
      'cable_person.aliases as local_aliases',
    ])
    .where('cable_person.cable_id', 'in', [...cableIds])
    .orderBy('cable_person.cable_id')
    .orderBy('cable_person.local_index')
    .execute();
}
