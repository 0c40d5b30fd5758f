import type { Kysely } from 'kysely';

// Work an ingest leaves for the end of its run instead of doing it batch after batch: the cables
// whose co-mention evidence is not yet in `edge`, and the entities whose counts are out of date.
// Both are written in the batch's own transaction, so a run killed midway leaves them behind for
// the next ingest (or the next server start) to finish.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('graph_pending_cable')
    .addColumn('cable_id', 'integer', (c) => c.primaryKey().references('cable.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createTable('graph_stale_count')
    .addColumn('kind', 'smallint', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('graph_stale_count_pkey', ['kind', 'entity_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('graph_stale_count').execute();
  await db.schema.dropTable('graph_pending_cable').execute();
}
