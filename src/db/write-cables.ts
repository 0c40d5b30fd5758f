// Writing cables: one transaction per batch, a handful of statements per batch whatever its size.
import { sql, type Kysely, type Transaction } from 'kysely';

import type { LocatedStandaloneName } from '../extract/entities/standalone-names.ts';
import { portionAccess } from '../extract/markings.ts';
import type { ClassifiedBy, Recipient } from '../extract/types.ts';
import type { Database } from './schema.ts';
import {
  addReleasedEvidence,
  clusterPendingSurnames,
  collectPrevious,
  emptyTouched,
  insertGraph,
  insertPendingMentions,
  lockGraphWrites,
  lockGraphWritesShared,
  markPending,
  refreshReleasedCounts,
  markStale,
  resolveOrganizations,
  releasePendingCables,
  resolvePersons,
  SETTLE_STEP,
  settleAll,
  settleStep,
  stagePersons,
  type CableGraphRecord,
} from './write-graph.ts';

export interface ParagraphRecord {
  position: number;
  number: number;
  marking: string | null;
  text: string;
  start: number;
  end: number;
}

export interface ReferenceRecord {
  position: number;
  kind: string;
  bullet: string | null;
  value: string;
  toRef: string | null;
}

/** Everything stored for one cable. `contentHash` covers all of it except `source`. */
export interface CableRecord {
  ref: string;
  date: string | null;
  classification: string | null;
  caveats: string[];
  origin: string | null;
  subject: string | null;
  tags: string[];
  declassifyOn: string | null;
  classifiedBy: ClassifiedBy | null;
  signers: string[];
  recipients: Recipient[];
  infoRecipients: Recipient[];
  summary: string | null;
  header: string | null;
  body: string;
  source: string;
  sourceFormat: string;
  contentHash: string;
  extractorVersion: number;
  paragraphs: ParagraphRecord[];
  references: ReferenceRecord[];
  /** Entities and mentions; null when only the structure is stored. */
  graph: CableGraphRecord | null;
  /** The SUBJECT line's own portion marking; with the others it decides who may see what. */
  subjectMarking?: string | null;
  /**
   * Capitalized words that may be a surname written alone, outside the cable's mentions (found
   * with the extraction, from the text the hash covers). Without them ingest finds them itself.
   */
  standaloneNames?: LocatedStandaloneName[];
}

export interface WriteResult {
  inserted: string[];
  updated: string[];
  unchanged: string[];
  /** Time spent resolving entities and maintaining edges and counts, in milliseconds. */
  resolutionMs: number;
}

/**
 * Writes a batch of cables in one transaction: new ones are inserted, changed ones replaced whole
 * (the row keeps its id; its paragraphs and references are rewritten), unchanged ones are left
 * alone. Refs must be unique within the batch. Either the whole batch is written or nothing.
 */
export interface WriteOptions {
  /** Benchmark-only: see IngestOptions.resolution. */
  resolution?: boolean;
  /**
   * Leave the batch's co-mention edges and entity counts for settleGraph() (an ingest settles once,
   * after its last batch). By default the batch settles them itself before it commits.
   */
  deferSettling?: boolean;
  /**
   * Leave the batch's surname blocks for settleGraph() to cluster (once per run, not once per batch
   * that names them), the batch's person records and mentions pointing at no person until then.
   * Implies deferSettling.
   */
  deferResolution?: boolean;
  /**
   * Taken before the graph is written: the batch's cables, paragraphs and references go in first,
   * then it waits for this (the previous batch's transaction), then takes the graph lock. Ingest
   * passes it so that a batch's text goes in while the previous batch resolves its entities.
   */
  graphAfter?: Promise<unknown>;
}

export async function writeCables(db: Kysely<Database>, records: CableRecord[], options: WriteOptions = {}): Promise<WriteResult> {
  const result: WriteResult = { inserted: [], updated: [], unchanged: [], resolutionMs: 0 };
  if (records.length === 0) return result;
  await db.transaction().execute(async (trx) => {
    // Without a batch to wait for, the graph lock is taken first, as other writers of the graph do.
    if (!options.graphAfter) await lockGraphWrites(trx);
    // Locked, so that the date a rewritten cable had (for the per-day counts) is the one it loses.
    const existing = await trx
      .selectFrom('cable')
      .select(['ref', 'content_hash', 'date'])
      .where(
        'ref',
        'in',
        records.map((r) => r.ref),
      )
      .forUpdate()
      .execute();
    const hashes = new Map(existing.map((row) => [row.ref, row.content_hash]));
    const changed = records.filter((r) => {
      if (hashes.get(r.ref) === r.contentHash) {
        result.unchanged.push(r.ref);
        return false;
      }
      return true;
    });
    if (changed.length === 0) return;
    const written = await upsertCables(trx, changed);
    const idByRef = new Map<string, number>();
    const updatedIds: number[] = [];
    for (const row of written) {
      // A cable that was not there when the batch looked, but was by its insert, came from another
      // writer meanwhile (the hashes are read before the graph lock is taken): its old rows were
      // not cleared. The batch fails, and its cables are written again one by one, lock first.
      if (!hashes.has(row.ref) && !row.fresh) throw new Error(`${row.ref} was written by another ingest at the same time`);
      idByRef.set(row.ref, row.id);
      if (hashes.has(row.ref)) {
        result.updated.push(row.ref);
        updatedIds.push(row.id);
      } else result.inserted.push(row.ref);
    }
    const touched = emptyTouched();
    if (updatedIds.length) {
      await trx.deleteFrom('paragraph').where('cable_id', 'in', updatedIds).execute();
      await trx.deleteFrom('cable_reference').where('cable_id', 'in', updatedIds).execute();
      await trx.deleteFrom('standalone_name').where('cable_id', 'in', updatedIds).execute();
    }
    await insertParagraphs(trx, changed, idByRef);
    await insertReferences(trx, changed, idByRef);
    if (options.graphAfter) {
      await options.graphAfter.catch(() => undefined);
      await lockGraphWrites(trx);
    }
    await countCableDays(trx, changed, new Map(existing.map((row) => [row.ref, row.date])));
    if (updatedIds.length) await collectPrevious(trx, updatedIds, touched);
    // From here on the batch's cables wait for settling to add their co-mention evidence.
    if (options.resolution !== false)
      await markPending(
        trx,
        written.map((row) => row.id),
      );
    const graphs = changed.flatMap((r) =>
      r.graph ? [{ cableId: idByRef.get(r.ref)!, graph: r.graph, paragraphs: r.paragraphs, standaloneNames: r.standaloneNames }] : [],
    );
    await insertGraph(trx, graphs, touched);
    if (options.resolution === false) {
      await insertPendingMentions(trx, touched);
      return;
    }
    const resolutionStarted = performance.now();
    if (options.deferResolution) await stagePersons(trx, touched);
    else await resolvePersons(trx, touched);
    await resolveOrganizations(trx, touched);
    result.resolutionMs = performance.now() - resolutionStarted;
    await insertPendingMentions(trx, touched, { holdPersons: options.deferResolution === true });
    const countingStarted = performance.now();
    await markStale(trx, touched);
    if (!options.deferSettling && !options.deferResolution) await settleAll(trx);
    result.resolutionMs += performance.now() - countingStarted;
  });
  return result;
}

/**
 * Brings the per-day cable counts (cable_day, 0012) in line with the batch's cables: a day more
 * for each new cable, and for a rewritten one a day less at its old date. Under the graph lock,
 * which every writer of cables holds, so that no two batches wait on each other's days.
 */
async function countCableDays(trx: Transaction<Database>, changed: CableRecord[], previous: Map<string, string | null>): Promise<void> {
  const delta = new Map<string, number>();
  const add = (day: string | null | undefined, n: number) => {
    if (day) delta.set(day, (delta.get(day) ?? 0) + n);
  };
  for (const record of changed) {
    add(previous.get(record.ref), -1);
    add(record.date, 1);
  }
  const days = [...delta].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  if (days.length === 0) return;
  await sql`
    insert into cable_day (day, cables)
    select * from unnest(${days.map(([day]) => day)}::date[], ${days.map(([, n]) => n)}::int[])
    on conflict (day) do update set cables = cable_day.cables + excluded.cables
  `.execute(trx);
}

/**
 * Settles what ingest batches left for later (surname blocks to cluster, co-mention evidence of
 * their cables, entity counts), a step per transaction, so that a run killed midway leaves the
 * rest for the next call. Returns the time it took in milliseconds.
 *
 * The surname blocks go first, one step at a time. Then the waiting cables go through three
 * settlers at once, each on a connection of its own under the shared graph lock: one moves their
 * held person mentions into `mention` a chunk at a time, and two add the evidence of the chunks it
 * has moved, one the pairs with an even source id and one those with an odd one; once all are
 * moved, the first works out the counts meanwhile. PostgreSQL runs a statement on one core, and
 * the evidence's insert is most of the work: for the corpus, moving, evidence and counts took
 * 3.1 s step by step and 2.3 s this way (docs/PERFORMANCE.md). Whatever is left after them
 * (cables a concurrent writer added meanwhile, the counts then) settles step by step, under the
 * exclusive lock. With PGlite's one connection the settlers take turns. `parallel: false`
 * (benchmark-only, scripts/bench/settle.ts) settles everything step by step instead.
 */
export async function settleGraph(db: Kysely<Database>, options: { parallel?: boolean } = {}): Promise<number> {
  const started = performance.now();
  const exclusive = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    db.transaction().execute(async (trx) => {
      await lockGraphWrites(trx);
      return work(trx);
    });
  const shared = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    db.transaction().execute(async (trx) => {
      await lockGraphWritesShared(trx);
      return work(trx);
    });

  while ((await exclusive((trx) => clusterPendingSurnames(trx, SETTLE_STEP.surnames))) > 0);
  if (options.parallel !== false) await settleBeside(db, shared);
  for (;;) {
    const settled = await exclusive((trx) => settleStep(trx));
    if (settled.surnames === 0 && settled.cables === 0 && settled.entities === 0) break;
  }
  return performance.now() - started;
}

/** The settlers that run beside each other (settleGraph), until they find nothing left to do. */
async function settleBeside(
  db: Kysely<Database>,
  shared: <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>,
): Promise<void> {
  // Chunks small enough that moving one overlaps adding the evidence of the one before, even when
  // a few hundred cables wait.
  const waiting = await db
    .selectFrom('graph_pending_cable')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const chunk = Math.min(SETTLE_STEP.cables, Math.max(100, Math.ceil(Number(waiting.n) / 4)));
  let releasing = true;
  let failed = false;
  let moved = signal();
  const release = async () => {
    try {
      while (!failed && (await shared((trx) => releasePendingCables(trx, chunk))) > 0) {
        const wake = moved;
        moved = signal();
        wake.resolve();
      }
    } finally {
      releasing = false;
      moved.resolve();
    }
    // Every mention is in: the counts, while the evidence goes on being added.
    while (!failed && (await shared((trx) => refreshReleasedCounts(trx, SETTLE_STEP.entities))) > 0);
  };
  const addHalf = async (half: 0 | 1) => {
    while (!failed) {
      // Taken before looking, so that a chunk moved meanwhile is not missed.
      const next = moved.promise;
      const wasReleasing = releasing;
      if ((await shared((trx) => addReleasedEvidence(trx, half, chunk))) > 0) continue;
      if (!wasReleasing) return;
      await next;
    }
  };
  const settlers = [release(), addHalf(0), addHalf(1)].map((p) =>
    p.catch((error: unknown) => {
      failed = true;
      throw error;
    }),
  );
  // Every settler has stopped before a failure is reported: nothing goes on writing behind it.
  const outcomes = await Promise.allSettled(settlers);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function upsertCables(trx: Transaction<Database>, records: CableRecord[]) {
  const rows = records
    .map((r) => ({ r, access: portionAccess(r.classification, r.caveats, r.subjectMarking ?? null, r.paragraphs) }))
    .map(({ r, access }) => ({
      ref: r.ref,
      date: r.date,
      classification: r.classification,
      caveats: r.caveats,
      origin: r.origin,
      subject: r.subject,
      tags: r.tags,
      declassify_on: r.declassifyOn,
      classified_by_name: r.classifiedBy?.name ?? null,
      classified_by_title: r.classifiedBy?.title ?? null,
      signers: r.signers,
      recipients: JSON.stringify(r.recipients),
      info_recipients: JSON.stringify(r.infoRecipients),
      summary: r.summary,
      header: r.header,
      body: r.body,
      source: r.source,
      source_format: r.sourceFormat,
      content_hash: r.contentHash,
      extractor_version: r.extractorVersion,
      access_rank: access.cable.rank,
      noforn: access.cable.noforn,
      subject_access_rank: access.subject.rank,
      subject_noforn: access.subject.noforn,
    }));
  return (
    trx
      .insertInto('cable')
      .values(rows)
      .onConflict((oc) =>
        oc.column('ref').doUpdateSet((eb) => ({
          date: eb.ref('excluded.date'),
          classification: eb.ref('excluded.classification'),
          caveats: eb.ref('excluded.caveats'),
          origin: eb.ref('excluded.origin'),
          subject: eb.ref('excluded.subject'),
          tags: eb.ref('excluded.tags'),
          declassify_on: eb.ref('excluded.declassify_on'),
          classified_by_name: eb.ref('excluded.classified_by_name'),
          classified_by_title: eb.ref('excluded.classified_by_title'),
          signers: eb.ref('excluded.signers'),
          recipients: eb.ref('excluded.recipients'),
          info_recipients: eb.ref('excluded.info_recipients'),
          summary: eb.ref('excluded.summary'),
          header: eb.ref('excluded.header'),
          body: eb.ref('excluded.body'),
          source: eb.ref('excluded.source'),
          source_format: eb.ref('excluded.source_format'),
          content_hash: eb.ref('excluded.content_hash'),
          extractor_version: eb.ref('excluded.extractor_version'),
          access_rank: eb.ref('excluded.access_rank'),
          noforn: eb.ref('excluded.noforn'),
          subject_access_rank: eb.ref('excluded.subject_access_rank'),
          subject_noforn: eb.ref('excluded.subject_noforn'),
          updated_at: sql`now()`,
        })),
      )
      // xmax is 0 on a row this statement inserted, not on one it updated.
      .returning(['id', 'ref', sql<boolean>`xmax = 0`.as('fresh')])
      .execute()
  );
}

// Children go in through unnest(): a fixed number of parameters however many rows there are.
async function insertParagraphs(trx: Transaction<Database>, records: CableRecord[], idByRef: Map<string, number>) {
  const columns = {
    cableId: [] as number[],
    position: [] as number[],
    number: [] as number[],
    marking: [] as (string | null)[],
    text: [] as string[],
    start: [] as number[],
    end: [] as number[],
    accessRank: [] as number[],
    noforn: [] as boolean[],
  };
  for (const record of records) {
    const cableId = idByRef.get(record.ref)!;
    const access = portionAccess(record.classification, record.caveats, record.subjectMarking ?? null, record.paragraphs);
    record.paragraphs.forEach((p, index) => {
      columns.accessRank.push(access.paragraphs[index]!.rank);
      columns.noforn.push(access.paragraphs[index]!.noforn);
      columns.cableId.push(cableId);
      columns.position.push(p.position);
      columns.number.push(p.number);
      columns.marking.push(p.marking);
      columns.text.push(p.text);
      columns.start.push(p.start);
      columns.end.push(p.end);
    });
  }
  if (columns.cableId.length === 0) return;
  await sql`
    insert into paragraph (cable_id, position, number, marking, text, span_start, span_end, access_rank, noforn)
    select * from unnest(${columns.cableId}::int[], ${columns.position}::smallint[], ${columns.number}::smallint[],
                         ${columns.marking}::text[], ${columns.text}::text[], ${columns.start}::int[], ${columns.end}::int[],
                         ${columns.accessRank}::smallint[], ${columns.noforn}::boolean[])
  `.execute(trx);
}

async function insertReferences(trx: Transaction<Database>, records: CableRecord[], idByRef: Map<string, number>) {
  const columns = {
    cableId: [] as number[],
    position: [] as number[],
    kind: [] as string[],
    bullet: [] as (string | null)[],
    value: [] as string[],
    toRef: [] as (string | null)[],
  };
  for (const record of records) {
    const cableId = idByRef.get(record.ref)!;
    for (const r of record.references) {
      columns.cableId.push(cableId);
      columns.position.push(r.position);
      columns.kind.push(r.kind);
      columns.bullet.push(r.bullet);
      columns.value.push(r.value);
      columns.toRef.push(r.toRef);
    }
  }
  if (columns.cableId.length === 0) return;
  await sql`
    insert into cable_reference (cable_id, position, kind, bullet, value, to_ref)
    select * from unnest(${columns.cableId}::int[], ${columns.position}::smallint[], ${columns.kind}::text[],
                         ${columns.bullet}::text[], ${columns.value}::text[], ${columns.toRef}::text[])
  `.execute(trx);
}

/**
 * Moves the words of new paragraphs from the full-text index's pending list into the index
 * proper. The GIN index takes insertions into a list (fastupdate) merged only once it holds 4 MB,
 * and every search reads that list whole: up to 136 pages, ~1 ms a search at full size. On a
 * server, autovacuum would merge it in time, and PGlite has none. Only the index's owner may (the
 * role that ran the migrations); another role leaves the list to autovacuum.
 */
export async function mergeSearchPendingList(db: Kysely<Database>): Promise<void> {
  try {
    await sql`select gin_clean_pending_list('paragraph_search_idx'::regclass)`.execute(db);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
  }
}

/**
 * The tables that settling (settleGraph) never writes: batches fill them, and their statistics
 * can be refreshed while the graph settles, on a connection of their own.
 */
export const TEXT_TABLES = [
  'cable',
  'cable_day',
  'cable_organization',
  'cable_reference',
  'cable_topic',
  'country',
  'date_mention',
  'paragraph',
  'standalone_name',
  'surname_cables',
  'surname_writing',
  'topic',
] as const;

/**
 * Refreshes the planner's statistics. Ingest grows the tables from nothing, and a plan chosen for
 * an empty table (a sequential scan, a nested loop over "10 rows") stays bad long after; on a
 * server without autovacuum, or on PGlite, nothing else would ever refresh them. Between batches
 * only the columns that resolution's statements filter and join on are analyzed (the statistics of
 * text and array columns cost the most: on the corpus, 50–160 ms against 190–220 ms for the whole
 * tables), and not `edge`, which batches leave to settling. At the end of an ingest, `text` (the
 * tables of TEXT_TABLES) is analyzed while the graph settles and `graph` (every other table and
 * populated materialized view) once it has: on the corpus, 0.40 s after settling instead of 0.81 s.
 */
export async function analyzeTables(db: Kysely<Database>, scope: 'resolution' | 'text' | 'graph'): Promise<void> {
  if (scope === 'text') await sql.raw(`analyze ${TEXT_TABLES.join(', ')}`).execute(db);
  else if (scope === 'graph') {
    const { rows } = await sql<{ name: string }>`
      select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema')
        and not (schemaname = current_schema() and tablename = any(${[...TEXT_TABLES]}::text[]))
      union all
      select format('%I.%I', schemaname, matviewname) from pg_matviews where ispopulated
      order by 1
    `.execute(db);
    if (rows.length) await sql.raw(`analyze ${rows.map((row) => row.name).join(', ')}`).execute(db);
  } else
    await sql`
      analyze cable (id, ref), cable_person (id, cable_id, surname_key, person_id, local_index),
              cable_organization (id, cable_id, organization_id), mention (cable_id, paragraph, kind, local_id, entity_id),
              person (id, key, surname_key), organization (id, key)
    `.execute(db);
}
