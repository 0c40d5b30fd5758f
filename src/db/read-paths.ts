// Shortest chains of co-mention between two entities: a bidirectional breadth-first search over
// the edge table, one set-based query per level and side, then one query for the evidence of
// the steps chosen (a cable, and a paragraph when there is one, naming both ends of a step).
import { sql, type Kysely, type RawBuilder } from 'kysely';

import { PARAGRAPH_COLUMNS, type ParagraphRow } from './read-cables.ts';
import { adjacentTo, ENDS, entityKey, entityValues, isAmong, type EntityKey, type Tie } from './read-graph.ts';
import type { Database } from './schema.ts';
import { MENTION_KIND } from './write-graph.ts';

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
  /** What growing the side would cost: the cables naming its frontier's entities, summed. */
  weight: number;
}

interface Chain extends Tie {
  /** Keys from the side's start to the entity. */
  keys: string[];
  ties: Tie[];
}

function stronger(a: Tie, b: Tie): number {
  return b.paragraphs - a.paragraphs || b.cables - a.cables;
}

function startAt(entity: EntityKey, weight: number): Side {
  return { reached: new Map([[entityKey(entity), { entity, depth: 0, parents: [] }]]), frontier: [entity], depth: 0, weight };
}

interface ExpandRow extends EntityKey, Tie {
  from_kind: number;
  from_id: number;
  meets: boolean;
  /** The entity's cable count (a country's: WEIGHT_UNKNOWN), for choosing the side to grow. */
  weight: number;
}

/** The weight of an entity without a stored cable count (a country): as if named in very many cables. */
const WEIGHT_UNKNOWN = 1_000_000;

/**
 * A stored count (cables or mentions) of the person or organization in columns `kind`, `id`, or
 * WEIGHT_UNKNOWN for an entity without one.
 */
function weightOf(
  kind: RawBuilder<unknown>,
  id: RawBuilder<unknown>,
  count: 'cable_count' | 'mention_count' = 'cable_count',
): RawBuilder<number> {
  return sql<number>`coalesce(case ${kind} when ${sql.lit(MENTION_KIND.person)} then (select w.${sql.raw(count)} from person w where w.id = ${id})
                                     when ${sql.lit(MENTION_KIND.organization)} then (select w.${sql.raw(count)} from organization w where w.id = ${id}) end,
                              ${sql.lit(WEIGHT_UNKNOWN)})`;
}

/**
 * At most this many (frontier entity, entity reached by the other side) pairs are probed in the
 * edge table's primary key before a side grows (see `findMeetings`).
 */
const MEETING_PROBES = 5_000;

/**
 * The edges between one side's frontier and the entities the other side has reached, found by
 * probing the edge table's key for each pair: exactly the meetings a full expansion of the side
 * would find, and when there is one the search ends at this level, so they are all it needs;
 * without reading the frontier's every edge (a prominent person's run to tens of thousands).
 * Ranked and capped as `expand` ranks them.
 */
async function findMeetings(db: Kysely<Database>, side: Side, other: Side, frontier: number): Promise<ExpandRow[]> {
  const goal = [...other.reached.values()].map((r) => r.entity);
  const result = await sql<ExpandRow>`
    with f(kind, id) as (${entityValues(side.frontier)}),
    g(kind, id) as (${entityValues(goal)}),
    met as (
      select g.kind, g.id, f.kind as from_kind, f.id as from_id, e.paragraphs, e.cables
      from f join g on true
      join ${ENDS} on ends.source_kind = f.kind and ends.target_kind = g.kind
      join edge e on e.kind = ends.edge_kind and e.source_id = f.id and e.target_id = g.id
      union all
      select g.kind, g.id, f.kind, f.id, e.paragraphs, e.cables
      from f join g on true
      join ${ENDS} on ends.target_kind = f.kind and ends.source_kind = g.kind
      join edge e on e.kind = ends.edge_kind and e.source_id = g.id and e.target_id = f.id
    ),
    scored as (
      select m.*, sum(paragraphs) over entity as entity_paragraphs, sum(cables) over entity as entity_cables,
             row_number() over (entity order by paragraphs desc, cables desc, from_kind, from_id) as tie_rank
      from met m
      window entity as (partition by kind, id)
    ),
    ranked as (
      select *, dense_rank() over (order by entity_paragraphs desc, entity_cables desc, kind, id) as entity_rank from scored
    )
    select kind, id, from_kind, from_id, paragraphs, cables, true as meets, 0 as weight from ranked
    where tie_rank <= ${PATH_LIMITS.parents} and entity_rank <= ${frontier}
  `.execute(db);
  return result.rows;
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
    select kind, id, from_kind, from_id, paragraphs, cables, meets, ${weightOf(sql`ranked.kind`, sql`ranked.id`)} as weight from ranked
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
  options: { maxHops: number; via: readonly number[]; frontier?: number; meetingProbes?: number },
): Promise<PathRow[]> {
  if (entityKey(from) === entityKey(to)) return [{ nodes: [from], steps: [], paragraphs: 0, cables: 0 }];
  const ends = await sql<{ weight: number }>`
    select ${weightOf(sql`e.kind`, sql`e.id`)} as weight from (${entityValues([from, to])}) as e(kind, id)`.execute(db);
  const forward = startAt(from, Number(ends.rows[0]?.weight ?? WEIGHT_UNKNOWN));
  const backward = startAt(to, Number(ends.rows[1]?.weight ?? WEIGHT_UNKNOWN));
  const frontierCap = options.frontier ?? PATH_LIMITS.frontier;
  const meetings: string[] = [];
  while (forward.depth + backward.depth < options.maxHops && meetings.length === 0) {
    // The side whose frontier is named in fewer cables grows: its entities have the fewer edges to
    // read, and the two balls meet in the middle at least cost.
    const side = forward.weight <= backward.weight ? forward : backward;
    const other = side === forward ? backward : forward;
    if (side.frontier.length === 0) break;
    let rows: ExpandRow[] = [];
    if (side.frontier.length * other.reached.size <= (options.meetingProbes ?? MEETING_PROBES))
      rows = await findMeetings(db, side, other, frontierCap);
    if (rows.length === 0) rows = await expand(db, side, other, options.via, frontierCap);
    side.depth++;
    side.frontier = [];
    side.weight = 0;
    for (const row of rows) {
      const key = entityKey(row);
      let reached = side.reached.get(key);
      if (!reached) {
        reached = { entity: { kind: row.kind, id: row.id }, depth: side.depth, parents: [] };
        side.reached.set(key, reached);
        side.frontier.push(reached.entity);
        side.weight += Number(row.weight);
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
  const stepKeys = new Map<string, EvidenceStep>();
  for (const path of chosen) {
    for (let i = 1; i < path.keys.length; i++) {
      const pair = [path.keys[i - 1]!, path.keys[i]!].sort();
      stepKeys.set(pair.join('|'), { ends: [entityOf(pair[0]!), entityOf(pair[1]!)], inParagraph: path.ties[i - 1]!.paragraphs > 0 });
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

/** A step to find evidence for: its two ends, and whether they share a paragraph somewhere (the edge says). */
interface EvidenceStep {
  ends: [EntityKey, EntityKey];
  inParagraph: boolean;
}

/**
 * For each pair of entities, one cable naming both, keyed `key(a)|key(b)`: when the edge says
 * they share a paragraph, the latest written cable where they do, with the first such paragraph;
 * otherwise the latest written cable naming both.
 *
 * Each pair walks the mentions of its less-mentioned end, latest cable first, and stops at the
 * first one the other end matches (one index probe each), so a step between a prominent person
 * and one named in three cables reads a few rows, not the prominent person's thousands.
 * "Latest" is in the order cables were written (their ids), which the index gives; the date
 * would mean reading every shared cable.
 */
async function stepEvidence(
  db: Kysely<Database>,
  steps: EvidenceStep[],
): Promise<Map<string, { cable: { id: number; ref: string }; paragraph: ParagraphRow | null }>> {
  if (steps.length === 0) return new Map();
  const result = await sql<EvidenceRow>`
    with step(n, a_kind, a_id, b_kind, b_id, para) as (
      select * from unnest(${steps.map((_, i) => i)}::int[], ${steps.map((s) => s.ends[0].kind)}::smallint[],
                           ${steps.map((s) => s.ends[0].id)}::int[], ${steps.map((s) => s.ends[1].kind)}::smallint[],
                           ${steps.map((s) => s.ends[1].id)}::int[], ${steps.map((s) => s.inParagraph)}::boolean[])
    ),
    -- Materialized, so that each end's count is looked up once, not once per column that uses it.
    weighed as materialized (
      select s.*, ${weightOf(sql`s.a_kind`, sql`s.a_id`, 'mention_count')} <= ${weightOf(sql`s.b_kind`, sql`s.b_id`, 'mention_count')} as a_drives
      from step s
    ),
    driven as (
      select n, para,
             case when a_drives then a_kind else b_kind end as d_kind, case when a_drives then a_id else b_id end as d_id,
             case when a_drives then b_kind else a_kind end as o_kind, case when a_drives then b_id else a_id end as o_id
      from weighed
    )
    select d.n as step, e.cable_id, cable.ref, e.paragraph is not null as shared,
           ${sql.join(PARAGRAPH_COLUMNS.filter((column) => column !== 'paragraph.cable_id').map((column) => sql.ref(column)))}
    from driven d
    cross join lateral (
      select dm.cable_id, case when d.para then dm.paragraph end as paragraph
      from mention dm
      -- A probe per mention, as a lateral subquery with a limit, which PostgreSQL never turns into
      -- a join: as EXISTS, it became a merge semi join that read every mention of the other end.
      cross join lateral (
        select 1 from mention om
        where om.kind = d.o_kind and om.entity_id = d.o_id and om.cable_id = dm.cable_id
          and (not d.para or om.paragraph = dm.paragraph)
        limit 1
      ) hit
      where dm.kind = d.d_kind and dm.entity_id = d.d_id
      order by dm.cable_id desc, dm.paragraph
      limit 1
    ) e
    join cable on cable.id = e.cable_id
    left join paragraph on paragraph.cable_id = e.cable_id and paragraph.position = e.paragraph
  `.execute(db);
  const byPair = new Map<string, { cable: { id: number; ref: string }; paragraph: ParagraphRow | null }>();
  for (const row of result.rows) {
    const [a, b] = steps[row.step]!.ends;
    const { step: _step, ref, shared, ...paragraph } = row;
    byPair.set([entityKey(a), entityKey(b)].sort().join('|'), {
      cable: { id: row.cable_id, ref },
      paragraph: shared && paragraph.position !== null ? paragraph : null,
    });
  }
  return byPair;
}
