import { sql, type Kysely } from 'kysely';

// Sized for the full release (251,287 cables, ~4M paragraphs): integer surrogate keys for joins,
// the canonical reference id as the natural unique key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cable')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('date', 'date')
    .addColumn('classification', 'text')
    .addColumn('caveats', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('origin', 'text')
    .addColumn('subject', 'text')
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('declassify_on', 'date')
    .addColumn('classified_by_name', 'text')
    .addColumn('classified_by_title', 'text')
    .addColumn('signers', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('recipients', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('info_recipients', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'`))
    .addColumn('summary', 'text')
    .addColumn('header', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_format', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('extractor_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The API orders cables by (date, id); undated cables sort first.
  await db.schema
    .createIndex('cable_date_idx')
    .on('cable')
    .expression(sql`coalesce(date, '0001-01-01'::date), id`)
    .execute();
  await db.schema.createIndex('cable_origin_idx').on('cable').column('origin').execute();
  await db.schema.createIndex('cable_classification_idx').on('cable').column('classification').execute();
  await db.schema.createIndex('cable_tags_idx').on('cable').using('gin').column('tags').execute();

  await db.schema
    .createTable('paragraph')
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('number', 'smallint', (c) => c.notNull())
    .addColumn('marking', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('span_start', 'integer', (c) => c.notNull())
    .addColumn('span_end', 'integer', (c) => c.notNull())
    .addColumn('search', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`to_tsvector('english', "text")`).stored())
    .addPrimaryKeyConstraint('paragraph_pkey', ['cable_id', 'position'])
    .execute();
  await db.schema.createIndex('paragraph_search_idx').on('paragraph').using('gin').column('search').execute();

  await db.schema
    .createTable('cable_reference')
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('bullet', 'text')
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('to_ref', 'text')
    .addPrimaryKeyConstraint('cable_reference_pkey', ['cable_id', 'position'])
    .execute();
  await db.schema.createIndex('cable_reference_to_ref_idx').on('cable_reference').column('to_ref').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cable_reference').execute();
  await db.schema.dropTable('paragraph').execute();
  await db.schema.dropTable('cable').execute();
}
