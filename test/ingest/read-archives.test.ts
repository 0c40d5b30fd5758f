import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readSources } from '../../src/ingest/read-sources.ts';
import type { ReadItem } from '../../src/ingest/types.ts';
import { collect, fixtures, gzip, syntheticCable, syntheticCsvRecord, tarOf, tempDir, writeIn } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('gzip', () => {
  it('reads a gzipped text cable and HTML page under their own names', async () => {
    const text = await writeIn(dir, 'a.txt.gz', gzip(syntheticCable(1)));
    const html = await writeIn(dir, 'b.html.gz', gzip(await readFile(join(fixtures, 'mixed/sub/09EXAMPLE202.html'))));
    const { cables, errors } = await collect([text, html]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => [cable.source, cable.format])).toEqual([
      [text, 'text'],
      [html, 'html'],
    ]);
    expect(cables[0]!.text).toBe(syntheticCable(1));
  });

  it('reports a truncated gzip file and goes on with the next input', async () => {
    const whole = gzip(Array.from({ length: 300 }, (_, i) => syntheticCsvRecord(i + 1, i + 1)).join(''));
    const truncated = await writeIn(dir, 'cut.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const next = await writeIn(dir, 'next.txt', syntheticCable(9));
    const { cables, errors } = await collect([truncated, next]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.source).toMatch(/^.*cut\.csv\.gz record \d+ \(line \d+\)$/);
    expect(errors[0]!.reason).toMatch(/^corrupt or truncated gzip data \(unexpected end of file\); the rest of this input is skipped$/);
    // The records before the cut still come through, then the next input.
    expect(cables.length).toBeGreaterThan(1);
    expect(cables.at(-1)!.source).toBe(next);
  });

  it('reports a gzip file cut inside its first block', async () => {
    const path = await writeIn(dir, 'tiny.txt.gz', gzip(syntheticCable(1)).subarray(0, 12));
    const { cables, errors } = await collect([path]);
    expect(cables).toEqual([]);
    expect(errors).toEqual([{ source: path, reason: 'corrupt or truncated gzip data (unexpected end of file)' }]);
  });
});

describe('tar archives', () => {
  it('reads every member of a .tar.gz by name and content; a corrupt member does not end the archive', async () => {
    const page = await readFile(join(fixtures, 'mixed/sub/09EXAMPLE202.html'));
    const archive = await tarOf([
      { name: 'cables/a.txt', content: syntheticCable(1) },
      { name: 'cables/broken.txt.gz', content: gzip(syntheticCable(2)).subarray(0, 30) },
      { name: 'cables/c.html', content: page },
      { name: 'cables/d.bin', content: Buffer.alloc(600, 0) },
      { name: 'cables/e.csv', content: syntheticCsvRecord(1, 5) + syntheticCsvRecord(2, 6) },
      { name: 'cables/f-no-extension', content: syntheticCable(7) },
    ]);
    const path = await writeIn(dir, 'archive.tar.gz', gzip(archive));
    const { items } = await collect([path]);
    expect(
      items.map((item) => (item.kind === 'cable' ? `${item.cable.format} ${item.cable.source}` : `error ${item.source}: ${item.reason}`)),
    ).toEqual([
      `text ${path}:cables/a.txt`,
      `error ${path}:cables/broken.txt.gz: corrupt or truncated gzip data (unexpected end of file)`,
      `html ${path}:cables/c.html`,
      `error ${path}:cables/d.bin: binary file (contains NUL bytes)`,
      `csv ${path}:cables/e.csv record 1 (line 1)`,
      `csv ${path}:cables/e.csv record 2 (line 10)`,
      `text ${path}:cables/f-no-extension`,
    ]);
  });

  it('reads a plain .tar, a .tgz, and a gzipped cables.csv inside an archive', async () => {
    const plain = await writeIn(dir, 'a.tar', await tarOf([{ name: 'one.txt', content: syntheticCable(1) }]));
    const tgz = await writeIn(dir, 'b.tgz', gzip(await tarOf([{ name: 'two.txt', content: syntheticCable(2) }])));
    const nested = await writeIn(dir, 'c.tar', await tarOf([{ name: 'x/cables.csv.gz', content: gzip(syntheticCsvRecord(1, 3)) }]));
    const { cables, errors } = await collect([plain, tgz, nested]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => cable.source)).toEqual([
      `${plain}:one.txt`,
      `${tgz}:two.txt`,
      `${nested}:x/cables.csv.gz record 1 (line 1)`,
    ]);
  });

  it('reports a corrupt archive header, keeps the members before it and goes on with the next input', async () => {
    const archive = await tarOf([
      { name: 'a.txt', content: syntheticCable(1) },
      { name: 'b.txt', content: syntheticCable(2) },
    ]);
    // The second header starts after the first header and the first member padded to 512 bytes.
    const second = 512 + Math.ceil(Buffer.byteLength(syntheticCable(1)) / 512) * 512;
    archive.fill('X', second + 148, second + 156); // its checksum
    const path = await writeIn(dir, 'corrupt.tar.gz', gzip(archive));
    const next = await writeIn(dir, 'next.txt', syntheticCable(3));
    const { items } = await collect([path, next]);
    expect(items.map((item) => (item.kind === 'cable' ? item.cable.source : `error ${item.source}: ${item.reason}`))).toEqual([
      `${path}:a.txt`,
      `error ${path}: corrupt archive after member a.txt: Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?; the rest of this archive is skipped`,
      next,
    ]);
  });

  it('reports a truncated archive at the member it stops in', async () => {
    const archive = await tarOf([
      { name: 'a.txt', content: syntheticCable(1) },
      { name: 'b.txt', content: 'Z'.repeat(5000) },
    ]);
    const path = await writeIn(dir, 'short.tar', archive.subarray(0, 2048));
    const { cables, errors } = await collect([path]);
    expect(cables.map((cable) => cable.source)).toEqual([`${path}:a.txt`]);
    expect(errors).toEqual([{ source: `${path}:b.txt`, reason: 'truncated archive (unexpected end of data)' }]);
  });

  it('drains a member whose reader gave up and goes on with the next member', async () => {
    const runaway = syntheticCsvRecord(1, 1) + '"2","01/02/2008 10:00","x","o","c","","h","C:\\"\n' + 'no quote here\n'.repeat(10_000);
    const archive = await tarOf([
      { name: 'a.csv', content: runaway },
      { name: 'b.txt', content: 'W'.repeat(50_000) },
      { name: 'c.txt', content: syntheticCable(3) },
    ]);
    const path = await writeIn(dir, 'members.tar.gz', gzip(archive));
    const { items } = await collect([path], { maxRecordBytes: 8192 });
    expect(items.map((item) => (item.kind === 'cable' ? item.cable.source : `error ${item.source}`))).toEqual([
      `${path}:a.csv record 1 (line 1)`,
      `error ${path}:a.csv record 2 (line 10)`,
      `error ${path}:b.txt`,
      `${path}:c.txt`,
    ]);
  });

  describe('a truncated archive gives every record that ends before the cut, however slowly it is read', () => {
    /** Reads everything, waiting `pauseMs` after each item (the ingest writes to the database there). */
    async function slowly(path: string, pauseMs: number) {
      const items: ReadItem[] = [];
      for await (const item of readSources([path])) {
        items.push(item);
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      return items;
    }
    /** Read without a pause and with one after each item, `path` gives `cables` cables, then an error matching `reason`. */
    async function expectEitherWay(path: string, cables: number, reason: RegExp) {
      for (const pauseMs of [0, 3]) {
        const items = await slowly(path, pauseMs);
        expect(items.filter((item) => item.kind === 'cable')).toHaveLength(cables);
        expect(items.at(-1)).toMatchObject({ kind: 'error', reason: expect.stringMatching(reason) });
      }
    }
    const records = Array.from({ length: 200 }, (_, i) => syntheticCsvRecord(i + 1, i + 1));
    /** How many of the records end (newline included) within the first `length` characters. */
    const completeIn = (text: string) => {
      let at = 0;
      let count = 0;
      for (const record of records) {
        if (at + record.length > text.length || text.slice(at, at + record.length) !== record) break;
        at += record.length;
        count++;
      }
      return count;
    };

    it('in a plain CSV member', async () => {
      const csv = records.join('');
      const archive = await tarOf([{ name: 'cables.csv', content: csv }]);
      const cut = 512 + Math.floor(csv.length * 0.7);
      const path = await writeIn(dir, 'cut.tar', archive.subarray(0, cut));
      const expected = completeIn(csv.slice(0, cut - 512));
      expect(expected).toBeGreaterThan(100);
      await expectEitherWay(path, expected, /truncated archive \(unexpected end of data\)/);
    });

    it('in a tar whose gzip stream fails its checksum at the very end', async () => {
      const csv = records.join('');
      const archive = gzip(
        await tarOf([
          { name: 'cables.csv', content: csv },
          { name: 'last.txt', content: syntheticCable(999) },
        ]),
      );
      // The CRC-32 of the trailer, 8 bytes from the end: zlib fails once everything is decompressed.
      archive[archive.length - 8]! ^= 0xff;
      const path = await writeIn(dir, 'bad-crc.tar.gz', archive);
      await expectEitherWay(path, records.length + 1, /incorrect data check/);
    });

    it('in a gzipped CSV member', async () => {
      const csv = records.join('');
      const compressed = gzip(csv);
      const archive = await tarOf([{ name: 'cables.csv.gz', content: compressed }]);
      const cut = 512 + Math.floor(compressed.length * 0.7);
      const path = await writeIn(dir, 'cut-gz.tar', archive.subarray(0, cut));
      // What zlib can decompress of the bytes before the cut.
      const decodable = gunzipSync(compressed.subarray(0, cut - 512), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString();
      const expected = completeIn(decodable);
      expect(expected).toBeGreaterThan(50);
      await expectEitherWay(path, expected, /truncated archive \(unexpected end of data\)/);
    });
  });

  it('reports a truncation inside a member that was rejected before it was read to the end', async () => {
    const archive = await tarOf([
      { name: 'a.txt', content: syntheticCable(1) },
      { name: 'b.bin', content: Buffer.alloc(30_000, 0) },
    ]);
    const path = await writeIn(dir, 'cut.tar', archive.subarray(0, 20_000));
    const { items } = await collect([path]);
    expect(items.map((item) => (item.kind === 'cable' ? item.cable.source : `error ${item.source}: ${item.reason}`))).toEqual([
      `${path}:a.txt`,
      `error ${path}:b.bin: binary file (contains NUL bytes)`,
      `error ${path}: corrupt archive after member b.bin: truncated archive (unexpected end of data); the rest of this archive is skipped`,
    ]);
  });
});
