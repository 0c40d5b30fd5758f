// The real cables the fuzzer mutates, read at run time from /work/shared (never copied into the
// repository): seed cables as plain text, cablegate HTML pages, and raw cables.csv records.
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import tar from 'tar-stream';

import { drainedOrClosed, gunzip } from '../../src/ingest/read-bytes.ts';

export interface Material {
  texts: Buffer[];
  pages: Buffer[];
  /** Whole cables.csv records, each ending with its newline. */
  csvRecords: Buffer[];
}

/** How many cables of each form are kept: enough variety, little memory. */
const KEEP = 300;

export async function loadMaterial(shared: string): Promise<Material> {
  const corpus = join(shared, 'corpus');
  const csvRecords = await rawCsvRecords(join(corpus, 'cablegate-1295.csv.gz'));
  const pages = await tarMembers(join(corpus, 'cablegate-html-1295.tar.gz'));
  const seeds = join(shared, 'seeds');
  const texts: Buffer[] = [];
  for (const name of (await readdir(seeds)).sort()) texts.push(await readFile(join(seeds, name)));
  // The bodies of the CSV records, unescaped, stand in for more plain-text cables.
  for (const record of csvRecords.slice(0, KEEP)) {
    const body = /"((?:[^"\\]|\\.)*)"\n$/s.exec(record.toString('utf8'))?.[1];
    if (body) texts.push(Buffer.from(body.replace(/\\(.)/gs, '$1')));
  }
  if (!texts.length || !pages.length || !csvRecords.length) throw new Error(`no seed material found under ${shared}`);
  return { texts, pages, csvRecords };
}

async function rawCsvRecords(path: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of gunzip(createReadStream(path))) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  // Every record starts a line with its quoted row number and date.
  const starts = [...text.matchAll(/^"\d+","\d{1,2}\/\d{1,2}\/\d{4}/gm)].map((match) => match.index);
  const records: Buffer[] = [];
  for (let i = 0; i + 1 < starts.length && records.length < KEEP; i++) records.push(Buffer.from(text.slice(starts[i], starts[i + 1])));
  return records;
}

async function tarMembers(path: string): Promise<Buffer[]> {
  const extract = tar.extract();
  const members: Buffer[] = [];
  const source = gunzip(createReadStream(path));
  const feeding = (async () => {
    for await (const chunk of source) {
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drainedOrClosed(extract);
    }
    extract.end(undefined);
  })().catch(() => {});
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file' && /\.html?$/.test(entry.header.name)) members.push(Buffer.concat(chunks));
    if (members.length >= KEEP) break;
  }
  extract.destroy();
  await feeding;
  return members;
}
