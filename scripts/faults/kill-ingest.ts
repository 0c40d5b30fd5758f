// Fault run: `cablegraph ingest` killed with SIGKILL at random points, then run again to the end.
// On a private PostgreSQL cluster (never the shared one), ingests the 1,295-cable corpus cleanly
// into database A and fingerprints it (scripts/faults/fingerprint.ts). Kill points are seeded and
// spread over the clean run's duration T: the i-th of k is drawn uniformly in the i-th k-th of
// [0.5 s, T]. Then, with --mode
//  - independent (default): for each point, a fresh database B_i; the ingest is killed (`kill -9`)
//    there, what it left is counted, the ingest is run again to the end, and B_i must equal A;
//  - cumulative: one database B; the ingest is started and killed at each point in turn (a run
//    that ends before its point is reported as such), then run once more to the end; B must equal A.
//
//   npx tsx scripts/faults/kill-ingest.ts [--kills 5] [--seed 7] [--mode independent|cumulative]
//                                         [--database postgres|pglite] [--points 12.5,80] [--json out.json]
//
// Every ingest runs a copy of the code taken at the start, so that edits to the checkout during
// the run cannot pass for differences caused by the kills.
//
// With --database pglite, A and B are PGlite directories: the database runs inside the killed
// process, so each kill is a crash of the database itself, recovered by the next run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

import { differences, fingerprint, type Fingerprint, type Query } from './fingerprint.ts';
import { onShutdown, snapshotProject, startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/cablegate-1295.csv.gz', import.meta.url));

const { values: options } = parseArgs({
  options: {
    kills: { type: 'string', default: '5' },
    seed: { type: 'string', default: '7' },
    database: { type: 'string', default: 'postgres' },
    mode: { type: 'string', default: 'independent' },
    points: { type: 'string' },
    json: { type: 'string' },
  },
});
const kills = Number(options.kills);
const kind = options.database;
if (kind !== 'postgres' && kind !== 'pglite') throw new Error(`--database: "${kind}" is neither postgres nor pglite`);
const mode = options.mode;
if (mode !== 'independent' && mode !== 'cumulative') throw new Error(`--mode: "${mode}" is neither independent nor cumulative`);

/** mulberry32: a small seeded generator, so that a run's kill points can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface IngestRun {
  /** Seconds from spawn to exit or kill. */
  seconds: number;
  killedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  /** The summary's first line, when the run got that far. */
  summary: string | null;
}

/** One `cablegraph ingest` child; with `killAfter` (seconds) it is sent SIGKILL then. */
function ingest(cli: string, env: NodeJS.ProcessEnv, killAfter: number | null): Promise<IngestRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'ingest', '--quiet', CORPUS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    let killedAt: number | null = null;
    const timer =
      killAfter === null
        ? undefined
        : setTimeout(() => {
            killedAt = (performance.now() - started) / 1000;
            child.kill('SIGKILL');
          }, killAfter * 1000);
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      if (killedAt === null && exitCode !== 0) {
        reject(new Error(`ingest exited with ${exitCode ?? signal}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      resolve({
        seconds: (performance.now() - started) / 1000,
        killedAt,
        exitCode,
        signal,
        summary: /^ingested .*$/m.exec(stdout)?.[0] ?? null,
      });
    });
  });
}

interface Target {
  env: NodeJS.ProcessEnv;
  fingerprint(): Promise<Fingerprint>;
  /** Cables committed so far. */
  cables(): Promise<number>;
  drop(): Promise<void>;
}

async function postgresTarget(cluster: PrivatePostgres, name: string): Promise<Target> {
  await cluster.createDatabase(name);
  const url = cluster.url(name);
  const withClient = async <T>(use: (query: Query) => Promise<T>, database = name): Promise<T> => {
    const client = new pg.Client({ connectionString: cluster.url(database) });
    await client.connect();
    try {
      return await use(async (text) => (await client.query(text)).rows);
    } finally {
      await client.end();
    }
  };
  return {
    env: { ...process.env, DATABASE_URL: url, CABLEGRAPH_DATA: '' },
    fingerprint: () => withClient(fingerprint),
    cables: () => withClient(cablesIn),
    drop: () => withClient(async (query) => void (await query(`drop database ${name} with (force)`)), 'postgres'),
  };
}

function pgliteTarget(home: string, name: string): Target {
  const dataDir = join(home, name);
  const env: NodeJS.ProcessEnv = { ...process.env, CABLEGRAPH_DATA: dataDir };
  delete env.DATABASE_URL;
  const withDatabase = async <T>(use: (query: Query) => Promise<T>): Promise<T> => {
    const db = await PGlite.create(dataDir);
    try {
      return await use(async (text) => (await db.query<Record<string, unknown>>(text)).rows);
    } finally {
      await db.close();
    }
  };
  return {
    env,
    fingerprint: () => withDatabase(fingerprint),
    cables: () => withDatabase(cablesIn),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Committed cables; 0 before the migrations created the table. */
async function cablesIn(query: Query): Promise<number> {
  const [exists] = await query(`select to_regclass('public.cable') is not null as exists`);
  if (!exists?.exists) return 0;
  const [row] = await query(`select count(*)::int as count from cable`);
  return Number(row!.count);
}

async function main() {
  const load = spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
  const home = mkdtempSync(join(tmpdir(), 'cablegraph-kill-ingest-'));
  const code = snapshotProject(ROOT);
  const cluster = kind === 'postgres' ? await startPrivatePostgres() : null;
  onShutdown(() => {
    code.remove();
    cluster?.destroy();
    rmSync(home, { recursive: true, force: true });
  });
  const target = (name: string) => (cluster ? postgresTarget(cluster, name) : Promise.resolve(pgliteTarget(home, name)));
  try {
    const a = await target('clean');
    console.log(`${kind}${cluster ? ` (private cluster on port ${cluster.port})` : ` under ${home}`}: clean ingest into A`);
    const clean = await ingest(code.cli, a.env, null);
    console.log(`  ${clean.summary} (${clean.seconds.toFixed(1)} s wall)`);
    const expected = await a.fingerprint();

    const next = random(Number(options.seed));
    const span = (clean.seconds - 0.5) / kills;
    // --points replays given kill times (seconds) instead of drawing them.
    const points = options.points
      ? options.points.split(',').map(Number)
      : Array.from({ length: kills }, (_, i) => Math.round((0.5 + (i + next()) * span) * 100) / 100);

    const kill = async (b: Target, planned: number, label: string) => {
      const run = await ingest(code.cli, b.env, planned);
      const committed = await b.cables();
      console.log(
        `  ${label}: planned at ${planned.toFixed(2)} s; ` +
          (run.killedAt === null ? `finished first (${run.summary})` : `killed at ${run.killedAt.toFixed(2)} s`) +
          `; ${committed} cables committed`,
      );
      return {
        plannedS: planned,
        killedAtS: run.killedAt === null ? null : Math.round(run.killedAt * 100) / 100,
        cablesCommitted: committed,
        finishedFirst: run.killedAt === null ? run.summary : null,
      };
    };
    const rerun = async (b: Target) => {
      const final = await ingest(code.cli, b.env, null);
      const differing = differences(expected, await b.fingerprint());
      const identical = Object.keys(differing).length === 0;
      console.log(`  rerun: ${final.summary} (${final.seconds.toFixed(1)} s wall); ${identical ? 'identical to A' : 'DIFFERS from A'}`);
      return { seconds: Math.round(final.seconds * 10) / 10, summary: final.summary, identical, differing };
    };

    const trials: { kills: Awaited<ReturnType<typeof kill>>[]; rerun: Awaited<ReturnType<typeof rerun>> }[] = [];
    if (mode === 'independent') {
      for (const [i, planned] of points.entries()) {
        const b = await target(`killed_${i + 1}`);
        trials.push({ kills: [await kill(b, planned, `B${i + 1}`)], rerun: await rerun(b) });
        await b.drop();
      }
    } else {
      const b = await target('killed');
      const runs = [];
      for (const [i, planned] of points.entries()) runs.push(await kill(b, planned, `kill ${i + 1}`));
      trials.push({ kills: runs, rerun: await rerun(b) });
    }
    const identical = trials.every((trial) => trial.rerun.identical);

    const report = {
      command: `npx tsx scripts/faults/kill-ingest.ts --kills ${kills} --seed ${options.seed} --mode ${mode} --database ${kind}${options.points ? ` --points ${options.points}` : ''}`,
      uptime: load,
      node: process.version,
      clean: { seconds: Math.round(clean.seconds * 10) / 10, summary: clean.summary },
      trials,
      tables: Object.fromEntries(
        Object.entries(expected).map(([table, print]) => [table, `${print.rows} rows${print.mapped ? '' : ' (as stored)'}`]),
      ),
      identical,
    };
    console.log(JSON.stringify(report, null, 2));
    if (options.json) writeFileSync(options.json, JSON.stringify({ ...report, expected }, null, 1));
    console.log(identical ? 'PASS: identical' : 'FAIL: the databases differ');
    process.exitCode = identical ? 0 : 1;
  } finally {
    code.remove();
    cluster?.destroy();
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
