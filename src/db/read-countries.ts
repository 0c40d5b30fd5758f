// Read queries over countries. A cable is about a country when its text names the country (or
// its people: "Canadian") or one of its TAGS is the country's geographic code.
import { sql, type Kysely, type Selectable } from 'kysely';

import type { ParagraphKey } from './read-paragraphs.ts';
import { inParagraphs } from './read-mentions.ts';
import type { CountryTable, Database } from './schema.ts';
import { MENTION_KIND } from './write-graph.ts';

export type CountryRow = Selectable<CountryTable>;

/**
 * (country_id, cable_id) for every cable about a country, each pair once. The mentions are grouped
 * first so that the (kind, entity_id, cable_id) index is read in order rather than hashed whole.
 */
const cited = sql`(
  select entity_id as country_id, cable_id from mention where kind = ${MENTION_KIND.country} and entity_id is not null group by 1, 2
  union
  select topic.country_id, cable_topic.cable_id from cable_topic join topic on topic.id = cable_topic.topic_id
  where topic.country_id is not null
)`;

export async function countriesByCodes(db: Kysely<Database>, codes: readonly string[]): Promise<CountryRow[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('country')
    .selectAll()
    .where('code', 'in', [...codes])
    .execute();
}

export async function countriesByIds(db: Kysely<Database>, ids: readonly number[]): Promise<CountryRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('country')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** Countries, most-cited first (by how many cables are about them), then by code. */
export async function listCountries(db: Kysely<Database>, offset: number, limit: number): Promise<CountryRow[]> {
  const result = await sql<CountryRow>`
    select country.id, country.code, country.name
    from country left join (select country_id, count(*) as cables from ${cited} as c group by country_id) counts
      on counts.country_id = country.id
    order by coalesce(counts.cables, 0) desc, country.code
    offset ${offset} limit ${limit}
  `.execute(db);
  return result.rows;
}

export async function countCountries(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('country')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Cables about each country, oldest first, as (country_id, cable ref) pairs. */
export async function cableRefsOfCountries(
  db: Kysely<Database>,
  countryIds: readonly number[],
): Promise<{ country_id: number; ref: string }[]> {
  if (countryIds.length === 0) return [];
  const result = await sql<{ country_id: number; ref: string }>`
    select c.country_id, cable.ref
    from ${cited} as c join cable on cable.id = c.cable_id
    where c.country_id = any(${[...countryIds]}::int[])
    order by c.country_id, cable.date nulls first, cable.id
  `.execute(db);
  return result.rows;
}

/**
 * The countries each cable is about: those its text names, in order of first mention, then those
 * only its TAGS give, in TAGS order. As (cable_id, country) pairs.
 */
export async function countriesOfCables(db: Kysely<Database>, cableIds: readonly number[]): Promise<(CountryRow & { cable_id: number })[]> {
  if (cableIds.length === 0) return [];
  const result = await sql<CountryRow & { cable_id: number }>`
    select c.cable_id, country.id, country.code, country.name
    from (
      select cable_id, country_id, min(named) as named, min(tagged) as tagged from (
        select cable_id, entity_id as country_id, span_start as named, null::int as tagged from mention
        where kind = ${MENTION_KIND.country} and entity_id is not null and cable_id = any(${[...cableIds]}::int[])
        union all
        select cable_topic.cable_id, topic.country_id, null, cable_topic.position from cable_topic join topic on topic.id = cable_topic.topic_id
        where topic.country_id is not null and cable_topic.cable_id = any(${[...cableIds]}::int[])
      ) evidence group by cable_id, country_id
    ) c join country on country.id = c.country_id
    order by c.cable_id, c.named nulls last, c.tagged, country.code
  `.execute(db);
  return result.rows;
}

/** The countries each paragraph names, in order of first mention, as (cable_id, paragraph, country). */
export async function countriesOfParagraphs(
  db: Kysely<Database>,
  keys: readonly ParagraphKey[],
): Promise<(CountryRow & { cable_id: number; paragraph: number })[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('mention')
        .select(['cable_id', 'paragraph', 'entity_id', (e) => e.fn.min('span_start').as('first')])
        .where('kind', '=', MENTION_KIND.country)
        .where('entity_id', 'is not', null)
        .where(inParagraphs(keys, 'mention'))
        .groupBy(['cable_id', 'paragraph', 'entity_id'])
        .as('m'),
    )
    .innerJoin('country', 'country.id', 'm.entity_id')
    .select(['m.cable_id', 'm.paragraph', 'country.id', 'country.code', 'country.name'])
    .orderBy('m.cable_id')
    .orderBy('m.paragraph')
    .orderBy('m.first')
    .execute();
}
