import { sql, type Kysely } from 'kysely';

// Cables per day, kept as they are written (src/db/write-cables.ts, under the graph lock), so
// that `timeline` over all cables reads a few thousand days instead of every cable: at the full
// release's size the grouping of 251,287 cables took seconds (PostgreSQL here runs without
// autovacuum, so the `cable (date)` index could not be read alone either). A day whose cables
// were all given another date keeps its row at 0.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cable_day')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('cables', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into cable_day (day, cables) select date, count(*)::int from cable where date is not null group by date`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cable_day').execute();
}
