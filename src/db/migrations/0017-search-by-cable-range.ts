import { sql, type Kysely } from 'kysely';

// The full-text index also holds each paragraph's cable id (btree_gin), so that a search reading
// a range of the latest cables (searchWindow, src/db/read-search.ts) finds its matches within the
// range in the index itself. With the words alone in the index, every such read decoded the whole
// posting list of each word however narrow the range, then intersected it with the primary key's
// range: 87 ms and 22 ms for "prime minister said" and the latest 1/32 of the full-size synthetic
// corpus's cables. With the cable id beside them, GIN steps through the range's paragraphs and
// looks each word up only there, skipping the rest of its posting tree: 14–18 ms for the same read
// (docs/PERFORMANCE.md, "Search within the index").
// The index keeps its name: the ingest merges its pending list by it (mergeSearchPendingList).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists btree_gin`.execute(db);
  await sql`create index paragraph_search_range_idx on paragraph using gin (search, cable_id)`.execute(db);
  await sql`drop index paragraph_search_idx`.execute(db);
  await sql`alter index paragraph_search_range_idx rename to paragraph_search_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index paragraph_search_words_idx on paragraph using gin (search)`.execute(db);
  await sql`drop index paragraph_search_idx`.execute(db);
  await sql`alter index paragraph_search_words_idx rename to paragraph_search_idx`.execute(db);
}
