import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { collect, csvRecord, fixtures, gzip, syntheticCable, syntheticCsvRecord, tempDir, writeIn } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('cables.csv', () => {
  it('reads a record with escaped quotes, commas and newlines, with its columns as hints', async () => {
    const path = join(fixtures, 'mixed/cables.csv');
    const { cables, errors } = await collect([path]);
    expect(errors).toEqual([]);
    expect(cables).toEqual([
      {
        format: 'csv',
        source: `${path} record 1 (line 1)`,
        hints: {
          id: '09EXAMPLE303',
          date: '2009-05-14',
          origin: 'Embassy Example',
          classification: 'UNCLASSIFIED',
          header: 'R 140930Z MAY 09\nFM AMEMBASSY EXAMPLE\nTO SECSTATE WASHDC 4243',
          references: ['09EXAMPLE101', '09STATE12345'],
        },
        text:
          'UNCLAS EXAMPLE 000303\n\nSUBJECT: SYNTHETIC CSV CABLE WITH "QUOTES", COMMAS AND\nLINES\n\n' +
          '1. (U) He said "yes, of course" and left.\n',
      },
    ]);
  });

  it('reports a record with broken quoting by number and line, and keeps the records around it', async () => {
    const path = join(fixtures, 'csv/broken-quote.csv');
    const { items } = await collect([path]);
    expect(items.map((item) => (item.kind === 'cable' ? item.cable.hints.id : item.source))).toEqual([
      '08EXAMPLE401',
      '08EXAMPLE402',
      `${path} record 3 (line 17)`,
      '08EXAMPLE404',
      '08EXAMPLE405',
    ]);
    const error = items[2]!;
    expect(error.kind === 'error' && error.reason).toMatch(/^Invalid Closing Quote: got "b" at line 23/);
    const sources = items.flatMap((item) => (item.kind === 'cable' ? [item.cable.source] : []));
    expect(sources[2]).toBe(`${path} record 4 (line 25)`);
  });

  it('reports a record with the wrong number of columns', async () => {
    const content = syntheticCsvRecord(1, 1) + csvRecord(['2', '01/02/2008 10:00', '08EXAMPLE2', 'too few']) + syntheticCsvRecord(3, 3);
    const path = await writeIn(dir, 'columns.csv', content);
    const { cables, errors } = await collect([path]);
    expect(cables.map((cable) => cable.hints.id)).toEqual(['08EXAMPLE1', '08EXAMPLE3']);
    expect(errors).toEqual([{ source: `${path} record 2 (line 10)`, reason: expect.stringMatching(/columns length is 8, got 4/) }]);
  });

  it('reports two broken records in a row separately', async () => {
    const broken = (row: number) => `"${row}","01/02/2008 10:00","08EXAMPLE${row}","x","y","","h","a "bad" quote"\n`;
    const content = syntheticCsvRecord(1, 1) + broken(2) + broken(3) + syntheticCsvRecord(4, 4);
    const path = await writeIn(dir, 'two.csv', content);
    const { items } = await collect([path]);
    expect(items.map((item) => (item.kind === 'cable' ? item.cable.source : `error ${item.source}`))).toEqual([
      `${path} record 1 (line 1)`,
      `error ${path} record 2 (line 10)`,
      `error ${path} record 3 (line 11)`,
      `${path} record 4 (line 12)`,
    ]);
  });

  it('skips a header row and blank lines', async () => {
    const header = csvRecord(['id', 'date', 'reference id', 'origin', 'classification', 'references', 'header', 'body']);
    const path = await writeIn(dir, 'header.csv', header + syntheticCsvRecord(1, 1) + '\n' + syntheticCsvRecord(2, 2));
    const { cables, errors } = await collect([path]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => cable.source)).toEqual([`${path} record 1 (line 2)`, `${path} record 2 (line 12)`]);
  });

  it('recognises cables.csv by its first bytes whatever the name', async () => {
    const path = await writeIn(dir, 'export.dat', syntheticCsvRecord(1, 1));
    const { cables } = await collect([path]);
    expect(cables.map((cable) => cable.format)).toEqual(['csv']);
  });

  it('reads a gzipped cables.csv and names the records after the compressed file', async () => {
    const path = await writeIn(dir, 'cables.csv.gz', gzip(syntheticCsvRecord(1, 1) + syntheticCsvRecord(2, 2)));
    const { cables, errors } = await collect([path]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => cable.source)).toEqual([`${path} record 1 (line 1)`, `${path} record 2 (line 10)`]);
    expect(cables[1]!.text).toBe(syntheticCable(2));
  });

  it('rejects a record over the size limit and goes on', async () => {
    const huge = csvRecord(['2', '01/02/2008 10:00', '08EXAMPLE2', 'o', 'c', '', 'h', syntheticCable(2) + 'Y'.repeat(3000)]);
    const path = await writeIn(dir, 'huge.csv', syntheticCsvRecord(1, 1) + huge + syntheticCsvRecord(3, 3));
    const { cables, errors } = await collect([path], { maxRecordBytes: 2000 });
    expect(cables.map((cable) => cable.hints.id)).toEqual(['08EXAMPLE1', '08EXAMPLE3']);
    expect(errors).toEqual([{ source: `${path} record 2 (line 10)`, reason: 'larger than the 2000 bytes limit for one cable' }]);
  });

  it('stops a quote that never closes at the size limit instead of reading the rest into memory', async () => {
    // A field ending in a backslash escapes its own closing quote, and no `"` followed by a comma
    // or a line end ever comes to close it.
    const runaway = `"2","01/02/2008 10:00","08EXAMPLE2","o","c","","h","C:\\"\n` + 'line without quotes\n'.repeat(20_000);
    const path = await writeIn(dir, 'runaway.csv', syntheticCsvRecord(1, 1) + runaway);
    const { cables, errors } = await collect([path], { maxRecordBytes: 64 * 1024 });
    expect(cables.map((cable) => cable.hints.id)).toEqual(['08EXAMPLE1']);
    expect(errors).toEqual([
      {
        source: `${path} record 2 (line 10)`,
        reason: expect.stringMatching(/runs past the 65536 bytes limit .*; the rest of this input is skipped$/),
      },
    ]);
  });

  it('reports a quote still open at the end of the file', async () => {
    const path = await writeIn(dir, 'open.csv', syntheticCsvRecord(1, 1) + '"2","01/02/2008 10:00","08EXAMPLE2","o","c","","h","no end\n');
    const { cables, errors } = await collect([path]);
    expect(cables).toHaveLength(1);
    expect(errors).toEqual([{ source: `${path} record 2 (line 10)`, reason: expect.stringMatching(/^Quote Not Closed/) }]);
  });

  it('skips a byte order mark', async () => {
    const path = await writeIn(dir, 'bom.csv', '\uFEFF' + syntheticCsvRecord(1, 1));
    const { cables, errors } = await collect([path]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => cable.hints.id)).toEqual(['08EXAMPLE1']);
  });
});
