// references: the REF block of a cable, split into its items, each item typed, cable items
// turned into canonical ids. Every form of 1966-2010 is read by the same few rules:
//   REF: A. 05 PARIS 5459  B. PARIS 5733        lettered items (A. / (A) / A) / ¶B. / bare A)
//   REF: (A)STATE 071143, (B)STATE 073601       lettered, no space
//   REF: TEHRAN 1091: TEHRAN 263; 08 QUITO 1062 unlettered, several ids
//   year before (06 / 2006 / (99)), inside (STATE (01) 201265), after (AMMAN 5049-01,
//   AMMAN 07718 99, ASUNCION 701 (08)) or missing (then the cable's own year).
import type { ReferenceItem, ReferenceKind } from '../types.ts';
import referenceData from '../data/header-references.json' with { type: 'json' };
import { makeId, twoDigitYear } from './canonical-id.ts';
import { canonicalStation } from './stations.ts';
import { collapseSpace, headerBlock, stripPageBreaks, upperAscii } from './text.ts';

export interface References {
  references: string[];
  referenceItems: ReferenceItem[];
}

// "REF:", "REFS :", "Reftel:", "Ref(s):", "REFERENCES:", or "REF" directly followed by item A.
const REF_KEYWORD =
  /(?<![A-Za-z])(?:REF(?:TEL)?S?|REF\(S\)|REFERENCES?)[ \t]*:|(?<![A-Za-z])REFS?(?=[ \t]+\(?A[.) ])|^[ \t]*REF(?:TEL)?S?[ \t]+(?=\S)|REFS?[ \t]*:(?=[ \t]*\(?A[.)])/im;
// A REF block is never longer than this; the rest of the cable need not be looked at.
const LONGEST_BLOCK = 4000;
const TERMINATOR = new RegExp(
  `(?:(?<![A-Z])(?:${referenceData.terminators.map(escape).join('|')})(?![A-Z])|(?<![A-Z])\\(U\\)|¶\\s*\\d|(?<![\\d.])\\d{1,2}\\.\\s*\\((?:U|C|S|SBU|S/NF|C/NF|S//NF)\\))`,
);
const PARAGRAPH_LINE = /^\s*(?:¶\s*)?\d{1,2}\s*[.)]\s/;
const BULLET_START = /^\s*[-¶]?\s*(?:\(?[A-Z]\)|[A-Z]\.|\(\d{1,2}\))/i;
const INCOMPLETE_END = /(?:(?:^|\s)\(?[A-Z][.)]|\(?[A-Z]\)|\b\d{2}|\b(?:AND|OR|,))\s*$/i;
const KIND_WORDS: [ReferenceKind, RegExp][] = Object.entries(referenceData.kinds).map(([kind, words]) => [
  kind as ReferenceKind,
  new RegExp(`(?<![A-Z])(?:${words.map(escape).join('|')})(?![A-Z])`),
]);
const BULLET = /(?<=^|[\s,;:.])¶?\s*(?:\(([A-Z]|\d{1,2})\)|([A-Z]|\d{1,2})\)|([A-Z])\.(?![A-Z]\.)|([A-Z])(?=\s))/g;
const LEADING_KEYWORDS = /^(?:REF(?:TEL)?S?\b\s*:?\s*)+/i;
const TOKEN = /[A-Z0-9]+(?:['’-][A-Z0-9]+)*|[#:;,()/&]/g;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The REF block's text (page-break residue removed), or null when the cable has none. */
export function referenceBlock(body: string): string | null {
  const block = headerBlock(body);
  const keyword = REF_KEYWORD.exec(block);
  if (!keyword) return null;
  const start = keyword.index + keyword[0].length;
  const rest = stripPageBreaks(body.slice(start, start + LONGEST_BLOCK));
  const lines = rest.split('\n');
  const kept: string[] = [lines[0] ?? ''];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trim() === '\\') {
      let next = i + 1;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      const following = lines[next] ?? '';
      const sofar = kept.join(' ').trim();
      // Items go on past a blank line when one was cut in two ("D) / Taipei 03196", "SECSTATE / 36633")
      // or when the next line is the next lettered item.
      const continues =
        sofar === '' ||
        INCOMPLETE_END.test(sofar) ||
        /^\s*\d{1,6}\s*$/.test(following) ||
        (BULLET_START.test(following) && !PARAGRAPH_LINE.test(following));
      if (!continues) break;
      i = next - 1;
      continue;
    }
    if (PARAGRAPH_LINE.test(line)) break;
    kept.push(line);
  }
  const text = kept.join('\n');
  const end = TERMINATOR.exec(upperAscii(text));
  return end ? text.slice(0, end.index) : text;
}

interface Item {
  bullet: string | null;
  text: string;
}

/** Items of a REF block: lettered when the block starts with "A" and goes on in order. */
export function referenceItemTexts(block: string): Item[] {
  const text = collapseSpace(block.replace(/(^|\n)\s*-\s+/g, '$1')).replace(LEADING_KEYWORDS, '');
  const upper = upperAscii(text);
  const bullets: { label: string; start: number; end: number }[] = [];
  let expected: string | null = null;
  for (const match of upper.matchAll(BULLET)) {
    const label = match[1] ?? match[2] ?? match[3] ?? match[4]!;
    const start = match.index;
    const end = start + match[0].length;
    const previous = bullets[bullets.length - 1];
    if (expected === null) {
      if (upper.slice(0, start).trim() !== '' || (label !== 'A' && label !== '1')) break;
    } else if (previous && label === previous.label && upper.slice(previous.end, start).trim() === '') {
      // "A. A) ROME 2543", "A. (A) PARIS 7682": the same letter written twice.
      previous.end = end;
      continue;
    } else if (label !== expected) {
      continue;
    }
    bullets.push({ label, start, end });
    expected = nextLabel(label);
  }
  if (bullets.length === 0) {
    return text
      .split(';')
      .map((part) => cleanItem(part))
      .filter((part) => part !== '')
      .map((part) => ({ bullet: null, text: part }));
  }
  return bullets.map((bullet, index) => ({
    bullet: bullet.label,
    // "C. C: TD-314/63777-05": the letter repeated in another style.
    text: cleanItem(
      text.slice(bullet.end, bullets[index + 1]?.start ?? text.length).replace(new RegExp(`^\\s*${bullet.label}\\s*[:.)]\\s+`, 'i'), ''),
    ),
  }));
}

function nextLabel(label: string): string {
  return /\d/.test(label) ? String(Number(label) + 1) : String.fromCharCode(label.charCodeAt(0) + 1);
}

function cleanItem(text: string): string {
  return text
    .replace(/^\s*(?:REF(?:TEL)?S?\s*:\s*)+/i, '')
    .replace(/\s+REF(?:TEL)?S?\s*:?\s*$/i, '')
    .replace(/^[\s,;:\-]+|[\s,;:\-]+$/g, '')
    .trim();
}

/** Cable ids named in one REF item, in order. */
export function cableIdsIn(itemText: string, cableYear: string | null): string[] {
  const tokens = tokenize(upperAscii(itemText));
  const ids: string[] = [];
  const used = new Set<number>();
  let i = 0;
  while (i < tokens.length) {
    if (!isWord(tokens[i]!)) {
      i++;
      continue;
    }
    let runEnd = i;
    while (runEnd < tokens.length && isWord(tokens[runEnd]!)) runEnd++;
    let resolved: { station: string; from: number } | null = null;
    for (let from = Math.max(i, runEnd - 4); from < runEnd && !resolved; from++) {
      const station = canonicalStation(tokens.slice(from, runEnd).join(''));
      if (station) resolved = { station, from };
    }
    if (!resolved) {
      i = runEnd;
      continue;
    }
    let year: string | null = null;
    let before = resolved.from - 1;
    if (tokens[before] === ')') before--;
    if (before >= 0 && !used.has(before) && isNumber(tokens[before]!)) {
      const written = twoDigitYear(tokens[before]!);
      if (written) {
        year = written;
        used.add(before);
      }
    }
    let j = runEnd;
    while (tokens[j] === ':' || tokens[j] === '#') j++;
    if (tokens[j] === '(' && tokens[j + 2] === ')' && twoDigitYear(tokens[j + 1] ?? '')) {
      year = twoDigitYear(tokens[j + 1]!);
      j += 3;
    }
    const serials: string[] = [];
    const first = tokens[j];
    if (first !== undefined && /^\d{1,8}(?:-\d{2})?$/.test(first)) {
      const [serial, suffix] = first.split('-');
      serials.push(serial!);
      if (suffix) year = suffix;
      used.add(j);
      j++;
      const after = tokens[j];
      if (after !== undefined && /^\d{2}$/.test(after) && !isWord(tokens[j + 1] ?? '') && tokens[j + 1] !== '(') {
        year = after;
        j++;
      } else if (after === '(' && tokens[j + 2] === ')' && /^\d{2}$/.test(tokens[j + 1] ?? '')) {
        year = tokens[j + 1]!;
        j += 3;
      }
      // "Paris 7472 and 7677", "000005/000007/00004": more serials of the same station.
      while (
        (tokens[j] === 'AND' || tokens[j] === '/' || tokens[j] === '&' || tokens[j] === ',') &&
        isSerial(tokens[j + 1]) &&
        !isWord(tokens[j + 2] ?? '')
      ) {
        serials.push(tokens[j + 1]!);
        j += 2;
      }
    } else if (before >= 0 && year === null && isSerial(tokens[before]) && !used.has(before)) {
      // "377 KATHMANDU": serial written before the station.
      serials.push(tokens[before]!);
    }
    const effectiveYear = year ?? cableYear;
    if (effectiveYear) {
      for (const serial of serials) {
        if (serial.replace(/^0+/, '').length === 0 || serial.replace(/^0+/, '').length > 6) continue;
        ids.push(makeId(effectiveYear, resolved.station, serial));
      }
    }
    i = Math.max(j, runEnd);
  }
  return ids;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [token] of text.matchAll(TOKEN)) {
    // "09CAIRO0561", "09DHAHRAN", "ASHGABAT687": year, station and serial run together; "O4": 04.
    const glued = /^(\d{2})?([A-Z]{3,})(\d*)$/.exec(token);
    if (glued && (glued[1] || glued[3])) {
      if (glued[1]) tokens.push(glued[1]);
      tokens.push(glued[2]!);
      if (glued[3]) tokens.push(glued[3]);
    } else if (/^O\d$/.test(token)) tokens.push(`0${token[1]}`);
    else tokens.push(token);
  }
  return tokens;
}

function isWord(token: string): boolean {
  return /^[A-Z][A-Z'’-]*$/.test(token) && token !== 'AND' && token !== 'OR';
}

function isNumber(token: string): boolean {
  return /^\d+$/.test(token);
}

function isSerial(token: string | undefined): boolean {
  return token !== undefined && /^\d{1,8}$/.test(token);
}

function kindOf(itemText: string): ReferenceKind {
  const upper = upperAscii(itemText);
  for (const [kind, words] of KIND_WORDS) if (words.test(upper)) return kind;
  return 'other';
}

export function parseReferences(body: string, cableYear: string | null, ownId: string | null): References {
  const block = referenceBlock(body);
  if (block === null) return { references: [], referenceItems: [] };
  const references: string[] = [];
  const referenceItems: ReferenceItem[] = [];
  for (const item of referenceItemTexts(block)) {
    const ids = cableIdsIn(item.text, cableYear);
    if (ids.length > 0) {
      for (const id of ids) {
        if (id === ownId) continue;
        referenceItems.push({ kind: 'cable', value: id, bullet: item.bullet });
        if (!references.includes(id)) references.push(id);
      }
    } else if (item.text !== '' && !/^(?:NONE|N\/A)\.?$/i.test(item.text)) {
      referenceItems.push({ kind: kindOf(item.text), value: item.text, bullet: item.bullet });
    }
  }
  return { references, referenceItems };
}
