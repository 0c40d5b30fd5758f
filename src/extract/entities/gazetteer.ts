// The gazetteers under src/extract/data, indexed once at import for lookups by token.
import nlp from 'compromise';

import commonWordData from '../data/common-words.json' with { type: 'json' };
import countryRows from '../data/countries.json' with { type: 'json' };
import givenNameData from '../data/given-names.json' with { type: 'json' };
import governmentData from '../data/government-abbreviations.json' with { type: 'json' };
import organizationData from '../data/organizations.json' with { type: 'json' };
import titleData from '../data/titles.json' with { type: 'json' };
import type { OrganizationKind } from '../types.ts';
import { isCapitalized, type Token } from './tokens.ts';

const WORD = /(?:[A-Za-z]\.){2,}|[\p{L}\p{N}]+(?:['’\-\/&][\p{L}\p{N}]+)*/gu;

export function phraseWords(phrase: string): string[] {
  return (phrase.match(WORD) ?? []).map((w) => w.replace(/['’]s$/i, ''));
}

interface PhraseEntry<T> {
  words: string[];
  value: T;
  /** Acronyms such as "US" or "UN" must appear in capitals: "us" and "un" are other words. */
  exactCase: boolean;
}

export interface PhraseMatch<T> {
  value: T;
  length: number;
}

/** Multi-word phrases keyed by their first word, longest match first. */
export class PhraseIndex<T> {
  private readonly byFirst = new Map<string, PhraseEntry<T>[]>();

  add(phrase: string, value: T, exactCase = isAcronym(phrase)): void {
    const words = phraseWords(phrase);
    if (words.length === 0) return;
    const key = words[0]!.toLowerCase();
    const list = this.byFirst.get(key) ?? [];
    if (list.some((e) => e.words.join(' ').toLowerCase() === words.join(' ').toLowerCase() && e.exactCase === exactCase)) return;
    list.push({ words, value, exactCase });
    list.sort((a, b) => b.words.length - a.words.length);
    this.byFirst.set(key, list);
  }

  has(word: string): boolean {
    return this.byFirst.has(word.toLowerCase());
  }

  /** The longest phrase starting at token `i`, its words joined by spaces only. */
  match(tokens: Token[], i: number, allCaps: boolean): PhraseMatch<T> | null {
    const first = tokens[i];
    if (!first) return null;
    const list = this.byFirst.get(first.lower);
    if (!list) return null;
    for (const entry of list) {
      const n = entry.words.length;
      if (i + n > tokens.length) continue;
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        const token = tokens[i + k]!;
        const word = entry.words[k]!;
        if (k > 0 && (!token.joined || tokens[i + k - 1]!.possessive)) ok = false;
        else if (token.lower !== word.toLowerCase()) ok = false;
        else if (entry.exactCase && !allCaps && token.text !== word) ok = false;
        else if (!allCaps && isCapitalized(word) && !isCapitalized(token.text)) ok = false;
      }
      if (ok) return { value: entry.value, length: n };
    }
    return null;
  }
}

export function isAcronym(word: string): boolean {
  return /^[A-Z][A-Z.\-\/&0-9]+$/.test(word) && /[A-Z].*[A-Z]/.test(word) && !/\s/.test(word);
}

// ---------------------------------------------------------------- countries

export interface Country {
  name: string;
  code: string;
}

export type CountryVia = 'name' | 'demonym' | 'abbreviation';

export interface CountryEntry {
  code: string;
  via: CountryVia;
}

interface CountryRow {
  name: string;
  code: string;
  fips: string[];
  aliases: string[];
  demonyms: string[];
}

export const countriesByCode = new Map<string, Country>();
export const fipsToIso = new Map<string, string>();
export const countryIndex = new PhraseIndex<CountryEntry>();

for (const row of countryRows as CountryRow[]) {
  countriesByCode.set(row.code, { name: row.name, code: row.code });
  for (const f of row.fips) if (!fipsToIso.has(f)) fipsToIso.set(f, row.code);
  countryIndex.add(row.name, { code: row.code, via: 'name' });
  for (const alias of row.aliases) {
    const abbreviation = isAcronym(alias.replace(/\./g, '')) && alias.replace(/[.\s]/g, '').length <= 5;
    countryIndex.add(alias, { code: row.code, via: abbreviation ? 'abbreviation' : 'name' }, abbreviation);
  }
  for (const demonym of row.demonyms) countryIndex.add(demonym, { code: row.code, via: 'demonym' });
}

export function countryName(code: string | null | undefined): string | null {
  return code ? (countriesByCode.get(code)?.name ?? null) : null;
}

const governmentAbbreviations = new Map<string, string[]>(Object.entries(governmentData.abbreviations));

/** Candidate countries of a government abbreviation ("GoC", "ROYG"), or null. */
export function governmentCandidates(word: string): string[] | null {
  const exact = governmentAbbreviations.get(word);
  if (exact) return exact;
  // "GoC", "GoI": cables write the "o" of "Government of" in either case.
  if (/^Go[A-Z]{1,4}$/.test(word)) return governmentAbbreviations.get(word.toUpperCase()) ?? null;
  return null;
}

// ---------------------------------------------------------------- titles

export const titleHeads = new PhraseIndex<true>();
for (const head of titleData.heads) titleHeads.add(head.replace(/\.$/, ''), true, false);
export const titleAbbreviations = new Set<string>(titleData.abbreviations);
for (const a of titleData.abbreviations) titleHeads.add(a, true, true);
export const titleModifiers = new Set<string>(titleData.modifiers.map((m) => m.toLowerCase()));
/** Heads also written in lower case right before a name: "Libyan leader Qadhafi". */
export const lowercaseTitleHeads = new Set<string>(titleData.lowercaseHeads);
export const honorifics = new PhraseIndex<true>();
for (const h of titleData.honorifics) honorifics.add(h.replace(/\.$/, ''), true, h === 'HE');

// ---------------------------------------------------------------- organizations

export interface KnownOrganization {
  name: string;
  aliases: string[];
  kind: OrganizationKind;
  /** ISO alpha-2, null for international bodies and for generic names ("MFA") whose country is the context's. */
  country: string | null;
}

export const knownOrganizations = organizationData.known as KnownOrganization[];
export const organizationIndex = new PhraseIndex<KnownOrganization>();
for (const org of knownOrganizations) {
  organizationIndex.add(org.name, org);
  for (const alias of org.aliases) organizationIndex.add(alias, org);
}
export const usOfficeCodes = new Set<string>(organizationData.usOfficeCodes);
export const organizationHeads = new PhraseIndex<OrganizationKind>();
for (const [kind, heads] of Object.entries(organizationData.heads)) {
  for (const head of heads) organizationHeads.add(head, kind as OrganizationKind, false);
}

// ---------------------------------------------------------------- words

const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;

function lexiconTags(word: string): string {
  const tag = lexicon[word];
  return Array.isArray(tag) ? tag.join(',') : (tag ?? '');
}

export const givenNames = new Set<string>(givenNameData.names.map((n) => n.toLowerCase()));
for (const [word, tag] of Object.entries(lexicon)) {
  const tags = Array.isArray(tag) ? tag.join(',') : tag;
  if (/MaleName|FemaleName|FirstName/.test(tags) && !/\s/.test(word)) givenNames.add(word);
}
// Month and country-like words the lexicon files as first names.
for (const w of [
  'may',
  'june',
  'april',
  'august',
  'january',
  'jordan',
  'chad',
  'china',
  'georgia',
  'israel',
  'asia',
  'india',
  'summer',
  'autumn',
  'will',
  'van',
  'de',
  'la',
  'le',
  'abu',
  'abd',
  'al',
  'el',
  'bin',
])
  givenNames.delete(w);

const commonWords = new Set<string>(commonWordData.words.split(' '));

/** A word of ordinary English (verb, adjective, common noun…), which a surname seldom is. */
export function isCommonWord(lower: string): boolean {
  if (commonWords.has(lower)) return true;
  const tags = lexiconTags(lower);
  if (!tags) return false;
  return !/Name|Person|ProperNoun|Place|Country|City|Region|Organization|SportsTeam/.test(tags);
}

/** A verb, pronoun, preposition… per compromise's lexicon: never part of a name, even after a title. */
export function isFunctionOrVerb(lower: string): boolean {
  return /Verb|Tense|Infinitive|Gerund|Participle|Pronoun|Preposition|Conjunction|Determiner|Modal|Adverb|QuestionWord|Copula/.test(
    lexiconTags(lower),
  );
}

/** A finite verb or auxiliary ("was", "has", "said", "will"), not a word also used as a noun ("report"). */
export function isFiniteVerb(lower: string): boolean {
  return /Copula|Modal|PastTense|PresentTense|Auxiliary|(?:^|,)Verb(?:,|$)/.test(lexiconTags(lower));
}

/** A surname compromise's lexicon lists (mostly public figures), and not an ordinary word. */
export function isKnownSurname(lower: string): boolean {
  const tags = lexiconTags(lower);
  return /LastName/.test(tags) && !commonWords.has(lower);
}

export function isLexiconPlace(lower: string): boolean {
  return /Place|Country|City|Region/.test(lexiconTags(lower));
}
