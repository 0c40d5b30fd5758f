// What entity resolution and edge maintenance add to an ingest:
//   npx tsx scripts/bench/resolution-overhead.ts [--runs N] [--threads N] [--server URL] [--database NAME] [PATH…]
// Ingests PATH (default: the shared 1,295-cable corpus) into a fresh PostgreSQL database NAME
// (default scratch_resolution, dropped and created again before every run, dropped at the end)
// (a) as `cablegraph ingest` does and (b) with the benchmark-only `resolution: false` switch, which
// still reads, extracts and writes cables, paragraphs, references, entity records and mentions
// but resolves no entity, maintains no edge or count and skips the statistics refreshes between
// batches that serve resolution. Runs alternate a/b (b/a on odd rounds) so that drifting machine
// load hits both; medians are compared. Each run's load average is printed beside it: the machine
// is shared, so timings are only as good as the load they were taken under. Beside wall time, the
// CPU time of the ingest (this process, plus the PostgreSQL backends serving its database, read
// from /proc while the run lasts) is compared: on a loaded machine it varies far less. Each round
// runs (a) and (b) back to back, and its own ratio is printed too, with the median of those.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { sql } from 'kysely';

import { openDatabase } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { countOption, DEFAULT_CORPUS, median, scratchServer } from './scratch.ts';

const { values, positionals } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    // Extraction worker threads, as `cablegraph ingest --threads`; 0 (inline), the default here,
    // is what the figures in docs/PERFORMANCE.md used unless they say otherwise.
    threads: { type: 'string', default: '0' },
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
    database: { type: 'string', default: 'scratch_resolution' },
  },
  allowPositionals: true,
});
const runs = countOption('runs', values.runs);
const threads = countOption('threads', values.threads, 0);
if (!/^scratch_\w+$/.test(values.database)) {
  console.error(`--database must be a scratch database named scratch_…, got "${values.database}" (it is dropped and recreated)`);
  process.exit(2);
}
const paths = positionals.length ? positionals : [DEFAULT_CORPUS];
const server = scratchServer(values.server);

type Mode = 'a' | 'b';
interface Run {
  mode: Mode;
  seconds: number;
  /** CPU seconds: this process, and the database backends. */
  cpu: { node: number; database: number };
  resolutionSeconds: number;
  load: string;
  rows: Record<string, number>;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;

/** User plus system CPU seconds of a process, or null once it is gone. */
function processCpu(pid: number): number | null {
  try {
    // Fields after the parenthesized command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

async function ingestOnce(mode: Mode): Promise<Run> {
  server.recreate(values.database);
  const handle = await openDatabase({ url: server.urlOf(values.database) });
  try {
    const before = load();
    // The backends serving this database, sampled after every batch (a pooled connection may close).
    const backendCpu = new Map<number, number>();
    const sampleBackends = async () => {
      const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(handle.db);
      for (const { pid } of pids.rows) {
        const cpu = processCpu(pid);
        if (cpu !== null) backendCpu.set(pid, Math.max(cpu, backendCpu.get(pid) ?? 0));
      }
    };
    await sampleBackends();
    const startCpu = new Map(backendCpu);
    let sampling = Promise.resolve();
    const nodeStart = process.cpuUsage();
    const summary = await ingestPaths(handle.db, paths, {
      resolution: mode === 'a',
      threads,
      onBatch: () => {
        sampling = sampling.then(sampleBackends);
      },
    });
    const nodeCpu = process.cpuUsage(nodeStart);
    await sampling;
    await sampleBackends();
    let databaseCpu = 0;
    for (const [pid, cpu] of backendCpu) databaseCpu += cpu - (startCpu.get(pid) ?? 0);
    if (summary.failed.length) throw new Error(`${summary.failed.length} inputs failed, first: ${summary.failed[0]!.reason}`);
    const counts = await sql<Record<string, number>>`
      select (select count(*)::int from cable) as cables, (select count(*)::int from paragraph) as paragraphs,
             (select count(*)::int from cable_person) as cable_persons, (select count(*)::int from mention) as mentions,
             (select count(*)::int from person) as persons, (select count(*)::int from organization) as organizations,
             (select count(*)::int from edge) as edges
    `.execute(handle.db);
    return {
      mode,
      seconds: summary.seconds,
      cpu: { node: (nodeCpu.user + nodeCpu.system) / 1e6, database: databaseCpu },
      resolutionSeconds: summary.resolutionSeconds,
      load: `${before} -> ${load()}`,
      rows: counts.rows[0]!,
    };
  } finally {
    await handle.close();
  }
}

console.log(
  `ingest of ${paths.join(' ')} into ${values.database}, ${runs} run(s) each, ${threads} extraction thread(s); uptime: ${execFileSync('uptime').toString().trim()}`,
);
const results: Run[] = [];
try {
  for (let round = 0; round < runs; round++) {
    for (const mode of (round % 2 ? ['b', 'a'] : ['a', 'b']) as Mode[]) {
      const run = await ingestOnce(mode);
      results.push(run);
      const rows = Object.entries(run.rows)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      console.log(
        `(${mode}) ${run.seconds.toFixed(2)} s` +
          ` cpu ${(run.cpu.node + run.cpu.database).toFixed(2)} s (node ${run.cpu.node.toFixed(2)}, postgres ${run.cpu.database.toFixed(2)})` +
          (mode === 'a' ? ` (resolution in-transaction ${run.resolutionSeconds.toFixed(2)} s wall)` : '') +
          `  load ${run.load}  [${rows}]`,
      );
    }
  }
} finally {
  server.drop(values.database);
}
const a = median(results.filter((r) => r.mode === 'a').map((r) => r.seconds));
const b = median(results.filter((r) => r.mode === 'b').map((r) => r.seconds));
console.log(`median (a) with resolution and edges: ${a.toFixed(2)} s`);
console.log(`median (b) without:                   ${b.toFixed(2)} s`);
console.log(`overhead (a - b) / b: ${((100 * (a - b)) / b).toFixed(1)}%   (a / b = ${(a / b).toFixed(3)})`);
const cpuOf = (mode: Mode) => median(results.filter((r) => r.mode === mode).map((r) => r.cpu.node + r.cpu.database));
const [cpuA, cpuB] = [cpuOf('a'), cpuOf('b')];
console.log(`median CPU (a) ${cpuA.toFixed(2)} s, (b) ${cpuB.toFixed(2)} s: overhead ${((100 * (cpuA - cpuB)) / cpuB).toFixed(1)}%`);
// Each round ran (a) and (b) back to back, so a round's own ratio sees nearly the same machine
// load: on a shared machine whose load drifts, the median of these is steadier than the ratio of
// the medians above.
const rounds = Array.from({ length: runs }, (_, round) => {
  const pair = results.slice(2 * round, 2 * round + 2);
  const of = (mode: Mode) => pair.find((r) => r.mode === mode)!;
  return {
    wall: of('a').seconds / of('b').seconds - 1,
    cpu: (of('a').cpu.node + of('a').cpu.database) / (of('b').cpu.node + of('b').cpu.database) - 1,
  };
});
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(
  `overhead round by round: wall ${rounds.map((r) => percent(r.wall)).join(', ')} (median ${percent(median(rounds.map((r) => r.wall)))}); ` +
    `CPU ${rounds.map((r) => percent(r.cpu)).join(', ')} (median ${percent(median(rounds.map((r) => r.cpu)))})`,
);
console.log(`uptime: ${execFileSync('uptime').toString().trim()}`);
