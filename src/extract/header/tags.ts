// tags: the TAGS line. Subject codes (PREL), country codes (CA), person tags written
// SURNAME FIRSTNAME, and multi-word subject tags ("MEDIA REACTION REPORT"); codes glued
// together by a lost space ("ETRDEINVECINPGOVCS") are split again.
import tagData from '../data/header-tags.json' with { type: 'json' };
import { headerBlock, stripPageBreaks, upperAscii } from './text.ts';

const CODES: ReadonlySet<string> = new Set(tagData.codes);
const GIVEN_NAMES: ReadonlySet<string> = new Set(tagData.givenNames);
const PHRASES: ReadonlyMap<string, string> = new Map(Object.entries(tagData.phrases));
const LONGEST_PHRASE = Math.max(...[...PHRASES.keys()].map((phrase) => phrase.split(' ').length));
const KEYWORD = new RegExp(`(?<![A-Za-z])(?:${tagData.keywords.join('|')})(?![A-Za-z])(?![ \\t]*\\))[ \\t]*[:,]?`, 'i');
const END = /(?<![A-Za-z])(?:S?UBJ(?:ECT)?\s*:|SUBJECT\b|E\.?O\.?\s*12958|REFS?\s*:|CLASSIFIED\s+BY)/i;
const MARKDOWN_LINK = /\[([^\]\n]*)\]\([^)\n]*\)/g;
const NEXT_LINE_STOP = /^\s*(?:S?UBJ|E\.?O\.?|REF|CLASSIFIED|SIPDIS\s*$|NOFORN\s*$|\d)/i;

export function parseTags(body: string): string[] {
  const block = headerBlock(body);
  const keyword = KEYWORD.exec(block);
  if (!keyword) return [];
  // Tags copied from a web page keep their link markup: "[PREL](#)".
  const lines = block
    .slice(keyword.index + keyword[0].length)
    .replace(MARKDOWN_LINK, '$1')
    .split('\n');
  let text = lines[0] ?? '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const continues = /,\s*$/.test(text) ? line.trim() !== '' : line.trim() !== '' && !NEXT_LINE_STOP.test(line) && allCodes(line);
    if (!continues) break;
    text += ` ${line}`;
  }
  const end = END.exec(text);
  if (end) text = text.slice(0, end.index);
  const tags: string[] = [];
  const add = (tag: string) => {
    if (tag !== '' && !tags.includes(tag)) tags.push(tag);
  };
  // A person tag in parentheses keeps its comma: "OVIP (CLINTON, HILLARY), PREL".
  for (const [, plain, person] of upperAscii(stripPageBreaks(text)).matchAll(/([^()]+)|\(([^()]*)\)/g)) {
    if (person !== undefined) add(person.replace(/\s+/g, ' ').trim());
    else for (const group of plain!.split(/[,;]/)) for (const tag of tagsOfGroup(group.replace(/:/g, ' ').trim())) add(tag);
  }
  return tags;
}

function isCode(token: string): boolean {
  return CODES.has(token) || /^[A-Z]{2}$/.test(token) || /[\d/]/.test(token) || splitGlued(token) !== null;
}

function allCodes(line: string): boolean {
  const tokens = upperAscii(line)
    .split(/[\s,]+/)
    .filter(Boolean);
  return tokens.length > 0 && tokens.every((token) => isCode(token));
}

/** "AMEDCASCKFLO" -> AMED CASC KFLO when every four-letter piece is a known code. */
function splitGlued(token: string): string[] | null {
  if (token.length < 6 || !/^[A-Z]+$/.test(token)) return null;
  const pieces: string[] = [];
  let rest = token;
  while (rest.length > 0) {
    if (rest.length === 2) {
      pieces.push(rest);
      break;
    }
    const piece = rest.slice(0, 4);
    if (!CODES.has(piece)) return null;
    pieces.push(piece);
    rest = rest.slice(4);
  }
  return pieces;
}

function tagsOfGroup(group: string): string[] {
  const tokens = group.split(/\s+/).filter(Boolean);
  const tags: string[] = [];
  let words: string[] = [];
  const flush = () => {
    tags.push(...tagsOfWords(words));
    words = [];
  };
  for (const token of tokens) {
    if (isCode(token)) {
      flush();
      tags.push(...(CODES.has(token) ? [token] : (splitGlued(token) ?? [token])));
    } else words.push(token);
  }
  flush();
  return tags;
}

/** A run of words: known phrases, person tags (SURNAME GIVENNAME) and, for the rest, one phrase. */
function tagsOfWords(words: string[]): string[] {
  const tags: string[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length > 0) tags.push(pending.join(' '));
    pending = [];
  };
  let i = 0;
  while (i < words.length) {
    let matched = 0;
    for (let length = Math.min(LONGEST_PHRASE, words.length - i); length >= 2 && matched === 0; length--) {
      const phrase = PHRASES.get(words.slice(i, i + length).join(' '));
      if (phrase) {
        flush();
        tags.push(phrase);
        matched = length;
      }
    }
    if (matched > 0) {
      i += matched;
      continue;
    }
    const next = words[i + 1];
    if (next !== undefined && GIVEN_NAMES.has(next) && !GIVEN_NAMES.has(words[i]!)) {
      flush();
      tags.push(`${words[i]}, ${next}`);
      i += 2;
      continue;
    }
    pending.push(words[i]!);
    i++;
  }
  flush();
  return tags;
}
