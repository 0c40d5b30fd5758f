// Recognises an input by its name and its first bytes: compressed, archive, cables.csv, HTML page,
// plain text, or something no reader accepts.
import { looksLikeHtmlPage } from '../extract/html-page.ts';

export type InputFormat =
  { kind: 'gzip' } | { kind: 'tar' } | { kind: 'csv' } | { kind: 'html' } | { kind: 'text' } | { kind: 'rejected'; reason: string };

/** How many leading bytes `detectFormat` wants to see. */
export const SNIFF_BYTES = 8192;

const GZIP_MAGIC = [0x1f, 0x8b];
const UNSUPPORTED_MAGIC: [number[], string][] = [
  [[0x42, 0x5a, 0x68], 'bzip2'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd'],
  [[0x50, 0x4b, 0x03, 0x04], 'zip'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], '7z'],
];

// cables.csv starts with `"1","12/28/1966 18:06","66BUENOSAIRES2481",…`; a header row is accepted too.
const CSV_START = /^(?:\uFEFF)?"[^"\r\n]{0,40}","(?:\d{1,2}\/\d{1,2}\/\d{4}[^"]*|date)","/i;

/** A text whose control characters or undecodable bytes exceed this share is binary. */
const MAX_NON_TEXT_SHARE = 0.1;

/** The name the content of a gzip file is recognised by: `a.csv.gz` -> `a.csv`, `a.tgz` -> `a.tar`. */
export function nameInsideGzip(name: string): string {
  if (/\.tgz$/i.test(name)) return name.slice(0, -4) + '.tar';
  return name.replace(/\.gz$/i, '');
}

export function detectFormat(name: string, head: Buffer): InputFormat {
  if (head.length === 0) return { kind: 'rejected', reason: 'empty file' };
  if (startsWith(head, GZIP_MAGIC)) return { kind: 'gzip' };
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return { kind: 'tar' };
  if (/\.tar$/i.test(name)) return { kind: 'tar' };
  for (const [magic, what] of UNSUPPORTED_MAGIC) {
    if (startsWith(head, magic)) return { kind: 'rejected', reason: `${what} compressed data is not supported` };
  }
  // Text never holds NUL; a file that does is binary whatever its name says.
  if (head.includes(0)) return { kind: 'rejected', reason: 'binary file (contains NUL bytes)' };
  const text = new TextDecoder('utf-8').decode(head);
  if (nonTextShare(text) > MAX_NON_TEXT_SHARE) {
    return { kind: 'rejected', reason: 'binary file (mostly control characters or invalid UTF-8)' };
  }
  if (/\.csv$/i.test(name) || CSV_START.test(text)) return { kind: 'csv' };
  if (/\.x?html?$/i.test(name) || looksLikeHtmlPage(text)) return { kind: 'html' };
  return { kind: 'text' };
}

function startsWith(head: Buffer, magic: number[]): boolean {
  return magic.every((byte, i) => head[i] === byte);
}

function nonTextShare(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Tab, LF, VT, FF, CR are text; so is ESC-free printable Unicode.
    if ((code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0x7f || code === 0xfffd) bad++;
  }
  return text.length ? bad / text.length : 0;
}
