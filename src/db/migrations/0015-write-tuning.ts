import { sql, type Kysely } from 'kysely';

// Storage settings for an index and a table that every ingest batch or settling step writes
// and reads again at once (docs/PERFORMANCE.md,
// "Organizations by form key, edge pages with room, mentions without a foreign key").
//
// organization_forms_idx keeps no GIN pending list. An ingest batch looks its organizations up a
// form key at a time (joinKnownOrganizations, src/db/write-graph.ts), and each lookup of a GIN
// index reads the whole pending list: 745 keys took 414 ms with a list of a few pages, 3.5 ms
// without one (psql, a 10,000-cable synthetic ingest). The table gains a few thousand rows an
// ingest, so writing each into the index at once costs little.
//
// `edge` leaves 30% of each page free. Settling adds to the counts of edges that exist already
// (an upsert); with room on the page PostgreSQL writes the new version beside the old one and
// touches neither index (a heap-only update). Upserting 100,000 existing edges took 0.43–0.57 s
// with it and 0.96–1.02 s without it (psql, the same database). Only pages written from now on
// keep the room.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter index organization_forms_idx set (fastupdate = off)`.execute(db);
  // Turning it off leaves what the list holds already: merged into the index now.
  await sql`select gin_clean_pending_list('organization_forms_idx'::regclass)`.execute(db);
  await sql`alter table edge set (fillfactor = 70)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table edge reset (fillfactor)`.execute(db);
  await sql`alter index organization_forms_idx reset (fastupdate)`.execute(db);
}
