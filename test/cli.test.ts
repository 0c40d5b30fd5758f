import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';

import { afterAll, describe, expect, it } from 'vitest';

import { execute, type Io } from '../src/cli.ts';
import { SEED_DIR } from '../src/main.ts';

function io(input = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const streams: Io = { stdin: Readable.from([input]), stdout, stderr };
  return { streams, out: () => out.join(''), err: () => err.join('') };
}

describe('cablegraph extract --jsonl', () => {
  it('answers one line per request, in order, even for a bad request', async () => {
    const requests = [JSON.stringify({ text: 'CONFIDENTIAL OTTAWA 000692\n\nTAGS: PREL CA\n' }), '{not json', JSON.stringify({ text: '' })];
    const { streams, out, err } = io(requests.join('\n') + '\n');
    const code = await execute(['extract', '--jsonl'], streams);
    const lines = out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toHaveProperty('tags');
    expect(lines[0]).toHaveProperty('persons');
    expect(lines[1]).toHaveProperty('error');
    expect(err()).toContain('stdin line 2');
    expect(code).toBe(1);
  });

  it('returns every contract key for a fragment', async () => {
    const { streams, out } = io(JSON.stringify({ text: 'REF: STATE 12345', year: 2006 }) + '\n');
    expect(await execute(['extract', '--jsonl'], streams)).toBe(0);
    const result = JSON.parse(out());
    for (const key of [
      'id',
      'date',
      'classification',
      'origin',
      'subject',
      'tags',
      'references',
      'referenceItems',
      'classifiedBy',
      'signers',
      'declassifyOn',
      'recipients',
      'infoRecipients',
      'summary',
      'paragraphs',
      'persons',
      'organizations',
      'countries',
      'dates',
    ]) {
      expect(result).toHaveProperty(key);
    }
  });
});

describe('cablegraph usage errors', () => {
  it('exits 2 on an unknown command or a missing argument', async () => {
    expect(await execute(['frobnicate'], io().streams)).toBe(2);
    expect(await execute(['ingest'], io().streams)).toBe(2);
    expect(await execute(['extract'], io().streams)).toBe(2);
    expect(await execute(['serve', '--port', 'eighty'], io().streams)).toBe(2);
  });
});

describe('cablegraph ingest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cablegraph-cli-'));
  const previous = { data: process.env.CABLEGRAPH_DATA, url: process.env.DATABASE_URL };
  afterAll(() => {
    process.env.CABLEGRAPH_DATA = previous.data;
    if (previous.url) process.env.DATABASE_URL = previous.url;
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingests the seeds, skips a bad file with its name, and exits 1', async () => {
    delete process.env.DATABASE_URL;
    process.env.CABLEGRAPH_DATA = join(dir, 'data');
    const bad = join(dir, 'garbage.bin');
    writeFileSync(bad, Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]));
    const first = io();
    expect(await execute(['ingest', '--quiet', SEED_DIR, bad], first.streams)).toBe(1);
    expect(first.out()).toMatch(/2 new, 0 updated, 0 unchanged, 1 failed/);
    expect(first.err()).toContain('garbage.bin');
    const second = io();
    expect(await execute(['ingest', '--quiet', SEED_DIR], second.streams)).toBe(0);
    expect(second.out()).toMatch(/0 new, 0 updated, 2 unchanged, 0 failed/);
  });

  it('refuses to queue or take jobs without PostgreSQL, saying why', async () => {
    delete process.env.DATABASE_URL;
    for (const argv of [['ingest', '--enqueue', SEED_DIR], ['ingest-worker']]) {
      const run = io();
      expect(await execute(argv, run.streams)).toBe(2);
      expect(run.err()).toContain('set DATABASE_URL');
    }
  });
});
