// Analyst judgments: merge persons, or split mentions off a person. A judgment is stored as the
// durable identities of the person records it is about (`${cableRef}|${normalized name}`), so it
// survives re-ingest and re-resolution, and the table is the audit trail (who, when, why).
import { sql, type Kysely } from 'kysely';

import type { Database } from './schema.ts';
import { emptyTouched, lockGraphWrites, refreshCounts, resolvePersons } from './write-graph.ts';

export class JudgmentError extends Error {}

export interface JudgmentInput {
  author: string;
  reason?: string | null;
}

async function identitiesOf(db: Kysely<Database>, where: { personIds?: number[]; mentionIds?: string[] }) {
  let query = db
    .selectFrom('cable_person')
    .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
    .select(['cable.ref', 'cable_person.name_key', 'cable_person.surname_key', 'cable_person.person_id']);
  if (where.personIds) query = query.where('cable_person.person_id', 'in', where.personIds);
  if (where.mentionIds) {
    const ids = where.mentionIds;
    query = query.where('cable_person.id', 'in', (eb) =>
      eb.selectFrom('mention').select('local_id').where('kind', '=', 1).where('id', 'in', ids),
    );
  }
  const rows = await query.execute();
  return rows;
}

async function record(
  db: Kysely<Database>,
  kind: 'merge' | 'split',
  rows: { ref: string; name_key: string; surname_key: string }[],
  input: JudgmentInput,
) {
  const members = [...new Set(rows.map((r) => `${r.ref}|${r.name_key}`))].sort();
  return db.transaction().execute(async (trx) => {
    await lockGraphWrites(trx);
    const [{ id }] = await sql<{ id: number }>`
      insert into judgment (kind, members, author, reason) values (${kind}, ${JSON.stringify(members)}::jsonb, ${input.author}, ${input.reason ?? null})
      returning id
    `
      .execute(trx)
      .then((r) => r.rows as [{ id: number }]);
    const touched = emptyTouched();
    for (const row of rows) touched.surnameKeys.add(row.surname_key);
    await resolvePersons(trx, touched);
    await refreshCounts(trx, touched);
    return { id, members };
  });
}

/** Records that the given persons are one individual, and resolves their blocks again. */
export async function mergePersons(db: Kysely<Database>, personIds: number[], input: JudgmentInput) {
  const unique = [...new Set(personIds)];
  if (unique.length < 2) throw new JudgmentError('a merge needs at least two different persons');
  const rows = await identitiesOf(db, { personIds: unique });
  const found = new Set(rows.map((r) => r.person_id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) throw new JudgmentError(`no person with id ${missing.join(', ')}`);
  return record(db, 'merge', rows, input);
}

/** Records that the given mentions name another individual than the person they are under. */
export async function splitPerson(db: Kysely<Database>, personId: number, mentionIds: string[], input: JudgmentInput) {
  if (mentionIds.length === 0) throw new JudgmentError('a split needs the mentions to split off (--mentions)');
  const rows = await identitiesOf(db, { mentionIds });
  const foreign = rows.filter((r) => r.person_id !== personId);
  if (rows.length === 0) throw new JudgmentError(`none of the mentions ${mentionIds.join(', ')} is a person mention`);
  if (foreign.length) throw new JudgmentError(`mentions ${mentionIds.join(', ')} are not all under person ${personId}`);
  const all = await identitiesOf(db, { personIds: [personId] });
  if (new Set(all.map((r) => `${r.ref}|${r.name_key}`)).size === new Set(rows.map((r) => `${r.ref}|${r.name_key}`)).size) {
    throw new JudgmentError('a split must leave some of the person behind');
  }
  return record(db, 'split', rows, input);
}
