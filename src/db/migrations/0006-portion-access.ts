import { sql, type Kysely } from 'kysely';

import { parseSubjectMarking } from '../../extract/header/subject.ts';
import { portionAccess } from '../../extract/markings.ts';

// Portion-level access: what a reader needs to see each paragraph, the subject line and the whole
// cable (rank on the clearance ladder of src/extract/markings.ts, and NOFORN). The defaults are
// the most restrictive, so a row written without them is hidden rather than shown. Rows already
// stored are filled in from their markings here, with the same function ingest uses.
const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['cable', 'paragraph']) {
    await db.schema
      .alterTable(table)
      .addColumn('access_rank', 'smallint', (c) => c.notNull().defaultTo(4))
      .addColumn('noforn', 'boolean', (c) => c.notNull().defaultTo(true))
      .execute();
  }
  await db.schema
    .alterTable('cable')
    .addColumn('subject_access_rank', 'smallint', (c) => c.notNull().defaultTo(4))
    .addColumn('subject_noforn', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  // The reader schemas (src/db/visibility.ts) are rebuilt whenever their definition changes.
  await db.schema
    .createTable('cablegraph_setting')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  let after = 0;
  for (;;) {
    const cables: { id: number; classification: string | null; caveats: string[]; body: string }[] = await db
      .selectFrom('cable')
      .select(['id', 'classification', 'caveats', 'body'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (cables.length === 0) break;
    after = cables.at(-1)!.id;
    const paragraphs: { cable_id: number; position: number; marking: string | null }[] = await db
      .selectFrom('paragraph')
      .select(['cable_id', 'position', 'marking'])
      .where(
        'cable_id',
        'in',
        cables.map((c) => c.id),
      )
      .orderBy('cable_id')
      .orderBy('position')
      .execute();
    const byCable = new Map<number, typeof paragraphs>();
    for (const p of paragraphs) byCable.set(p.cable_id, [...(byCable.get(p.cable_id) ?? []), p]);
    const cableRows = {
      id: [] as number[],
      rank: [] as number[],
      noforn: [] as boolean[],
      subjectRank: [] as number[],
      subjectNoforn: [] as boolean[],
    };
    const paragraphRows = { cableId: [] as number[], position: [] as number[], rank: [] as number[], noforn: [] as boolean[] };
    for (const cable of cables) {
      const own = byCable.get(cable.id) ?? [];
      const access = portionAccess(cable.classification, cable.caveats, parseSubjectMarking(cable.body), own);
      cableRows.id.push(cable.id);
      cableRows.rank.push(access.cable.rank);
      cableRows.noforn.push(access.cable.noforn);
      cableRows.subjectRank.push(access.subject.rank);
      cableRows.subjectNoforn.push(access.subject.noforn);
      own.forEach((p, index) => {
        paragraphRows.cableId.push(p.cable_id);
        paragraphRows.position.push(p.position);
        paragraphRows.rank.push(access.paragraphs[index]!.rank);
        paragraphRows.noforn.push(access.paragraphs[index]!.noforn);
      });
    }
    await sql`
      update cable set access_rank = v.rank, noforn = v.noforn, subject_access_rank = v.subject_rank, subject_noforn = v.subject_noforn
      from unnest(${cableRows.id}::int[], ${cableRows.rank}::smallint[], ${cableRows.noforn}::boolean[],
                  ${cableRows.subjectRank}::smallint[], ${cableRows.subjectNoforn}::boolean[]) as v(id, rank, noforn, subject_rank, subject_noforn)
      where cable.id = v.id`.execute(db);
    await sql`
      update paragraph set access_rank = v.rank, noforn = v.noforn
      from unnest(${paragraphRows.cableId}::int[], ${paragraphRows.position}::smallint[], ${paragraphRows.rank}::smallint[],
                  ${paragraphRows.noforn}::boolean[]) as v(cable_id, position, rank, noforn)
      where paragraph.cable_id = v.cable_id and paragraph.position = v.position`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cablegraph_setting').execute();
  await db.schema.alterTable('cable').dropColumn('subject_access_rank').dropColumn('subject_noforn').execute();
  for (const table of ['cable', 'paragraph']) {
    await db.schema.alterTable(table).dropColumn('access_rank').dropColumn('noforn').execute();
  }
}
