import { sql, type Kysely } from 'kysely';

// What extraction knows of each surname, kept as records come and go, for src/db/resolve/
// known-surnames.ts: every batch asks, for each surname it names, in how many cables extraction
// found a record of it and every distinct way a record writes it. Read from cable_person, that
// costs every record of the surname, in every batch: thousands for a common surname, and more as
// the graph grows (from ~0.25 to ~4.4 ms a cable over the first 118,800 cables of the full-size
// corpus). Here it is one row per surname and one per distinct writing.
//
// Triggers on cable_person keep both exact whatever writes it (ingest, a rewrite, a deleted
// cable's cascade). Records are never changed in place in the columns these depend on (they are
// deleted and written again), and a trigger refuses such an update rather than let the facts drift.
// DERIVED_LOCAL_INDEX of src/db/resolve/known-surnames.ts, as it was when this migration was written.
const DERIVED_LOCAL_INDEX = 30_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per distinct (name, aliases, titled, derived) of a surname, with how many records write
  // it so. `writing` stands for name and aliases in the key: an index entry of the texts
  // themselves could outgrow what a btree page holds.
  await db.schema
    .createTable('surname_writing')
    .addColumn('surname_key', 'text', (c) => c.notNull())
    .addColumn('writing', 'text', (c) => c.notNull())
    .addColumn('titled', 'boolean', (c) => c.notNull())
    .addColumn('derived', 'boolean', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', sql`text[]`, (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('surname_writing_pkey', ['surname_key', 'writing', 'titled', 'derived'])
    .execute();
  // Cables holding a record of the surname that extraction found (not derived from other cables).
  await db.schema
    .createTable('surname_cables')
    .addColumn('surname_key', 'text', (c) => c.primaryKey())
    .addColumn('cables', 'integer', (c) => c.notNull())
    .execute();

  await sql`
    create function surname_writing_key(name text, aliases text[]) returns text
    language sql immutable parallel safe
    as $$ select md5(name || chr(31) || array_to_string(aliases, chr(31))) $$
  `.execute(db);

  await sql`
    insert into surname_writing (surname_key, writing, titled, derived, name, aliases, records)
    select surname_key, surname_writing_key(name, aliases), titled, derived, name, aliases, count(*)::int
    from (select surname_key, name, aliases, cardinality(titles) > 0 as titled, local_index >= ${sql.lit(DERIVED_LOCAL_INDEX)} as derived
          from cable_person) r
    group by surname_key, name, aliases, titled, derived
  `.execute(db);
  await sql`
    insert into surname_cables (surname_key, cables)
    select surname_key, count(distinct cable_id)::int from cable_person
    where local_index < ${sql.lit(DERIVED_LOCAL_INDEX)}
    group by surname_key
  `.execute(db);

  await sql`
    create function surname_facts_added() returns trigger language plpgsql as $$
    begin
      insert into surname_writing as w (surname_key, writing, titled, derived, name, aliases, records)
      select surname_key, surname_writing_key(name, aliases), titled, derived, name, aliases, count(*)::int
      from (select surname_key, name, aliases, cardinality(titles) > 0 as titled, local_index >= ${sql.lit(DERIVED_LOCAL_INDEX)} as derived
            from new_rows) r
      group by surname_key, name, aliases, titled, derived
      on conflict (surname_key, writing, titled, derived) do update set records = w.records + excluded.records;

      -- A cable counts once per surname: only when the statement gave it its first record of it.
      insert into surname_cables as s (surname_key, cables)
      select n.surname_key, count(*)::int
      from (select distinct cable_id, surname_key from new_rows where local_index < ${sql.lit(DERIVED_LOCAL_INDEX)}) n
      where not exists (
        select 1 from cable_person c
        where c.cable_id = n.cable_id and c.surname_key = n.surname_key and c.local_index < ${sql.lit(DERIVED_LOCAL_INDEX)}
          and not exists (select 1 from new_rows r where r.id = c.id))
      group by n.surname_key
      on conflict (surname_key) do update set cables = s.cables + excluded.cables;
      return null;
    end $$
  `.execute(db);
  await sql`
    create function surname_facts_removed() returns trigger language plpgsql as $$
    begin
      update surname_writing w set records = w.records - g.records
      from (select surname_key, surname_writing_key(name, aliases) as writing, cardinality(titles) > 0 as titled,
                   local_index >= ${sql.lit(DERIVED_LOCAL_INDEX)} as derived, count(*)::int as records
            from old_rows group by 1, 2, 3, 4) g
      where w.surname_key = g.surname_key and w.writing = g.writing and w.titled = g.titled and w.derived = g.derived;
      delete from surname_writing
      where records <= 0 and surname_key in (select distinct surname_key from old_rows);

      -- A cable stops counting for a surname when the statement took its last record of it.
      update surname_cables s set cables = s.cables - g.cables
      from (select o.surname_key, count(*)::int as cables
            from (select distinct cable_id, surname_key from old_rows where local_index < ${sql.lit(DERIVED_LOCAL_INDEX)}) o
            where not exists (
              select 1 from cable_person c
              where c.cable_id = o.cable_id and c.surname_key = o.surname_key and c.local_index < ${sql.lit(DERIVED_LOCAL_INDEX)})
            group by o.surname_key) g
      where s.surname_key = g.surname_key;
      delete from surname_cables
      where cables <= 0 and surname_key in (select distinct surname_key from old_rows);
      return null;
    end $$
  `.execute(db);
  await sql`
    create function surname_facts_refuse_update() returns trigger language plpgsql as $$
    begin
      raise exception 'cable_person % (cable %): the name, surname, titles, local index and cable of a record are not changed in place; delete the record and write it again',
        old.id, old.cable_id;
    end $$
  `.execute(db);
  await sql`
    create trigger cable_person_facts_added after insert on cable_person
    referencing new table as new_rows for each statement execute function surname_facts_added()
  `.execute(db);
  await sql`
    create trigger cable_person_facts_removed after delete on cable_person
    referencing old table as old_rows for each statement execute function surname_facts_removed()
  `.execute(db);
  await sql`
    create trigger cable_person_facts_fixed before update of cable_id, local_index, name, aliases, titles, surname_key on cable_person
    for each row when (old.cable_id is distinct from new.cable_id or old.local_index is distinct from new.local_index
                       or old.name is distinct from new.name or old.aliases is distinct from new.aliases
                       or old.titles is distinct from new.titles or old.surname_key is distinct from new.surname_key)
    execute function surname_facts_refuse_update()
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger cable_person_facts_fixed on cable_person`.execute(db);
  await sql`drop trigger cable_person_facts_removed on cable_person`.execute(db);
  await sql`drop trigger cable_person_facts_added on cable_person`.execute(db);
  await sql`drop function surname_facts_refuse_update()`.execute(db);
  await sql`drop function surname_facts_removed()`.execute(db);
  await sql`drop function surname_facts_added()`.execute(db);
  await sql`drop function surname_writing_key(text, text[])`.execute(db);
  await db.schema.dropTable('surname_cables').execute();
  await db.schema.dropTable('surname_writing').execute();
}
