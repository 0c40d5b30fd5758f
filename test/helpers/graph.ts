// Ground truth for incremental maintenance (the co-mention edges recomputed from scratch), and the
// graph in terms that do not depend on generated ids, to compare two databases.
import { sql, type Kysely } from 'kysely';

import type { Database } from '../../src/db/schema.ts';

export async function edgesFromScratch(db: Kysely<Database>) {
  // Joined on the cable alone, with the pair kinds as a filter, so that the planner hashes.
  const result = await sql<{ kind: number; source_id: number; target_id: number; paragraphs: number; cables: number }>`
    with m as (select distinct kind, entity_id, cable_id, paragraph from mention where entity_id is not null),
    c as (select distinct kind, entity_id, cable_id from m),
    by_cable as (
      select a.kind * 10 + b.kind as pair, a.entity_id as source_id, b.entity_id as target_id, count(*)::int as cables
      from c a join c b using (cable_id)
      where (a.kind = 1 and b.kind = 1 and a.entity_id < b.entity_id) or (a.kind = 1 and b.kind = 2) or (a.kind = 2 and b.kind = 3)
      group by 1, 2, 3
    ),
    by_paragraph as (
      select a.kind * 10 + b.kind as pair, a.entity_id as source_id, b.entity_id as target_id, count(*)::int as paragraphs
      from m a join m b using (cable_id, paragraph)
      where (a.kind = 1 and b.kind = 1 and a.entity_id < b.entity_id) or (a.kind = 1 and b.kind = 2) or (a.kind = 2 and b.kind = 3)
      group by 1, 2, 3
    )
    select (case c.pair when 11 then 1 when 12 then 2 else 3 end) as kind, c.source_id, c.target_id,
           coalesce(p.paragraphs, 0) as paragraphs, c.cables
    from by_cable c left join by_paragraph p using (pair, source_id, target_id)
    order by 1, 2, 3
  `.execute(db);
  return result.rows;
}

export async function storedEdges(db: Kysely<Database>) {
  return db.selectFrom('edge').selectAll().orderBy('kind').orderBy('source_id').orderBy('target_id').execute();
}

/** The graph in terms that do not depend on generated ids. */
export async function graphSnapshot(db: Kysely<Database>) {
  const persons = await db
    .selectFrom('cable_person')
    .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
    .innerJoin('person', 'person.id', 'cable_person.person_id')
    .select(['person.key', 'person.name', 'person.cable_count', 'person.mention_count', 'cable.ref', 'cable_person.name_key'])
    .execute();
  const personClusters = new Map<string, string[]>();
  for (const row of persons) {
    const label = `${row.key}|${row.name}|${row.cable_count}|${row.mention_count}`;
    personClusters.set(label, [...(personClusters.get(label) ?? []), `${row.ref}:${row.name_key}`]);
  }
  const organizations = await db
    .selectFrom('cable_organization')
    .innerJoin('cable', 'cable.id', 'cable_organization.cable_id')
    .innerJoin('organization', 'organization.id', 'cable_organization.organization_id')
    .select(['organization.key', 'organization.name', 'organization.cable_count', 'cable.ref', 'cable_organization.name'])
    .execute();
  const organizationClusters = new Map<string, string[]>();
  for (const row of organizations) {
    const label = `${row.key}|${row.cable_count}`;
    organizationClusters.set(label, [...(organizationClusters.get(label) ?? []), `${row.ref}:${row.name}`]);
  }
  const keyOf = new Map<string, string>();
  for (const row of await db.selectFrom('person').select(['id', 'key']).execute()) keyOf.set(`1:${row.id}`, row.key);
  for (const row of await db.selectFrom('organization').select(['id', 'key']).execute()) keyOf.set(`2:${row.id}`, row.key);
  for (const row of await db.selectFrom('country').select(['id', 'code']).execute()) keyOf.set(`3:${row.id}`, row.code);
  const ends: Record<number, [number, number]> = { 1: [1, 1], 2: [1, 2], 3: [2, 3] };
  const edges = (await storedEdges(db))
    .map((e) => {
      const [a, b] = ends[e.kind]!;
      const pair = [keyOf.get(`${a}:${e.source_id}`)!, keyOf.get(`${b}:${e.target_id}`)!];
      if (e.kind === 1) pair.sort();
      return `${e.kind}|${pair.join('|')}|${e.paragraphs}|${e.cables}`;
    })
    .sort();
  const sorted = (clusters: Map<string, string[]>) =>
    [...clusters].map(([label, members]) => `${label}: ${members.sort().join(' ')}`).sort();
  return { persons: sorted(personClusters), organizations: sorted(organizationClusters), edges };
}

/** The surname facts migration 0014's triggers keep, as stored, in a stable order. */
export async function storedSurnameFacts(db: Kysely<Database>) {
  const writings = await sql<{ surname_key: string; name: string; aliases: string[]; titled: boolean; derived: boolean; records: number }>`
    select surname_key, name, aliases, titled, derived, records from surname_writing order by 1, 2, 3, 4, 5
  `.execute(db);
  const cables = await sql<{ surname_key: string; cables: number }>`select surname_key, cables from surname_cables order by 1`.execute(db);
  return { writings: writings.rows, cables: cables.rows };
}

/** The same facts counted from cable_person itself. */
export async function surnameFactsFromScratch(db: Kysely<Database>) {
  const writings = await sql<{ surname_key: string; name: string; aliases: string[]; titled: boolean; derived: boolean; records: number }>`
    select surname_key, name, aliases, cardinality(titles) > 0 as titled, local_index >= 30000 as derived, count(*)::int as records
    from cable_person group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
  `.execute(db);
  const cables = await sql<{ surname_key: string; cables: number }>`
    select surname_key, count(distinct cable_id)::int as cables from cable_person where local_index < 30000 group by 1 order by 1
  `.execute(db);
  return { writings: writings.rows, cables: cables.rows };
}
