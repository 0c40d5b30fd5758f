import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { looksLikeCableText } from '../../src/ingest/detect-cable-text.ts';
import { detectFormat, nameInsideGzip } from '../../src/ingest/detect-format.ts';
import { fixtures, gzip, shared, syntheticCable, syntheticCsvRecord, tarOf } from './helpers.ts';

describe('detectFormat', () => {
  it('recognises compressed data and archives by their bytes, whatever the name', async () => {
    expect(detectFormat('x.txt', gzip('hello')).kind).toBe('gzip');
    expect(detectFormat('x.dat', await tarOf([{ name: 'a.txt', content: 'a' }])).kind).toBe('tar');
  });

  it('recognises cables.csv by name or by its first record', () => {
    expect(detectFormat('cables.csv', Buffer.from('anything')).kind).toBe('csv');
    expect(detectFormat('export', Buffer.from(syntheticCsvRecord(1, 1))).kind).toBe('csv');
    expect(detectFormat('notes.txt', Buffer.from('"quoted", she said')).kind).toBe('text');
  });

  it('recognises an HTML page by name or content', async () => {
    const page = await readFile(join(fixtures, 'mixed/sub/09EXAMPLE202.html'));
    expect(detectFormat('page', page).kind).toBe('html');
    expect(detectFormat('page.html', Buffer.from('<p>fragment</p>')).kind).toBe('html');
  });

  it('takes a text with a few bad bytes as text and a mostly binary one as rejected', () => {
    const text = Buffer.concat([Buffer.from(syntheticCable(1)), Buffer.from([0xe9, 0xff])]);
    expect(detectFormat('a.txt', text).kind).toBe('text');
    expect(detectFormat('a.txt', Buffer.from([0x41, 0x00, 0x42]))).toEqual({
      kind: 'rejected',
      reason: 'binary file (contains NUL bytes)',
    });
  });

  it('names what a gzip file holds', () => {
    expect(nameInsideGzip('dir/cables.csv.gz')).toBe('dir/cables.csv');
    expect(nameInsideGzip('html.tgz')).toBe('html.tar');
    expect(nameInsideGzip('a.TXT.GZ')).toBe('a.TXT');
  });
});

describe('looksLikeCableText', () => {
  it('accepts the seeds and a bare cable, rejects prose and code', async () => {
    for (const seed of ['03OTTAWA692.txt', '03OTTAWA1284.txt']) {
      expect(looksLikeCableText(await readFile(join(shared, 'seeds', seed), 'utf8'))).toBe(true);
    }
    expect(looksLikeCableText(syntheticCable(1))).toBe(true);
    expect(looksLikeCableText('SECRET STATE 123456\n\n1. (S) Text.')).toBe(true);
    expect(looksLikeCableText('Dear diary, today was secret.\n')).toBe(false);
    expect(looksLikeCableText('export function f() { return 1; }\n')).toBe(false);
  });
});
