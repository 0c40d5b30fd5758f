// classified-by: the official who classified the cable, name apart from title.
//   Classified By: Acting Deputy Chief of Mission Marc Wall for Reasons 1.4 (b) and (d)
//   CLASSIFIED BY POLOFF JEFFREY JACOBS, 1.5 (D).
//   CLASSIFIED BY: Alan Eyer, Director, Iran Regional Presence Office, DOS. REASON: 1.4 (b)
// The title comes before the name or after it, set off by a comma; titles are often misspelt.
import type { ClassifiedBy } from '../types.ts';
import titleData from '../data/header-titles.json' with { type: 'json' };
import { editDistance } from './edit-distance.ts';

const TITLES: ReadonlySet<string> = new Set(titleData.titles);
const LONG_TITLES = titleData.titles.filter((title) => title.length >= 5 && /^[A-Z]+$/.test(title));
const KEYWORD = /(?<![A-Za-z])CL?ASS?IF?IED\s+BY\s*:?/i;
const PREFIX = /^\s*(?:\(\w{1,4}\)\s*|CL?ASS?IF?IED\s+(?:(?:CONFIDENTIAL|SECRET)\s+)?BY\s*:?\s*)+/i;
// Where the reasons begin: "for reasons 1.4 (b) and (d)", "; E.O. 12958", "1.5 (D)", "-reasons".
const REASON =
  /[\s,;:.-]*(?:\b(?:for|per|under|based\s+on|due\s+to|IAW)\b[\s\S]{0,12}?(?=\d\s*[.,]\s*\d|reas|E\.?\s?O\.?\s*12958)|\breas\w*|(?:for|per)reas|\brea\s+sons?\b|\bE\.?\s?O\.?\s*12958|(?<![\d.])1\s*[.,]\s*[45]\b|\n\s*\n|¶|\n[ \t]*\d{1,2}\s*[.)]\s|\n[ \t]*-{3,}|\n[ \t]*SUMMARY\b)/i;
const SUFFIX = /^(?:JR|SR|II|III|IV)\.?$/i;
const TRAILING_CONNECTOR = new Set(['FOR', 'F', 'OR', 'PER', 'UNDER', 'BASED', 'ON', 'DUE', 'TO', 'BY', 'AND', 'IAW']);
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'du',
  'le',
  'la',
  'al',
  'el',
  'bin',
  'ibn',
  'ter',
  'y',
]);
const CONNECTOR = new Set(['TO', 'OF', 'FOR', 'AT', 'IN']);
const COMPOUND_PIECES = new Set([
  'GEN',
  'OFF',
  'COUNS',
  'MIN',
  'ECO',
  'POL',
  'DEP',
  'MGMT',
  'CON',
  'ECON',
  'PUB',
  'AFF',
  'CHIEF',
  'EST',
  'ESTH',
  'MIL',
  'ASST',
  'COUNSELOR',
]);
const titleCache = new Map<string, boolean>();

export function parseClassifiedBy(body: string): ClassifiedBy | null {
  const keyword = KEYWORD.exec(body);
  if (!keyword) return null;
  const lineStart = body.lastIndexOf('\n', keyword.index) + 1;
  let text = unwrap(body.slice(lineStart, keyword.index + keyword[0].length + 400))
    .slice(keyword.index - lineStart + keyword[0].length)
    .replace(PREFIX, '');
  const reason = REASON.exec(text);
  if (reason) text = text.slice(0, reason.index);
  text = text.replace(/\s+/g, ' ').trim();
  const segments = joinSuffixes(text.split(','));
  for (let index = 0; index < segments.length; index++) {
    const tokens = segments[index]!.trim().split(' ').filter(Boolean);
    while (
      tokens.length > 0 &&
      (TRAILING_CONNECTOR.has(letters(tokens[tokens.length - 1]!)) || /^[a-z]+$/.test(tokens[tokens.length - 1]!))
    ) {
      tokens.pop();
    }
    const mixedCase = /[a-z]{2}/.test(segments[index]!);
    const start = nameStart(tokens, mixedCase);
    if (start === tokens.length) continue;
    const name = tidy(tokens.slice(start).join(' '));
    const before = [...segments.slice(0, index), tokens.slice(0, start).join(' ')].map(tidy).filter(Boolean);
    const after = segments
      .slice(index + 1)
      .map(tidy)
      .filter(Boolean);
    const title = (before.length > 0 ? before : after).join(', ');
    return { name, title: title === '' ? null : title };
  }
  return null;
}

// Lines were wrapped at a fixed width, splitting words: "Josiah Rosen\nblatt", "Rea\nsons".
// A long line followed by one that starts in lower case, not with a word of its own, continues
// the word.
const WHOLE_WORDS = new Set([
  'per',
  'for',
  'and',
  'or',
  'reason',
  'reasons',
  'under',
  'based',
  'due',
  'because',
  'in',
  'of',
  'on',
  'to',
  'the',
  'a',
  'an',
  'with',
  'as',
  'by',
  'see',
]);
function unwrap(text: string): string {
  const lines = text.split('\n');
  let joined = lines[0]!;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const previous = lines[i - 1]!;
    const firstWord = /^[ \t]*([a-z]+)/.exec(line)?.[1];
    if (previous.length >= 55 && /[A-Za-z][ \t]*$/.test(previous) && firstWord !== undefined && !WHOLE_WORDS.has(firstWord)) {
      joined = joined.trimEnd() + line.trimStart();
    } else joined += `\n${line}`;
  }
  return joined;
}

/** "SIMONS, JR." is one name: a suffix after a comma belongs to the segment before it. */
function joinSuffixes(segments: string[]): string[] {
  const joined: string[] = [];
  for (const segment of segments) {
    const first = segment.trim().split(' ')[0] ?? '';
    if (joined.length > 0 && SUFFIX.test(first)) joined[joined.length - 1] += `,${segment}`;
    else joined.push(segment);
  }
  return joined;
}

/** Index of the first token of the name at the end of `tokens` (tokens.length when none). */
function nameStart(tokens: string[], mixedCase: boolean): number {
  let start = tokens.length;
  // The surname comes last even when it reads like a title word ("Jane Q. Public", "Ann Head").
  if (
    tokens.length >= 2 &&
    isNamePart(tokens[tokens.length - 2]!, mixedCase) &&
    /^[A-Z][a-z'’-]|^[A-Z'’-]+$/.test(tokens[tokens.length - 1]!)
  ) {
    start--;
  }
  while (start > 0) {
    const token = tokens[start - 1]!;
    if (isNamePart(token, mixedCase)) start--;
    // "Jan van der Berg", "Maria del Carmen Ruiz": particles inside a name.
    else if (start < tokens.length && PARTICLES.has(token)) {
      let before = start - 1;
      while (before > 0 && PARTICLES.has(tokens[before - 1]!)) before--;
      if (before === 0 || !isNamePart(tokens[before - 1]!, mixedCase)) break;
      start = before;
    } else break;
  }
  // Keep at most four name tokens (plus a suffix): the rest is title.
  const suffix = start < tokens.length && SUFFIX.test(tokens[tokens.length - 1]!.replace(/^,/, '')) ? 1 : 0;
  start = Math.max(start, tokens.length - 4 - suffix);
  // "AMBASSADOR TO SUDAN TIMOTHY CARNEY": the word after TO/OF is the title's.
  const stop = tokens[start - 1];
  if (stop !== undefined && CONNECTOR.has(letters(stop)) && tokens.length - start >= 3) start++;
  if (start < tokens.length && SUFFIX.test(tokens[start]!) && tokens.length - start === 1) return tokens.length;
  return start;
}

function isNamePart(token: string, mixedCase: boolean): boolean {
  const bare = token.replace(/^[("']+|[)"',.:;]+$/g, '');
  if (bare === '' || token.includes('/') || /^-+$/.test(bare)) return false;
  if (TITLES.has(token.toUpperCase())) return false;
  if (/^[A-Z0-9]\.?$/i.test(token) || /^(?:[A-Z]\.){1,3}$/.test(token)) return /[A-Z0-9]/.test(token[0]!);
  if (SUFFIX.test(bare)) return true;
  if (!/^[A-Z0]/.test(bare)) return false;
  if (mixedCase && /^[A-Z0-9'-]{2,}$/.test(bare)) return false;
  return !isTitle(bare);
}

export function isTitle(word: string): boolean {
  const key = word.toUpperCase().replace(/0/g, 'O').replace(/[’`]/g, "'");
  let known = titleCache.get(key);
  if (known === undefined) {
    known =
      TITLES.has(key) ||
      TITLES.has(key.replace(/[.']+$/, '')) ||
      compoundTitle(word) ||
      (key.length >= 4 &&
        /^[A-Z'-]+$/.test(key) &&
        LONG_TITLES.some((title) => editDistance(key, title, key.length >= 8 ? 2 : 1) <= (key.length >= 8 ? 2 : 1)));
    if (titleCache.size > 50_000) titleCache.clear();
    titleCache.set(key, known);
  }
  return known;
}

/** "EconMinCouns", "Polcounselor", "ESTOff": title abbreviations written together. */
function compoundTitle(word: string): boolean {
  const key = word.toUpperCase().replace(/[.']+$/, '');
  if (!/^[A-Z]{5,}$/.test(key)) return false;
  // Can the word be cut entirely into title pieces of three letters or more?
  const reachable = [true];
  for (let end = 1; end <= key.length; end++) {
    reachable[end] = false;
    for (let start = Math.max(0, end - 12); start <= end - 3 && !reachable[end]; start++) {
      const piece = key.slice(start, end);
      if (reachable[start] && (TITLES.has(piece) || COMPOUND_PIECES.has(piece))) reachable[end] = true;
    }
  }
  return reachable[key.length] === true && !TITLES.has(key);
}

function letters(token: string): string {
  return token
    .toUpperCase()
    .replace(/0/g, 'O')
    .replace(/[^A-Z]/g, '');
}

function tidy(text: string): string {
  return text
    .replace(/^[\s,;:.\-]+|[\s,;:\-]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
