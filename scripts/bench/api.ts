// Load test of the GraphQL API: starts `cablegraph serve` as a child process on the database the
// environment names (DATABASE_URL, else CABLEGRAPH_DATA), drives it with autocannon at each
// connection count for a fixed time, and prints latency, throughput, errors, the server's CPU time
// per request (steadier than latency on a shared machine) and its memory, with the load average.
// When PostgreSQL runs on this machine, the CPU time of its backends serving the benchmark's
// database (with the parallel workers they start) is printed per request too, and so is the load
// generator's own (autocannon runs in this process): on a 2-core machine the three share the
// cores, and the sum bounds requests/s.
//
//   npm run bench:api -- [--connections 8,32] [--duration 20] [--operation traversal,search,mix]
//                        [--warmup 3] [--ingest] [--port 4555] [--clearance LEVEL [--noforn]]
//                        [--workers N] [--ref REF] [--help]
//
// --workers N starts the server with that many worker processes (`cablegraph serve --workers`,
// PostgreSQL only); the server's CPU and memory are then those of all its processes together.
//
// --clearance creates an API key of that clearance for the run (revoked at its end) and sends
// every request with it, so that the figures include portion-level visibility (src/db/visibility.ts);
// without it the API is open and reads the tables themselves.
//
// Operations: traversal (cable → 10 paragraphs → 10 persons each → 5 cables each, from --ref, else
// 03OTTAWA692, else the cable naming the most persons), search (ten strings of one to three words
// in turn), timeline, neighborhood, path (maxHops 4; pairs of prominent persons and, on
// PostgreSQL, of rarely named ones), mix (all of those the schema has, in turn) and baseline
// (`{ __typename }`: what HTTP, yoga and graphql-js cost with no resolver). Operations whose
// root fields the schema lacks are skipped. --ingest first loads the shared corpus and the seed
// cables into the database when it holds fewer than 1,000 cables.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import autocannon from 'autocannon';
import pg from 'pg';

import { startServeChild } from '../serve-child.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = `${ROOT}bin/cablegraph.js`;
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/cablegate-1295.csv.gz', import.meta.url));
const SEEDS = `${ROOT}seeds`;

interface Operation {
  name: string;
  /** Root fields of Query the operation needs. */
  needs: string[];
  query: string;
  /** Variable sets, sent in turn (one request body each); none: the query alone. */
  variables?: (found: Fixtures) => Record<string, unknown>[];
}

interface Fixtures {
  /** The cable the traversal starts from. */
  ref: string;
  /** Global ids of the most-cited persons. */
  persons: string[];
  /** Global ids of persons named in a few cables only (PostgreSQL; empty otherwise). */
  sparse: string[];
}

/**
 * Search strings of one to three words, common words included (issue #8): sent in turn, so the
 * latency is that of the mix.
 */
const SEARCHES = [
  'nuclear weapons',
  'minister',
  'the government',
  'election',
  'prime minister said',
  'human rights',
  'ambassador',
  'security council resolution',
  'oil',
  'foreign minister',
];

const OPERATIONS: Operation[] = [
  // The server's own ceiling: HTTP, yoga and graphql-js with no resolver and no database.
  { name: 'baseline', needs: [], query: `query Baseline { __typename }` },
  {
    name: 'traversal',
    needs: ['cable'],
    query: `query Traversal($ref: String!) { cable(ref: $ref) { paragraphs(first: 10) { edges { node { persons(first: 10) { edges { node { name cables(first: 5) { edges { node { ref } } } } } } } } } } }`,
    variables: (found) => [{ ref: found.ref }],
  },
  {
    name: 'search',
    needs: ['search'],
    query: `query Search($query: String!) { search(query: $query, first: 10) { totalCount edges { node { rank snippet cable { ref subject } } } } }`,
    variables: () => SEARCHES.map((query) => ({ query })),
  },
  {
    name: 'timeline',
    needs: ['timeline'],
    query: `query Timeline { timeline(interval: MONTH) { start count } }`,
  },
  {
    name: 'neighborhood',
    needs: ['neighborhood', 'persons'],
    query: `query Neighborhood($id: ID!) { neighborhood(id: $id, depth: 1, limit: 20) { nodes { id label weight depth } edges { source target weight } } }`,
    variables: (found) => found.persons.slice(0, 1).map((id) => ({ id })),
  },
  {
    // Pairs of prominent persons, and (on PostgreSQL) of a prominent and a rarely named one and of
    // two rarely named ones, whose paths run through the hubs.
    name: 'path',
    needs: ['path', 'persons'],
    query: `query Path($from: ID!, $to: ID!) { path(from: $from, to: $to, maxHops: 4) { length steps { from { id } to { id } cable { ref } } } }`,
    variables: (found) => {
      const pairs: [string, string][] = [];
      if (found.persons.length > 1) pairs.push([found.persons[0]!, found.persons[found.persons.length - 1]!]);
      found.sparse.forEach((id, i) => {
        // The operation is skipped without persons, so there is always one to pair with.
        pairs.push([found.persons[i % found.persons.length]!, id]);
        const other = found.sparse[(i + 1) % found.sparse.length]!;
        if (other !== id) pairs.push([id, other]);
      });
      return pairs.map(([from, to]) => ({ from, to }));
    },
  },
];

const { values: options } = parseArgs({
  options: {
    connections: { type: 'string', default: '8,32' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    operation: { type: 'string', default: 'traversal' },
    port: { type: 'string', default: '4555' },
    ingest: { type: 'boolean', default: false },
    clearance: { type: 'string' },
    noforn: { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
    ref: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  // The usage is the comment at the top of this file.
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const usage = source
    .slice(0, source.indexOf('\nimport'))
    .split('\n')
    .map((line) => line.replace(/^\/\/ ?/, ''));
  console.log(usage.join('\n').trim());
  process.exit(0);
}

const port = Number(options.port);
const base = `http://127.0.0.1:${port}`;
/** Request headers: JSON, and the run's API key when --clearance asks for one. */
const headers: Record<string, string> = { 'content-type': 'application/json' };

async function post(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

/** CPU time the process has used (user + system), in milliseconds. */
function cpuOf(pid: number): number {
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second);
  // the command name (field 2) may hold spaces, so count from its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * `pid` and its descendants that are Node processes (a server's worker processes; not a helper
 * such as the esbuild service tsx may start), read from /proc.
 */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    try {
      const children = readFileSync(`/proc/${tree[i]}/task/${tree[i]}/children`, 'utf8').trim();
      if (children) tree.push(...children.split(/\s+/).map(Number));
    } catch {
      // exited
    }
  }
  return tree.filter((one) => {
    try {
      return readFileSync(`/proc/${one}/comm`, 'utf8').trim() === 'node';
    } catch {
      return false;
    }
  });
}

/**
 * CPU time the exited children of a process have used (cutime + cstime, fields 16 and 17), in
 * milliseconds: for PostgreSQL's postmaster, its parallel workers and autovacuum workers, which
 * come and go within a request and are never among the backends sampled.
 */
function cpuOfExitedChildren(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

/** The parent of a process (field 4 of /proc/<pid>/stat), or null. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** CPU time of the processes in `pids` that still exist, in milliseconds. */
function cpuOfAll(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuOf(pid);
    } catch {
      // the backend has exited
    }
  }
  return total;
}

/**
 * The PostgreSQL backends serving the benchmark's database (pid-keyed CPU readable in /proc only
 * when the server runs on this machine); empty for PGlite, a remote server or one we cannot see.
 */
async function databaseBackends(): Promise<number[]> {
  try {
    const rows = await sqlQuery<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return (rows ?? []).map((row) => row.pid).filter((pid) => existsSync(`/proc/${pid}/stat`));
  } catch {
    return [];
  }
}

function memoryOf(pid: number): { rss: number; hwm: number } {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: 0, hwm: 0 };
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') * 1024, hwm: kib('VmHWM') * 1024 };
}

function run(command: string[], env: NodeJS.ProcessEnv, capture = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command.join(' ')} exited with ${code}`))));
  });
}

function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return startServeChild({ cli: CLI, port, env, args: ['--workers', options.workers] });
}

interface Figures {
  operation: string;
  connections: number;
  p50: number;
  p90: number;
  /** autocannon gives no p95: its p97.5 bounds it from above. */
  p97_5: number;
  p99: number;
  max: number;
  rps: number;
  requests: number;
  errors: number;
  /** Server CPU time per request: less at the mercy of other load on the machine than latency. */
  cpuPerRequest: number;
  /** CPU time of the database's backends per request, when they run here (null otherwise). */
  databaseCpuPerRequest: number | null;
  /** CPU time of this process (autocannon) per request. */
  generatorCpuPerRequest: number;
  rssMax: number;
  hwm: number;
}

async function load(pid: number, name: string, requests: { body: string }[], connections: number, seconds: number): Promise<Figures> {
  let graphqlErrors = 0;
  let rssMax = 0;
  // The server and its worker processes, if it has any: RSS and CPU are of them all.
  const serverPids = processTree(pid);
  const sampler = setInterval(() => {
    rssMax = Math.max(
      rssMax,
      serverPids.reduce((sum, one) => sum + memoryOf(one).rss, 0),
    );
  }, 200);
  // The server's pool opens its connections during the warm-up: they are the backends to watch.
  const backends = await databaseBackends();
  // Parallel workers (and autovacuum) run as short-lived children of the postmaster: their CPU
  // is counted from its exited children's time, so it includes other databases' autovacuum.
  const postmaster = backends.length > 0 ? parentOf(backends[0]!) : null;
  const databaseCpuNow = () => cpuOfAll(backends) + (postmaster === null ? 0 : cpuOfExitedChildren(postmaster));
  const cpuBefore = cpuOfAll(serverPids);
  const databaseBefore = databaseCpuNow();
  const generatorBefore = process.cpuUsage();
  const result = await autocannon({
    url: `${base}/graphql`,
    connections,
    duration: seconds,
    requests: requests.map(({ body }) => ({
      method: 'POST',
      headers,
      body,
      onResponse: (status: number, responseBody: string) => {
        if (status !== 200 || responseBody.includes('"errors"')) graphqlErrors++;
      },
    })),
  });
  clearInterval(sampler);
  const cpu = cpuOfAll(serverPids) - cpuBefore;
  const databaseCpu = databaseCpuNow() - databaseBefore;
  const generator = process.cpuUsage(generatorBefore);
  const perRequest = (milliseconds: number) => (result.requests.total > 0 ? milliseconds / result.requests.total : 0);
  return {
    operation: name,
    connections,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    max: result.latency.max,
    rps: result.requests.average,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    cpuPerRequest: perRequest(cpu),
    databaseCpuPerRequest: backends.length > 0 ? perRequest(databaseCpu) : null,
    generatorCpuPerRequest: perRequest((generator.user + generator.system) / 1000),
    rssMax,
    hwm: serverPids.reduce((sum, one) => sum + memoryOf(one).hwm, 0),
  };
}

function print(rows: Figures[]) {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const table = rows.map((row) => ({
    operation: row.operation,
    conns: row.connections,
    'p50 ms': row.p50,
    'p90 ms': row.p90,
    'p97.5 ms': row.p97_5,
    'p99 ms': row.p99,
    'max ms': row.max,
    'req/s': Math.round(row.rps),
    requests: row.requests,
    errors: row.errors,
    'server CPU ms/req': Number(row.cpuPerRequest.toFixed(2)),
    'database CPU ms/req': row.databaseCpuPerRequest === null ? 'n/a' : Number(row.databaseCpuPerRequest.toFixed(2)),
    'autocannon CPU ms/req': Number(row.generatorCpuPerRequest.toFixed(2)),
    'server RSS max (all processes)': mib(row.rssMax),
    'server VmHWM': mib(row.hwm),
  }));
  console.table(table);
}

/** A person's global id, as the schema writes it (Pothos's relay plugin: base64 of "Person:ID"). */
function personGlobalId(id: number): string {
  return Buffer.from(`Person:${id}`).toString('base64');
}

/** Reads the benchmark's database directly (PostgreSQL only); null for PGlite. */
async function sqlQuery<T extends Record<string, unknown>>(text: string): Promise<T[] | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The traversal's first cable: --ref, else 03OTTAWA692 (the acceptance's, in the real corpus),
 * else (a synthetic corpus has other refs) the cable naming the most persons.
 */
async function traversalRef(): Promise<string> {
  if (options.ref) return options.ref;
  const acceptance = '03OTTAWA692';
  if ((await post(`{ cable(ref: "${acceptance}") { ref } }`)).data?.cable) return acceptance;
  const rows = await sqlQuery<{ ref: string }>(
    'select c.ref from cable c join cable_person cp on cp.cable_id = c.id group by c.id order by count(distinct cp.person_id) desc, c.id limit 1',
  );
  return rows?.[0]?.ref ?? acceptance;
}

/** Five persons named in 2 to 4 cables, the same ones every run for the same database. */
async function sparsePersons(): Promise<string[]> {
  const rows = await sqlQuery<{ id: number }>('select id from person where cable_count between 2 and 4 order by md5(id::text) limit 5');
  return (rows ?? []).map((row) => personGlobalId(row.id));
}

async function main() {
  const env = { ...process.env };
  const database = env.DATABASE_URL ? 'PostgreSQL' : `PGlite at ${env.CABLEGRAPH_DATA || './data'}`;
  if (options.ingest) {
    const probe = await startServer(env);
    const count = (await post('{ cables { totalCount } }')).data?.cables.totalCount ?? 0;
    probe.kill('SIGTERM');
    await new Promise((resolve) => probe.once('exit', resolve));
    if (count < 1000) await run([CLI, 'ingest', '--quiet', CORPUS, SEEDS], env);
  }
  let keyName: string | null = null;
  if (options.clearance) {
    keyName = `bench-${process.pid}-${Date.now()}`;
    const created = await run(
      [CLI, 'keys', 'create', '--name', keyName, '--clearance', options.clearance, ...(options.noforn ? ['--noforn'] : [])],
      env,
      true,
    );
    headers.authorization = `Bearer ${created.trim().split('\n')[0]}`;
  }
  const server = await startServer(env);
  try {
    if (keyName) console.log(`requests carry an API key of clearance ${options.clearance}${options.noforn ? ' with NOFORN' : ''}`);
    const schema = await post('{ __schema { queryType { fields { name } } } }');
    const roots = new Set<string>(schema.data.__schema.queryType.fields.map((field: { name: string }) => field.name));
    const cables = (await post('{ cables { totalCount } }')).data?.cables.totalCount;
    const persons = (await post('{ persons(first: 5) { nodes { id } } }')).data?.persons?.nodes.map((p: { id: string }) => p.id) ?? [];
    const fixtures: Fixtures = { ref: await traversalRef(), persons, sparse: await sparsePersons() };
    console.log(`cablegraph API benchmark: ${database}, ${cables} cables, server pid ${server.pid}, Node ${process.version}`);
    console.log(`traversal from ${fixtures.ref}; ${fixtures.sparse.length} rarely named persons for path`);
    console.log(
      `load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')} on ${availableParallelism()} CPUs`,
    );

    const wanted = options.operation.split(',').map((name) => name.trim());
    const runnable: { name: string; body: string }[] = [];
    for (const operation of OPERATIONS) {
      if (!wanted.includes(operation.name) && !(wanted.includes('mix') && operation.name !== 'baseline')) continue;
      const missing = operation.needs.filter((field) => !roots.has(field));
      if (missing.length > 0 || (operation.needs.includes('persons') && persons.length === 0)) {
        console.log(`skipping ${operation.name}: the schema has no ${missing.join(', ') || 'persons to start from'}`);
        continue;
      }
      const sets = operation.variables?.(fixtures) ?? [{}];
      const failed = (await Promise.all(sets.map((variables) => post(operation.query, variables)))).find((check) => check.errors);
      if (failed?.errors) {
        console.log(`skipping ${operation.name}: ${failed.errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      if (sets.length > 1) console.log(`${operation.name}: ${sets.length} variable sets in turn`);
      for (const variables of sets) runnable.push({ name: operation.name, body: JSON.stringify({ query: operation.query, variables }) });
    }
    const loads: { name: string; requests: { body: string }[] }[] = [...new Set(runnable.map((r) => r.name))]
      .filter((name) => wanted.includes(name))
      .map((name) => ({ name, requests: runnable.filter((r) => r.name === name) }));
    const mix = runnable.filter((operation) => operation.name !== 'baseline');
    if (wanted.includes('mix') && mix.length > 0)
      loads.push({ name: `mix(${[...new Set(mix.map((r) => r.name))].join('+')})`, requests: mix });

    const rows: Figures[] = [];
    for (const { name, requests } of loads) {
      for (const connections of options.connections.split(',').map(Number)) {
        await load(server.pid!, name, requests, connections, Number(options.warmup));
        const figures = await load(server.pid!, name, requests, connections, Number(options.duration));
        rows.push(figures);
        print([figures]);
      }
    }
    console.log(
      `\nsummary (load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')})`,
    );
    print(rows);
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
    // A key left active would close the API to every later run without one.
    if (keyName) await run([CLI, 'keys', 'revoke', keyName], env);
  }
}

await main();
