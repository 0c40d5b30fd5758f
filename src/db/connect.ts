// One entry point to the database: PostgreSQL through `pg` when a URL is given, otherwise
// embedded PGlite persisted on disk. Same migrations, same SQL.
import { mkdirSync } from 'node:fs';

import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { Kysely, Migrator, PostgresDialect, sql, type Dialect, type LogEvent, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';

import type { Access } from '../extract/markings.ts';
import { migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { ensureReaderSchemas, readerSchema, SearchPathDrivers, seesEverything } from './visibility.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Where the data lives: the URL without credentials, or the PGlite directory. */
  location: string;
  /** SQL statements executed through this handle since it was opened, less BOOKKEEPING ones. */
  statements: { count: number };
  /** The same database as a reader with this access sees it (src/db/visibility.ts); null sees everything. */
  reader(access: Access | null): Kysely<Database>;
  close(): Promise<void>;
}

const readers = new WeakMap<Kysely<Database>, (access: Access | null) => Kysely<Database>>();

/**
 * The database `db` (as opened by openDatabase) as a reader with `access` sees it. Fails for a
 * handle that was not opened here rather than hand out one that sees everything.
 */
export function readerDatabase(db: Kysely<Database>, access: Access | null): Kysely<Database> {
  if (seesEverything(access)) return db;
  const reader = readers.get(db);
  if (!reader) throw new Error('this database handle has no reader views (open it with openDatabase)');
  return reader(access);
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

/**
 * Ends a statement the server runs for itself (API key checks, now and then) rather than for a
 * request, so that `statements` counts only what requests ask for.
 */
export const BOOKKEEPING = '/* cablegraph:bookkeeping */';

const PG_DATE_OID = 1082;

/** How long a new connection may take before the query that wanted it fails (a server that neither accepts nor refuses). */
const CONNECT_TIMEOUT_MS = 5_000;

function pgPool(url: string, max: number, statementTimeoutMs: number | undefined): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
    // A DATE is a calendar day: keep it a string rather than a Date at local midnight.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // When the server closes a connection (restart, pg_terminate_backend), its client emits 'error'
  // (and the pool too, for an idle one); unheard, that event would crash the process. The pool
  // drops the dead client and the next query connects afresh; a query that was running on it
  // fails with the error, which the server reports as DATABASE_UNAVAILABLE.
  const ignore = (error: Error) => {
    if (process.env.CABLEGRAPH_LOG_SQL) console.error(error);
  };
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

/** How many statement texts are run as named prepared statements (each pooled connection prepares its own). */
const PREPARED_STATEMENTS = 200;

/**
 * Ends a statement that must be planned for its parameters on every call, never prepared: after
 * five calls a prepared statement may switch to PostgreSQL's generic plan, chosen without the
 * parameters' values, which suits small lookups but not a statement whose best plan depends on
 * them (a full-text query's frequency, a range's width). Appended with Kysely's `modifyEnd`.
 */
const PLANNED_PER_CALL_TEXT = '/* planned per call */';
export const PLANNED_PER_CALL = sql.raw(PLANNED_PER_CALL_TEXT);

/**
 * The pool, with statements whose text recurs run as named prepared statements: PostgreSQL then
 * parses and plans them once per connection instead of on every call, which is most of what the
 * small batched statements of a GraphQL request cost it. Texts are names, not values (parameters
 * stay parameters), and only those with parameters; a text is prepared from its second use, and only the first
 * PREPARED_STATEMENTS distinct texts are, which bounds what each connection keeps. A prepared
 * statement is re-analyzed by PostgreSQL when the connection's search_path changes.
 */
function preparing(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const seen = new Set<string>();
  const nameOf = (text: string): string | undefined => {
    const name = names.get(text);
    if (name !== undefined || names.size >= PREPARED_STATEMENTS) return name;
    if (!seen.has(text)) {
      if (seen.size >= 10 * PREPARED_STATEMENTS) seen.clear();
      seen.add(text);
      return undefined;
    }
    const created = `cablegraph_${names.size}`;
    names.set(text, created);
    return created;
  };
  // Kysely keeps one connection per client object: hand back the same wrapper for the same client.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = {
          query: ((text: unknown, values?: readonly unknown[]) => {
            // Statements without parameters (transaction control, search_path, DDL) are left alone, and
            // those that ask to be planned on every call.
            const name =
              typeof text === 'string' && values !== undefined && values.length > 0 && !text.endsWith(PLANNED_PER_CALL_TEXT)
                ? nameOf(text)
                : undefined;
            return name === undefined
              ? client.query(text as string, values as unknown[])
              : client.query({ name, text: text as string, values: values as unknown[] });
          }) as unknown as PostgresPoolClient['query'],
          release: () => client.release(),
        };
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
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
    if (!event.query.sql.endsWith(BOOKKEEPING)) statements.count++;
    if (event.level === 'error' && process.env.CABLEGRAPH_LOG_SQL) console.error(event.error);
  };
  let dialect: Dialect;
  let kind: DatabaseKind;
  let location: string;
  let drivers: SearchPathDrivers;
  if (options.url) {
    kind = 'postgres';
    location = redact(options.url);
    dialect = new PostgresDialect({ pool: preparing(pgPool(options.url, options.maxConnections ?? 10, options.statementTimeoutMs)) });
    drivers = new SearchPathDrivers(dialect.createDriver());
  } else {
    kind = 'pglite';
    const dataDir = options.dataDir ?? './data';
    location = dataDir;
    if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(dataDir, {
      parsers: { [pgliteTypes.DATE]: (value: string) => value },
      // The full-text index holds cable ids beside words (migration 0017).
      extensions: { btree_gin },
    });
    dialect = new PGliteDialect(pglite);
    // One in-process session: the search_path is the session's, whichever handle set it.
    drivers = new SearchPathDrivers(dialect.createDriver(), () => pglite);
  }
  // Every handle over this database shares one driver, each with its own search_path: the tables
  // for this one, a reader schema of views for each restricted reader.
  const over = (path: string, owner: boolean): Dialect => ({
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => drivers.driver(path, owner),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  });
  const db = new Kysely<Database>({ dialect: over('public', true), log });
  const byAccess = new Map<string, Kysely<Database>>();
  const reader = (access: Access | null): Kysely<Database> => {
    if (seesEverything(access)) return db;
    const schema = readerSchema(access!);
    let handle = byAccess.get(schema);
    if (!handle) byAccess.set(schema, (handle = new Kysely<Database>({ dialect: over(schema, false), log })));
    return handle;
  };
  readers.set(db, reader);
  try {
    await migrate(db);
    await ensureReaderSchemas(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, kind, location, statements, reader, close: () => db.destroy() };
}

export async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
