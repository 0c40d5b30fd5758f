import type { Kysely } from 'kysely';

// Traversals of the entity API that start from a key no index led from: the persons of a country
// (Country.persons). Mentions by (kind, entity) and by (cable, paragraph), cable topics by topic and
// cable records by person or organization are indexed since 0002.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('person_country_idx').on('person').columns(['country_id', 'cable_count']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('person_country_idx').execute();
}
