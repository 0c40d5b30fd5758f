import { sql, type Kysely } from 'kysely';

// API keys. Only a key's SHA-256 is stored: a key is 32 random bytes (`cg_` + base64url), so no
// guess or dictionary attack can find one from its hash, and a slow password hash (bcrypt,
// scrypt) would only add milliseconds to every lookup. The prefix (the key's first characters) is
// what `keys list` shows, so that a person can tell keys apart without the key itself. A name is
// unique among the active keys only, so that a revoked key's name can be given to its successor.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_key')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    // The clearance ladder of src/extract/markings.ts as it stood when this migration was written.
    .addColumn('clearance', 'text', (c) =>
      c.notNull().check(sql`clearance in ('UNCLASSIFIED', 'SBU', 'CONFIDENTIAL', 'SECRET', 'TOP_SECRET')`),
    )
    .addColumn('noforn', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('api_key_active_name_idx')
    .on('api_key')
    .column('name')
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_key').execute();
}
