// Small versions of what scripts/fuzz/readers.ts throws at the readers at scale: bombs, truncated
// and corrupt containers, invalid UTF-8, deeply nested or unclosed HTML, oversized lines. Each is
// refused with an error naming the input and the limit, the inputs after it are still read, and
// nothing of a refused input reaches the database.
import { gzipSync } from 'node:zlib';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { openTestDatabase } from '../helpers/databases.ts';
import { collect, csvRecord, gzip, syntheticCable, syntheticCsvRecord, tarOf, tempDir, writeIn } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

function describeItems(items: Awaited<ReturnType<typeof collect>>['items']): string[] {
  return items.map((item) => (item.kind === 'cable' ? `cable ${item.cable.source}` : `error ${item.source}: ${item.reason}`));
}

/** A tar header block with the checksum recomputed, so that only the field we broke is wrong. */
function withChecksum(archive: Buffer, offset: number): Buffer {
  archive.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let i = offset; i < offset + 512; i++) sum += archive[i]!;
  archive.write(sum.toString(8).padStart(6, '0') + '\0 ', offset + 148, 8, 'latin1');
  return archive;
}

describe('decompression bombs', () => {
  it('stops a gzip stream that expands more than 100 times, and reads the next input', async () => {
    // 4 MB of one line again and again compresses about 1,000 times.
    const bomb = await writeIn(dir, 'bomb.txt.gz', gzipSync(Buffer.alloc(4 * 1024 * 1024, 'SUBJECT: THE THE THE\n'), { level: 9 }));
    const next = await writeIn(dir, 'next.txt', syntheticCable(1));
    const { items } = await collect([bomb, next]);
    expect(describeItems(items)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error ${bomb}: decompresses to more than 100 times its compressed size \\(1 MB from \\d+ bytes\\): a decompression bomb\\?$`,
        ),
      ),
      `cable ${next}`,
    ]);
  });

  it('stops a CSV bomb after the records before the limit, naming where it stopped', async () => {
    const path = await writeIn(dir, 'bomb.csv.gz', gzipSync(syntheticCsvRecord(1, 1).repeat(20_000), { level: 9 }));
    const { cables, errors } = await collect([path]);
    expect(cables.length).toBeGreaterThan(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.source).toMatch(new RegExp(`^${path} (record \\d+ \\(line \\d+\\)|after record \\d+)$`));
    expect(errors[0]!.reason).toMatch(/decompresses to more than 100 times its compressed size .*; the rest of this input is skipped$/);
  });

  it('holds a gzip stream to the decompressed size limit', async () => {
    const records = Array.from({ length: 200 }, (_, i) => syntheticCsvRecord(i + 1, i + 1)).join('');
    const path = await writeIn(dir, 'big.csv.gz', gzip(records));
    const { cables, errors } = await collect([path], { limits: { maxDecompressedBytes: 16_384 } });
    expect(cables.length).toBeGreaterThan(0);
    expect(cables.length).toBeLessThan(200);
    expect(errors).toEqual([
      {
        source: expect.stringMatching(new RegExp(`^${path} (record \\d+ \\(line \\d+\\)|after record \\d+)$`)),
        reason: 'decompresses to more than the 16384 bytes limit; the rest of this input is skipped',
      },
    ]);
  });

  it('refuses gzip streams nested deeper than the limit (a gzip quine would never end)', async () => {
    let bytes = Buffer.from(syntheticCable(1));
    for (let i = 0; i < 12; i++) bytes = gzipSync(bytes);
    const path = await writeIn(dir, 'deep.gz', bytes);
    const { items } = await collect([path]);
    expect(describeItems(items)).toEqual([`error ${path}: gzip stream nested more than 8 levels deep (gzip and tar inside each other)`]);
  });
});

describe('truncated and corrupt containers', () => {
  it('reports a gzip stream with a corrupt header, a flipped byte and a cut', async () => {
    const whole = gzip(syntheticCable(1));
    const header = Buffer.from(whole);
    header[2] = 0x07; // compression method
    const flipped = Buffer.from(whole);
    flipped[20]! ^= 0xff;
    const paths = [
      await writeIn(dir, 'a-header.txt.gz', header),
      await writeIn(dir, 'b-flipped.txt.gz', flipped),
      await writeIn(dir, 'c-cut.txt.gz', whole.subarray(0, whole.length - 6)),
    ];
    const { cables, errors } = await collect(paths);
    expect(cables).toEqual([]);
    expect(errors.map((error) => error.source)).toEqual(paths);
    for (const error of errors) expect(error.reason).toMatch(/^corrupt or truncated gzip data \(.+\)$/);
  });

  it('reports a tar member whose size field is huge, negative or garbage', async () => {
    const members = [
      { name: 'a.txt', content: syntheticCable(1) },
      { name: 'b.txt', content: syntheticCable(2) },
    ];
    const second = 512 + Math.ceil(Buffer.byteLength(syntheticCable(1)) / 512) * 512;
    const broken = async (name: string, breakSize: (archive: Buffer) => void) => {
      const archive = Buffer.from(await tarOf(members));
      breakSize(archive);
      return writeIn(dir, name, withChecksum(archive, second));
    };
    // 8 GB declared, a few hundred bytes present.
    const huge = await broken('huge.tar', (archive) => archive.write('77777777777\0', second + 124, 'latin1'));
    // Base-256 with every bit set: -1.
    const negative = await broken('negative.tar', (archive) => archive.fill(0xff, second + 124, second + 136));
    const garbage = await broken('garbage.tar', (archive) => archive.write('zzzzzzzzzzz\0', second + 124, 'latin1'));
    // Neither octal nor base-256 (0x80/0xff): tar-stream reads the size as null and never ends the
    // member; this once let the whole process exit silently in the middle of a run.
    const unparsable = await broken('unparsable.tar', (archive) => (archive[second + 124] = 0xfa));
    const { items } = await collect([huge, negative, garbage, unparsable]);
    expect(describeItems(items)).toEqual([
      `cable ${huge}:a.txt`,
      `error ${huge}:b.txt: truncated archive (unexpected end of data)`,
      `cable ${negative}:a.txt`,
      `error ${negative}:b.txt: empty file`,
      `error ${negative}: corrupt archive after member b.txt: Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?; the rest of this archive is skipped`,
      `cable ${garbage}:a.txt`,
      `error ${garbage}: corrupt archive after member a.txt: Invalid header; the rest of this archive is skipped`,
      `cable ${unparsable}:a.txt`,
      `error ${unparsable}: corrupt archive: member b.txt has an invalid size field; the rest of this archive is skipped`,
    ]);
  });

  it('does not wait forever on a directory entry that declares a size', async () => {
    const archive = Buffer.from(
      await tarOf([
        { name: 'dir/', content: '' },
        { name: 'b.txt', content: syntheticCable(2) },
      ]),
    );
    archive.write('5', 156, 'latin1'); // already a directory; give it the size of one block
    archive.write('00000001000\0', 124, 'latin1');
    withChecksum(archive, 0);
    const path = await writeIn(dir, 'dir-size.tar', archive);
    const next = await writeIn(dir, 'next.txt', syntheticCable(3));
    const { items } = await collect([path, next]);
    expect(items.at(-1)).toEqual({ kind: 'cable', cable: expect.objectContaining({ source: next }) });
    expect(items.every((item) => (item.kind === 'error' ? item.source : item.cable.source).startsWith(dir))).toBe(true);
  });

  it('reports an archive with no file in it, and a member name past the limit', async () => {
    const empty = await writeIn(dir, 'empty.tar', Buffer.alloc(1024));
    const longName = await writeIn(dir, 'long.tar', await tarOf([{ name: `${'n'.repeat(300)}/a.txt`, content: syntheticCable(1) }]));
    const { items } = await collect([empty, longName], { limits: { maxMemberNameChars: 100 } });
    expect(describeItems(items)).toEqual([
      `error ${empty}: archive holds no regular file`,
      `error ${longName}:${'n'.repeat(200)}…: member name of 306 characters, longer than the 100 limit`,
      `error ${longName}: archive holds no regular file`,
    ]);
  });

  it('stops reading a file after the per-file error limit', async () => {
    const broken = Array.from({ length: 30 }, () => '"1","01/02/2008 10:00","only three columns"\n').join('');
    const path = await writeIn(dir, 'broken.csv', broken);
    const { errors } = await collect([path], { limits: { maxErrorsPerFile: 5 } });
    expect(errors).toHaveLength(6);
    expect(errors.at(-1)).toEqual({ source: path, reason: '5 errors in this file, the limit for one file: the rest of it is skipped' });
  });
});

describe('text that is not what it claims', () => {
  it('reads a cable with invalid UTF-8 sequences, replacing them, and refuses a file that is mostly invalid', async () => {
    const mangled = Buffer.concat([Buffer.from(syntheticCable(1)), Buffer.from([0xc0, 0x80, 0xed, 0xa0, 0x80, 0xff, 0x0a])]);
    const ok = await writeIn(dir, 'a.txt', mangled);
    const bad = await writeIn(dir, 'b.txt', Buffer.alloc(4000, 0xff));
    const { cables, errors } = await collect([ok, bad]);
    expect(cables).toHaveLength(1);
    expect(cables[0]!.text).toContain('\ufffd');
    expect(errors).toEqual([{ source: bad, reason: 'binary file (mostly control characters or invalid UTF-8)' }]);
  });

  it('reads a cable page wrapped in 100,000 nested elements', async () => {
    const page = `<html><body>${'<div>'.repeat(100_000)}<pre>${syntheticCable(1)}</pre>${'</div>'.repeat(100_000)}</body></html>`;
    const path = await writeIn(dir, 'nested.html', page);
    const { cables, errors } = await collect([path]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => cable.text)).toEqual([syntheticCable(1)]);
  });

  it('refuses in linear time a page of unclosed <pre>, <table> and <', { timeout: 10_000 }, async () => {
    const started = performance.now();
    const pre = await writeIn(dir, 'pre.html', `<html>${'<pre>'.repeat(200_000)}`);
    const table = await writeIn(dir, 'table.html', `<html><pre>x</pre>${"<table class='cable'><td>".repeat(100_000)}`);
    const lt = await writeIn(dir, 'lt.html', `<html><pre>${'<'.repeat(1_000_000)}</pre>`);
    const { items } = await collect([pre, table, lt]);
    expect(describeItems(items)).toEqual([
      `error ${pre}: not a cable: HTML page without a cable text (<pre>)`,
      `cable ${table}`,
      `cable ${lt}`,
    ]);
    // Quadratic scanning of these pages takes minutes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses an oversized single line in a text file and in a CSV field, then reads on', async () => {
    const line = await writeIn(dir, 'line.txt', `SUBJECT: ${'WORD '.repeat(100_000)}`);
    const field = await writeIn(dir, 'field.csv', `"1","12/28/1966 18:06","66X1","o","c","","h","${'WORD '.repeat(100_000)}"\n`);
    const next = await writeIn(dir, 'next.txt', syntheticCable(1));
    const { items } = await collect([line, field, next], { maxRecordBytes: 64 * 1024 });
    expect(describeItems(items)).toEqual([
      `error ${line}: larger than the 65536 bytes limit for one cable`,
      `error ${field} record 1 (line 1): a field runs past the 65536 bytes limit for one cable (a quote is probably never closed); the rest of this input is skipped`,
      `cable ${next}`,
    ]);
  });

  it('refuses a cable with a long run of blank lines (the extractors rescan it from each line)', { timeout: 10_000 }, async () => {
    const blanks = '\n'.repeat(60_000);
    const text = await writeIn(dir, 'a.txt', syntheticCable(1).replace('TAGS:', `${blanks}TAGS:`));
    const page = await writeIn(
      dir,
      'b.html',
      `<html><pre>FM AMEMBASSY X${'\r'.repeat(60_000)}TO SECSTATE</pre><pre>${syntheticCable(2)}</pre>`,
    );
    const csv = await writeIn(
      dir,
      'c.csv',
      csvRecord(['1', '01/02/2008 10:00', '08X1', 'o', 'c', '', 'h', syntheticCable(3) + blanks + 'END']),
    );
    const { items } = await collect([text, page, csv]);
    expect(describeItems(items)).toEqual([
      `error ${text}: more than 100 blank lines in a row from line 4 (a cable has a few at most)`,
      `error ${page}: more than 100 blank lines in a row from line 2 (a cable has a few at most)`,
      `error ${csv} record 1 (line 1): more than 100 blank lines in a row from line 8 (a cable has a few at most)`,
    ]);
  });

  it('reports a CSV file without a record and a directory without a file', async () => {
    const blank = await writeIn(dir, 'blank.csv', '\n\n\n');
    const { errors } = await collect([blank]);
    expect(errors).toEqual([{ source: blank, reason: 'no cables.csv record in this file' }]);
    const { dir: emptyDir, cleanup: removeEmpty } = await tempDir();
    try {
      await writeIn(emptyDir, '.hidden', 'x');
      expect((await collect([emptyDir])).errors).toEqual([
        { source: emptyDir, reason: 'directory holds no file to read (hidden entries are skipped)' },
      ]);
    } finally {
      await removeEmpty();
    }
  });
});

// Opening PGlite takes seconds, more on a busy machine.
describe('nothing of a refused input reaches the database', { timeout: 120_000 }, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  const TABLES = [
    'cable',
    'paragraph',
    'cable_reference',
    'person',
    'organization',
    'mention',
    'date_mention',
    'cable_topic',
    'edge',
  ] as const;
  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      result[table] = Number(row.count);
    }
    return result;
  }

  it('writes no row for bombs, corrupt containers, binary or oversized files, and only the good member of a broken archive', async () => {
    const before = await counts();
    const refused = [
      await writeIn(dir, 'bomb.txt.gz', gzipSync(Buffer.alloc(4 * 1024 * 1024, 'SUBJECT: THE THE THE\n'), { level: 9 })),
      await writeIn(dir, 'cut.txt.gz', gzip(syntheticCable(1)).subarray(0, 30)),
      await writeIn(dir, 'nul.txt', Buffer.concat([Buffer.from(syntheticCable(2)), Buffer.alloc(64)])),
      // One 5 MB line, past the 4 MB limit for one cable.
      await writeIn(dir, 'line.txt', `SUBJECT: ${'WORD '.repeat(1_000_000)}`),
      await writeIn(dir, 'pre.html', `<html>${'<pre>'.repeat(50_000)}`),
      await writeIn(dir, 'broken.csv', csvRecord(['1', '01/02/2008 10:00', 'only', 'four'])),
    ];
    const summary = await ingestPaths(handle.db, refused);
    expect(summary.inserted + summary.updated + summary.unchanged).toBe(0);
    expect(summary.failed.map((failure) => refused.some((path) => failure.source.startsWith(path)))).not.toContain(false);
    expect(new Set(summary.failed.map((failure) => refused.find((path) => failure.source.startsWith(path))))).toEqual(new Set(refused));
    expect(await counts()).toEqual(before);

    // An archive whose second member is cut: the first member's cable is stored, nothing else.
    const first = syntheticCsvRecord(1, 7);
    expect(Buffer.byteLength(first)).toBeLessThan(512);
    const archive = await tarOf([
      { name: 'a.csv', content: first },
      { name: 'b.txt', content: syntheticCable(8) },
    ]);
    // Two headers, the first member, and part of the second.
    const cut = await writeIn(dir, 'cut.tar', archive.subarray(0, 512 + 512 + 512 + 100));
    const partial = await ingestPaths(handle.db, [cut]);
    expect(partial.inserted).toBe(1);
    expect(partial.failed.map((failure) => failure.source)).toEqual([`${cut}:b.txt`]);
    const refs = await handle.db.selectFrom('cable').select(['ref', 'source']).execute();
    expect(refs).toEqual([{ ref: '08EXAMPLE7', source: `${cut}:a.csv record 1 (line 1)` }]);
  });
});
