// `cablegraph serve`: open the database, seed it on first start if asked, listen. With
// `--workers N` (PostgreSQL only) the primary process prepares the database and N worker
// processes serve the port together (node:cluster): the server keeps no state of its own between
// requests, so any worker answers any request.
import cluster, { type Worker } from 'node:cluster';
import { createServer as createHttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { pino, type Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';

import type { Io } from './cli.ts';
import { openDatabase, optionsFromEnv, type DatabaseHandle } from './db/connect.ts';
import { refreshReaderCaches } from './db/visibility.ts';
import { settleGraph } from './db/write-cables.ts';
import { ingestPaths } from './ingest/pipeline.ts';
import { createServer } from './server.ts';
import { abuseLimitsFromEnv } from './server/abuse-limits.ts';
import { limitsFromEnv } from './server/limits.ts';
import { ServerMetrics, type MetricsSource } from './server/metrics.ts';

/** The two seed cables bundled with the project, ingested on first start. */
export const SEED_DIR = fileURLToPath(new URL('../seeds', import.meta.url));

export interface ServeOptions {
  port: number;
  host: string;
  seedIfEmpty: boolean;
  /** Processes serving requests; more than 1 needs PostgreSQL. */
  workers?: number;
  io: Io;
}

/** Messages between the primary and its workers (beside prom-client's own). */
type ClusterMessage =
  | { type: 'cablegraph:metrics-request'; id: number }
  | { type: 'cablegraph:metrics'; id: number; text: string; contentType: string }
  | { type: 'cablegraph:listening'; port: number };

export async function serve(options: ServeOptions): Promise<number> {
  const workers = options.workers ?? 1;
  if (cluster.isWorker) return serveRequests(options, workers);
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  if (workers > 1 && !optionsFromEnv().url) {
    options.io.stderr.write(
      `cablegraph serve: --workers ${workers} needs a PostgreSQL server (DATABASE_URL): the embedded PGlite database can be opened by one process only\n`,
    );
    return 2;
  }
  // PostgreSQL cancels what a timed-out request left running.
  const handle = await openDatabase({ ...optionsFromEnv(), statementTimeoutMs: limitsFromEnv().timeoutMs });
  try {
    await prepareDatabase(handle, options, logger);
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (workers === 1) return serveRequests(options, 1, logger, handle);
  await handle.close();
  return superviseWorkers(options, workers, logger);
}

/** Migrations (on opening), the seed cables on first start, and the restricted readers' caches: once, before serving. */
async function prepareDatabase(handle: DatabaseHandle, options: ServeOptions, logger: Logger): Promise<void> {
  logger.info({ database: handle.kind, location: handle.location }, 'database ready');
  if (options.seedIfEmpty) {
    const { count } = await handle.db
      .selectFrom('cable')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    if (Number(count) === 0) {
      const summary = await ingestPaths(handle.db, [SEED_DIR]);
      logger.info({ inserted: summary.inserted, failed: summary.failed }, 'seed cables ingested');
    }
  }
  // An ingest that was killed before its end left edges, counts and the restricted readers' counts behind.
  await settleGraph(handle.db);
  await refreshReaderCaches(handle.db);
}

/**
 * Serves the port until SIGINT or SIGTERM: the whole server when `workers` is 1, one of
 * `workers` processes otherwise (then the rate limit is shared out between them: the primary
 * hands connections out in turn, so each sees about 1/`workers` of a caller's requests).
 */
async function serveRequests(options: ServeOptions, workers: number, parentLogger?: Logger, opened?: DatabaseHandle): Promise<number> {
  const logger = parentLogger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' }).child({ worker: cluster.worker?.id });
  const limits = limitsFromEnv();
  const abuse = abuseLimitsFromEnv();
  // PostgreSQL cancels what a timed-out request left running.
  const handle = opened ?? (await openDatabase({ ...optionsFromEnv(), statementTimeoutMs: limits.timeoutMs }));
  const metrics = new ServerMetrics();
  let metricsSource: MetricsSource | undefined;
  if (cluster.isWorker) {
    // prom-client answers the primary's requests from a worker once an AggregatorRegistry exists there.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([metrics.registry]);
    metricsSource = metricsFromPrimary();
  }
  const yoga = createServer({
    db: handle.db,
    logger,
    limits,
    abuse: workers > 1 ? { ratePerSecond: abuse.ratePerSecond / workers, burst: Math.max(1, Math.ceil(abuse.burst / workers)) } : {},
    metrics,
    ...(metricsSource ? { metricsSource } : {}),
  });
  const server = createHttpServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  if (cluster.isWorker) process.send!({ type: 'cablegraph:listening', port } satisfies ClusterMessage);
  else
    options.io.stderr.write(`Cablegraph: GraphiQL at http://localhost:${port}/graphql (${handle.kind} database at ${handle.location})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      logger.info('shutting down');
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // A worker whose primary is gone has no one to answer to.
    if (cluster.isWorker) process.once('disconnect', stop);
  });
  await handle.close();
  // A worker's channel to the primary would keep it running.
  if (cluster.isWorker && process.connected) process.disconnect();
  return 0;
}

/** A worker's /metrics: the primary sums every worker's registry (prom-client's AggregatorRegistry). */
function metricsFromPrimary(): MetricsSource {
  let next = 0;
  const waiting = new Map<number, (reply: { text: string; contentType: string }) => void>();
  process.on('message', (message: ClusterMessage) => {
    if (message?.type !== 'cablegraph:metrics') return;
    waiting.get(message.id)?.({ text: message.text, contentType: message.contentType });
    waiting.delete(message.id);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary process did not answer for the metrics within 5 s'));
      }, 5_000);
      waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      process.send!({ type: 'cablegraph:metrics-request', id } satisfies ClusterMessage);
    });
}

/** Forks the workers, replaces any that dies, and stops them all on SIGINT or SIGTERM. */
async function superviseWorkers(options: ServeOptions, workers: number, logger: Logger): Promise<number> {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  let listening = 0;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: ClusterMessage) => {
      if (message?.type === 'cablegraph:listening') {
        if (++listening === workers) {
          options.io.stderr.write(
            `Cablegraph: GraphiQL at http://localhost:${message.port}/graphql (postgres database, ${workers} worker processes)\n`,
          );
        }
      } else if (message?.type === 'cablegraph:metrics-request') {
        aggregator.clusterMetrics().then(
          (text) =>
            worker.send({ type: 'cablegraph:metrics', id: message.id, text, contentType: aggregator.contentType } satisfies ClusterMessage),
          (error: unknown) => {
            logger.error({ err: error }, 'could not collect the workers’ metrics');
            worker.send({ type: 'cablegraph:metrics', id: message.id, text: '', contentType: 'text/plain' } satisfies ClusterMessage);
          },
        );
      }
    });
    return worker;
  };
  for (let i = 0; i < workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ worker: worker.id, code, signal }, 'a worker process exited; starting another');
    fork();
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      stopping = true;
      logger.info('shutting down');
      const alive = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      let left = alive.length;
      if (left === 0) resolve();
      for (const worker of alive) {
        worker.once('exit', () => {
          if (--left === 0) resolve();
        });
        worker.process.kill('SIGTERM');
      }
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
