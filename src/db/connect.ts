// One entry point to the database: PostgreSQL through `pg` when a URL is given, otherwise
// embedded PGlite persisted on disk. Same migrations, same SQL.
import { mkdirSync } from 'node:fs';

import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type LogEvent } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';

import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives: the URL without credentials, or the PGlite directory. */
  location: string;
  /** SQL statements executed through this handle since it was opened. */
  statements: { count: number };
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A PostgreSQL URL; when absent, embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory, or `memory://` for a throwaway database. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /**
   * PostgreSQL `statement_timeout` for every pooled connection, in milliseconds: a query that
   * outlives the request that asked for it is cancelled by the server rather than left running.
   * Not applied to PGlite (one in-process connection, nothing to cancel it from).
   */
  statementTimeoutMs?: number | undefined;
}

const PG_DATE_OID = 1082;

function pgPool(url: string, max: number, statementTimeoutMs: number | undefined): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max,
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    // A DATE is a calendar day: keep it a string rather than a Date at local midnight.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}

/** The options the environment asks for: DATABASE_URL, else CABLEGRAPH_DATA or ./data. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenOptions {
  return env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.CABLEGRAPH_DATA || './data' };
}

/**
 * The same database, calling `onStatement` after each statement executed through it: the server
 * hands one to each request, so that it counts what that request ran.
 */
export function observeStatements(db: Kysely<Database>, onStatement: () => void): Kysely<Database> {
  return db.withPlugin({
    transformQuery: ({ node }) => node,
    transformResult: async ({ result }) => {
      onStatement();
      return result;
    },
  });
}

export async function openDatabase(options: OpenOptions = optionsFromEnv()): Promise<DatabaseHandle> {
  const statements = { count: 0 };
  const log = (event: LogEvent) => {
    statements.count++;
    if (event.level === 'error' && process.env.CABLEGRAPH_LOG_SQL) console.error(event.error);
  };
  let db: Kysely<Database>;
  let kind: DatabaseKind;
  let location: string;
  if (options.url) {
    kind = 'postgres';
    location = redact(options.url);
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: pgPool(options.url, options.maxConnections ?? 10, options.statementTimeoutMs) }),
      log,
    });
  } else {
    kind = 'pglite';
    const dataDir = options.dataDir ?? './data';
    location = dataDir;
    if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir, {
      parsers: { [pgliteTypes.DATE]: (value: string) => value },
    });
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log });
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, kind, location, statements, close: () => db.destroy() };
}

export async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
