// `cablegraph serve --workers N`: N processes serve one port over PostgreSQL, and /metrics (asked
// of any of them) counts the requests all of them answered.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PassThrough, Readable } from 'node:stream';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { execute } from '../../src/cli.ts';
import { REPO } from '../helpers/databases.ts';

describe('serve --workers', () => {
  it('refuses more than one worker on the embedded database, saying what it needs', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const stderr = new PassThrough();
      const written: string[] = [];
      stderr.on('data', (chunk) => written.push(String(chunk)));
      const code = await execute(['serve', '--workers', '2'], { stdin: Readable.from(['']), stdout: new PassThrough(), stderr });
      expect(code).toBe(2);
      expect(written.join('')).toMatch(/--workers 2 needs a PostgreSQL server \(DATABASE_URL\)/);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });
});

const adminUrl = process.env.DATABASE_URL;

describe.skipIf(!adminUrl)('serve --workers 2 on PostgreSQL', () => {
  const name = `cablegraph_test_workers_${randomBytes(4).toString('hex')}`;
  let server: ChildProcess;
  let base: string;
  let stderr = '';
  /** The log (pino writes to stdout). */
  let stdout = '';

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      process.execPath,
      [`${REPO}bin/cablegraph.js`, 'serve', '--seed-if-empty', '--workers', '2', '--port', String(port), '--host', '127.0.0.1'],
      { env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'error', CABLEGRAPH_RATE_LIMIT: '0' } },
    );
    server.stderr!.on('data', (chunk) => (stderr += String(chunk)));
    server.stdout!.on('data', (chunk) => (stdout += String(chunk)));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('2 worker processes')) {
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 90_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }, 60_000);

  it('answers from both workers, counts every request in /metrics, and stops them all on SIGTERM', async () => {
    const workers = children(server.pid!);
    expect(workers).toHaveLength(2);
    const requests = 12;
    for (let i = 0; i < requests; i++) {
      // A new connection each time: the primary hands connections to the workers in turn.
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ query: 'query Seeds { cables(first: 5) { totalCount nodes { ref } } }' }),
      });
      const body = (await response.json()) as { data: { cables: { totalCount: number } } };
      expect(body.data.cables.totalCount).toBe(2);
    }
    const metrics = await (await fetch(`${base}/metrics`, { headers: { connection: 'close' } })).text();
    expect(metrics).toMatch(new RegExp(`^cablegraph_graphql_requests_total\\{operation="Seeds",outcome="ok"\\} ${requests}$`, 'm'));
    // A worker that dies is replaced, and the port keeps answering meanwhile.
    process.kill(workers[0]!, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    let now = workers;
    while (Date.now() < deadline) {
      now = children(server.pid!);
      if (now.length === 2 && !now.includes(workers[0]!)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(now).toHaveLength(2);
    expect(now).not.toContain(workers[0]);
    expect(stdout).toMatch(/a worker process exited; starting another/);
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const worker of now) expect(existsSync(`/proc/${worker}`)).toBe(false);
  }, 60_000);
});

/** The processes `pid` started (its workers). */
function children(pid: number): number[] {
  const listed = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return listed ? listed.split(/\s+/).map(Number) : [];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
