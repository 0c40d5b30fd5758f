// Shared by the reader tests: collect what readSources yields, build inputs in a temporary directory.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import tar from 'tar-stream';

import { readSources } from '../../src/ingest/read-sources.ts';
import type { RawCable, ReadItem, ReadOptions } from '../../src/ingest/types.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtures = join(repoRoot, 'test/fixtures/ingest');
export const shared = resolve(repoRoot, '../shared');

export interface Collected {
  items: ReadItem[];
  cables: RawCable[];
  errors: { source: string; reason: string }[];
}

export async function collect(paths: string[], options?: ReadOptions): Promise<Collected> {
  const items: ReadItem[] = [];
  for await (const item of readSources(paths, options)) items.push(item);
  return {
    items,
    cables: items.flatMap((item) => (item.kind === 'cable' ? [item.cable] : [])),
    errors: items.flatMap((item) => (item.kind === 'error' ? [{ source: item.source, reason: item.reason }] : [])),
  };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cablegraph-ingest-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeIn(dir: string, name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

export function gzip(content: string | Buffer): Buffer {
  return gzipSync(content);
}

export async function tarOf(members: { name: string; content: string | Buffer }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const member of members) pack.entry({ name: member.name }, member.content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A small invented cable, different for each serial. */
export function syntheticCable(serial: number): string {
  return [
    `CONFIDENTIAL EXAMPLE ${String(serial).padStart(6, '0')}`,
    '',
    'E.O. 12958: DECL: 01/01/2019',
    'TAGS: PREL XX',
    `SUBJECT: INVENTED CABLE ${serial}`,
    '',
    `1. (C) Invented text of cable ${serial}.`,
    '',
  ].join('\n');
}

/** One cables.csv record, every field quoted, `"` escaped with a backslash. */
export function csvRecord(fields: string[]): string {
  return fields.map((field) => `"${field.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',') + '\n';
}

export function syntheticCsvRecord(row: number, serial: number): string {
  return csvRecord([
    String(row),
    '01/02/2008 10:00',
    `08EXAMPLE${serial}`,
    'Embassy Example',
    'CONFIDENTIAL',
    '',
    'R 020000Z JAN 08\nFM AMEMBASSY EXAMPLE',
    syntheticCable(serial),
  ]);
}
