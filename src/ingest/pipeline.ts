// Ingest: read sources, build records, write them in batches. One bad cable never stops a run,
// and a failed cable leaves nothing behind: a batch is one transaction, and a batch that fails
// is retried cable by cable so that only the bad one is refused.
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { refreshReaderCaches } from '../db/visibility.ts';
import { analyzeTables, mergeSearchPendingList, settleGraph, writeCables, type CableRecord, type WriteResult } from '../db/write-cables.ts';
import { createExtractor } from './extract-pool.ts';
import { message, type BuiltCable } from './extract-task.ts';
import { readSources } from './read-sources.ts';
import type { ReadItem, ReadProgress } from './types.ts';

export interface IngestFailure {
  source: string;
  reason: string;
}

export interface IngestSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  failed: IngestFailure[];
  /** Bytes of cable text ingested (bodies and headers). */
  textBytes: number;
  seconds: number;
  /** Of `seconds`, the time spent resolving entities and maintaining edges. */
  resolutionSeconds: number;
}

/** A batch being written: its refs, its first transaction, and its end (retries and statistics included). */
interface BatchInFlight {
  refs: Set<string>;
  attempt: Promise<unknown>;
  done: Promise<void>;
}

export interface IngestOptions {
  batchSize?: number;
  progress?: ReadProgress;
  /** Called after every batch with the running totals. */
  onBatch?: (summary: IngestSummary) => void;
  /**
   * Benchmark-only (scripts/bench/resolution-overhead.ts): false skips entity resolution, edge
   * and count maintenance and the statistics refreshes between batches that serve them; cables,
   * paragraphs, entity records and mentions (pointing at no entity) are still written. The graph
   * such an ingest leaves is incomplete: never use it outside the benchmark.
   */
  resolution?: boolean;
  /**
   * Benchmark-only (scripts/bench/settle.ts): false leaves what the run's batches left for settling
   * (surname blocks, held mentions, evidence, counts) recorded and unsettled, as a run killed
   * after its last batch would; the next ingest or `serve` settles it.
   */
  settle?: boolean;
  /**
   * Worker threads extracting cables while this thread writes (src/ingest/extract-pool.ts);
   * 0, the default, extracts inline. The order cables are written in is the order they are read.
   */
  threads?: number;
}

export async function ingestPaths(db: Kysely<Database>, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  return ingestItems(db, readSources(paths, options.progress ? { progress: options.progress } : {}), options);
}

/** Ingests what a reader yields (readSources, readSlice): the pipeline behind ingestPaths. */
export async function ingestItems(
  db: Kysely<Database>,
  items: AsyncIterable<ReadItem>,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const batchSize = options.batchSize ?? 200;
  const writeOptions = { resolution: options.resolution ?? true, deferSettling: true, deferResolution: true };
  const started = performance.now();
  const summary: IngestSummary = { inserted: 0, updated: 0, unchanged: 0, failed: [], textBytes: 0, seconds: 0, resolutionSeconds: 0 };
  let batch: CableRecord[] = [];
  const inBatch = new Set<string>();

  const count = (result: WriteResult) => {
    summary.inserted += result.inserted.length;
    summary.updated += result.updated.length;
    summary.unchanged += result.unchanged.length;
    summary.resolutionSeconds += result.resolutionMs / 1000;
  };

  // Statistics are refreshed each time the number of cables written has doubled, and at the end.
  // In the background, on a connection of its own: batches go on being read, extracted and
  // written meanwhile (ANALYZE blocks no writer), and later batches plan with the new statistics
  // once they are in. Settling waits for it. With PGlite's one connection it runs between batches.
  let analyzedAt = 0;
  let analyzing: Promise<void> | null = null;
  let analyzeFailure: unknown = null;
  const analyzeIfGrown = () => {
    const written = summary.inserted + summary.updated;
    if (!writeOptions.resolution || analyzing || written < 2 * Math.max(analyzedAt, batchSize / 2)) return;
    analyzedAt = written;
    analyzing = analyzeTables(db, 'resolution')
      .catch((error: unknown) => {
        analyzeFailure ??= error;
      })
      .finally(() => {
        analyzing = null;
      });
  };

  // One batch may be written while the next one goes in: the next batch's cables, paragraphs and
  // references are written (on a connection of their own) while the previous batch resolves its
  // entities, and its graph waits for the previous batch's transaction to end (writeCables'
  // graphAfter). Batches still take the graph lock in the order they were read.
  let writing = null as BatchInFlight | null;

  const write = (records: CableRecord[], previous: BatchInFlight | null): BatchInFlight => {
    const attempt = writeCables(db, records, { ...writeOptions, graphAfter: previous?.attempt });
    const done = (async () => {
      try {
        count(await attempt);
      } catch {
        for (const record of records) {
          try {
            count(await writeCables(db, [record], writeOptions));
          } catch (error) {
            summary.failed.push({ source: record.source, reason: `${record.ref}: database refused it: ${message(error)}` });
          }
        }
      }
      analyzeIfGrown();
      summary.seconds = (performance.now() - started) / 1000;
      options.onBatch?.(summary);
    })();
    // Its failure is met where it is awaited (the next flush, or the end of the run).
    done.catch(() => undefined);
    return { refs: new Set(records.map((r) => r.ref)), attempt, done };
  };

  const flush = async () => {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    inBatch.clear();
    const previous = writing;
    // A cable in the batch still being written waits for it: the later version is written last.
    if (previous && records.some((r) => previous.refs.has(r.ref))) {
      await previous.done;
      writing = write(records, null);
    } else {
      writing = write(records, previous);
      // At most two batches at once: the one going in and the one before it.
      await previous?.done;
    }
  };

  const take = async (built: BuiltCable) => {
    if (!built.ok) {
      summary.failed.push({ source: built.source, reason: built.reason });
      return;
    }
    const record = built.record;
    summary.textBytes += Buffer.byteLength(record.body) + (record.header ? Buffer.byteLength(record.header) : 0);
    // The same cable twice in one run (an HTML page and a CSV row): write the first before the second.
    if (inBatch.has(record.ref)) await flush();
    batch.push(record);
    inBatch.add(record.ref);
    if (batch.length >= batchSize) await flush();
  };

  // Back-pressure: at most `window` cables are read ahead of the batch being written. With worker
  // threads they are extracted meanwhile; results are taken in reading order.
  const extractor = createExtractor(options.threads ?? 0);
  const window = extractor.threads > 0 ? batchSize + 8 * extractor.threads : 1;
  const inFlight: Promise<BuiltCable>[] = [];
  try {
    for await (const item of items) {
      // A reader's failure waits its turn too, so that failures are listed in reading order.
      inFlight.push(
        item.kind === 'error' ? Promise.resolve({ ok: false, source: item.source, reason: item.reason }) : extractor.build(item.cable),
      );
      while (inFlight.length >= window) await take(await inFlight.shift()!);
    }
    while (inFlight.length) await take(await inFlight.shift()!);
  } catch (error) {
    // Nothing goes on writing behind the caller's back.
    await writing?.done.catch(() => undefined);
    await analyzing;
    throw error;
  } finally {
    await extractor.close();
  }
  await flush();
  await writing?.done;
  await analyzing;
  if (analyzeFailure) throw analyzeFailure;
  // Statistics of the tables settling never writes, and the search index's pending list, while the
  // graph settles (on a connection of their own; with PGlite's one connection, in turn).
  const wrote = summary.inserted + summary.updated > 0;
  const textTables = wrote ? analyzeTables(db, 'text').then(() => mergeSearchPendingList(db)) : null;
  textTables?.catch(() => undefined);
  try {
    // Co-mention edges and entity counts of the run's cables (and of any earlier run killed before
    // its end), once for the whole run rather than batch by batch.
    if (writeOptions.resolution && options.settle !== false) summary.resolutionSeconds += (await settleGraph(db)) / 1000;
  } catch (error) {
    await textTables?.catch(() => undefined);
    throw error;
  }
  await textTables;
  if (wrote) {
    await analyzeTables(db, 'graph');
    // What restricted readers are shown of whole-graph counts (edges, entity statistics).
    await refreshReaderCaches(db);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
