import type { Kysely } from 'kysely';

// The person mentions of an ingest's cables, held back until the end of the run: their persons are
// known only once the run's surname blocks are clustered (graph_pending_surname), and putting them
// in `mention` with no person, then pointing every one of them at its person, wrote each row twice
// (with its four indexes). Settling moves a cable's rows into `mention`, with their persons, just
// before it adds the cable's co-mention evidence; every cable with rows here is in
// graph_pending_cable. Written in the batch's own transaction, so a run killed midway leaves them
// for the next ingest (or the next server start) to settle.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('graph_pending_mention')
    // No foreign key: its check cost two thirds of the insert (2.0 of 3.0 s for the 530,000 person
    // mentions of 10,000 synthetic cables, psql). Cables are never deleted; a rewritten cable's
    // rows are deleted with its other mentions (collectPrevious).
    .addColumn('cable_id', 'integer', (c) => c.notNull())
    .addColumn('paragraph', 'smallint', (c) => c.notNull())
    .addColumn('local_id', 'integer', (c) => c.notNull())
    .addColumn('span_start', 'integer', (c) => c.notNull())
    .addColumn('span_end', 'integer', (c) => c.notNull())
    .addColumn('surface', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .execute();
  // One index: rows are read, moved and deleted by cable (lookups by record give their cable too).
  await db.schema.createIndex('graph_pending_mention_cable_idx').on('graph_pending_mention').column('cable_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('graph_pending_mention').execute();
}
