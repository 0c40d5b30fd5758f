import type { Kysely } from 'kysely';

// Person resolution an ingest leaves for the end of its run: the surname blocks whose records
// changed (new, rewritten or derived records) and have not been clustered again since. Written in
// the batch's own transaction, like graph_pending_cable, so that a run killed midway leaves them
// for the next ingest (or the next server start) to resolve.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('graph_pending_surname')
    .addColumn('surname_key', 'text', (c) => c.primaryKey())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('graph_pending_surname').execute();
}
