import { sql, type Kysely } from 'kysely';

// A cable's mentions go with it through a statement trigger on `cable`, not a foreign key. The key
// checked every mention inserted against `cable`, a lookup and a row lock each: ~40% of inserting
// them (a chunk of 102,850 person mentions of the full-size synthetic corpus: 0.98–1.19 s with it,
// 0.61–0.68 s without, psql), and an ingest of the full release inserts 24 million. Mentions are
// written only by the ingest, in the transaction that writes their cable, so none can name a cable
// that is not there; what the key still did, removing them with their cable, the trigger does.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mention drop constraint mention_cable_id_fkey`.execute(db);
  await sql`
    create function mention_cables_deleted() returns trigger language plpgsql as $$
    begin
      delete from mention where cable_id in (select id from deleted_cables);
      return null;
    end $$
  `.execute(db);
  await sql`
    create trigger cable_mentions_deleted after delete on cable
    referencing old table as deleted_cables for each statement execute function mention_cables_deleted()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger cable_mentions_deleted on cable`.execute(db);
  await sql`drop function mention_cables_deleted()`.execute(db);
  await sql`
    alter table mention add constraint mention_cable_id_fkey foreign key (cable_id) references cable (id) on delete cascade
  `.execute(db);
}
