import { sql, type Kysely } from 'kysely';

// The knowledge graph. Per-cable entity records (cable_person, cable_organization) are what
// extraction said about one cable; persons and organizations are their resolution across cables.
// Mentions point at both, so that re-resolving a surname block rewrites a few rows of
// cable_person and mention.entity_id, never the text-derived rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('country')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('topic')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country_id', 'integer', (c) => c.references('country.id'))
    .execute();

  await db.schema
    .createTable('cable_topic')
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topic.id'))
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cable_topic_pkey', ['cable_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('cable_topic_topic_idx').on('cable_topic').columns(['topic_id', 'cable_id']).execute();

  await db.schema
    .createTable('person')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('country_id', 'integer', (c) => c.references('country.id'))
    .addColumn('surname_key', 'text', (c) => c.notNull())
    .addColumn('cable_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mention_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_date', 'date')
    .addColumn('last_date', 'date')
    .execute();
  await db.schema.createIndex('person_surname_idx').on('person').column('surname_key').execute();
  await db.schema
    .createIndex('person_name_idx')
    .on('person')
    .expression(sql`lower(name) text_pattern_ops`)
    .execute();

  await db.schema
    .createTable('organization')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country_id', 'integer', (c) => c.references('country.id'))
    .addColumn('form_keys', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('cable_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mention_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('organization_forms_idx').on('organization').using('gin').column('form_keys').execute();

  await db.schema
    .createTable('cable_person')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('local_index', 'smallint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('titles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('organizations', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('country_id', 'integer', (c) => c.references('country.id'))
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('surname_key', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addUniqueConstraint('cable_person_local_key', ['cable_id', 'local_index'])
    .execute();
  await db.schema.createIndex('cable_person_surname_idx').on('cable_person').column('surname_key').execute();
  await db.schema.createIndex('cable_person_person_idx').on('cable_person').columns(['person_id', 'cable_id']).execute();

  await db.schema
    .createTable('cable_organization')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('local_index', 'smallint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country_id', 'integer', (c) => c.references('country.id'))
    .addColumn('form_keys', sql`text[]`, (c) => c.notNull())
    .addColumn('organization_id', 'integer', (c) => c.references('organization.id').onDelete('set null'))
    .addUniqueConstraint('cable_organization_local_key', ['cable_id', 'local_index'])
    .execute();
  await db.schema.createIndex('cable_organization_forms_idx').on('cable_organization').using('gin').column('form_keys').execute();
  await db.schema.createIndex('cable_organization_org_idx').on('cable_organization').columns(['organization_id', 'cable_id']).execute();

  // kind: 1 person, 2 organization, 3 country. local_id: cable_person / cable_organization / country
  // id; entity_id: person / organization / country id (null until resolved).
  await db.schema
    .createTable('mention')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('paragraph', 'smallint', (c) => c.notNull())
    .addColumn('kind', 'smallint', (c) => c.notNull())
    .addColumn('local_id', 'integer', (c) => c.notNull())
    .addColumn('entity_id', 'integer')
    .addColumn('span_start', 'integer', (c) => c.notNull())
    .addColumn('span_end', 'integer', (c) => c.notNull())
    .addColumn('surface', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .execute();
  await db.schema.createIndex('mention_entity_idx').on('mention').columns(['kind', 'entity_id', 'cable_id']).execute();
  await db.schema.createIndex('mention_cable_idx').on('mention').columns(['cable_id', 'paragraph']).execute();
  await db.schema.createIndex('mention_local_idx').on('mention').columns(['kind', 'local_id']).execute();

  await db.schema
    .createTable('date_mention')
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('position', 'smallint', (c) => c.notNull())
    .addColumn('paragraph', 'smallint', (c) => c.notNull())
    .addColumn('span_start', 'integer', (c) => c.notNull())
    .addColumn('span_end', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('date_mention_pkey', ['cable_id', 'position'])
    .execute();

  // Co-mention edges, each pair once: kind 1 person-person (source has the smaller id), 2 person ->
  // organization, 3 organization -> country. One index per end for "strongest neighbours" reads.
  await db.schema
    .createTable('edge')
    .addColumn('kind', 'smallint', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('paragraphs', 'integer', (c) => c.notNull())
    .addColumn('cables', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('edge_pkey', ['kind', 'source_id', 'target_id'])
    .execute();
  await db.schema.createIndex('edge_target_idx').on('edge').columns(['kind', 'target_id']).execute();

  await db.schema
    .createTable('person_candidate')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('candidate_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_candidate_pkey', ['person_id', 'candidate_id'])
    .execute();

  // Analyst judgments: the audit trail, and input to every later resolution.
  await db.schema
    .createTable('judgment')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('members', 'jsonb', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'judgment',
    'person_candidate',
    'edge',
    'date_mention',
    'mention',
    'cable_organization',
    'cable_person',
    'organization',
    'person',
    'cable_topic',
    'topic',
    'country',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
