// Tar archives written byte by byte, so that the fuzzer can break them the ways tar-stream's own
// packer never would: wrong checksums, huge or negative sizes, bad pax records, odd type flags.

const BLOCK = 512;

export interface RawMember {
  name: string;
  content: Buffer;
  /** The type flag: '0' file, '5' directory, '2' symlink, 'x' pax header, 'L' GNU long name … */
  type?: string;
  linkname?: string;
  /** Written in the size field instead of the content's length (octal text, or raw base-256 bytes). */
  size?: string | Buffer;
}

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  Buffer.from(value, 'utf8').copy(header, offset, 0, length);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

export function setChecksum(header: Buffer): void {
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += header[i]!;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
}

export function rawHeader(member: RawMember): Buffer {
  const header = Buffer.alloc(BLOCK);
  writeString(header, 0, 100, member.name);
  writeString(header, 100, 8, octal(0o644, 8));
  writeString(header, 108, 8, octal(0, 8));
  writeString(header, 116, 8, octal(0, 8));
  if (Buffer.isBuffer(member.size)) member.size.copy(header, 124, 0, 12);
  else writeString(header, 124, 12, member.size ?? octal(member.content.length, 12));
  writeString(header, 136, 12, octal(0, 12));
  writeString(header, 156, 1, member.type ?? '0');
  writeString(header, 157, 100, member.linkname ?? '');
  writeString(header, 257, 6, 'ustar\0');
  writeString(header, 263, 2, '00');
  setChecksum(header);
  return header;
}

function padding(length: number): Buffer {
  return Buffer.alloc((BLOCK - (length % BLOCK)) % BLOCK);
}

export function rawTar(members: RawMember[], endBlocks = 2): Buffer {
  const parts: Buffer[] = [];
  for (const member of members) parts.push(rawHeader(member), member.content, padding(member.content.length));
  parts.push(Buffer.alloc(BLOCK * endBlocks));
  return Buffer.concat(parts);
}

/** A pax extended header record: `<length> <key>=<value>\n`, the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length++;
  return `${length}${body}`;
}

/** Offsets of the member headers of a well-formed archive, found by walking the size fields. */
export function headerOffsets(archive: Buffer): number[] {
  const offsets: number[] = [];
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    offsets.push(offset);
    const size = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) break;
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return offsets;
}
