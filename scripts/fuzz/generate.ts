// One hostile input per (seed, reader, number): real cables mutated, wrapped, compressed, archived
// and broken in the ways each reader has to survive. Deterministic, so that any input can be
// replayed alone (`--reader tar --from 1234 --per-reader 1`).
import { gzipSync } from 'node:zlib';

import tar from 'tar-stream';

import { gzipRepeatedBuffer, repeatTo } from './bomb.ts';
import type { Material } from './material.ts';
import { CSV, HTML, mutate, type Mutation } from './mutate.ts';
import { Random } from './random.ts';
import { headerOffsets, paxRecord, rawHeader, rawTar, setChecksum } from './tar-bytes.ts';

export const READER_KINDS = ['text', 'html', 'csv', 'gzip', 'tar', 'directory'] as const;
export type ReaderKind = (typeof READER_KINDS)[number];

export type Entry =
  | { kind: 'file'; path: string; content: Buffer; mode?: number }
  | { kind: 'directory'; path: string }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'fifo'; path: string };

export interface FuzzInput {
  /** What was done to make it, for the crash report. */
  description: string;
  entries: Entry[];
  /** The path handed to the reader, relative to the input's directory. */
  target: string;
}

interface Leaf {
  bytes: Buffer;
  name: string;
  description: string;
}

type LeafKind = 'text' | 'html' | 'csv';

const BOMB_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export class InputGenerator {
  private bombs: Buffer[] | undefined;

  constructor(
    private readonly material: Material,
    private readonly seed: string,
  ) {}

  async generate(kind: ReaderKind, index: number): Promise<FuzzInput> {
    const random = new Random(this.seed, kind, index);
    switch (kind) {
      case 'text':
      case 'html':
      case 'csv': {
        const leaf = this.leaf(random, kind, 1.0);
        return { description: leaf.description, entries: [{ kind: 'file', path: leaf.name, content: leaf.bytes }], target: leaf.name };
      }
      case 'gzip': {
        const leaf = await this.gzip(random);
        return { description: leaf.description, entries: [{ kind: 'file', path: leaf.name, content: leaf.bytes }], target: leaf.name };
      }
      case 'tar': {
        const leaf = await this.tar(random, 0);
        return { description: leaf.description, entries: [{ kind: 'file', path: leaf.name, content: leaf.bytes }], target: leaf.name };
      }
      case 'directory':
        return this.directory(random);
    }
  }

  /** A text cable, HTML page or CSV file, mutated with probability `mutated`. */
  private leaf(random: Random, kind: LeafKind, mutated: number): Leaf {
    const { texts, pages, csvRecords } = this.material;
    let base: Buffer;
    let extra: Mutation[] = [];
    let name: string;
    if (kind === 'text') {
      base = random.pick(texts);
      name = random.pick(['cable.txt', 'cable.txt', 'cable.txt', 'cable', 'CABLE.TXT', 'cable.html', 'cable.csv', 'cable.tar', 'cable.gz']);
    } else if (kind === 'html') {
      base = random.pick(pages);
      extra = HTML;
      name = random.pick(['page.html', 'page.html', 'page.htm', 'page', 'page.xhtml']);
    } else {
      base = Buffer.concat(Array.from({ length: random.int(1, 8) }, () => random.pick(csvRecords)));
      extra = CSV;
      name = random.pick(['cables.csv', 'cables.csv', 'cables.CSV', 'cables']);
    }
    if (!random.chance(mutated)) return { bytes: base, name, description: `${kind} unmutated` };
    const { bytes, applied } = mutate(base, random, extra, random.int(1, 5));
    return { bytes, name, description: `${kind} ${applied.join('+')}` };
  }

  private async gzip(random: Random): Promise<Leaf> {
    const inner = random.chance(0.15) ? await this.tar(random, 1) : this.leaf(random, random.pick(['text', 'html', 'csv'] as const), 0.5);
    const name = inner.name.endsWith('.tar') && random.chance(0.5) ? inner.name.replace(/\.tar$/, '.tgz') : `${inner.name}.gz`;
    const compressed = gzipSync(inner.bytes, { level: random.int(0, 9) });
    // Bombs are 1 in 100: each costs a second or more before the limit stops it.
    const variant = random.chance(0.01)
      ? 'bomb'
      : random.pick([
          'intact',
          'intact',
          'truncated',
          'truncated',
          'flipped',
          'header',
          'trailer',
          'trailing-garbage',
          'concatenated',
          'double',
          'empty-stream',
          'not-gzip',
        ] as const);
    const describe = (bytes: Buffer, detail: string = variant) => ({ bytes, name, description: `gzip ${detail} of ${inner.description}` });
    switch (variant) {
      case 'intact':
        return describe(compressed);
      case 'truncated':
        return describe(compressed.subarray(0, random.int(0, compressed.length - 1)));
      case 'flipped': {
        const out = Buffer.from(compressed);
        for (let n = random.int(1, 8); n > 0; n--) out[random.int(10, out.length - 1)]! ^= 1 << random.int(0, 7);
        return describe(out);
      }
      case 'header': {
        const out = Buffer.from(compressed);
        // Compression method, flags (FEXTRA, FNAME, FCOMMENT set with nothing behind them), mtime.
        out[random.int(2, 9)] = random.int(0, 255);
        return describe(out);
      }
      case 'trailer': {
        const out = Buffer.from(compressed);
        out[out.length - random.int(1, 8)]! ^= 0xff;
        return describe(out);
      }
      case 'trailing-garbage':
        return describe(Buffer.concat([compressed, random.bytes(random.int(1, 2048))]));
      case 'concatenated':
        return describe(Buffer.concat([compressed, gzipSync(this.leaf(random, 'text', 0.5).bytes)]));
      case 'double':
        return describe(gzipSync(compressed));
      case 'empty-stream':
        return describe(gzipSync(Buffer.alloc(0)));
      case 'not-gzip':
        // gzip magic followed by anything.
        return describe(Buffer.concat([Buffer.from([0x1f, 0x8b]), random.bytes(random.size(4096))]));
      case 'bomb': {
        const bombs = this.bombTemplates();
        const which = random.int(0, bombs.length - 1);
        const bomb = random.chance(0.3) ? bombs[which]!.subarray(0, random.int(10, bombs[which]!.length)) : bombs[which]!;
        return describe(bomb, `bomb#${which}`);
      }
    }
  }

  /** 256 MB each once decompressed: zeros, plain text, a CSV record again and again, a tar of one huge member. */
  private bombTemplates(): Buffer[] {
    if (this.bombs) return this.bombs;
    const chunk = 16 * 1024 * 1024;
    const times = BOMB_DECOMPRESSED_BYTES / chunk;
    const record = this.material.csvRecords[0]!;
    const tarChunk = repeatTo(Buffer.from('SUBJECT: A A A A A A A A\n'), chunk);
    const tarHead = rawHeader({ name: 'huge.txt', content: Buffer.alloc(0), size: (chunk * times).toString(8).padStart(11, '0') + '\0' });
    this.bombs = [
      gzipRepeatedBuffer(Buffer.alloc(chunk), times),
      gzipRepeatedBuffer(repeatTo(Buffer.from('SUBJECT: THE THE THE\n'), chunk), times),
      gzipRepeatedBuffer(repeatTo(record, chunk), times),
      gzipOfTar(tarHead, tarChunk, times),
    ];
    return this.bombs;
  }

  private async tar(random: Random, depth: number): Promise<Leaf> {
    const count = random.int(0, 8);
    const members: { name: string; content: Buffer; type: tar.Header['type']; linkname?: string }[] = [];
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      const roll = random.int(0, 99);
      let name: string;
      let content: Buffer;
      let type: tar.Header['type'] = 'file';
      if (roll < 10 && depth < 3) {
        const nested = await this.tar(random, depth + 1);
        ({ name, bytes: content } = nested);
        parts.push('nested-tar');
      } else if (roll < 20 && depth < 3) {
        const nested = await this.gzip(random);
        ({ name, bytes: content } = nested);
        parts.push('gzip');
      } else {
        const leaf = this.leaf(random, random.pick(['text', 'html', 'csv'] as const), 0.4);
        ({ name, bytes: content } = leaf);
        parts.push(leaf.description.split(' ')[0]!);
      }
      if (roll >= 90) {
        type = random.pick(['directory', 'symlink', 'link', 'fifo', 'character-device'] as const);
        content = Buffer.alloc(0);
        parts[parts.length - 1] = type;
      }
      members.push({
        name: `${random.pick(memberDirectories(random))}${i}-${name}`,
        content,
        type,
        linkname: type === 'symlink' || type === 'link' ? '../../etc/passwd' : undefined,
      });
    }
    const pack = tar.pack();
    for (const member of members) {
      pack.entry({ name: member.name, type: member.type, size: member.content.length, linkname: member.linkname }, member.content);
    }
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    let archive: Buffer = Buffer.concat(chunks);
    const variant = depth > 0 && random.chance(0.7) ? 'intact' : tarVariant(random);
    archive = breakTar(archive, variant, random);
    const compressed = random.chance(0.3);
    if (compressed) archive = gzipSync(archive);
    return {
      bytes: archive,
      name: compressed ? 'archive.tar.gz' : random.pick(['archive.tar', 'archive.tar', 'archive.TAR', 'archive']),
      description: `tar ${variant}${compressed ? ' gzipped' : ''} [${parts.join(',')}]`,
    };
  }

  private async directory(random: Random): Promise<FuzzInput> {
    const entries: Entry[] = [];
    const parts: string[] = [];
    const count = random.int(0, 10);
    for (let i = 0; i < count; i++) {
      const roll = random.int(0, 99);
      const name = `${i}-${random.pick(['a', 'b c', 'ü', '-dash', 'new\nline', 'x'.repeat(200)])}`;
      if (roll < 45) {
        const leaf = this.leaf(random, random.pick(['text', 'html', 'csv'] as const), 0.5);
        entries.push({ kind: 'file', path: `${name}-${leaf.name}`, content: leaf.bytes });
        parts.push(leaf.description.split(' ')[0]!);
      } else if (roll < 55) {
        const leaf = await this.gzip(random);
        entries.push({ kind: 'file', path: `${name}-${leaf.name}`, content: leaf.bytes });
        parts.push('gzip');
      } else if (roll < 62) {
        const leaf = await this.tar(random, 1);
        entries.push({ kind: 'file', path: `${name}-${leaf.name}`, content: leaf.bytes });
        parts.push('tar');
      } else if (roll < 70) {
        const depth = random.int(1, 60);
        const path = Array.from({ length: depth }, (_, level) => `d${level}`).join('/');
        entries.push({ kind: 'directory', path });
        entries.push({ kind: 'file', path: `${path}/deep.txt`, content: this.leaf(random, 'text', 0.3).bytes });
        parts.push(`nested-${depth}`);
      } else if (roll < 75) {
        entries.push({ kind: 'symlink', path: `${name}-loop`, target: '.' });
        parts.push('symlink-loop');
      } else if (roll < 80) {
        entries.push({ kind: 'symlink', path: `${name}-dangling`, target: 'does-not-exist' });
        parts.push('dangling-symlink');
      } else if (roll < 84) {
        entries.push({ kind: 'symlink', path: `${name}-zero`, target: '/dev/zero' });
        parts.push('symlink-to-device');
      } else if (roll < 88) {
        entries.push({ kind: 'fifo', path: `${name}-fifo` });
        parts.push('fifo');
      } else if (roll < 92) {
        entries.push({ kind: 'file', path: `.hidden-${name}`, content: random.bytes(64) });
        parts.push('hidden');
      } else if (roll < 96) {
        entries.push({ kind: 'file', path: `${name}-unreadable.txt`, content: this.leaf(random, 'text', 0).bytes, mode: 0o000 });
        parts.push('unreadable');
      } else {
        entries.push({ kind: 'file', path: `${name}-empty`, content: Buffer.alloc(0) });
        parts.push('empty');
      }
    }
    entries.unshift({ kind: 'directory', path: 'root' });
    return {
      description: `directory [${parts.join(',')}]`,
      entries: entries.map((entry) => ({ ...entry, path: `root/${entry.path}` })),
      target: 'root',
    };
  }
}

function memberDirectories(random: Random): string[] {
  return ['', 'cables/', '../../', '/abs/', 'a/'.repeat(random.int(1, 80)), 'ünï/', `${'n'.repeat(random.int(90, 300))}/`];
}

const TAR_VARIANTS = [
  'intact',
  'intact',
  'truncated',
  'truncated-at-header',
  'header-bytes',
  'header-bytes-checksum-fixed',
  'huge-size',
  'base256-size',
  'negative-size',
  'pax-size',
  'bad-pax',
  'huge-pax',
  'garbage-block',
  'no-end-blocks',
  'many-members',
  'type-flags',
] as const;
type TarVariant = (typeof TAR_VARIANTS)[number];

function tarVariant(random: Random): TarVariant {
  return random.pick(TAR_VARIANTS);
}

function breakTar(archive: Buffer, variant: TarVariant, random: Random): Buffer {
  const offsets = headerOffsets(archive);
  const header = offsets.length ? random.pick(offsets) : 0;
  const out = Buffer.from(archive);
  const fixed = (apply: () => void) => {
    apply();
    if (out.length >= header + 512) setChecksum(out.subarray(header, header + 512));
    return out;
  };
  switch (variant) {
    case 'intact':
      return archive;
    case 'truncated':
      return archive.subarray(0, random.int(0, archive.length));
    case 'truncated-at-header':
      return archive.subarray(0, Math.max(0, header + random.int(-2, 2) * 256));
    case 'header-bytes':
      for (let n = random.int(1, 8); n > 0; n--) out[Math.min(out.length - 1, header + random.int(0, 511))] = random.int(0, 255);
      return out;
    case 'header-bytes-checksum-fixed':
      return fixed(() => {
        for (let n = random.int(1, 8); n > 0; n--) out[Math.min(out.length - 1, header + random.int(0, 511))] = random.int(0, 255);
      });
    case 'huge-size':
      return fixed(() => out.write('77777777777\0', header + 124, 'latin1'));
    case 'base256-size':
      return fixed(() => {
        out[header + 124] = 0x80;
        out.fill(0, header + 125, header + 136);
        out[header + 130] = random.int(1, 255);
      });
    case 'negative-size':
      return fixed(() => out.fill(0xff, header + 124, header + 136));
    case 'pax-size':
    case 'bad-pax':
    case 'huge-pax': {
      const records =
        variant === 'pax-size'
          ? paxRecord('size', random.pick(['99999999999999999', '-1', 'abc', '1e9', '9007199254740993']))
          : variant === 'bad-pax'
            ? random.pick(['999999 path=x\n', 'garbage without length\n', '5 a\n', paxRecord('path', 'é'.repeat(100_000))])
            : '';
      const content = Buffer.from(records);
      const pax = rawHeader({
        name: 'PaxHeader',
        type: 'x',
        content,
        size: variant === 'huge-pax' ? random.pick(['77777777777\0', '00100000000\0']) : undefined,
      });
      const padded = Buffer.concat([pax, content, Buffer.alloc((512 - (content.length % 512)) % 512)]);
      return Buffer.concat([archive.subarray(0, header), padded, archive.subarray(header)]);
    }
    case 'garbage-block':
      random.bytes(512).copy(out, Math.min(header, Math.max(0, out.length - 512)));
      return out;
    case 'no-end-blocks':
      return archive.subarray(0, Math.max(0, archive.length - 1024));
    case 'many-members': {
      const members = Array.from({ length: random.size(20_000) }, (_, i) => ({ name: `m${i}`, content: Buffer.alloc(0) }));
      return Buffer.concat([rawTar(members, 0), archive]);
    }
    case 'type-flags':
      return fixed(() => out.write(String.fromCharCode(random.int(0, 127)), header + 156, 'latin1'));
  }
}

/** A gzipped tar whose one member holds `chunk` repeated `times`, its header declaring that size. */
function gzipOfTar(header: Buffer, chunk: Buffer, times: number): Buffer {
  // The tar stream is header + chunk×times; the header is compressed as a member of its own, and
  // gzip members may follow each other.
  return Buffer.concat([gzipSync(header), gzipRepeatedBuffer(chunk, times)]);
}
