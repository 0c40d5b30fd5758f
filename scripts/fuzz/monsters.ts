// The single large hostile inputs: a 100 MB line, 10 GB decompression bombs, 100,000 levels of
// nested HTML, invalid UTF-8, a cable at the size limit, containers nested 50 deep. Written to disk
// as streams so that the fuzzer itself stays small.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';

import { DEFAULT_MAX_RECORD_BYTES } from '../../src/ingest/limits.ts';
import { gzipRepeated, repeatTo } from './bomb.ts';
import type { Material } from './material.ts';
import { rawHeader, rawTar } from './tar-bytes.ts';

export interface Monster {
  name: string;
  /** The file name; its content comes from `write`. */
  file: string;
  write: (material: Material) => Iterable<Buffer>;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;
const BOMB_CHUNK = 16 * MB;
const BOMB_BYTES = 10 * GB;

function* repeated(unit: Buffer, bytes: number): Generator<Buffer> {
  const chunk = repeatTo(unit, MB);
  for (let written = 0; written < bytes; written += chunk.length) yield chunk;
}

/** Inserts one of a few invalid UTF-8 sequences every `every` bytes. */
function withInvalidUtf8(bytes: Buffer, every: number): Buffer {
  const bad = [
    Buffer.from([0xff]),
    Buffer.from([0xc0, 0x80]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0x80]),
    Buffer.from([0xe2, 0x82]),
  ];
  const parts: Buffer[] = [];
  for (let at = 0, n = 0; at < bytes.length; at += every, n++) parts.push(bytes.subarray(at, at + every), bad[n % bad.length]!);
  return Buffer.concat(parts);
}

/** A tar header whose size field is base-256 (GNU), the only way to declare more than 8 GB. */
function bigMemberHeader(name: string, size: number): Buffer {
  const header = rawHeader({ name, content: Buffer.alloc(0) });
  const field = Buffer.alloc(12);
  field[0] = 0x80;
  field.writeBigUInt64BE(BigInt(size), 4);
  field.copy(header, 124);
  // Checksum again after changing the size field.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return header;
}

function nestGzip(bytes: Buffer, times: number): Buffer {
  let out = bytes;
  for (let i = 0; i < times; i++) out = gzipSync(out);
  return out;
}

function nestTar(bytes: Buffer, name: string, times: number): Buffer {
  let out = bytes;
  let member = name;
  for (let i = 0; i < times; i++) {
    out = rawTar([{ name: member, content: out }]);
    member = `level${i}.tar`;
  }
  return out;
}

export const MONSTERS: Monster[] = [
  {
    name: 'a 100 MB single line (plain text with a SUBJECT line)',
    file: 'single-line.txt',
    write: function* () {
      yield Buffer.from('SUBJECT: ');
      yield* repeated(Buffer.from('WORD '), 100 * MB);
    },
  },
  {
    name: 'a 100 MB single line (a cables.csv record whose body never ends)',
    file: 'single-line.csv',
    write: function* () {
      yield Buffer.from('"1","12/28/1966 18:06","66BUENOSAIRES2481","Embassy Buenos Aires","UNCLASSIFIED","","","');
      yield* repeated(Buffer.from('WORD '), 100 * MB);
      yield Buffer.from('"\n');
    },
  },
  {
    name: 'a 100 MB single line (an HTML page)',
    file: 'single-line.html',
    write: function* () {
      yield Buffer.from('<!DOCTYPE html><html><body><pre>');
      yield* repeated(Buffer.from('WORD '), 100 * MB);
      yield Buffer.from('</pre></body></html>');
    },
  },
  {
    name: 'a decompression bomb: 10 GB of zeros gzipped (10 MB)',
    file: 'zeros.gz',
    write: () => gzipRepeated(Buffer.alloc(BOMB_CHUNK), BOMB_BYTES / BOMB_CHUNK),
  },
  {
    name: 'a decompression bomb: 10 GB of cable-like text gzipped',
    file: 'bomb.txt.gz',
    write: () => gzipRepeated(repeatTo(Buffer.from('SUBJECT: THE THE THE\n'), BOMB_CHUNK), BOMB_BYTES / BOMB_CHUNK),
  },
  {
    name: 'a decompression bomb: one real cables.csv record repeated to 10 GB, gzipped',
    file: 'bomb.csv.gz',
    write: (material) => gzipRepeated(repeatTo(material.csvRecords[0]!, BOMB_CHUNK), Math.floor(BOMB_BYTES / BOMB_CHUNK)),
  },
  {
    name: 'a decompression bomb: a tar.gz with one 10 GB member',
    file: 'bomb.tar.gz',
    write: function* () {
      yield gzipSync(bigMemberHeader('huge.txt', BOMB_BYTES));
      yield* gzipRepeated(repeatTo(Buffer.from('SUBJECT: A A A A A\n'), BOMB_CHUNK), BOMB_BYTES / BOMB_CHUNK);
    },
  },
  {
    name: 'a decompression bomb inside a gzip: 10 GB of zeros gzipped twice',
    file: 'zeros.gz.gz',
    write: () => [gzipSync(Buffer.concat([...gzipRepeated(Buffer.alloc(BOMB_CHUNK), BOMB_BYTES / BOMB_CHUNK)]), { level: 9 })],
  },
  {
    name: '100,000 levels of nested <div> around a real cablegate page',
    file: 'nested-div.html',
    write: (material) => [
      Buffer.from('<!DOCTYPE html>' + '<div>'.repeat(100_000)),
      material.pages[0]!,
      Buffer.from('</div>'.repeat(100_000)),
    ],
  },
  {
    name: '100,000 unclosed <pre> before a real cablegate page',
    file: 'unclosed-pre.html',
    write: (material) => [Buffer.from('<!DOCTYPE html>' + '<pre>'.repeat(100_000)), material.pages[0]!],
  },
  {
    name: "100,000 unclosed <table class='cable'> and <td> before a real cablegate page",
    file: 'unclosed-table.html',
    write: (material) => [Buffer.from('<!DOCTYPE html><pre>x</pre>' + "<table class='cable'><td>".repeat(100_000)), material.pages[0]!],
  },
  {
    name: "5 MB of '<' in an HTML page",
    file: 'lt-flood.html',
    write: () => [Buffer.from('<!DOCTYPE html><pre>'), Buffer.alloc(5 * MB, '<'), Buffer.from('</pre>')],
  },
  {
    name: 'invalid UTF-8 every 500 bytes of a real cable (plain text)',
    file: 'sparse-invalid-utf8.txt',
    write: (material) => [withInvalidUtf8(material.texts[0]!, 500)],
  },
  {
    name: 'invalid UTF-8 every 500 bytes of real cables.csv records',
    file: 'sparse-invalid-utf8.csv',
    write: (material) => [withInvalidUtf8(Buffer.concat(material.csvRecords.slice(0, 50)), 500)],
  },
  {
    name: 'invalid UTF-8 every 500 bytes of a real cablegate page',
    file: 'sparse-invalid-utf8.html',
    write: (material) => [withInvalidUtf8(material.pages[0]!, 500)],
  },
  {
    name: 'invalid UTF-8 every 7 bytes of a real cable (plain text)',
    file: 'invalid-utf8.txt',
    write: (material) => [withInvalidUtf8(material.texts[0]!, 7)],
  },
  {
    name: 'invalid UTF-8 every 7 bytes of real cables.csv records',
    file: 'invalid-utf8.csv',
    write: (material) => [withInvalidUtf8(Buffer.concat(material.csvRecords.slice(0, 50)), 7)],
  },
  {
    name: 'invalid UTF-8 every 7 bytes of a real cablegate page',
    file: 'invalid-utf8.html',
    write: (material) => [withInvalidUtf8(material.pages[0]!, 7)],
  },
  {
    name: `a real cable repeated to just under the ${DEFAULT_MAX_RECORD_BYTES / MB} MB per-cable limit`,
    file: 'huge-cable.txt',
    write: (material) => [repeatTo(Buffer.concat([material.texts[0]!, Buffer.from('\n')]), DEFAULT_MAX_RECORD_BYTES - 64 * 1024)],
  },
  {
    name: 'a real cable gzipped 50 times over (a.txt.gz…gz)',
    file: 'nested.txt' + '.gz'.repeat(50),
    write: (material) => [nestGzip(material.texts[0]!, 50)],
  },
  {
    name: 'a real cable in a tar in a tar … 50 levels deep',
    file: 'nested.tar',
    write: (material) => [nestTar(material.texts[0]!, 'cable.txt', 50)],
  },
];

/** Writes the monster into `directory` and returns its file name. */
export async function writeMonster(monster: Monster, directory: string, material: Material): Promise<string> {
  const stream = createWriteStream(join(directory, monster.file));
  for (const chunk of monster.write(material)) {
    if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  stream.end();
  await finished(stream);
  return monster.file;
}
