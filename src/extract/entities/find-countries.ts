// find-countries: countries named in the body by name, demonym, government abbreviation or TAGS code.
import type { HeaderFields } from '../header/index.ts';
import type { Span } from '../types.ts';
import { countryIndex, fipsToIso, governmentCandidates, type CountryVia } from './gazetteer.ts';
import type { Tokens } from './tokens.ts';

export interface CountryHit extends Span {
  /** ISO 3166 alpha-2. */
  code: string;
  text: string;
  paragraph: number;
  via: CountryVia | 'government' | 'tag';
  /** Tokens covered, from `tokens[first]` to `tokens[last]`. */
  first: number;
  last: number;
}

export interface CountryFindings {
  hits: CountryHit[];
  /** Every country of the cable, in order of first appearance (TAGS-only countries last). */
  codes: string[];
}

// "Latin American", "North American": regions, not the United States.
const REGION_BEFORE_DEMONYM = new Set(['latin', 'north', 'south', 'central', 'pan', 'anglo', 'african', 'arab']);
// In an upper-case cable "US" after these words is mostly the pronoun ("TOLD US THAT").
const TAKES_OBJECT = new Set([
  'told',
  'tell',
  'to',
  'for',
  'with',
  'of',
  'asked',
  'ask',
  'informed',
  'gave',
  'give',
  'let',
  'briefed',
  'joined',
  'join',
  'by',
  'among',
  'about',
  'called',
  'sent',
  'showed',
  'assured',
  'urged',
  'invited',
  'contacted',
  'help',
  'helped',
  'between',
  'from',
  'against',
  'before',
  'upon',
  'on',
  'thanked',
  'asking',
  'telling',
  'assuring',
  'urging',
  'reminded',
  'warned',
  'allow',
  'allowed',
  'let',
]);
const AFTER_PRONOUN = new Set([
  'that',
  'the',
  'to',
  'in',
  'on',
  'and',
  'with',
  'about',
  'a',
  'an',
  'this',
  'if',
  'whether',
  'for',
  'of',
  'at',
  'by',
  'as',
]);

const TAGS_LINE = /^[ \t]*TAGS:?[ \t]+(.+(?:\n[ \t]+[A-Z]{2,6}(?:[ ,]+[A-Z]{2,6})*[ \t]*)*)/m;

export function tagsLineSpan(body: string): Span | null {
  const match = TAGS_LINE.exec(body);
  if (!match) return null;
  // Some extracts run the SUBJECT line into the TAGS line.
  const subject = match[0].search(/\bSUBJ(?:ECT)?\b/);
  return { start: match.index, end: match.index + (subject > 0 ? subject : match[0].length) };
}

export function findCountries(tokens: Tokens, header: Pick<HeaderFields, 'tags'>): CountryFindings {
  const { tokens: words, allCaps, body } = tokens;
  const hits: CountryHit[] = [];
  const tagsSpan = tagsLineSpan(body);

  const tagCodes: string[] = [];
  for (const tag of header.tags) {
    const code = fipsToIso.get(tag.toUpperCase());
    if (code && tag.length === 2) tagCodes.push(code);
  }

  /** A hit of one token, `words[i]`, as written. */
  const tokenHit = (i: number, code: string, via: CountryHit['via']): CountryHit => {
    const token = words[i]!;
    return { code, text: token.text, start: token.start, end: token.end, paragraph: token.paragraph, via, first: i, last: i };
  };

  const pending: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const token = words[i]!;
    if (tagsSpan && token.start >= tagsSpan.start && token.start < tagsSpan.end) {
      // TAGS geo codes are FIPS 10-4, not ISO: "IZ" is Iraq, "UK" the United Kingdom.
      const code = /^[A-Z]{2}$/.test(token.text) ? fipsToIso.get(token.text) : undefined;
      if (code) {
        hits.push(tokenHit(i, code, 'tag'));
        tagCodes.push(code);
      }
      continue;
    }
    const match = countryIndex.match(words, i, allCaps);
    if (match) {
      const last = i + match.length - 1;
      const previous = words[i - 1];
      const next = words[last + 1];
      let keep = true;
      if (
        match.value.via === 'demonym' &&
        match.value.code === 'US' &&
        previous &&
        token.joined &&
        REGION_BEFORE_DEMONYM.has(previous.lower)
      )
        keep = false;
      if (
        allCaps &&
        token.text === 'US' &&
        previous &&
        TAKES_OBJECT.has(previous.lower) &&
        (!next || AFTER_PRONOUN.has(next.lower) || !next.joined)
      )
        keep = false;
      if (keep) {
        const lastToken = words[last]!;
        hits.push({
          code: match.value.code,
          text: body.slice(token.start, lastToken.end),
          start: token.start,
          end: lastToken.end,
          paragraph: token.paragraph,
          via: match.value.via,
          first: i,
          last,
        });
      }
      i = last;
      continue;
    }
    if (governmentCandidates(token.text)) pending.push(i);
  }

  // An abbreviation such as "GOI" names whichever of its candidates the cable is about.
  const known = new Set([...tagCodes, ...hits.map((h) => h.code)]);
  for (const i of pending) {
    const token = words[i]!;
    const candidates = governmentCandidates(token.text)!;
    const code = candidates.length === 1 ? candidates[0]! : candidates.find((c) => known.has(c));
    if (!code) continue;
    hits.push(tokenHit(i, code, 'government'));
  }
  hits.sort((a, b) => a.start - b.start);

  const codes: string[] = [];
  for (const hit of hits) if (!codes.includes(hit.code)) codes.push(hit.code);
  for (const code of tagCodes) if (!codes.includes(code)) codes.push(code);
  return { hits, codes };
}
