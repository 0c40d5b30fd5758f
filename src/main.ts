// `cablegraph serve`: open the database, seed it on first start if asked, listen.
import { createServer as createHttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { pino } from 'pino';

import type { Io } from './cli.ts';
import { openDatabase, optionsFromEnv } from './db/connect.ts';
import { refreshReaderCaches } from './db/visibility.ts';
import { ingestPaths } from './ingest/pipeline.ts';
import { createServer } from './server.ts';
import { limitsFromEnv } from './server/limits.ts';

/** The two seed cables bundled with the project, ingested on first start. */
export const SEED_DIR = fileURLToPath(new URL('../seeds', import.meta.url));

export interface ServeOptions {
  port: number;
  host: string;
  seedIfEmpty: boolean;
  io: Io;
}

export async function serve(options: ServeOptions): Promise<number> {
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const limits = limitsFromEnv();
  // PostgreSQL cancels what a timed-out request left running.
  const handle = await openDatabase({ ...optionsFromEnv(), statementTimeoutMs: limits.timeoutMs });
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
  // An ingest that was killed before its end left the restricted readers' counts behind.
  await refreshReaderCaches(handle.db);
  const yoga = createServer({ db: handle.db, logger, limits });
  const server = createHttpServer(yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.io.stderr.write(`Cablegraph: GraphiQL at http://localhost:${port}/graphql (${handle.kind} database at ${handle.location})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      logger.info('shutting down');
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await handle.close();
  return 0;
}
