// `cablegraph ingest --enqueue PATH…` and `cablegraph ingest-worker`: ingest shared through the
// job queue (src/ingest/queue.ts). PostgreSQL only: the queue lives in the graph's database.
import type { Io } from '../cli.ts';
import { openDatabase } from '../db/connect.ts';
import { limitHeapGrowth } from './heap.ts';
import { describeJob, enqueue, openQueue, planJobs, work } from './queue.ts';

function databaseUrl(io: Io): string | null {
  const url = process.env.DATABASE_URL;
  if (!url) io.stderr.write('the ingest queue lives in PostgreSQL: set DATABASE_URL (PGlite is one process’s file)\n');
  return url ?? null;
}

export async function runEnqueue(paths: string[], options: { recordsPerJob: number; io: Io }): Promise<number> {
  const url = databaseUrl(options.io);
  if (!url) return 2;
  // Opening the database first runs the graph's migrations, so that workers find the tables.
  const handle = await openDatabase({ url });
  await handle.close();
  const boss = await openQueue({ url, onError: (error) => options.io.stderr.write(`queue: ${error.message}\n`) });
  try {
    const jobs = await planJobs(paths, options.recordsPerJob);
    await enqueue(boss, jobs);
    options.io.stdout.write(`queued ${jobs.length} jobs (about ${options.recordsPerJob} CSV records each; other inputs whole)\n`);
    return 0;
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

export async function runWorker(options: { threads: number; batchSize: number; quiet: boolean; io: Io }): Promise<number> {
  const { io } = options;
  const url = databaseUrl(io);
  if (!url) return 2;
  limitHeapGrowth();
  const handle = await openDatabase({ url });
  const boss = await openQueue({ url, onError: (error) => io.stderr.write(`queue: ${error.message}\n`) });
  try {
    const summary = await work(handle.db, boss, {
      threads: options.threads,
      batchSize: options.batchSize,
      onJob: (job, done) => {
        if (!options.quiet) {
          io.stderr.write(
            `${describeJob(job)}: ${done.inserted} new, ${done.updated} updated, ${done.unchanged} unchanged, ${done.failed.length} failed\n`,
          );
        }
      },
    });
    for (const failure of summary.failed) io.stderr.write(`failed: ${failure.source}: ${failure.reason}\n`);
    for (const failed of summary.failedJobs)
      io.stderr.write(`job failed (queued again for a retry): ${describeJob(failed.job)}: ${failed.reason}\n`);
    io.stdout.write(
      `worker took ${summary.jobs + summary.failedJobs.length} jobs in ${summary.seconds.toFixed(1)} s: ${summary.inserted} new, ${summary.updated} updated, ` +
        `${summary.unchanged} unchanged, ${summary.failed.length} failed cables, ${summary.failedJobs.length} failed jobs\n`,
    );
    return summary.failed.length || summary.failedJobs.length ? 1 : 0;
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await handle.close();
  }
}
