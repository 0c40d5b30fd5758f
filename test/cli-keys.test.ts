// `cablegraph keys create | list | revoke` against a PGlite directory of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { execute, type Io } from '../src/cli.ts';
import { findActiveKey, hashKey } from '../src/db/api-keys.ts';
import { openDatabase } from '../src/db/connect.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const streams: Io = { stdin: Readable.from(['']), stdout, stderr };
  return { streams, out: () => out.join(''), err: () => err.join('') };
}

async function run(...argv: string[]) {
  const streams = io();
  const code = await execute(argv, streams.streams);
  return { code, out: streams.out(), err: streams.err() };
}

// Each command opens the PGlite directory afresh: seconds apiece when other suites share the cores.
describe('cablegraph keys', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cablegraph-keys-'));
  const previous = { data: process.env.CABLEGRAPH_DATA, url: process.env.DATABASE_URL };
  beforeAll(() => {
    delete process.env.DATABASE_URL;
    process.env.CABLEGRAPH_DATA = join(dir, 'data');
  });
  afterAll(() => {
    if (previous.data === undefined) delete process.env.CABLEGRAPH_DATA;
    else process.env.CABLEGRAPH_DATA = previous.data;
    if (previous.url) process.env.DATABASE_URL = previous.url;
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists and revokes keys, storing only their hash', async () => {
    expect((await run('keys', 'list')).out).toContain('no API keys');

    const created = await run('keys', 'create', '--name', 'analyst', '--clearance', 'confidential', '--noforn');
    expect(created.code).toBe(0);
    const key = created.out.trim();
    expect(key).toMatch(/^cg_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toContain('will not be shown again');
    expect(created.err).toContain('clearance CONFIDENTIAL, NOFORN');
    expect(created.err).toContain('only active key');

    const second = await run('keys', 'create', '--name', 'notebook', '--clearance', 'UNCLASSIFIED');
    expect(second.code).toBe(0);
    expect(second.err).not.toContain('only active key');

    const listed = await run('keys', 'list');
    expect(listed.code).toBe(0);
    const lines = listed.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+prefix\s+clearance\s+noforn\s+created\s+revoked\s+last used$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      new RegExp(`^1\\s+analyst\\s+${key.slice(0, 11)}\\s+CONFIDENTIAL\\s+yes\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+-\\s+-$`),
    );
    expect(lines[2]).toMatch(/^2\s+notebook\s+cg_\S{8}\s+UNCLASSIFIED\s+no\s/);
    expect(listed.out).not.toContain(key);

    const handle = await openDatabase();
    try {
      const stored = await handle.db.selectFrom('api_key').select(['key_hash', 'prefix']).where('id', '=', 1).executeTakeFirstOrThrow();
      expect(stored).toEqual({ key_hash: hashKey(key), prefix: key.slice(0, 11) });
      expect((await findActiveKey(handle.db, key))?.name).toBe('analyst');
    } finally {
      await handle.close();
    }

    const revoked = await run('keys', 'revoke', 'analyst');
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('revoked API key 1 "analyst"');
    expect((await run('keys', 'list')).out.split('\n')[1]).toMatch(/^1\s+analyst\s.*\d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+-$/);

    // The name of a revoked key is free again; the old key stays revoked.
    const renewed = await run('keys', 'create', '--name', 'analyst', '--clearance', 'SECRET');
    expect(renewed.code).toBe(0);
    expect(renewed.out.trim()).not.toBe(key);

    const last = await run('keys', 'revoke', '2');
    expect(last.code).toBe(0);
    const byPrefix = await run('keys', 'revoke', renewed.out.trim().slice(0, 11));
    expect(byPrefix.code).toBe(0);
    expect(byPrefix.err).toContain('No active key remains');
  });

  it('exits 1 for a key it cannot create or revoke, and 2 for usage errors', async () => {
    expect((await run('keys', 'create', '--name', 'twice', '--clearance', 'SBU')).code).toBe(0);
    const duplicate = await run('keys', 'create', '--name', 'twice', '--clearance', 'SBU');
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toContain('already named "twice"');
    const unknown = await run('keys', 'revoke', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no active key "nobody"');
    const again = await run('keys', 'revoke', '1');
    expect(again.code).toBe(1);
    expect(again.err).toContain('already revoked');

    const badClearance = await run('keys', 'create', '--name', 'x', '--clearance', 'COSMIC');
    expect(badClearance.code).toBe(2);
    expect(badClearance.err).toContain('TOP_SECRET');
    expect((await run('keys', 'create', '--clearance', 'SECRET')).code).toBe(2);
    expect((await run('keys', 'create', '--name', '  ', '--clearance', 'SECRET')).code).toBe(2);
    expect((await run('keys', 'revoke')).code).toBe(2);
    expect((await run('keys', 'frobnicate')).code).toBe(2);
  });
});
