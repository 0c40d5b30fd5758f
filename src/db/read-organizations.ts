// Read queries over resolved organizations, and the affiliations of persons with them.
import { sql, type Kysely, type Selectable } from 'kysely';

import type { ParagraphKey } from './read-paragraphs.ts';
import { inParagraphs } from './read-mentions.ts';
import type { Database, OrganizationTable } from './schema.ts';
import { MENTION_KIND } from './write-graph.ts';

export type OrganizationRow = Omit<Selectable<OrganizationTable>, 'form_keys'> & {
  country_code: string | null;
  country_name: string | null;
};

export interface OrganizationFilter {
  /** Part of a name or alias, case-insensitive. */
  name?: string | null;
  /** ISO code or English name of the organization's country. */
  country?: string | null;
  kind?: string | null;
}

const ORGANIZATION_COLUMNS = [
  'organization.id',
  'organization.key',
  'organization.name',
  'organization.aliases',
  'organization.kind',
  'organization.country_id',
  'organization.cable_count',
  'organization.mention_count',
] as const;

function organizationQuery(db: Kysely<Database>) {
  return db
    .selectFrom('organization')
    .leftJoin('country', 'country.id', 'organization.country_id')
    .select(ORGANIZATION_COLUMNS)
    .select(['country.code as country_code', 'country.name as country_name']);
}

export async function organizationsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<OrganizationRow[]> {
  if (ids.length === 0) return [];
  return organizationQuery(db)
    .where('organization.id', 'in', [...ids])
    .execute();
}

function filtered(db: Kysely<Database>, filter: OrganizationFilter) {
  let query = organizationQuery(db);
  if (filter.name?.trim()) {
    const pattern = `%${filter.name.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('organization.name', 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom(sql`unnest(organization.aliases)`.as('alias'))
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
  if (filter.kind) query = query.where('organization.kind', '=', filter.kind);
  return query;
}

/** Organizations matching a filter, most-cited first. */
export async function listOrganizations(
  db: Kysely<Database>,
  filter: OrganizationFilter,
  offset: number,
  limit: number,
): Promise<OrganizationRow[]> {
  return filtered(db, filter).orderBy('organization.cable_count', 'desc').orderBy('organization.id').offset(offset).limit(limit).execute();
}

export async function countOrganizations(db: Kysely<Database>, filter: OrganizationFilter): Promise<number> {
  const row = await filtered(db, filter)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The organizations each cable names, in order of first appearance, as (cable_id, organization). */
export async function organizationsOfCables(
  db: Kysely<Database>,
  cableIds: readonly number[],
): Promise<(OrganizationRow & { cable_id: number })[]> {
  if (cableIds.length === 0) return [];
  return organizationQuery(db)
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('cable_organization')
          .select(['cable_id', 'organization_id', (e) => e.fn.min('local_index').as('first')])
          .where('cable_id', 'in', [...cableIds])
          .where('organization_id', 'is not', null)
          .groupBy(['cable_id', 'organization_id'])
          .as('co'),
      (join) => join.onRef('co.organization_id', '=', 'organization.id'),
    )
    .select('co.cable_id')
    .orderBy('co.cable_id')
    .orderBy('co.first')
    .execute() as Promise<(OrganizationRow & { cable_id: number })[]>;
}

/** The organizations each paragraph names, in order of first mention. */
export async function organizationsOfParagraphs(
  db: Kysely<Database>,
  keys: readonly ParagraphKey[],
): Promise<(OrganizationRow & { cable_id: number; paragraph: number })[]> {
  if (keys.length === 0) return [];
  return organizationQuery(db)
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('mention')
          .select(['cable_id', 'paragraph', 'entity_id', (e) => e.fn.min('span_start').as('first')])
          .where('kind', '=', MENTION_KIND.organization)
          .where('entity_id', 'is not', null)
          .where(inParagraphs(keys, 'mention'))
          .groupBy(['cable_id', 'paragraph', 'entity_id'])
          .as('m'),
      (join) => join.onRef('m.entity_id', '=', 'organization.id'),
    )
    .select(['m.cable_id', 'm.paragraph'])
    .orderBy('m.cable_id')
    .orderBy('m.paragraph')
    .orderBy('m.first')
    .execute() as Promise<(OrganizationRow & { cable_id: number; paragraph: number })[]>;
}

/** Cables naming each organization, oldest first, as (organization_id, cable ref) pairs. */
export async function cableRefsOfOrganizations(
  db: Kysely<Database>,
  organizationIds: readonly number[],
): Promise<{ organization_id: number; ref: string }[]> {
  if (organizationIds.length === 0) return [];
  const result = await sql<{ organization_id: number; ref: string }>`
    select co.organization_id, cable.ref
    from (select distinct organization_id, cable_id from cable_organization where organization_id = any(${[...organizationIds]}::int[])) co
    join cable on cable.id = co.cable_id
    order by co.organization_id, cable.date nulls first, cable.id
  `.execute(db);
  return result.rows;
}

/**
 * Affiliation evidence: a cable ties a person to an organization when it writes them together
 * ("PCO's Rob Fonberg", "Foreign Affairs Assistant Deputy Minister Jim Wright"): the extraction
 * lists the organization among that cable person's organizations, and the name (line breaks and
 * case aside) is one of the forms of the cable's own organization records, which resolution links
 * to an organization. One row per (person, organization) with the number of cables saying so.
 * Mere co-mention (edge kind 2) is not affiliation: the graph's co-mention fields serve that.
 */
export function affiliationEvidence(side: 'person' | 'organization', ids: readonly number[]) {
  const where = side === 'person' ? sql`cp.person_id = any(${[...ids]}::int[])` : sql`co.organization_id = any(${[...ids]}::int[])`;
  return sql`(
    select cp.person_id, co.organization_id, count(distinct cp.cable_id)::int as cables
    from cable_person cp
    join cable_organization co on co.cable_id = cp.cable_id
    where ${where} and cp.person_id is not null and co.organization_id is not null and cardinality(cp.organizations) > 0
      and exists (
        select 1 from unnest(cp.organizations) as stated(name), unnest(array_prepend(co.name, co.aliases)) as form(name)
        where lower(regexp_replace(stated.name, '\\s+', ' ', 'g')) = lower(regexp_replace(form.name, '\\s+', ' ', 'g'))
      )
    group by cp.person_id, co.organization_id
  )`;
}

/** The organizations each person is affiliated with, best attested first, with the evidence. */
export async function affiliationsOfPersons(
  db: Kysely<Database>,
  personIds: readonly number[],
): Promise<(OrganizationRow & { person_id: number; evidence: number })[]> {
  if (personIds.length === 0) return [];
  const result = await sql<OrganizationRow & { person_id: number; evidence: number }>`
    select a.person_id, a.cables as evidence, ${sql.join(ORGANIZATION_COLUMNS.map((column) => sql.ref(column)))},
           country.code as country_code, country.name as country_name
    from ${affiliationEvidence('person', personIds)} a
    join organization on organization.id = a.organization_id
    left join country on country.id = organization.country_id
    order by a.person_id, a.cables desc, organization.cable_count desc, organization.id
  `.execute(db);
  return result.rows;
}
