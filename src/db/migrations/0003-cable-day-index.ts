import type { Kysely } from 'kysely';

// Timelines count cables per day before grouping days into months or years: over a plain index on
// the date that is an index-only scan of a few megabytes, where the (coalesce(date), id) index of
// 0001 cannot serve one and the cable heap (bodies, headers) is hundreds of megabytes at full scale.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('cable_day_idx').on('cable').column('date').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('cable_day_idx').execute();
}
