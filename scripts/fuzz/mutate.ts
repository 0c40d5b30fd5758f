// Byte-level mutations of an input: the generic ones (flip, cut, splice, repeat) and the ones
// aimed at what each reader parses (cable marker lines, HTML tags, CSV quoting, UTF-8).
import type { Random } from './random.ts';

export type Mutation = (input: Buffer, random: Random) => Buffer;

const INVALID_UTF8 = [
  [0xc0, 0x80], // overlong NUL
  [0xc1, 0xbf], // overlong
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate encoded as UTF-8
  [0xf5, 0x80, 0x80, 0x80], // beyond U+10FFFF
  [0xff],
  [0xfe, 0xff],
  [0x80], // a lone continuation byte
  [0xe2, 0x82], // a sequence cut short
  [0xf0, 0x9f, 0x98], // a four-byte sequence cut short
].map((bytes) => Buffer.from(bytes));

const CABLE_TOKENS = [
  'SUBJECT: ',
  'SUBJ: ',
  'TAGS: PREL PGOV ',
  'E.O. 12958: DECL: 03/12/2013',
  'E.O. 99999: DECL: 99/99/9999',
  'CONFIDENTIAL OTTAWA 000692',
  'C O N F I D E N T I A L SECTION 01 OF 02 TEHRAN 08980',
  'SECRET SECTION 99999999 OF 0 X 1',
  'UNCLAS SECTION 1 OF 1',
  'REF: A. STATE 12345 B. 03OTTAWA692 C. ',
  'REF: ' + 'A. STATE 1 '.repeat(50),
  'FM AMEMBASSY OTTAWA\nTO SECSTATE WASHDC IMMEDIATE 1234\n',
  'Classified By: Ambassador John Doe for reasons 1.4 (b) and (d).',
  '\n1. (C) ',
  '\n99999999999999999999. (S/NF) ',
  '\n¶',
  '\n1. (',
  'SIPDIS\n',
  'END SUMMARY.',
  'SUMMARY: ',
  '\u202e\u202d\u200b\ufeff',
  'e\u0301\u0301\u0301\u0301\u0301\u0301',
  '\u0000',
  'Mr. Mr. Mr. Dr. Gen. ',
  'JOHN SMITH, JOHN SMITH, JOHN SMITH ',
  "'; drop table cable; --",
  '\r\n',
  '\r',
  '\t',
  '\f\v',
];

const HTML_TOKENS = [
  '<pre>',
  '</pre>',
  '<pre',
  '<PRE class="x">',
  "<table class='cable'>",
  '</table>',
  '<td>',
  '</td>',
  '<td',
  '<a id="par1" href="#par1">¶</a>',
  '&#x000A;',
  '&#99999999;',
  '&#x110000;',
  '&#xD800;',
  '&amp;&lt;&gt;&quot;',
  '&',
  '<',
  '>',
  '<!--',
  '-->',
  '<![CDATA[',
  '<script>alert(1)</script>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE html>',
  '<html><body>',
];

const CSV_TOKENS = [
  '"',
  '\\',
  '\\"',
  '","',
  '"\n',
  '\n"',
  ',,,,,,,',
  '""',
  '"1","12/28/1966 18:06","66BUENOSAIRES2481","',
  '\n\n\n',
  '\r\n',
  '\\\n',
];

function insert(input: Buffer, at: number, what: Buffer): Buffer {
  return Buffer.concat([input.subarray(0, at), what, input.subarray(at)]);
}

function position(input: Buffer, random: Random): number {
  return random.int(0, input.length);
}

function token(name: string, tokens: string[]): Mutation {
  const mutation: Mutation = (input, random) => {
    let out = input;
    for (let n = random.int(1, 8); n > 0; n--) out = insert(out, position(out, random), Buffer.from(random.pick(tokens)));
    return out;
  };
  return Object.defineProperty(mutation, 'name', { value: name });
}

export const GENERIC: Mutation[] = [
  function flipBits(input, random) {
    if (!input.length) return input;
    const out = Buffer.from(input);
    for (let n = random.int(1, 32); n > 0; n--) out[random.int(0, out.length - 1)]! ^= 1 << random.int(0, 7);
    return out;
  },
  function setBytes(input, random) {
    if (!input.length) return input;
    const out = Buffer.from(input);
    const values = [0x00, 0xff, 0x7f, 0x80, 0xc0, 0x22, 0x5c, 0x3c, 0x3e, 0x0a, 0x0d, 0x1b];
    for (let n = random.int(1, 16); n > 0; n--) out[random.int(0, out.length - 1)] = random.pick(values);
    return out;
  },
  function deleteRange(input, random) {
    const from = position(input, random);
    return Buffer.concat([input.subarray(0, from), input.subarray(from + random.size(input.length))]);
  },
  function duplicateRange(input, random) {
    const from = position(input, random);
    const slice = input.subarray(from, from + random.size(4096));
    return insert(input, position(input, random), Buffer.concat(Array.from({ length: random.int(1, 64) }, () => slice)));
  },
  function insertRandomBytes(input, random) {
    return insert(input, position(input, random), random.bytes(random.size(1024)));
  },
  function truncate(input, random) {
    return input.subarray(0, position(input, random));
  },
  function invalidUtf8(input, random) {
    let out = input;
    for (let n = random.int(1, 20); n > 0; n--) out = insert(out, position(out, random), random.pick(INVALID_UTF8));
    return out;
  },
  function longLine(input, random) {
    // Up to 2 MB without a newline; the 100 MB line is one of the single large inputs.
    const line = Buffer.alloc(random.size(2 * 1024 * 1024), random.pick(['A', ' ', '.', '-', '1', 'é']));
    return insert(input, position(input, random), line);
  },
  function manyNewlines(input, random) {
    return insert(input, position(input, random), Buffer.alloc(random.size(200_000), random.pick(['\n', '\r', '\r\n'])));
  },
  function lineEndings(input, random) {
    const text = input.toString('latin1');
    const ending = random.pick(['\r\n', '\r', '\n\n', '\u2028']);
    return Buffer.from(text.replace(/\n/g, ending), ending === '\u2028' ? 'utf8' : 'latin1');
  },
  function changeCase(input, random) {
    const text = input.toString('latin1');
    return Buffer.from(random.chance(0.5) ? text.toLowerCase() : text.toUpperCase(), 'latin1');
  },
  function shuffleLines(input, random) {
    const lines = input.toString('latin1').split('\n');
    for (let i = lines.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    return Buffer.from(lines.join('\n'), 'latin1');
  },
  function nulBytes(input, random) {
    return insert(input, position(input, random), Buffer.alloc(random.int(1, 8)));
  },
  function byteOrderMark(input, random) {
    return Buffer.concat([
      Buffer.from(
        random.pick([
          [0xef, 0xbb, 0xbf],
          [0xff, 0xfe],
          [0xfe, 0xff],
        ]),
      ),
      input,
    ]);
  },
  function empty() {
    return Buffer.alloc(0);
  },
  function whitespaceOnly(_input, random) {
    return Buffer.alloc(random.size(100_000), random.pick([' ', '\n', '\t', '\r\n']));
  },
  function garbage(_input, random) {
    return random.bytes(random.size(64 * 1024));
  },
  token('cableTokens', CABLE_TOKENS),
];

export const HTML: Mutation[] = [
  token('htmlTokens', HTML_TOKENS),
  function deepNesting(input, random) {
    const depth = random.size(20_000);
    const tag = random.pick(['div', 'pre', 'table', 'td', 'b', 'a']);
    const open = Buffer.from(`<${tag}>`.repeat(depth));
    const close = random.chance(0.5) ? Buffer.from(`</${tag}>`.repeat(depth)) : Buffer.alloc(0);
    return Buffer.concat([open, input, close]);
  },
  function unclosedTags(input, random) {
    const what = random.pick(['<pre', '<pre>', '<', "<table class='cable'>", '<td>', '&#x000A;', '<!--']);
    return insert(input, position(input, random), Buffer.from(what.repeat(random.size(50_000))));
  },
  function dropClosingTags(input, random) {
    const tag = random.pick(['</pre>', '</table>', '</td>', '>']);
    return Buffer.from(input.toString('latin1').split(tag).join(''), 'latin1');
  },
];

export const CSV: Mutation[] = [
  token('csvTokens', CSV_TOKENS),
  function unclosedQuote(input, random) {
    return insert(input, position(input, random), Buffer.from(random.pick(['"', '"x', ',"', '\\'])));
  },
  function extraColumns(input, random) {
    return Buffer.from(input.toString('latin1').replace(/","/, '","'.repeat(random.int(2, 40))), 'latin1');
  },
  function missingColumns(input, random) {
    const text = input.toString('latin1');
    const parts = text.split('","');
    parts.splice(random.int(0, Math.max(0, parts.length - 1)), random.int(1, 4));
    return Buffer.from(parts.join('","'), 'latin1');
  },
  function headerRow(input) {
    return Buffer.concat([Buffer.from('"id","date","ref","origin","classification","references","header","body"\n'), input]);
  },
  function hugeField(input, random) {
    const at = input.indexOf('","');
    const field = Buffer.alloc(random.size(4 * 1024 * 1024), random.pick(['A', '\\\\', '\n', ' ']));
    return insert(input, at < 0 ? 0 : at + 3, field);
  },
];

export function mutate(input: Buffer, random: Random, extra: Mutation[], count: number): { bytes: Buffer; applied: string[] } {
  let bytes = input;
  const applied: string[] = [];
  for (let n = 0; n < count; n++) {
    // The reader-specific mutations come up as often as all the generic ones together.
    const mutation = extra.length && random.chance(0.5) ? random.pick(extra) : random.pick(GENERIC);
    bytes = mutation(bytes, random);
    applied.push(mutation.name);
  }
  return { bytes, applied };
}
