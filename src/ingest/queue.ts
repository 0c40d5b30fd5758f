// Ingest shared through a job queue in PostgreSQL (pg-boss): `cablegraph ingest --enqueue PATH…`
// cuts the inputs into jobs (a plain cables.csv into slices of whole records, any other input
// whole), and any number of `cablegraph ingest-worker` processes, on this machine or others that
// see the same files, take jobs until none is left. Workers extract in parallel and write to one
// graph: batches and settling take one database lock, and resolution does not depend on the order
// cables arrive in, so N workers leave the graph one would. A worker that dies leaves its job to
// expire and be retried; ingest is idempotent, so a retried job rewrites nothing.
import { stat } from 'node:fs/promises';

import type { Kysely } from 'kysely';
import PgBoss from 'pg-boss';

import type { Database } from '../db/schema.ts';
import { message } from './extract-task.ts';
import { ingestItems, type IngestFailure, type IngestSummary } from './pipeline.ts';
import { listFiles } from './read-directory.ts';
import { readSlice, readSources, splitCsv, type InputSlice } from './read-sources.ts';

export const INGEST_QUEUE = 'cablegraph-ingest';

/** A job: a whole input (file, directory, archive) or a slice of a CSV file. */
export type IngestJob = { path: string } | InputSlice;

export interface QueueOptions {
  /** PostgreSQL URL of the database the graph and the queue live in. */
  url: string;
  /** Errors of the queue's background maintenance (a lost connection between polls). */
  onError?: (error: Error) => void;
}

/** Opens the queue (pg-boss creates its `pgboss` schema on first use). Stop it when done. */
export async function openQueue(options: QueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: options.url, schedule: false, max: 2 });
  boss.on('error', (error) => options.onError?.(error));
  await boss.start();
  // A job runs a few minutes at most; one whose worker died is retried after an hour.
  await boss.createQueue(INGEST_QUEUE, { name: INGEST_QUEUE, retryLimit: 2, expireInSeconds: 3600 });
  return boss;
}

/** The jobs for some inputs: CSV files cut into slices of about `recordsPerJob` records. */
export async function planJobs(paths: string[], recordsPerJob: number): Promise<IngestJob[]> {
  const jobs: IngestJob[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (!info.isDirectory() && /\.csv$/i.test(path)) {
      jobs.push(...(await splitCsv(path, recordsPerJob)));
      continue;
    }
    // A directory becomes one job per file in it, in name order.
    if (info.isDirectory()) {
      for await (const listed of listFiles(path)) if (listed.kind === 'file') jobs.push({ path: listed.path });
    } else jobs.push({ path });
  }
  return jobs;
}

export async function enqueue(boss: PgBoss, jobs: IngestJob[]): Promise<void> {
  if (jobs.length) await boss.insert(jobs.map((data) => ({ name: INGEST_QUEUE, data })));
}

export interface WorkerSummary {
  jobs: number;
  failedJobs: { job: IngestJob; reason: string }[];
  inserted: number;
  updated: number;
  unchanged: number;
  failed: IngestFailure[];
  seconds: number;
}

export interface WorkerOptions {
  threads?: number;
  batchSize?: number;
  /** Called after each job. */
  onJob?: (job: IngestJob, summary: IngestSummary) => void;
}

/** Takes jobs one at a time until the queue has none left; returns what this worker did. */
export async function work(db: Kysely<Database>, boss: PgBoss, options: WorkerOptions = {}): Promise<WorkerSummary> {
  const started = performance.now();
  const total: WorkerSummary = { jobs: 0, failedJobs: [], inserted: 0, updated: 0, unchanged: 0, failed: [], seconds: 0 };
  for (;;) {
    const [job] = await boss.fetch<IngestJob>(INGEST_QUEUE);
    if (!job) break;
    const data = job.data;
    try {
      const items = 'start' in data ? readSlice(data) : readSources([data.path]);
      const summary = await ingestItems(db, items, {
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      });
      await boss.complete(INGEST_QUEUE, job.id, { inserted: summary.inserted, updated: summary.updated, failed: summary.failed.length });
      total.jobs++;
      total.inserted += summary.inserted;
      total.updated += summary.updated;
      total.unchanged += summary.unchanged;
      total.failed.push(...summary.failed);
      options.onJob?.(data, summary);
    } catch (error) {
      // The database went away or refused a whole batch retry: the job goes back for a retry.
      total.failedJobs.push({ job: data, reason: message(error) });
      await boss.fail(INGEST_QUEUE, job.id, { reason: message(error) }).catch(() => undefined);
    }
  }
  total.seconds = (performance.now() - started) / 1000;
  return total;
}

export function describeJob(job: IngestJob): string {
  return 'start' in job ? `${job.path} bytes ${job.start}-${job.end}` : job.path;
}
