// Ingest benchmark (issue #8): cables/s, MB/s, peak RSS and database size of `cablegraph ingest`
// loading one cables.csv into an empty database, and on PostgreSQL the ratio to a plain COPY of the
// same file measured in the same run (the floor no ingest into PostgreSQL goes under).
//
//   npx tsx scripts/bench/ingest.ts FILE [--pglite] [--threads N] [--batch-size N] [--keep] [--json]
//
// FILE is a cables.csv in the release layout (8 double-quoted columns, backslash escapes), plain or
// gzipped. --threads and --batch-size are passed to `cablegraph ingest` (its defaults otherwise).
//
// PostgreSQL (default): a scratch database scratch_bench_ingest_<pid> is created through
// BENCH_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) and dropped at
// the end, also when the run fails or is interrupted (kept with --keep). In it, first the COPY floor:
// `psql -c "\copy … from pstdin with (format csv, escape '\')"` into an ordinary (logged) table of
// 8 text columns without index, fed the decompressed file by this process; the table is dropped
// before the ingest. COPY's CSV rules with that escape split the release files into the same fields
// as the ingest's csv-parse (checked on the corpus and a synthetic file: every field equal, with
// an unquoted empty field NULL rather than ''), except that it would load a header row or a
// byte-order mark as data, which the ingest skips.
//
// --pglite: the ingest goes into a temporary CABLEGRAPH_DATA directory (removed unless --keep);
// there is no COPY floor, and the database size is that directory's size on disk.
//
// The COPY and the ingest (`node bin/cablegraph.js ingest --quiet`) are child processes timed from
// spawn to exit, so both times include starting a process (and the ingest's, creating the schema).
// Memory is read from /proc/<pid>/status every 100 ms: VmRSS of the ingest process and its
// descendants, summed, with the ingest process's VmHWM (the kernel's own high-water mark, which
// also catches a peak between two polls) beside it; and of the PostgreSQL backends serving the scratch database (their
// pids from pg_stat_activity, every 500 ms). A backend's VmRSS counts the shared buffers it has
// touched, which all backends share, so their private memory (RssAnon) is printed too.
//
// MB are 2^20 bytes, as in the ingest's own summary.
//
// Exit codes: 0 ok, 1 the ingest reported inputs it could not ingest, 2 usage or fatal error.
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';

import { sql } from 'kysely';
import pg from 'pg';

import { openDatabase } from '../../src/db/connect.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = `${ROOT}bin/cablegraph.js`;
const USAGE = 'usage: npx tsx scripts/bench/ingest.ts FILE [--pglite] [--threads N] [--batch-size N] [--keep] [--json]';
const MB = 1024 * 1024;
const SAMPLE_MS = 100;
const BACKEND_POLL_MS = 500;
const COPY_TABLE = 'copy_floor';

interface Options {
  file: string;
  pglite: boolean;
  threads: number | undefined;
  batchSize: number | undefined;
  keep: boolean;
  json: boolean;
}

function usageError(message: string): never {
  console.error(`ingest benchmark: ${message}\n${USAGE}`);
  process.exit(2);
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    options: {
      pglite: { type: 'boolean', default: false },
      threads: { type: 'string' },
      'batch-size': { type: 'string' },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });

function integerOption(name: string, value: string | undefined, least: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < least) usageError(`--${name} must be an integer of at least ${least}, got "${value}"`);
  return Number(value);
}

function readOptions(): Options {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    // The usage is the comment at the top of this file.
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    console.log(
      source
        .slice(0, source.indexOf('\nimport'))
        .split('\n')
        .map((line) => line.replace(/^\/\/ ?/, ''))
        .join('\n'),
    );
    process.exit(0);
  }
  if (positionals.length !== 1)
    usageError(positionals.length ? `one FILE, got ${positionals.length}: ${positionals.join(' ')}` : 'FILE is missing');
  const file = positionals[0]!;
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) usageError(`${file} is not a file`);
    size = stat.size;
  } catch (error) {
    usageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (size === 0) usageError(`${file} is empty`);
  return {
    file,
    pglite: values.pglite,
    threads: integerOption('threads', values.threads, 0),
    batchSize: integerOption('batch-size', values['batch-size'], 1),
    keep: values.keep,
    json: values.json,
  };
}

function isGzip(file: string): boolean {
  const head = Buffer.alloc(2);
  const descriptor = openSync(file, 'r');
  try {
    return readSync(descriptor, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(descriptor);
  }
}

/** The file's CSV text as a stream, decompressed when it is gzipped. */
function csvBytes(file: string): Readable {
  const input = createReadStream(file);
  return isGzip(file) ? input.pipe(createGunzip()) : input;
}

async function csvSize(file: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of csvBytes(file)) bytes += (chunk as Buffer).length;
  return bytes;
}

interface ProcessMemory {
  name: string;
  rss: number;
  /** Private memory: VmRSS less file-backed and shared pages (PostgreSQL's shared buffers). */
  anon: number;
  hwm: number;
}

function memoryOf(pid: number): ProcessMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const bytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { name: /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?', rss: bytes('VmRSS'), anon: bytes('RssAnon'), hwm: bytes('VmHWM') };
}

/** `pid` and its descendants, read from /proc (a child started by any thread is listed under that thread). */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${tree[i]}/task`);
    } catch {
      continue;
    }
    for (const thread of threads) {
      try {
        const children = readFileSync(`/proc/${tree[i]}/task/${thread}/children`, 'utf8').trim();
        if (children) tree.push(...children.split(/\s+/).map(Number));
      } catch {
        // the thread has exited
      }
    }
  }
  return tree;
}

/** Peaks over polls of a group of processes. */
class MemoryPeaks {
  /** Largest VmRSS summed over the group in one poll. */
  rss = 0;
  /** Largest RssAnon summed over the group in one poll. */
  anon = 0;
  /** Largest VmRSS of one process. */
  largest = 0;
  /** Largest VmRSS of each process name. */
  readonly byName = new Map<string, number>();
  readonly seen = new Set<number>();

  sample(pids: readonly number[]): void {
    let rss = 0;
    let anon = 0;
    for (const pid of pids) {
      const memory = memoryOf(pid);
      if (!memory) continue;
      this.seen.add(pid);
      rss += memory.rss;
      anon += memory.anon;
      this.largest = Math.max(this.largest, memory.rss);
      this.byName.set(memory.name, Math.max(memory.rss, this.byName.get(memory.name) ?? 0));
    }
    this.rss = Math.max(this.rss, rss);
    this.anon = Math.max(this.anon, anon);
  }
}

interface ChildResult {
  seconds: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its exit, timed from spawn; `input` is piped into its stdin. `whileRunning`
 * is called with the pid once it has started and is polled every SAMPLE_MS until the exit.
 */
function runTimed(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  input?: Readable,
  whileRunning?: (pid: number) => void,
) {
  return new Promise<ChildResult>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, signal, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A child that fails early closes its stdin; its exit status and stderr tell why.
    const feeding = input ? pipeline(input, child.stdin!).catch(() => undefined) : Promise.resolve();
    let poll: NodeJS.Timeout | undefined;
    child.once('spawn', () => {
      if (!whileRunning) return;
      whileRunning(child.pid!);
      poll = setInterval(() => whileRunning(child.pid!), SAMPLE_MS);
    });
    child.once('error', (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(poll);
      void feeding.then(() => resolve({ seconds, code, stdout, stderr }));
    });
  });
}

interface CopyFloor {
  rows: number;
  seconds: number;
  tableBytes: number;
  error: string | null;
}

async function copyFloor(url: string, file: string, signal: AbortSignal): Promise<CopyFloor> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = ['row', 'date', 'id', 'origin', 'classification', '"references"', 'header', 'body'];
    await client.query(`create table ${COPY_TABLE} (${columns.map((column) => `${column} text`).join(', ')})`);
    const copy = `\\copy ${COPY_TABLE} from pstdin with (format csv, escape '\\')`;
    const run = await runTimed('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', copy], process.env, signal, csvBytes(file));
    const counted = await client.query<{ rows: number; bytes: string }>(
      `select count(*)::int as rows, pg_total_relation_size('${COPY_TABLE}') as bytes from ${COPY_TABLE}`,
    );
    await client.query(`drop table ${COPY_TABLE}`);
    return {
      rows: counted.rows[0]!.rows,
      seconds: run.seconds,
      tableBytes: Number(counted.rows[0]!.bytes),
      error: run.code === 0 ? null : run.stderr.trim() || `psql exited with ${run.code}`,
    };
  } finally {
    await client.end();
  }
}

/** Polls the pids of the backends serving `database` until stopped. */
function watchBackends(admin: pg.Client, database: string) {
  let pids: number[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
      pids = rows.map((row) => row.pid);
    } catch {
      // keep the last list; the admin connection is checked again at the end of the run
    }
    if (!stopped) timer = setTimeout(() => void poll(), BACKEND_POLL_MS);
  };
  void poll();
  return {
    pids: () => pids,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

interface IngestRun extends ChildResult {
  tree: MemoryPeaks;
  /** VmHWM of the ingest process at its last poll. */
  hwm: number;
  backends: MemoryPeaks;
}

async function runIngest(options: Options, env: NodeJS.ProcessEnv, signal: AbortSignal, backendPids: () => number[]): Promise<IngestRun> {
  const args = [CLI, 'ingest', '--quiet'];
  if (options.threads !== undefined) args.push('--threads', String(options.threads));
  if (options.batchSize !== undefined) args.push('--batch-size', String(options.batchSize));
  args.push(options.file);
  const tree = new MemoryPeaks();
  const backends = new MemoryPeaks();
  let hwm = 0;
  const result = await runTimed(process.execPath, args, env, signal, undefined, (pid) => {
    tree.sample(processTree(pid));
    hwm = Math.max(hwm, memoryOf(pid)?.hwm ?? 0);
    backends.sample(backendPids());
  });
  return { ...result, tree, hwm, backends };
}

interface Counts {
  cables: number;
  persons: number;
  organizations: number;
  mentions: number;
  edges: number;
}

async function countRows(target: { url: string } | { dataDir: string }): Promise<Counts> {
  const handle = await openDatabase(target);
  try {
    const { rows } = await sql<Counts>`
      select (select count(*)::int from cable) as cables, (select count(*)::int from person) as persons,
             (select count(*)::int from organization) as organizations, (select count(*)::int from mention) as mentions,
             (select count(*)::int from edge) as edges
    `.execute(handle.db);
    return rows[0]!;
  } finally {
    await handle.close();
  }
}

/** Bytes a directory takes on disk (allocated blocks, as `du` counts them). */
function diskUsage(path: string): number {
  const stat = lstatSync(path);
  let bytes = stat.blocks * 512;
  if (stat.isDirectory()) for (const entry of readdirSync(path)) bytes += diskUsage(join(path, entry));
  return bytes;
}

function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

function revision(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

const count = (value: number) => value.toLocaleString('en-US');
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

interface Report {
  database: 'postgres' | 'pglite';
  file: string;
  fileBytes: number;
  csvBytes: number;
  gzip: boolean;
  threads: number | null;
  batchSize: number | null;
  revision: string;
  node: string;
  server: string;
  loadAtStart: string;
  loadAtEnd: string;
  copy: CopyFloor | null;
  ingest: {
    exitCode: number | null;
    seconds: number;
    /** What the ingest itself printed, from its own timer (after start-up and migrations). */
    summary: string;
    /** The ingest's own timer, read from its summary (null when it printed none). */
    ownSeconds: number | null;
    cablesPerSecond: number;
    fileMegabytesPerSecond: number;
    csvMegabytesPerSecond: number;
    peakRssBytes: number;
    peakRssByProcess: Record<string, number>;
    hwmBytes: number;
    processes: number;
  };
  backends: { peakRssBytes: number; peakAnonBytes: number; largestBytes: number; seen: number } | null;
  ratioToCopy: number | null;
  /** The same with the ingest's own timer, which leaves out its start-up and migrations. */
  ownRatioToCopy: number | null;
  databaseBytes: number;
  emptyDatabaseBytes: number | null;
  /** PGlite: the part of databaseBytes that is write-ahead log. */
  walBytes: number | null;
  counts: Counts;
}

function print(report: Report): void {
  const { ingest, copy, counts } = report;
  const lines = [
    `cablegraph ingest benchmark: ${report.server}`,
    `input          ${report.file}: ${megabytes(report.fileBytes)} on disk${report.gzip ? ` (gzip), ${megabytes(report.csvBytes)} of CSV` : ''}`,
    `code           ${report.revision}, Node ${report.node}, ${availableParallelism()} CPUs; ingest --threads ${report.threads ?? `default (${availableParallelism()})`}, --batch-size ${report.batchSize ?? 'default (200)'}`,
    `load average   ${report.loadAtStart} at start, ${report.loadAtEnd} at end`,
    '',
  ];
  if (copy === null) {
    lines.push('COPY floor     not measured on PGlite (no server another process could COPY into), so no ratio');
  } else {
    lines.push(
      `COPY floor     ${count(copy.rows)} rows in ${copy.seconds.toFixed(2)} s (psql \\copy from pstdin, FORMAT csv, ESCAPE '\\', logged table of 8 text columns, no index; ${megabytes(copy.tableBytes)} as a table)`,
    );
    if (copy.error) lines.push(`               COPY FAILED, so it loaded no row: ${copy.error}`);
    if (!copy.error && copy.rows !== counts.cables) {
      lines.push(`               (COPY rows and cables differ: a header row, broken records or duplicate ids in the file)`);
    }
  }
  lines.push(
    `ingest         ${count(counts.cables)} cables in ${ingest.seconds.toFixed(2)} s, spawn to exit (exit code ${ingest.exitCode})`,
    `  cables/s     ${ingest.cablesPerSecond.toFixed(1)}`,
    `  MB/s         ${ingest.fileMegabytesPerSecond.toFixed(3)} of the file${report.gzip ? `, ${ingest.csvMegabytesPerSecond.toFixed(3)} of CSV` : ''}`,
  );
  if (report.ratioToCopy !== null) {
    const own =
      report.ownRatioToCopy === null ? '' : ` (${report.ownRatioToCopy.toFixed(1)}× by the ingest's own timer, ${ingest.ownSeconds} s)`;
    lines.push(`  ingest/COPY  ${report.ratioToCopy.toFixed(1)}× the COPY's time${own}`);
  }
  const byProcess = Object.entries(ingest.peakRssByProcess)
    .map(([name, bytes]) => `${name} ${megabytes(bytes)}`)
    .join(', ');
  lines.push(
    `peak RSS       ${megabytes(ingest.peakRssBytes)}: ingest process and descendants (${ingest.processes}), VmRSS summed, ${SAMPLE_MS} ms polls (largest per process: ${byProcess}); ingest process VmHWM ${megabytes(ingest.hwmBytes)}`,
  );
  if (report.backends) {
    const { peakRssBytes, peakAnonBytes, largestBytes, seen } = report.backends;
    lines.push(
      seen === 0
        ? '  PostgreSQL   backends not readable in /proc (a server on another machine or in a container)'
        : `  PostgreSQL   ${megabytes(peakRssBytes)} VmRSS summed over the ${seen} backend${seen === 1 ? '' : 's'} of the database (private RssAnon ${megabytes(peakAnonBytes)}), largest one ${megabytes(largestBytes)}`,
    );
  }
  lines.push(
    report.database === 'postgres'
      ? `database       ${megabytes(report.databaseBytes)} (pg_database_size, which leaves out the server's write-ahead log; ${megabytes(report.emptyDatabaseBytes ?? 0)} when created empty)`
      : `database       ${megabytes(report.databaseBytes)} (the PGlite directory on disk, of which ${megabytes(report.walBytes ?? 0)} write-ahead log in pg_wal)`,
    `entities       ${count(counts.persons)} persons, ${count(counts.organizations)} organizations, ${count(counts.mentions)} mentions, ${count(counts.edges)} edges`,
    '',
    'cablegraph ingest said:',
    ...ingest.summary
      .trim()
      .split('\n')
      .map((line) => `  ${line}`),
  );
  console.log(lines.join('\n'));
}

function reportOf(
  options: Options,
  context: Pick<
    Report,
    'server' | 'loadAtStart' | 'fileBytes' | 'csvBytes' | 'copy' | 'databaseBytes' | 'emptyDatabaseBytes' | 'walBytes' | 'counts'
  >,
  run: IngestRun,
  watchedBackends: boolean,
): Report {
  const { copy, counts } = context;
  const ownSeconds = /ingested \d+ cables in ([\d.]+) s/.exec(run.stdout)?.[1];
  return {
    database: options.pglite ? 'pglite' : 'postgres',
    file: options.file,
    gzip: isGzip(options.file),
    threads: options.threads ?? null,
    batchSize: options.batchSize ?? null,
    revision: revision(),
    node: process.version,
    loadAtEnd: loadAverage(),
    ...context,
    ingest: {
      exitCode: run.code,
      seconds: run.seconds,
      summary: run.stdout,
      ownSeconds: ownSeconds === undefined ? null : Number(ownSeconds),
      cablesPerSecond: counts.cables / run.seconds,
      fileMegabytesPerSecond: context.fileBytes / MB / run.seconds,
      csvMegabytesPerSecond: context.csvBytes / MB / run.seconds,
      peakRssBytes: run.tree.rss,
      peakRssByProcess: Object.fromEntries(run.tree.byName),
      hwmBytes: run.hwm,
      processes: run.tree.seen.size,
    },
    backends: watchedBackends
      ? {
          peakRssBytes: run.backends.rss,
          peakAnonBytes: run.backends.anon,
          largestBytes: run.backends.largest,
          seen: run.backends.seen.size,
        }
      : null,
    ratioToCopy: copy && !copy.error ? run.seconds / copy.seconds : null,
    ownRatioToCopy: copy && !copy.error && ownSeconds !== undefined ? Number(ownSeconds) / copy.seconds : null,
  };
}

/** Throws when the ingest could not run at all (exit code 2, or killed); exit code 1 (some inputs failed) is reported. */
function checkIngest(run: IngestRun): void {
  if (run.code === 0 || run.code === 1) return;
  const tail = run.stderr.trim().split('\n').slice(-20).join('\n');
  throw new Error(`cablegraph ingest exited with ${run.code ?? 'a signal'}${tail ? `:\n${tail}` : ''}`);
}

function printFailures(run: IngestRun): void {
  const failures = run.stderr.split('\n').filter((line) => line.startsWith('failed: '));
  if (failures.length === 0) return;
  console.log(`\n${failures.length} inputs failed (exit code 1), the first ones:\n${failures.slice(0, 10).join('\n')}`);
}

async function benchPostgres(options: Options, signal: AbortSignal): Promise<Report> {
  const adminUrl = process.env.BENCH_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `scratch_bench_ingest_${process.pid}`;
  const scratch = new URL(adminUrl);
  scratch.pathname = `/${name}`;
  const url = scratch.toString();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let created = false;
  try {
    const version = (await admin.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    await admin.query(`create database ${name}`);
    created = true;
    const emptyDatabaseBytes = Number(
      (await admin.query<{ bytes: string }>('select pg_database_size($1) as bytes', [name])).rows[0]!.bytes,
    );
    const loadAtStart = loadAverage();
    const fileBytes = statSync(options.file).size;
    const csvBytes = await csvSize(options.file);
    const copy = await copyFloor(url, options.file, signal);
    const backends = watchBackends(admin, name);
    let run: IngestRun;
    try {
      run = await runIngest(options, { ...process.env, DATABASE_URL: url }, signal, backends.pids);
    } finally {
      backends.stop();
    }
    checkIngest(run);
    const databaseBytes = Number((await admin.query<{ bytes: string }>('select pg_database_size($1) as bytes', [name])).rows[0]!.bytes);
    const counts = await countRows({ url });
    const report = reportOf(
      options,
      {
        server: `PostgreSQL ${version}, scratch database ${name}${options.keep ? ' (kept)' : ''}`,
        loadAtStart,
        fileBytes,
        csvBytes,
        copy,
        databaseBytes,
        emptyDatabaseBytes,
        walBytes: null,
        counts,
      },
      run,
      true,
    );
    print(report);
    printFailures(run);
    return report;
  } finally {
    if (created && !options.keep) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function benchPglite(options: Options, signal: AbortSignal): Promise<Report> {
  const directory = mkdtempSync(join(tmpdir(), 'cablegraph-bench-ingest-'));
  const dataDir = join(directory, 'data');
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, CABLEGRAPH_DATA: dataDir };
    delete env.DATABASE_URL;
    const loadAtStart = loadAverage();
    const fileBytes = statSync(options.file).size;
    const csvBytes = await csvSize(options.file);
    const run = await runIngest(options, env, signal, () => []);
    checkIngest(run);
    // Measured before this process opens the directory to count rows.
    const databaseBytes = diskUsage(dataDir);
    const walBytes = existsSync(join(dataDir, 'pg_wal')) ? diskUsage(join(dataDir, 'pg_wal')) : 0;
    const counts = await countRows({ dataDir });
    const report = reportOf(
      options,
      {
        server: `PGlite in ${dataDir}${options.keep ? ' (kept)' : ' (removed at the end)'}`,
        loadAtStart,
        fileBytes,
        csvBytes,
        copy: null,
        databaseBytes,
        emptyDatabaseBytes: null,
        walBytes,
        counts,
      },
      run,
      false,
    );
    print(report);
    printFailures(run);
    return report;
  } finally {
    if (!options.keep) rmSync(directory, { recursive: true, force: true });
  }
}

const options = readOptions();
const abort = new AbortController();
// Ctrl-C kills the child and lets the cleanup run; a second one leaves at once.
const interrupt = () => {
  if (abort.signal.aborted) process.exit(130);
  console.error('interrupted: stopping the child and cleaning up');
  abort.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
try {
  const report = options.pglite ? await benchPglite(options, abort.signal) : await benchPostgres(options, abort.signal);
  if (options.json) console.log(JSON.stringify(report));
  process.exitCode = abort.signal.aborted ? 130 : report.ingest.exitCode === 0 ? 0 : 1;
} catch (error) {
  console.error(`ingest benchmark failed: ${abort.signal.aborted ? 'interrupted' : (error as Error).message}`);
  process.exitCode = abort.signal.aborted ? 130 : 2;
}
