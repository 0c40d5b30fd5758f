import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readSources } from '../../src/ingest/read-sources.ts';
import type { ReadProgress } from '../../src/ingest/types.ts';
import { collect, fixtures, gzip, syntheticCable, syntheticCsvRecord, tarOf, tempDir, writeIn } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('readSources', () => {
  it('walks a directory recursively in sorted order and recognises each file', async () => {
    const mixed = join(fixtures, 'mixed');
    const { items } = await collect([mixed]);
    expect(items.map((item) => (item.kind === 'cable' ? `${item.cable.format} ${item.cable.source}` : item))).toEqual([
      `text ${mixed}/09EXAMPLE101.txt`,
      `csv ${mixed}/cables.csv record 1 (line 1)`,
      `html ${mixed}/sub/09EXAMPLE202.html`,
    ]);
  });

  it('reads any mix of files, directories, gzip and archives on one command line, in the order given', async () => {
    await mkdir(join(dir, 'tree/deeper'), { recursive: true });
    await writeIn(dir, 'tree/b.txt', syntheticCable(2));
    await writeIn(dir, 'tree/a.txt.gz', gzip(syntheticCable(1)));
    await writeIn(dir, 'tree/deeper/c.csv', syntheticCsvRecord(1, 3));
    await writeIn(dir, 'tree/.hidden.txt', syntheticCable(99));
    const archive = await writeIn(dir, 'd.tar.gz', gzip(await tarOf([{ name: 'd.txt', content: syntheticCable(4) }])));
    const single = await writeIn(dir, 'e.txt', syntheticCable(5));
    const { cables, errors } = await collect([single, join(dir, 'tree'), archive]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => cable.source)).toEqual([
      single,
      join(dir, 'tree/a.txt.gz'),
      join(dir, 'tree/b.txt'),
      `${join(dir, 'tree/deeper/c.csv')} record 1 (line 1)`,
      `${archive}:d.txt`,
    ]);
  });

  it('reports a path that does not exist and goes on', async () => {
    const missing = join(dir, 'no-such-file.txt');
    const good = await writeIn(dir, 'good.txt', syntheticCable(1));
    const { items } = await collect([missing, good]);
    expect(items).toEqual([
      { kind: 'error', source: missing, reason: 'no such file or directory' },
      { kind: 'cable', cable: expect.objectContaining({ source: good }) },
    ]);
  });

  it('rejects binary files, empty files and unsupported compression', async () => {
    const nul = await writeIn(dir, 'a.txt', Buffer.concat([Buffer.from('CONFIDENTIAL '), Buffer.alloc(100, 0)]));
    const noise = await writeIn(dir, 'b.dat', Buffer.from(Array.from({ length: 2000 }, (_, i) => 1 + ((i * 7) % 31))));
    const empty = await writeIn(dir, 'c.txt', '');
    const zip = await writeIn(dir, 'd.zip', Buffer.from('PK\x03\x04rest of a zip file'));
    const { cables, errors } = await collect([dir]);
    expect(cables).toEqual([]);
    expect(errors).toEqual([
      { source: nul, reason: 'binary file (contains NUL bytes)' },
      { source: noise, reason: 'binary file (mostly control characters or invalid UTF-8)' },
      { source: empty, reason: 'empty file' },
      { source: zip, reason: 'zip compressed data is not supported' },
    ]);
  });

  it('knows the total size up front and counts the compressed bytes consumed', async () => {
    const csv = await writeIn(dir, 'a.csv.gz', gzip(Array.from({ length: 50 }, (_, i) => syntheticCsvRecord(i + 1, i)).join('')));
    const text = await writeIn(dir, 'b.txt', syntheticCable(1));
    const binary = await writeIn(dir, 'c.bin', Buffer.alloc(100_000, 0));
    const total = (await stat(csv)).size + (await stat(text)).size + (await stat(binary)).size;
    const progress: ReadProgress = { totalBytes: 0, bytesRead: 0 };
    const seen: number[] = [];
    for await (const item of readSources([dir], { progress })) {
      expect(progress.totalBytes).toBe(total);
      seen.push(progress.bytesRead);
      void item;
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(progress.bytesRead).toBe(total);
  });

  it('lets the consumer stop early', async () => {
    const path = await writeIn(dir, 'many.csv', Array.from({ length: 500 }, (_, i) => syntheticCsvRecord(i + 1, i)).join(''));
    const archive = await writeIn(dir, 'many.tar', await tarOf([{ name: 'inner.csv', content: await readFile(path) }]));
    for (const input of [path, archive]) {
      let count = 0;
      for await (const item of readSources([input])) {
        expect(item.kind).toBe('cable');
        if (++count === 3) break;
      }
      expect(count).toBe(3);
    }
  });
});
