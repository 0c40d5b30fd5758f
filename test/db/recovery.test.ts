// The server over PostgreSQL when the database ends its sessions (a restart, an administrator's
// pg_terminate_backend): a request caught mid-query fails with DATABASE_UNAVAILABLE, the process
// does not crash on the idle connections' errors, and the next request succeeds on a fresh
// connection. The timed version, a real restart under load, is scripts/faults/pg-restart.ts.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { createServer } from '../../src/server.ts';
import { openTestDatabase } from '../helpers/databases.ts';
import { graphql } from '../helpers/graphql.ts';

const COUNT = '{ cables { totalCount } }';

describe.runIf(process.env.DATABASE_URL)('recovery from ended PostgreSQL sessions', () => {
  let handle: DatabaseHandle;
  let admin: pg.Client;
  let locker: pg.Client;
  let yoga: ReturnType<typeof createServer>;
  let database: string;

  beforeAll(async () => {
    handle = await openTestDatabase('postgres');
    yoga = createServer({ db: handle.db });
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(handle.db);
    database = rows[0]!.name;
    // Sessions of our own on the test database, outside the server's pool: one watches and ends
    // the server's sessions (outside any transaction, where pg_stat_activity would stay frozen),
    // one holds a lock.
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database}`;
    admin = new pg.Client({ connectionString: url.toString(), application_name: 'recovery-test' });
    locker = new pg.Client({ connectionString: url.toString(), application_name: 'recovery-test' });
    await Promise.all([admin.connect(), locker.connect()]);
  });
  afterAll(async () => {
    await admin?.end();
    await locker?.end();
    await handle?.close();
  });

  /** The server's sessions on the test database, optionally only those waiting on a lock. */
  const sessions = async (waitingOnLock = false) =>
    (
      await admin.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = $1 and application_name <> 'recovery-test' ${waitingOnLock ? `and wait_event_type = 'Lock'` : ''}`,
        [database],
      )
    ).rows.map((row) => row.pid);

  /** Ends the sessions and returns once PostgreSQL has let them go. */
  const terminate = async (pids: number[]) => {
    await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) pid', [pids]);
    while ((await sessions()).some((pid) => pids.includes(pid))) await new Promise((resolve) => setImmediate(resolve));
    // The sessions' last message, FATAL 57P01, is read by the pool's clients on the next turns.
    await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it('answers the next request after its idle connections were terminated', async () => {
    // Several requests at once, so that the pool holds several idle connections afterwards.
    const warm = await Promise.all(Array.from({ length: 4 }, () => graphql(yoga, COUNT)));
    expect(warm.map((result) => result.errors)).toEqual([undefined, undefined, undefined, undefined]);
    const idle = await sessions();
    expect(idle.length).toBeGreaterThan(0);
    await terminate(idle);
    const next = await graphql(yoga, COUNT);
    expect(next.errors).toBeUndefined();
    expect(next.data).toEqual({ cables: { totalCount: 0 } });
  });

  it('fails a request whose session is terminated mid-query with DATABASE_UNAVAILABLE, then recovers', async () => {
    // An exclusive lock holds the request's query in PostgreSQL until its session is ended.
    await locker.query('begin');
    await locker.query('lock table cable in access exclusive mode');
    try {
      const inFlight = graphql(yoga, COUNT);
      let blocked: number[] = [];
      while (blocked.length === 0) blocked = await sessions(true);
      await terminate(blocked);
      const result = await inFlight;
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);
    } finally {
      await locker.query('rollback');
    }
    const next = await graphql(yoga, COUNT);
    expect(next.errors).toBeUndefined();
    expect(next.data).toEqual({ cables: { totalCount: 0 } });
  });
});
