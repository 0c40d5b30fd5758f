// tokenize: the words of a cable body with their spans, shared by every entity stage.
import type { Paragraph } from '../types.ts';

export interface Token {
  /** The word without a trailing possessive ("Canada" for "Canada's"). */
  text: string;
  /** Lower-cased `text`, the key for gazetteer lookups. */
  lower: string;
  start: number;
  /** End of `text` (the possessive, if any, lies after it). */
  end: number;
  possessive: boolean;
  /** Only spaces and at most one line break separate this token from the previous one (a possessive may end it). */
  joined: boolean;
  paragraph: number;
}

export interface Tokens {
  body: string;
  tokens: Token[];
  /**
   * Cables from the 1960s to the 1990s (and many later ones) are upper case throughout:
   * capitalization then says nothing about names.
   */
  allCaps: boolean;
}

// "U.S." and "U.N." keep their dots; a word may hold inner hyphens, slashes and apostrophes
// ("al-Qassmi", "NEA/ARP", "S/S-O", "Sa'ada").
const WORD = /(?:[A-Za-z]\.){2,}|[\p{L}\p{N}]+(?:['’\-\/&][\p{L}\p{N}]+)*/gu;
const POSSESSIVE = /['’]s$/i;
const ABBREVIATIONS = new Set([
  'Mr',
  'Mrs',
  'Ms',
  'Dr',
  'Amb',
  'Gen',
  'Col',
  'Lt',
  'Sen',
  'Rep',
  'Gov',
  'Brig',
  'Maj',
  'Capt',
  'Adm',
  'Prof',
  'Rev',
  'St',
  'Sgt',
  'Cdr',
  'Gens',
  'Sens',
  'Reps',
  'MR',
  'MRS',
  'DR',
  'AMB',
  'GEN',
  'COL',
  'SEN',
]);

export function tokenize(body: string, paragraphs: Paragraph[]): Tokens {
  const tokens: Token[] = [];
  const paragraphOf = paragraphLocator(paragraphs);
  let previousEnd = 0;
  let lower = 0;
  let upper = 0;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(body); match; match = WORD.exec(body)) {
    let text = match[0];
    const start = match.index;
    let possessive = false;
    if (text.length > 3 && POSSESSIVE.test(text)) {
      text = text.slice(0, -2);
      possessive = true;
    } else if (text.length > 2 && (text.endsWith("s'") || text.endsWith('s’'))) {
      text = text.slice(0, -1);
      possessive = true;
    }
    const gap = body.slice(previousEnd, start);
    const previous = tokens[tokens.length - 1];
    // "Stephen R. Kelly", "Amb. Eduardo Aguirre": the dot of an initial or a title does not end the phrase.
    const joined =
      previous !== undefined &&
      (isBlankGap(gap, 0) ||
        (gap.startsWith('.') && isBlankGap(gap, 1) && (/^[A-Z]$/.test(previous.text) || ABBREVIATIONS.has(previous.text))));
    tokens.push({ text, lower: text.toLowerCase(), start, end: start + text.length, possessive, joined, paragraph: paragraphOf(start) });
    previousEnd = start + match[0].length;
    for (let i = 0; i < text.length; i += 4) {
      const c = text.charCodeAt(i);
      if (c >= 97 && c <= 122) lower++;
      else if (c >= 65 && c <= 90) upper++;
    }
  }
  return { body, tokens, allCaps: upper > 20 && lower < upper * 0.08 };
}

/**
 * Whether `gap` from `from` on holds only spaces and tabs with at most one line break. Written as a
 * loop: the equivalent pattern /^[ \t]*\n?[ \t]*$/ backtracks quadratically over a long run of
 * blanks that ends in anything else (a 490 KB line of spaces took 90 s).
 */
function isBlankGap(gap: string, from: number): boolean {
  let breaks = 0;
  for (let i = from; i < gap.length; i++) {
    const c = gap.charCodeAt(i);
    if (c === 10) {
      if (++breaks > 1) return false;
    } else if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** The number of the paragraph holding a body offset (0 before the first numbered one). */
export function paragraphLocator(paragraphs: Paragraph[]): (offset: number) => number {
  const sorted = [...paragraphs].sort((a, b) => a.start - b.start);
  let cursor = 0;
  return (offset: number) => {
    if (sorted.length === 0) return 0;
    // Offsets mostly arrive in increasing order: walk forward from the last answer.
    if (cursor >= sorted.length || sorted[cursor]!.start > offset) cursor = 0;
    while (cursor + 1 < sorted.length && sorted[cursor + 1]!.start <= offset) cursor++;
    const paragraph = sorted[cursor]!;
    return paragraph.start <= offset ? paragraph.number : 0;
  };
}

export function isCapitalized(word: string): boolean {
  const c = word.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde);
}

export function isUpperWord(word: string): boolean {
  return word === word.toUpperCase() && word !== word.toLowerCase();
}
