// Ground truth for incremental maintenance: the co-mention edges recomputed from scratch.
import { sql, type Kysely } from 'kysely';

import type { Database } from '../../src/db/schema.ts';

export async function edgesFromScratch(db: Kysely<Database>) {
  const result = await sql<{ kind: number; source_id: number; target_id: number; paragraphs: number; cables: number }>`
    with m as (select distinct kind, entity_id, cable_id, paragraph from mention where entity_id is not null),
    c as (select distinct kind, entity_id, cable_id from m),
    kinds(ka, kb, edge_kind) as (values (1, 1, 1), (1, 2, 2), (2, 3, 3))
    select k.edge_kind as kind, a.entity_id as source_id, b.entity_id as target_id,
           (select count(*)::int from m pa join m pb on pb.cable_id = pa.cable_id and pb.paragraph = pa.paragraph
            where pa.kind = k.ka and pa.entity_id = a.entity_id and pb.kind = k.kb and pb.entity_id = b.entity_id) as paragraphs,
           count(*)::int as cables
    from kinds k join c a on a.kind = k.ka join c b on b.cable_id = a.cable_id and b.kind = k.kb
    where not (k.ka = k.kb and a.entity_id >= b.entity_id)
    group by k.edge_kind, k.ka, k.kb, a.entity_id, b.entity_id
    order by 1, 2, 3
  `.execute(db);
  return result.rows;
}

export async function storedEdges(db: Kysely<Database>) {
  return db.selectFrom('edge').selectAll().orderBy('kind').orderBy('source_id').orderBy('target_id').execute();
}
