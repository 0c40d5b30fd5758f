import type { Kysely } from 'kysely';

// Settling adds a run's co-mention evidence on more than one connection (src/db/write-cables.ts,
// settleGraph): one connection moves the held person mentions of waiting cables into `mention`
// (`released`), while two others add the evidence of released cables, each the pairs whose source
// id has one parity (`halves`, a bit per parity). Each step is a transaction of its own, so a run
// killed midway leaves a cable with one half in `edge`; whatever changes such a cable's mentions
// adds the other half first (withEdgeEvidence), and the next settling finishes the rest.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('graph_pending_cable')
    .addColumn('released', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .alterTable('graph_pending_cable')
    .addColumn('halves', 'smallint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('graph_pending_cable').dropColumn('halves').execute();
  await db.schema.alterTable('graph_pending_cable').dropColumn('released').execute();
}
