// Fault run: PostgreSQL restarted under API load. On a private PostgreSQL cluster (never the shared
// one), ingests the 1,295-cable corpus, starts `cablegraph serve` as a child process, drives it with
// 32 concurrent clients for --duration seconds, and --restart-at seconds in stops PostgreSQL
// (`pg_ctl stop -m fast`, or `-m immediate`: a crash), waits --down seconds and starts it again.
// Every request's start, end, HTTP status and error codes are kept, and /health is polled.
//
//   npx tsx scripts/faults/pg-restart.ts [--connections 32] [--duration 40] [--restart-at 10]
//                                        [--down 3] [--mode fast|immediate] [--json out.json]
//
// Passes (exit 0) when no request outlived the server's request timeout (10 s unless
// CABLEGRAPH_REQUEST_TIMEOUT_MS says otherwise), every request started after PostgreSQL accepted
// connections again succeeded, /health answered 200 again, and the same server process is up.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import pg from 'pg';

import { limitsFromEnv } from '../../src/server/limits.ts';
import { startServeChild } from '../serve-child.ts';
import { freePort, onShutdown, snapshotProject, startPrivatePostgres } from './private-postgres.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/cablegate-1295.csv.gz', import.meta.url));

const { values: options } = parseArgs({
  options: {
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '40' },
    'restart-at': { type: 'string', default: '10' },
    down: { type: 'string', default: '3' },
    mode: { type: 'string', default: 'fast' },
    json: { type: 'string' },
  },
});
const connections = Number(options.connections);
const durationMs = Number(options.duration) * 1000;
const restartAtMs = Number(options['restart-at']) * 1000;
const downMs = Number(options.down) * 1000;
const mode = options.mode as 'fast' | 'immediate';
if (mode !== 'fast' && mode !== 'immediate') throw new Error(`--mode: "${options.mode}" is neither fast nor immediate`);
const requestTimeoutMs = limitsFromEnv().timeoutMs;
// The client gives up well after the server should have answered: a request still open then hangs.
const clientTimeoutMs = requestTimeoutMs * 3;

/** The cable → paragraphs → persons → cables walk of scripts/bench/api.ts, from a corpus cable. */
const traversal = (ref: string) =>
  `query Traversal { cable(ref: ${JSON.stringify(ref)}) { paragraphs(first: 10) { edges { node { persons(first: 10) { edges { node { name cables(first: 5) { edges { node { ref } } } } } } } } } } }`;

interface Outcome {
  /** Milliseconds since the load began. */
  start: number;
  end: number;
  status: number | null;
  /** `extensions.code` of each error in the response, or the client's own failure. */
  codes: string[];
  ok: boolean;
}

interface HealthSample {
  at: number;
  status: number | null;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(result.stdout ?? '');
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
}

async function request(url: string, body: string, began: number): Promise<Outcome> {
  const start = performance.now() - began;
  let status: number | null = null;
  let codes: string[] = [];
  let ok = false;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(clientTimeoutMs),
    });
    status = response.status;
    const result = (await response.json()) as { data?: { cable?: unknown }; errors?: { extensions?: { code?: string } }[] };
    codes = (result.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
    ok = status === 200 && codes.length === 0 && Boolean(result.data?.cable);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    codes = [name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : `CLIENT_${name}`];
  }
  return { start, end: performance.now() - began, status, codes, ok };
}

/** Traversal root: the corpus cable with the most person mentions, so every level has work. */
async function busiestCable(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ref: string }>(
      `select c.ref from cable c join mention m on m.cable_id = c.id and m.kind = 1 group by c.ref order by count(*) desc, c.ref limit 1`,
    );
    if (!rows[0]) throw new Error('the ingested database holds no person mention');
    return rows[0].ref;
  } finally {
    await client.end();
  }
}

function summarize(outcomes: Outcome[]) {
  // Requests failed with each code (a response may carry one error per field that failed).
  const codes: Record<string, number> = {};
  for (const outcome of outcomes) for (const code of new Set(outcome.codes)) codes[code] = (codes[code] ?? 0) + 1;
  const durations = outcomes.map((o) => o.end - o.start).sort((a, b) => a - b);
  const ok = outcomes.filter((o) => o.ok).length;
  return {
    requests: outcomes.length,
    succeeded: ok,
    successRate: outcomes.length ? ok / outcomes.length : 1,
    p50Ms: Math.round(durations[Math.floor(durations.length * 0.5)] ?? 0),
    maxMs: Math.round(durations.at(-1) ?? 0),
    failedByCode: codes,
  };
}

async function main() {
  const load = spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
  const code = snapshotProject(ROOT);
  const cluster = await startPrivatePostgres();
  let server: ChildProcess | undefined;
  onShutdown(() => {
    server?.kill('SIGKILL');
    cluster.destroy();
    code.remove();
  });
  try {
    await cluster.createDatabase('cablegraph');
    const env = { ...process.env, DATABASE_URL: cluster.url('cablegraph') };
    console.log(`private PostgreSQL on port ${cluster.port}; ingesting ${CORPUS}`);
    run(process.execPath, [code.cli, 'ingest', '--quiet', CORPUS], env);
    const ref = await busiestCable(env.DATABASE_URL);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await startServeChild({ cli: code.cli, port, env, logLevel: 'error', stdio: ['ignore', 'ignore', 'inherit'] });
    const serverPid = server.pid;
    const body = JSON.stringify({ query: traversal(ref) });
    const check = await request(`${base}/graphql`, body, performance.now());
    if (!check.ok) throw new Error(`the traversal query from ${ref} failed before any fault: ${check.codes.join(', ')}`);
    console.log(`server pid ${serverPid}; ${connections} clients for ${durationMs / 1000} s of traversals from ${ref}`);

    const loadAtStart = spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
    const began = performance.now();
    const elapsed = () => performance.now() - began;
    const outcomes: Outcome[] = [];
    const health: HealthSample[] = [];
    const events: { stopAt?: number; stopped?: number; startAt?: number; ready?: number } = {};

    const worker = async () => {
      while (elapsed() < durationMs) outcomes.push(await request(`${base}/graphql`, body, began));
    };
    const pollHealth = async () => {
      while (elapsed() < durationMs) {
        const at = elapsed();
        let status: number | null = null;
        try {
          status = (await fetch(`${base}/health`, { signal: AbortSignal.timeout(clientTimeoutMs) })).status;
        } catch {
          // no answer: recorded as null
        }
        health.push({ at, status });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const fault = async () => {
      await new Promise((resolve) => setTimeout(resolve, restartAtMs));
      events.stopAt = elapsed();
      await cluster.stop(mode);
      events.stopped = elapsed();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      events.startAt = elapsed();
      await cluster.start();
      events.ready = elapsed();
    };
    await Promise.all([...Array.from({ length: connections }, worker), pollHealth(), fault()]);

    const { stopAt = NaN, ready = NaN } = events;
    const before = outcomes.filter((o) => o.end < stopAt);
    const during = outcomes.filter((o) => o.end >= stopAt && o.start < ready);
    const after = outcomes.filter((o) => o.start >= ready);
    const firstHealthyAfter = health.find((sample) => sample.at >= ready && sample.status === 200)?.at;
    const firstUnhealthy = health.find((sample) => sample.at >= stopAt && sample.status !== 200)?.at;
    const longest = Math.max(...outcomes.map((o) => o.end - o.start));
    const serverAlive = server.exitCode === null && server.signalCode === null && server.pid === serverPid;
    const healthAtEnd = await fetch(`${base}/health`).then(
      (response) => response.status,
      () => null,
    );

    const report = {
      command: `npx tsx scripts/faults/pg-restart.ts --connections ${connections} --duration ${durationMs / 1000} --restart-at ${restartAtMs / 1000} --down ${downMs / 1000} --mode ${mode}`,
      uptime: { atStart: load, whenTheLoadBegan: loadAtStart },
      node: process.version,
      traversalRoot: ref,
      requestTimeoutMs,
      events: Object.fromEntries(Object.entries(events).map(([name, at]) => [name, Math.round(at!)])),
      all: summarize(outcomes),
      before: summarize(before),
      during: summarize(during),
      inFlightAtStop: summarize(outcomes.filter((o) => o.start < stopAt && o.end >= stopAt)),
      after: summarize(after),
      longestRequestMs: Math.round(longest),
      health: {
        firstNon200AfterStopMs: firstUnhealthy === undefined ? null : Math.round(firstUnhealthy),
        first200AfterReadyMs: firstHealthyAfter === undefined ? null : Math.round(firstHealthyAfter),
        statusAtEnd: healthAtEnd,
        samples: health.length,
      },
      serverProcessSurvived: serverAlive,
    };
    console.log(JSON.stringify(report, null, 2));
    if (options.json) writeFileSync(options.json, JSON.stringify({ ...report, outcomes, health }, null, 1));
    const passed =
      longest <= requestTimeoutMs + 1_000 && after.length > 0 && after.every((o) => o.ok) && healthAtEnd === 200 && serverAlive;
    console.log(passed ? 'PASS' : 'FAIL');
    process.exitCode = passed ? 0 : 1;
  } finally {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await new Promise((resolve) => server!.once('exit', resolve));
    cluster.destroy();
    code.remove();
  }
}

await main();
