// Ground truth for incremental maintenance: the co-mention edges recomputed from scratch.
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
