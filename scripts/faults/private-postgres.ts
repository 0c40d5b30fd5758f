// A throwaway PostgreSQL 15 cluster of our own, for fault runs that stop and restart the server:
// the shared one at 127.0.0.1:5432 serves other sessions and must never go down. initdb refuses
// to run as root, so when we are root the cluster belongs to the `postgres` user.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  port: number;
  dataDir: string;
  /** `postgres://postgres@127.0.0.1:PORT/NAME`. */
  url(database?: string): string;
  createDatabase(name: string): Promise<void>;
  /**
   * `pg_ctl stop` in the given mode (`fast` terminates every session, `immediate` is a crash as
   * far as clients can tell). Asynchronous, so that a load running in this process goes on.
   */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl start`, resolved once the server accepts connections. */
  start(): Promise<void>;
  /** Stops the cluster if it runs and deletes its directory; safe to call twice. */
  destroy(): void;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function owner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'cablegraph-faults-pg-'));
  const dataDir = join(home, 'data');
  const user = owner();
  if (user) chownSync(home, user.uid, user.gid);
  // As the cluster's owner: through runuser when we are root.
  const command = (file: string, args: string[]): [string, string[]] =>
    user ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const asOwner = async (file: string, args: string[]) => {
    try {
      await promisify(execFile)(...command(file, args), { encoding: 'utf8' });
    } catch (error) {
      const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${file} ${args.join(' ')} failed: ${stderr || stdout || message}`);
    }
  };
  const pgCtl = (args: string[]) => asOwner(`${BIN}/pg_ctl`, ['-D', dataDir, '-w', '-t', '60', ...args]);
  let running = false;
  const cluster: PrivatePostgres = {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    createDatabase: (name) => asOwner(`${BIN}/createdb`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]),
    async stop(mode = 'fast') {
      await pgCtl(['-m', mode, 'stop']);
      running = false;
    },
    async start() {
      running = true;
      await pgCtl(['-l', join(home, 'server.log'), '-o', `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    },
    // Synchronous: it also runs from the 'exit' handler, where nothing asynchronous happens.
    destroy() {
      if (running) spawnSync(...command(`${BIN}/pg_ctl`, ['-D', dataDir, '-w', '-m', 'immediate', 'stop']), { stdio: 'ignore' });
      running = false;
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    await asOwner(`${BIN}/initdb`, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
    await cluster.start();
  } catch (error) {
    cluster.destroy();
    throw error;
  }
  return cluster;
}

/** Runs `cleanup` once on exit, Ctrl-C or termination, so that no cluster outlives the script. */
export function onShutdown(cleanup: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cleanup();
  };
  process.once('exit', once);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      once();
      process.exit(130);
    });
  }
}

/**
 * A copy of the project's code (bin/, src/, seeds/ and the package files, node_modules linked) in
 * a temporary directory, and the path of its CLI. Fault runs take minutes while the checkout is
 * being edited: every child process of one run must execute the same code, or a difference
 * between two ingests may come from an edit rather than from the fault.
 */
export function snapshotProject(root: string): { cli: string; dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cablegraph-faults-code-'));
  for (const entry of ['bin', 'src', 'seeds', 'package.json', 'tsconfig.json']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return { cli: join(dir, 'bin/cablegraph.js'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
