import { sql, type Kysely } from 'kysely';

import { cableStandaloneNames, type LocatedStandaloneName } from '../../extract/entities/standalone-names.ts';
import { DERIVED_LOCAL_INDEX, insertStandaloneNames } from '../resolve/known-surnames.ts';
import { MENTION_KIND } from '../write-graph.ts';

// The standalone names of each cable (capitalized words outside its extraction's mentions that may
// be a surname written alone), by surname key: when a surname becomes known from other cables,
// the known-surnames stage of ingest (src/db/resolve/known-surnames.ts) finds the cables that
// write it here instead of searching paragraphs and reading their text again. Cables already
// stored get theirs here, found and written by the same functions as at ingest.
const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('standalone_name')
    .addColumn('cable_id', 'integer', (c) => c.notNull().references('cable.id').onDelete('cascade'))
    .addColumn('paragraph', 'smallint', (c) => c.notNull())
    .addColumn('span_start', 'integer', (c) => c.notNull())
    .addColumn('span_end', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('surname_key', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('standalone_name_surname_idx').on('standalone_name').columns(['surname_key', 'cable_id']).execute();
  await db.schema.createIndex('standalone_name_cable_idx').on('standalone_name').column('cable_id').execute();

  for (let after = 0; ;) {
    const cables = await db.selectFrom('cable').select('id').where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (cables.length === 0) break;
    const ids = cables.map((c) => c.id as number);
    after = ids[ids.length - 1]!;
    const paragraphs = await sql<{ cable_id: number; position: number; span_start: number; text: string }>`
      select cable_id, position, span_start, text from paragraph where cable_id = any(${ids}::int[]) order by cable_id, position
    `.execute(db);
    // What extraction found: persons (not derived ones), organizations and countries.
    const spans = await sql<{ cable_id: number; span_start: number; span_end: number }>`
      select m.cable_id, m.span_start, m.span_end from mention m
      left join cable_person cp on m.kind = ${MENTION_KIND.person} and cp.id = m.local_id
      where m.cable_id = any(${ids}::int[]) and (m.kind <> ${MENTION_KIND.person} or cp.local_index < ${DERIVED_LOCAL_INDEX})
    `.execute(db);
    const byCable = new Map<
      number,
      { texts: { position: number; start: number; text: string }[]; occupied: { start: number; end: number }[] }
    >();
    const of = (id: number) => {
      let entry = byCable.get(id);
      if (!entry) byCable.set(id, (entry = { texts: [], occupied: [] }));
      return entry;
    };
    for (const p of paragraphs.rows) of(p.cable_id).texts.push({ position: p.position, start: p.span_start, text: p.text });
    for (const s of spans.rows) of(s.cable_id).occupied.push({ start: s.span_start, end: s.span_end });
    const names = new Map<number, LocatedStandaloneName[]>();
    for (const [cableId, { texts, occupied }] of byCable) names.set(cableId, cableStandaloneNames(texts, occupied));
    await insertStandaloneNames(db, names);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('standalone_name').execute();
}
