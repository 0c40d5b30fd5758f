// Shortest chains of co-mention between two entities: a bidirectional breadth-first search over
// the edge table, one set-based query per level and side, then one query for the evidence of
// the steps chosen (a cable, and a paragraph when there is one, naming both ends of a step).
import { sql, type Kysely } from 'kysely';

import { PARAGRAPH_COLUMNS, type ParagraphRow } from './read-cables.ts';
import { adjacentTo, entityKey, entityValues, isAmong, type EntityKey, type Tie } from './read-graph.ts';
import type { Database } from './schema.ts';

export const PATH_LIMITS = {
  /** Longest chain searched for. */
  maxHops: 6,
  /** Chains returned, strongest first, when several are shortest. */
  paths: 10,
  /**
   * Entities one side of the search takes into its next level, strongest ties first (entities the
   * other side has reached always come first): a hub with thousands of neighbours cannot blow up
   * the search, at the price of missing chains through its weakest neighbours.
   */
  frontier: 1000,
  /** Ties kept per entity reached, to the level before it, strongest first. */
  parents: 10,
} as const;

export interface PathStepRow extends Tie {
  from: EntityKey;
  to: EntityKey;
  /** A cable naming both ends: one where they share a paragraph when there is one. */
  cable: { id: number; ref: string };
  /** The first paragraph of that cable naming both; null when they only share the cable. */
  paragraph: ParagraphRow | null;
}

export interface PathRow extends Tie {
  /** The entities along the chain, from the first to the last. */
  nodes: EntityKey[];
  steps: PathStepRow[];
}

interface Link extends Tie {
  /** The entity one level nearer the side's start. */
  parent: string;
}

interface Reached {
  entity: EntityKey;
  depth: number;
  parents: Link[];
}

interface Side {
  reached: Map<string, Reached>;
  frontier: EntityKey[];
  depth: number;
}

interface Chain extends Tie {
  /** Keys from the side's start to the entity. */
  keys: string[];
  ties: Tie[];
}

function stronger(a: Tie, b: Tie): number {
  return b.paragraphs - a.paragraphs || b.cables - a.cables;
}

function startAt(entity: EntityKey): Side {
  return { reached: new Map([[entityKey(entity), { entity, depth: 0, parents: [] }]]), frontier: [entity], depth: 0 };
}

interface ExpandRow extends EntityKey, Tie {
  from_kind: number;
  from_id: number;
  meets: boolean;
}

/**
 * The next level of one side: neighbours of its frontier it has not reached, of the kinds chains
 * may pass through (or reached by the other side), the strongest `frontier` of them
 * with up to `PATH_LIMITS.parents` ties each.
 */
async function expand(db: Kysely<Database>, side: Side, other: Side, via: readonly number[], frontier: number): Promise<ExpandRow[]> {
  const seen = [...side.reached.values()].map((r) => r.entity);
  const goal = [...other.reached.values()].map((r) => r.entity);
  const kinds = [...new Set([...via, ...goal.map((e) => e.kind)])];
  // Window functions rather than a join of the neighbours to the ones chosen: without table
  // statistics the planner would loop over one for each row of the other.
  const result = await sql<ExpandRow>`
    with frontier(kind, id) as (${entityValues(side.frontier)}),
    fresh as (
      select a.*, ${isAmong(sql`a.kind`, sql`a.id`, goal)} as meets
      from (${adjacentTo(sql`frontier`, kinds)}) a
      where not ${isAmong(sql`a.kind`, sql`a.id`, seen)}
    ),
    allowed as (select * from fresh where kind = any(${[...via]}::smallint[]) or meets),
    scored as (
      select a.*, bool_or(meets) over entity as entity_meets, sum(paragraphs) over entity as entity_paragraphs,
             sum(cables) over entity as entity_cables,
             row_number() over (entity order by paragraphs desc, cables desc, from_kind, from_id) as tie_rank
      from allowed a
      window entity as (partition by kind, id)
    ),
    ranked as (
      select *, dense_rank() over (order by entity_meets desc, entity_paragraphs desc, entity_cables desc, kind, id) as entity_rank
      from scored
    )
    select kind, id, from_kind, from_id, paragraphs, cables, meets from ranked
    where tie_rank <= ${PATH_LIMITS.parents} and entity_rank <= ${frontier}
  `.execute(db);
  return result.rows;
}

/** The strongest `PATH_LIMITS.paths` chains from a side's start to an entity it reached. */
function chainsTo(side: Side, key: string, memo: Map<string, Chain[]>): Chain[] {
  const known = memo.get(key);
  if (known) return known;
  const reached = side.reached.get(key)!;
  let chains: Chain[];
  if (reached.depth === 0) chains = [{ keys: [key], ties: [], paragraphs: 0, cables: 0 }];
  else {
    chains = reached.parents.flatMap((link) =>
      chainsTo(side, link.parent, memo).map((chain) => ({
        keys: [...chain.keys, key],
        ties: [...chain.ties, { paragraphs: link.paragraphs, cables: link.cables }],
        paragraphs: chain.paragraphs + link.paragraphs,
        cables: chain.cables + link.cables,
      })),
    );
    chains.sort(stronger);
    chains = chains.slice(0, PATH_LIMITS.paths);
  }
  memo.set(key, chains);
  return chains;
}

/**
 * The shortest chains from `from` to `to` of at most `maxHops` steps whose inner entities are of
 * the kinds in `via` (the ends may be of any kind): up to `PATH_LIMITS.paths` of them, strongest
 * (most shared paragraphs, then cables, summed over the steps) first; none when there is no such
 * chain. Within the frontier cap the chains are exactly the shortest; a chain through a hub's
 * weakest neighbours may be missed.
 */
export async function shortestPaths(
  db: Kysely<Database>,
  from: EntityKey,
  to: EntityKey,
  options: { maxHops: number; via: readonly number[]; frontier?: number },
): Promise<PathRow[]> {
  if (entityKey(from) === entityKey(to)) return [{ nodes: [from], steps: [], paragraphs: 0, cables: 0 }];
  const forward = startAt(from);
  const backward = startAt(to);
  const meetings: string[] = [];
  while (forward.depth + backward.depth < options.maxHops && meetings.length === 0) {
    // The side with the smaller frontier grows: the two balls meet in the middle at least cost.
    const side = forward.frontier.length <= backward.frontier.length ? forward : backward;
    const other = side === forward ? backward : forward;
    if (side.frontier.length === 0) break;
    const rows = await expand(db, side, other, options.via, options.frontier ?? PATH_LIMITS.frontier);
    side.depth++;
    side.frontier = [];
    for (const row of rows) {
      const key = entityKey(row);
      let reached = side.reached.get(key);
      if (!reached) {
        reached = { entity: { kind: row.kind, id: row.id }, depth: side.depth, parents: [] };
        side.reached.set(key, reached);
        side.frontier.push(reached.entity);
        if (row.meets) meetings.push(key);
      }
      reached.parents.push({ parent: entityKey({ kind: row.from_kind, id: row.from_id }), paragraphs: row.paragraphs, cables: row.cables });
    }
  }
  if (meetings.length === 0) return [];

  // Every shortest chain passes through exactly one meeting entity: the one at the depth the
  // last-grown side reached.
  const forwardMemo = new Map<string, Chain[]>();
  const backwardMemo = new Map<string, Chain[]>();
  const candidates: { keys: string[]; ties: Tie[]; paragraphs: number; cables: number }[] = [];
  for (const meeting of meetings) {
    for (const head of chainsTo(forward, meeting, forwardMemo)) {
      for (const tail of chainsTo(backward, meeting, backwardMemo)) {
        candidates.push({
          keys: [...head.keys, ...tail.keys.slice(0, -1).reverse()],
          ties: [...head.ties, ...[...tail.ties].reverse()],
          paragraphs: head.paragraphs + tail.paragraphs,
          cables: head.cables + tail.cables,
        });
      }
    }
  }
  candidates.sort((a, b) => stronger(a, b) || a.keys.join(',').localeCompare(b.keys.join(',')));
  const chosen = candidates.slice(0, PATH_LIMITS.paths);

  const entityOf = (key: string) => (forward.reached.get(key) ?? backward.reached.get(key))!.entity;
  const stepKeys = new Map<string, [EntityKey, EntityKey]>();
  for (const path of chosen) {
    for (let i = 1; i < path.keys.length; i++) {
      const pair = [path.keys[i - 1]!, path.keys[i]!].sort();
      stepKeys.set(pair.join('|'), [entityOf(pair[0]!), entityOf(pair[1]!)]);
    }
  }
  const evidence = await stepEvidence(db, [...stepKeys.values()]);
  return chosen.map((path) => ({
    nodes: path.keys.map(entityOf),
    paragraphs: path.paragraphs,
    cables: path.cables,
    steps: path.ties.map((tie, i) => {
      const pair = [path.keys[i]!, path.keys[i + 1]!];
      const found = evidence.get([...pair].sort().join('|'));
      if (!found) throw new Error(`no cable names both ${pair[0]} and ${pair[1]}: the edge table is out of step with the mentions`);
      return { from: entityOf(pair[0]!), to: entityOf(pair[1]!), ...tie, ...found };
    }),
  }));
}

interface EvidenceRow extends ParagraphRow {
  step: number;
  ref: string;
  shared: boolean;
}

/**
 * For each pair of entities, one cable naming both, keyed `key(a)|key(b)`: the cable where they
 * share the most paragraphs, then the latest; with the first of those paragraphs, if any.
 */
async function stepEvidence(
  db: Kysely<Database>,
  pairs: [EntityKey, EntityKey][],
): Promise<Map<string, { cable: { id: number; ref: string }; paragraph: ParagraphRow | null }>> {
  if (pairs.length === 0) return new Map();
  const result = await sql<EvidenceRow>`
    with step(n, a_kind, a_id, b_kind, b_id) as (
      select * from unnest(${pairs.map((_, i) => i)}::int[], ${pairs.map(([a]) => a.kind)}::smallint[], ${pairs.map(([a]) => a.id)}::int[],
                           ${pairs.map(([, b]) => b.kind)}::smallint[], ${pairs.map(([, b]) => b.id)}::int[])
    ),
    -- Each end's mentions first, then joined on the cable: a nested loop probing one end's
    -- mentions per mention of the other is quadratic for entities named often.
    a_mention as materialized (
      select distinct s.n, m.cable_id, m.paragraph from step s join mention m on m.kind = s.a_kind and m.entity_id = s.a_id
    ),
    b_mention as materialized (
      select distinct s.n, m.cable_id, m.paragraph from step s join mention m on m.kind = s.b_kind and m.entity_id = s.b_id
    ),
    per_cable as (
      select a.n, a.cable_id, count(*) filter (where a.paragraph = b.paragraph) as shared,
             min(a.paragraph) filter (where a.paragraph = b.paragraph) as first_shared
      from a_mention a join b_mention b on b.n = a.n and b.cable_id = a.cable_id
      group by a.n, a.cable_id
    ),
    pick as (
      select distinct on (p.n) p.n, p.cable_id, p.first_shared, c.ref
      from per_cable p join cable c on c.id = p.cable_id
      order by p.n, p.shared desc, c.date desc nulls last, c.id
    )
    select pick.n as step, pick.cable_id, pick.ref, pick.first_shared is not null as shared,
           ${sql.join(PARAGRAPH_COLUMNS.filter((column) => column !== 'paragraph.cable_id').map((column) => sql.ref(column)))}
    from pick left join paragraph on paragraph.cable_id = pick.cable_id and paragraph.position = pick.first_shared
  `.execute(db);
  const byPair = new Map<string, { cable: { id: number; ref: string }; paragraph: ParagraphRow | null }>();
  for (const row of result.rows) {
    const [a, b] = pairs[row.step]!;
    const { step: _step, ref, shared, ...paragraph } = row;
    byPair.set([entityKey(a), entityKey(b)].sort().join('|'), {
      cable: { id: row.cable_id, ref },
      paragraph: shared && paragraph.position !== null ? paragraph : null,
    });
  }
  return byPair;
}
