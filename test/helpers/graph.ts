// Ground truth for incremental maintenance: the co-mention edges recomputed from scratch.
import { sql, type Kysely } from 'kysely';

import type { Database } from '../../src/db/schema.ts';

export async function edgesFromScratch(db: Kysely<Database>) {
  const result = await sql<{ kind: number; source_id: number; target_id: number; paragraphs: number; cables: number }>`
    with m as (select distinct kind, entity_id, cable_id, paragraph from mention where entity_id is not null),
    c as (select distinct kind, entity_id, cable_id from m),
    kinds(ka, kb, edge_kind) as (values (1, 1, 1), (1, 2, 2), (2, 3, 3)),
    by_cable as (
      select k.edge_kind as kind, a.entity_id as source_id, b.entity_id as target_id, count(*)::int as cables
      from kinds k join c a on a.kind = k.ka join c b on b.cable_id = a.cable_id and b.kind = k.kb
      where not (k.ka = k.kb and a.entity_id >= b.entity_id)
      group by 1, 2, 3
    ),
    by_paragraph as (
      select k.edge_kind as kind, a.entity_id as source_id, b.entity_id as target_id, count(*)::int as paragraphs
      from kinds k join m a on a.kind = k.ka join m b on b.cable_id = a.cable_id and b.paragraph = a.paragraph and b.kind = k.kb
      where not (k.ka = k.kb and a.entity_id >= b.entity_id)
      group by 1, 2, 3
    )
    select c.kind, c.source_id, c.target_id, coalesce(p.paragraphs, 0) as paragraphs, c.cables
    from by_cable c left join by_paragraph p using (kind, source_id, target_id)
    order by 1, 2, 3
  `.execute(db);
  return result.rows;
}

export async function storedEdges(db: Kysely<Database>) {
  return db.selectFrom('edge').selectAll().orderBy('kind').orderBy('source_id').orderBy('target_id').execute();
}
