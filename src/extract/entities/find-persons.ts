// find-persons: each written occurrence of a named individual, with the title, country and
// organization the text attaches to it. merge-persons then groups them into persons.
import type { ClassifiedBy, Span } from '../types.ts';
import type { CountryHit } from './find-countries.ts';
import type { OrganizationHit } from './find-organizations.ts';
import {
  countryIndex,
  givenNames,
  honorifics,
  isAcronym,
  isCommonWord,
  isFunctionOrVerb,
  isKnownSurname,
  isLexiconPlace,
  lowercaseTitleHeads,
  organizationHeads,
  organizationIndex,
  titleAbbreviations,
  titleHeads,
  titleModifiers,
  usOfficeCodes,
} from './gazetteer.ts';
import { isCapitalized, isUpperWord, type Token, type Tokens } from './tokens.ts';

export type PersonEvidence =
  'title' | 'owner' | 'given-name' | 'particle' | 'protect' | 'speech' | 'known-surname' | 'list' | 'routing' | 'classified-by';

export interface PersonHit extends Span {
  /** The name as written, titles left out, single spaces. */
  name: string;
  /** Name words, for matching a surname to a full name. */
  words: string[];
  paragraph: number;
  titles: string[];
  countryCode: string | null;
  organization: string | null;
  evidence: PersonEvidence;
}

export interface PersonContext {
  countryHits: CountryHit[];
  organizationHits: OrganizationHit[];
  classifiedBy: ClassifiedBy | null;
}

const PARTICLES = new Set([
  'bin',
  'bint',
  'ibn',
  'al',
  'el',
  'abu',
  'de',
  'da',
  'di',
  'van',
  'von',
  'der',
  'del',
  'la',
  'le',
  'du',
  'dos',
  'das',
  'y',
  'ben',
  'ul',
  'ud',
]);
const ARABIC_PARTICLES = new Set(['bin', 'bint', 'ibn', 'abu', 'ben']);
const SUFFIXES = new Set(['Jr', 'Sr', 'II', 'III', 'IV']);
const CONNECTORS = new Set(['of', 'the', 'to', 'for', 'and', 'on', 'in']);
// Words that introduce a name without being a title: "CODEL Corzine", "candidate (now President-Elect) Barack Obama".
const CUES = new Set(['codel', 'staffdel', 'ccodel']);
const SPEECH = new Set([
  'said',
  'says',
  'told',
  'tells',
  'noted',
  'notes',
  'stated',
  'added',
  'asked',
  'explained',
  'stressed',
  'emphasized',
  'expressed',
  'argued',
  'replied',
  'responded',
  'suggested',
  'claimed',
  'agreed',
  'commented',
  'indicated',
  'reiterated',
  'confirmed',
  'speculated',
  'complained',
  'warned',
  'predicted',
  'opined',
  'recalled',
  'insisted',
  'acknowledged',
  'underscored',
  'urged',
  'believes',
  'believed',
  'thinks',
  'thought',
  'welcomed',
  'thanked',
  'promised',
  'pledged',
  'conceded',
  'admitted',
  'observed',
  'remarked',
  'announced',
  'denied',
  'met',
  'visited',
  'called',
  'wrote',
  'recounted',
  'requested',
  'pressed',
  'praised',
  'criticized',
  'accused',
  'insists',
]);
const MONTH_WORDS = new Set([
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);
// Capitalized words in cables that are never names: section labels, caveats, staff shorthand.
const NEVER_NAMES = new Set([
  'comment',
  'note',
  'summary',
  'end',
  'subject',
  'ref',
  'reftel',
  'reftels',
  'tags',
  'sipdis',
  'noforn',
  'confidential',
  'secret',
  'unclassified',
  'classified',
  'reason',
  'reasons',
  'decl',
  'septel',
  'poloff',
  'poloffs',
  'econoff',
  'emboff',
  'emboffs',
  'polchief',
  'pol',
  'econ',
  'post',
  'embassy',
  'mission',
  'washington',
  'codel',
  'staffdel',
  'action',
  'info',
  'para',
  'paras',
  'section',
  'islamic',
  'muslim',
  'muslims',
  'christian',
  'christians',
  'jewish',
  'arab',
  'arabs',
  'kurdish',
  'kurds',
  'shia',
  'sunni',
  'shiite',
  'western',
  'eastern',
  'european',
  'asian',
  'african',
  'allah',
  'god',
  'internet',
  'minister',
  'ministers',
  'president',
  'ambassador',
  'government',
  'parliament',
  'congress',
  'state',
  'department',
  'ministry',
  'office',
  'general',
  'deputy',
  'prime',
  'foreign',
  'defense',
  'defence',
  'national',
  'security',
  'chief',
  'head',
  'leader',
  'speaker',
  'senator',
  'secretary',
  'supreme',
  'judiciary',
  'intelligence',
  'amembassy',
  'amconsul',
  'secstate',
  'washdc',
  'usmission',
  'usun',
  'usnato',
  'useu',
  'secdef',
  'cincpac',
  'uscincso',
  'priority',
  'immediate',
  'routine',
  'niact',
  'limdis',
  'exdis',
  'nodis',
  'stadis',
  'gds',
  'xgds',
  'page',
  'unquote',
  'quote',
  'rpt',
  'septel',
]);
// Adjectives and nouns that double as titles: "Major Economies Forum", "Chief Executive Office".
const WEAK_TITLES = new Set([
  'general',
  'major',
  'chief',
  'head',
  'leader',
  'official',
  'chair',
  'deputy',
  'aide',
  'assistant',
  'officer',
  'delegate',
  'analyst',
  'editor',
  'captain',
  'director',
]);
// In an upper-case cable these words are adjectives or nouns as often as titles: "GENERAL INCOMPREHENSION".
const WEAK_CAPS_TITLES = new Set([
  'general',
  'major',
  'chief',
  'head',
  'leader',
  'official',
  'chair',
  'judge',
  'justice',
  'deputy',
  'aide',
  'assistant',
  'officer',
  'delegate',
  'analyst',
  'editor',
  'representative',
  'minister',
  'secretary',
  'counselor',
  'fm',
  'pm',
]);

export function findPersons(tokens: Tokens, context: PersonContext): PersonHit[] {
  const { tokens: words, body, allCaps } = tokens;
  const covered = new Set<number>();
  for (const hit of context.countryHits) for (let k = hit.first; k <= hit.last; k++) covered.add(k);
  for (const hit of context.organizationHits) if (!hit.bare) for (let k = hit.first; k <= hit.last; k++) covered.add(k);
  const orgEndingAt = new Map<number, OrganizationHit>();
  for (const hit of context.organizationHits) orgEndingAt.set(hit.last, hit);
  const countryEndingAt = new Map<number, CountryHit>();
  for (const hit of context.countryHits) countryEndingAt.set(hit.last, hit);

  const hits: PersonHit[] = [];
  // "Presidents Obama and Medvedev", "Senators McCain, Graham and Lieberman": a plural title
  // covers every name of the list it heads.
  const listedUnder = new Map<number, string[]>();
  const routing = routingLineSpans(body);
  const inRouting = (offset: number) => routing.some((s) => offset >= s.start && offset < s.end);

  const nameWord = (k: number): boolean => {
    const token = words[k];
    if (!token || covered.has(k)) return false;
    const text = token.text;
    if (/[\d\/]/.test(text) || /^X{3,}$/i.test(text)) return false;
    if (!allCaps && isUpperWord(text) && text.length > 1) return false;
    if (!isCapitalized(text) && !/^(?:al|el)-[A-Z]/.test(text)) return false;
    const lower = token.lower;
    if (NEVER_NAMES.has(lower) || MONTH_WORDS.has(lower) || CUES.has(lower)) return false;
    if (isFunctionOrVerb(lower) && !givenNames.has(lower)) return false;
    if (honorifics.has(text) && honorifics.match(words, k, allCaps)) return false;
    if (titleHeads.match(words, k, allCaps) || titleAbbreviations.has(text)) return false;
    if (titleModifiers.has(lower) && !givenNames.has(lower) && isCommonWord(lower)) return false;
    if (organizationHeads.match(words, k, allCaps) && isCommonWord(lower)) return false;
    if (allCaps && isCommonWord(lower) && !givenNames.has(lower)) return false;
    return true;
  };
  const initialAt = (k: number): boolean => {
    const token = words[k];
    return !!token && /^[A-Z]$/.test(token.text) && body[token.end] === '.' && !covered.has(k);
  };

  for (let i = 0; i < words.length; i++) {
    if (!nameWord(i) || inRouting(words[i]!.start)) continue;
    // The name: name words, middle initials ("Stephen R. Kelly"), particles ("Hamdan bin Zayid").
    let last = i;
    let particle = false;
    for (let k = i + 1; k < words.length; k++) {
      const next = words[k]!;
      if (!next.joined || words[k - 1]!.possessive) break;
      if (nameWord(k) || initialAt(k)) {
        last = k;
        continue;
      }
      if (SUFFIXES.has(next.text)) {
        last = k;
        break;
      }
      if (PARTICLES.has(next.lower) && !allCaps && next.text === next.lower && nameWord(k + 1) && words[k + 1]!.joined) {
        particle = particle || ARABIC_PARTICLES.has(next.lower);
        continue;
      }
      break;
    }
    // "for Eurasia Roland Galharague": a given name inside the run starts the name, the words before
    // it belong to the title.
    if (!givenNames.has(words[i]!.lower)) {
      for (let p = i + 1; p < last; p++) {
        if (givenNames.has(words[p]!.lower) && !isCommonWord(words[p]!.lower)) {
          i = p;
          break;
        }
      }
    }
    const nameTokens = words.slice(i, last + 1);
    const token = words[i]!;
    const name = body.slice(token.start, words[last]!.end).replace(/\s+/g, ' ');
    const start = token.start;
    const end = words[last]!.end;

    const left = titleBefore(words, i, allCaps, orgEndingAt, countryEndingAt, body);
    const listTitles = listedUnder.get(i);
    if (listTitles && !left.title && !left.honorific) {
      left.titles = listTitles;
      left.title = true;
      left.loose = true;
    }
    let evidence: PersonEvidence | null = null;
    const significant = nameTokens.filter((w) => !SUFFIXES.has(w.text) && !/^[A-Z]$/.test(w.text));
    // After a looser title, only words shaped like names: not "chief PSDB-affiliated advisor".
    if (left.loose && !significant.every((w) => NAME_SHAPE.test(w.text))) {
      left.title = false;
      left.titles = [];
    }
    const unusual = significant.every((w) => !isCommonWord(w.lower) && !isLexiconPlace(w.lower) && !countryIndex.has(w.text));
    if (left.title || left.honorific) evidence = 'title';
    else if (left.cue) evidence = 'title';
    else if (left.owner && (unusual || givenNames.has(significant[0]?.lower ?? ''))) evidence = 'owner';
    const after = body.slice(end, end + 24);
    if (!evidence && /^(?:['’]s)?\s*\((?:strictly |please |pls )?protect\)/i.test(after)) evidence = 'protect';
    if (!evidence && /^\s*\([RDI]-[A-Z]{2}\)/.test(after)) evidence = 'title';
    if (!evidence && significant.length >= 2 && givenNames.has(significant[0]!.lower) && !isPlaceName(significant)) evidence = 'given-name';
    if (!evidence && particle && significant.length >= 2) evidence = 'particle';
    if (!evidence && !allCaps && unusual && significant.length <= 3) {
      const next = words[last + 1];
      const midSentence = startsSentenceOk(words, i);
      if (next && next.joined && SPEECH.has(next.lower) && !words[last]!.possessive && midSentence) evidence = 'speech';
      // compromise's lexicon knows the surnames of many public figures ("Putin", "Milosevic").
      else if (significant.length === 1 && isKnownSurname(significant[0]!.lower)) evidence = 'known-surname';
    }
    if (!evidence) {
      i = last;
      continue;
    }
    // "Major Economies Forum", "General Incomprehension": a title-like adjective before ordinary words.
    const weakTitle = left.titles.length === 1 && WEAK_CAPS_TITLES.has(left.titles[0]!.toLowerCase()) && !left.honorific;
    if (
      evidence === 'title' &&
      left.titles.length === 1 &&
      WEAK_TITLES.has(left.titles[0]!.toLowerCase()) &&
      !left.honorific &&
      !allCaps &&
      !significant.some((w) => !isCommonWord(w.lower) || givenNames.has(w.lower))
    ) {
      i = last;
      continue;
    }
    if (allCaps && evidence === 'title' && weakTitle && significant.length < 2) {
      i = last;
      continue;
    }
    if (allCaps && evidence !== 'title' && evidence !== 'protect' && evidence !== 'given-name') {
      i = last;
      continue;
    }
    const titles = [...left.titles];
    const plural = titles.find(isPluralTitle);
    if (plural) for (const next of listFollowing(words, last, body, nameWord)) listedUnder.set(next, [plural]);
    const appositive = titleAfter(words, last, body, allCaps);
    if (appositive && !titles.includes(appositive)) titles.push(appositive);
    hits.push({
      name,
      words: significant.map((w) => w.text),
      start,
      end,
      paragraph: token.paragraph,
      titles,
      countryCode: left.countryCode,
      organization: left.owner,
      evidence,
    });
    i = last;
  }

  hits.push(...routingPersons(body, tokens, routing));
  const classified = classifiedByPerson(tokens, context.classifiedBy);
  if (classified) {
    const overlapping = hits.findIndex((h) => h.start < classified.end && h.end > classified.start);
    if (overlapping >= 0) hits.splice(overlapping, 1);
    hits.push(classified);
  }
  return hits.sort((a, b) => a.start - b.start);
}

const NAME_SHAPE = /^(?:(?:al|el|ad|ar|as|ash|az)-)?[A-Z][a-z]+(?:['’\-][A-Za-z][a-z]+)*$/;

/** "Presidents", "Secretaries", "Congressmen": a title head in the plural. */
function isPluralTitle(title: string): boolean {
  const head = title.split(' ').pop()!;
  const singular = head.endsWith('men')
    ? `${head.slice(0, -3)}man`
    : head.endsWith('ies')
      ? `${head.slice(0, -3)}y`
      : head.endsWith('s')
        ? head.slice(0, -1)
        : null;
  return singular !== null && titleHeads.has(head) && titleHeads.has(singular);
}

/** Where the names after `last` start, in a list "X, Y and Z" that `last` ends the first name of. */
function listFollowing(words: Token[], last: number, body: string, nameWord: (k: number) => boolean): number[] {
  const starts: number[] = [];
  let k = last;
  for (let n = 0; n < 8; n++) {
    const next = words[k + 1];
    if (!next || words[k]!.possessive) break;
    const gap = body.slice(words[k]!.end, next.start);
    let start = -1;
    if (/^,\s*$/.test(gap) && nameWord(k + 1)) start = k + 1;
    else if (next.lower === 'and' && /^,?\s+$/.test(gap) && next.joined && words[k + 2]?.joined && nameWord(k + 2)) start = k + 2;
    if (start < 0) break;
    starts.push(start);
    k = start;
    while (words[k + 1]?.joined && nameWord(k + 1)) k++;
    if (next.lower === 'and') break;
  }
  return starts;
}

function isPlaceName(words: Token[]): boolean {
  return words.every((w) => isLexiconPlace(w.lower)) || isLexiconPlace(words.map((w) => w.lower).join(' '));
}

/** A capitalized word starting a sentence is a name only when it is not an ordinary word. */
function startsSentenceOk(words: Token[], i: number): boolean {
  return i === 0 || words[i]!.joined || !isCommonWord(words[i]!.lower);
}

interface LeftContext {
  titles: string[];
  title: boolean;
  /** The title is a head in lower case ("leader") or a plural title heading a list: weaker evidence. */
  loose: boolean;
  honorific: boolean;
  cue: boolean;
  owner: string | null;
  countryCode: string | null;
}

/**
 * The title written before a name: "PCO Foreign Policy Advisor", "Ambassador to the UN",
 * "Chilean President" (country Chile), "DFAIT's" (owner DFAIT).
 */
function titleBefore(
  words: Token[],
  i: number,
  allCaps: boolean,
  orgEndingAt: Map<number, OrganizationHit>,
  countryEndingAt: Map<number, CountryHit>,
  body: string,
): LeftContext {
  const result: LeftContext = { titles: [], title: false, loose: false, honorific: false, cue: false, owner: null, countryCode: null };
  let k = i - 1;
  let bracketed = false;
  if (k < 0 || !words[i]!.joined) {
    // "Foreign Affairs Assistant Deputy Minister (ADM) Jim Wright": skip the title's acronym.
    const gap = k >= 0 ? body.slice(words[k]!.end, words[i]!.start) : '';
    if (k >= 1 && /^\)\s+$/.test(gap) && body[words[k]!.start - 1] === '(' && isAcronym(words[k]!.text)) k -= 1;
    // "candidate (now President-Elect) Barack Obama", "(Russian Permanent Representative) Rogozin".
    else if (k >= 0 && /^\)\s+$/.test(gap) && (titleHeads.match(words, k, allCaps) || titleHeads.has(words[k]!.text))) bracketed = true;
    else return result;
  }
  // "DFAIT's Jon Allen", "Canada's Paul Heinbecker": the owner is the person's organization or country.
  const owner = words[k];
  if (owner?.possessive) {
    const org = orgEndingAt.get(k);
    const country = countryEndingAt.get(k);
    if (country) result.countryCode = country.code;
    else if (org) {
      result.owner = org.text;
      result.countryCode = org.countryCode;
    } else if (isAcronym(owner.text)) result.owner = owner.text;
    return result;
  }
  // Walk left over the title's words.
  let first = k + 1;
  // "Libyan leader Qadhafi", "investigating judge Baltasar Garzon": a head in lower case, right before the name.
  const lowerHead = !allCaps && !bracketed && lowercaseTitleHeads.has(words[k]!.text);
  for (let j = k; j >= 0; j--) {
    const token = words[j]!;
    const capital = isCapitalized(token.text) || titleAbbreviations.has(token.text) || (lowerHead && j === k);
    // "and" joins two people's titles more often than two parts of one title.
    const connector = CONNECTORS.has(token.lower) && token.lower !== 'and' && j < k;
    if (!capital && !connector && !titleModifiers.has(token.lower)) break;
    if (token.possessive) {
      const country = countryEndingAt.get(j);
      if (country) result.countryCode = country.code;
      else {
        const org = orgEndingAt.get(j);
        if (org) {
          result.owner = org.text;
          result.countryCode = org.countryCode;
        }
      }
      break;
    }
    const country = countryEndingAt.get(j);
    if (country && country.via !== 'abbreviation') {
      result.countryCode = country.code;
      j = country.first;
      break;
    }
    if (isFunctionOrVerb(token.lower) && !connector && !titleHeads.has(token.text)) break;
    // Upper-case text: only title words, organizations and connectors make a title.
    if (
      allCaps &&
      !connector &&
      !titleModifiers.has(token.lower) &&
      !titleHeads.match(words, j, allCaps) &&
      !titleAbbreviations.has(token.text) &&
      !honorifics.match(words, j, allCaps) &&
      !orgEndingAt.has(j) &&
      isCommonWord(token.lower)
    )
      break;
    first = j;
    if (j < i - 12) break;
    if (!token.joined) break;
    if (bracketed && body[token.start - 1] === '(') break;
  }
  while (first <= k && CONNECTORS.has(words[first]!.lower)) first++;
  if (first > k) return result;
  const phrase = words.slice(first, k + 1);
  // The title must hold a title word; whatever capitalized words precede the first one are not part
  // of it unless they are organizations or title modifiers ("PCO Foreign Policy Advisor").
  let head = -1;
  for (let j = 0; j < phrase.length; j++) {
    const index = first + j;
    if (
      titleHeads.match(words, index, allCaps) ||
      titleAbbreviations.has(phrase[j]!.text) ||
      honorifics.match(words, index, allCaps) ||
      CUES.has(phrase[j]!.lower) ||
      (lowerHead && index === k)
    ) {
      head = j;
      break;
    }
  }
  if (head < 0) return result;
  let startIndex = head;
  while (startIndex > 0) {
    const token = phrase[startIndex - 1]!;
    const index = first + startIndex - 1;
    if (
      titleModifiers.has(token.lower) ||
      isAcronym(token.text) ||
      usOfficeCodes.has(token.text) ||
      orgEndingAt.has(index) ||
      organizationIndex.has(token.text) ||
      (isCapitalized(token.text) && !isCommonWord(token.lower) && !givenNames.has(token.lower))
    )
      startIndex--;
    else break;
  }
  const titleTokens = phrase.slice(startIndex);
  if (titleTokens.every((t) => CUES.has(t.lower))) {
    result.cue = true;
    return result;
  }
  // Several titles in a row: "National Security Advisor Ambassador Mahmud Ali Durrani".
  const titles: string[] = [];
  let current: Token[] = [];
  let headEndsAt = -1;
  let lastHeadIsModifier = false;
  for (let j = 0; j < titleTokens.length; j++) {
    const token = titleTokens[j]!;
    if (CUES.has(token.lower)) continue;
    const index = first + startIndex + j;
    const insidePhrase = j <= headEndsAt;
    const isHonorific = insidePhrase ? null : honorifics.match(words, index, allCaps);
    const head = insidePhrase ? null : (titleHeads.match(words, index, allCaps) ?? isHonorific);
    const afterHead = headEndsAt === j - 1 && !lastHeadIsModifier;
    if ((isHonorific || (head && afterHead)) && current.length > 0 && !CONNECTORS.has(current[current.length - 1]!.lower)) {
      titles.push(current.map((t) => t.text).join(' '));
      current = [];
    }
    if (head) {
      headEndsAt = j + head.length - 1;
      lastHeadIsModifier = head.length === 1 && titleModifiers.has(token.lower);
    }
    current.push(token);
    if (isHonorific) result.honorific = true;
  }
  if (current.length) titles.push(current.map((t) => t.text).join(' '));
  for (const t of titles) {
    const trimmed = t.replace(/\s+(?:of|the|to|for|and)$/i, '');
    if (trimmed && !/^(?:Mr|Mrs|Ms|Dr|Codel|CODEL)$/.test(trimmed)) result.titles.push(trimmed.replace(/^Amb$/, 'Amb.'));
    else if (/^(?:Dr)$/.test(trimmed)) result.titles.push('Dr.');
  }
  result.title = true;
  result.loose = lowerHead && head === phrase.length - 1;
  // An organization inside the title is the person's ("PCO Foreign Policy Advisor").
  const headIndex = first + head;
  for (let j = first + startIndex; j < headIndex && !result.owner; j++) {
    const org = orgEndingAt.get(j);
    if (org && org.first >= first + startIndex - 3) {
      result.owner = org.known?.name ?? org.text;
      if (!result.countryCode) result.countryCode = org.countryCode;
    }
  }
  return result;
}

/**
 * A title in apposition after the name, between commas: "Commodore Dan McNeil, Laverdure's Director
 * of Operations and Strategic Planning, told us".
 */
function titleAfter(words: Token[], last: number, body: string, allCaps: boolean): string | null {
  const nameEnd = words[last]!;
  let k = last + 1;
  if (!words[k] || !/^,\s*$/.test(body.slice(nameEnd.end, words[k]!.start))) return null;
  // An owner first ("Laverdure's", "the MFA's") is not part of the title.
  if (words[k]!.possessive && isCapitalized(words[k]!.text)) k++;
  const start = k;
  if (
    !words[start] ||
    (!titleHeads.match(words, start, allCaps) && !(titleModifiers.has(words[start]!.lower) && titleHeads.match(words, start + 1, allCaps)))
  )
    return null;
  let end = start;
  for (let j = start + 1; j < words.length && j < start + 10; j++) {
    const token = words[j]!;
    if (!token.joined) break;
    if (isCapitalized(token.text) || (CONNECTORS.has(token.lower) && words[j + 1]?.joined && isCapitalized(words[j + 1]!.text))) end = j;
    else break;
  }
  const after = body.slice(words[end]!.end, words[end]!.end + 2);
  if (!/^[,.;]/.test(after)) return null;
  return body.slice(words[start]!.start, words[end]!.end).replace(/\s+/g, ' ');
}

// ---------------------------------------------------------------- routing lines

// "NSC FOR JWOOD", "EUR FOR GARY CLEMENTS AND ANGELA CERVETTI", "S/S-O PLEASE PASS NEA A/S BURNS".
const ROUTING_LINE =
  /^[ \t]*((?:[A-Z][A-Z\/\-]*)(?:[ \t]+[A-Z][A-Z\/\-]*)*)[ \t]+(?:FOR|PLEASE PASS(?: TO)?|PASS(?: TO)?)[ \t]+([A-Z][A-Z\/\-.,;' \t]*?)[ \t]*$/gm;
const ROUTING_STOP = new Set([
  'AND',
  'ALSO',
  'ONLY',
  'INFO',
  'INFORMATION',
  'ACTION',
  'PASS',
  'PLEASE',
  'TO',
  'THE',
  'FOR',
  'OF',
  'ALL',
  'USE',
  'DISTRIBUTION',
  'EMBASSY',
  'EMBASSIES',
  'POST',
  'POSTS',
  'OFFICE',
  'BUREAU',
  'DESK',
  'SECRETARY',
  'AMBASSADOR',
  'STAFF',
  'ATTN',
  'ATTENTION',
  'EXDIS',
  'LIMDIS',
  'NODIS',
  'NOFORN',
  'SIPDIS',
  'CHANNEL',
  'POLAD',
  'COLLECTIVE',
  'WASHDC',
  'WASHINGTON',
  'DC',
  'FROM',
  'ADDRESSEES',
  'AMEMBASSY',
  'USMISSION',
  'USUN',
  'USNATO',
  'USEU',
  'CONSULATE',
  'CONSULATES',
  'POLITICAL',
  'ECONOMIC',
  'SECTION',
  'DEPARTMENT',
  'STATE',
  'DEPT',
  'TREASURY',
  'COMMERCE',
  'DOD',
  'DOE',
  'USTR',
  'USAID',
  'AID',
  'NSC',
  'CIA',
  'DIA',
  'JCS',
  'OSD',
  'SECDEF',
  'FBI',
  'DHS',
  'DOJ',
  'USDA',
  'USDOC',
  'ENERGY',
  'JUSTICE',
  'AGRICULTURE',
  'LABOR',
  'INTERIOR',
  'PENTAGON',
  'WHITE',
  'HOUSE',
  'ADMIN',
  'NEXT',
  'SCHEDULE',
]);

export function routingLineSpans(body: string): Span[] {
  const spans: Span[] = [];
  const head = body.slice(0, Math.min(body.length, 2500));
  // Routing lines stand between the classification line and the E.O./TAGS lines.
  const stop = head.search(/^[ \t]*(?:E\.?O\.?|TAGS|SUBJECT|Classified|CLASSIFIED|¶|1\.)/m);
  const zone = stop > 0 ? head.slice(0, stop) : head.slice(0, 800);
  ROUTING_LINE.lastIndex = 0;
  for (let m = ROUTING_LINE.exec(zone); m; m = ROUTING_LINE.exec(zone)) spans.push({ start: m.index, end: m.index + m[0].length });
  return spans;
}

function routingPersons(body: string, tokens: Tokens, spans: Span[]): PersonHit[] {
  const hits: PersonHit[] = [];
  for (const span of spans) {
    const line = body.slice(span.start, span.end);
    const marker = /\s(?:FOR|PLEASE PASS(?: TO)?|PASS(?: TO)?)\s/.exec(line);
    if (!marker) continue;
    const listStart = span.start + marker.index + marker[0].length;
    const lineTokens = tokens.tokens.filter((t) => t.start >= listStart && t.end <= span.end);
    // Items are separated by "AND" or commas; within an item office codes and titles precede the name.
    let item: Token[] = [];
    const flush = () => {
      const nameTokens: Token[] = [];
      const titleTokens: Token[] = [];
      // "PASS TO AMCONSUL RECIFE": a post, not a person.
      if (item.some((t) => /^(?:AMEMBASSY|AMCONSUL|USMISSION|AMEMB|CONGEN|EMBASSY|CONSULATE)$/.test(t.text))) item = [];
      for (const t of item) {
        if (/[\/\d]/.test(t.text) && !/^[A-Z]+$/.test(t.text)) titleTokens.push(t);
        else if (NEVER_NAMES.has(t.lower)) titleTokens.push(t);
        else if (ROUTING_STOP.has(t.text) || usOfficeCodes.has(t.text) || titleAbbreviations.has(t.text) || organizationIndex.has(t.text))
          titleTokens.push(t);
        else if (/^[A-Z][A-Z'\-]{1,}$/.test(t.text)) nameTokens.push(t);
      }
      item = [];
      // "USDP EDELMAN", "DEA ARD DUDLEY": short codes before the name are offices and titles.
      while (nameTokens.length > 1 && nameTokens[0]!.text.length <= 4 && !givenNames.has(nameTokens[0]!.lower))
        titleTokens.push(nameTokens.shift()!);
      if (nameTokens.length === 0 || nameTokens.length > 3) return;
      // Everything after the first name word is the name ("GARY CLEMENTS").
      const first = nameTokens[0]!;
      const last = nameTokens[nameTokens.length - 1]!;
      const titles = titleTokens
        .filter((t) => t.end <= first.start && (titleAbbreviations.has(t.text) || t.text.includes('/')))
        .map((t) => t.text);
      const officeTitle = titles.some((t) => titleAbbreviations.has(t))
        ? [
            titleTokens
              .filter((t) => t.end <= first.start)
              .map((t) => t.text)
              .join(' '),
          ]
        : [];
      hits.push({
        name: nameTokens.map((t) => t.text).join(' '),
        words: nameTokens.map((t) => t.text),
        start: first.start,
        end: last.end,
        paragraph: first.paragraph,
        titles: officeTitle,
        countryCode: 'US',
        organization: null,
        evidence: 'routing',
      });
    };
    let previousEnd = listStart;
    for (const t of lineTokens) {
      const gap = body.slice(previousEnd, t.start);
      if (/[,;]/.test(gap) || t.text === 'AND') flush();
      if (t.text !== 'AND') item.push(t);
      previousEnd = t.end;
    }
    flush();
  }
  return hits;
}

// ---------------------------------------------------------------- Classified By

// Not "DECLASSIFIED BY NARA": the NARA release stamp of old cables.
const CLASSIFIED_BY = /(?<![A-Za-z])Classified\s+By:?\s*([^\n]*(?:\n(?![ \t]*\n)[^\n]*)?)/i;

const CLASSIFIED_BY_MAX_CHARS = 500;

/** The official who classified the cable, at the "Classified By" line (or from the header fields). */
function classifiedByPerson(tokens: Tokens, classifiedBy: ClassifiedBy | null): PersonHit | null {
  const { body } = tokens;
  const match = CLASSIFIED_BY.exec(body);
  let name = classifiedBy?.name?.trim() || null;
  let title = classifiedBy?.title?.trim() || null;
  let start = -1;
  if (match) {
    const lineStart = match.index + match[0].length - match[1]!.length;
    // A Classified By line is a title, a name and reasons: a few hundred characters at most. The
    // cap keeps the split below linear on a hostile line of nothing but blanks.
    const text = match[1]!
      .slice(0, CLASSIFIED_BY_MAX_CHARS)
      .split(/,|;|\s+for\s+|\s+FOR\s+|\s+Reasons?\b|\s+REASONS?\b|\s+E\.?O\.?\s|\s+1\.[45]/)[0]!
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/\.$/, '');
    if (!name && text) {
      const lineTokens = tokens.tokens.filter((t) => t.start >= lineStart && t.end <= lineStart + match[1]!.length);
      const inText = lineTokens.slice(0, text.split(' ').length);
      const titleWord = new Array<boolean>(inText.length).fill(false);
      for (let j = 0; j < inText.length; j++) {
        const index = tokens.tokens.indexOf(inText[j]!);
        const head = titleHeads.match(tokens.tokens, index, tokens.allCaps) ?? honorifics.match(tokens.tokens, index, tokens.allCaps);
        if (head) for (let n = 0; n < head.length && j + n < inText.length; n++) titleWord[j + n] = true;
        if (titleAbbreviations.has(inText[j]!.text) || titleModifiers.has(inText[j]!.lower)) titleWord[j] = true;
      }
      // The name is what follows the last title word: "Deputy Chief of Mission Stephen R. Kelly".
      let nameStart = inText.length;
      while (nameStart > 0 && !titleWord[nameStart - 1] && !['of', 'the', 'for', 'and'].includes(inText[nameStart - 1]!.lower)) nameStart--;
      const nameTokens = inText.slice(nameStart);
      if (nameTokens.length > 0) {
        name = body.slice(nameTokens[0]!.start, nameTokens[nameTokens.length - 1]!.end);
        const titleText = nameStart > 0 ? body.slice(inText[0]!.start, inText[nameStart - 1]!.end) : '';
        if (!title && titleText) title = titleText.replace(/\s+/g, ' ');
      }
      if (name && /^(?:X+|\(?[bB]\)?)/.test(name)) name = null;
    }
    if (name) {
      const at = body.indexOf(name, lineStart);
      const upper = at < 0 ? body.toUpperCase().indexOf(name.toUpperCase(), lineStart) : at;
      if (upper >= 0 && upper < lineStart + 200) start = upper;
    }
  }
  if (!name || /^X+$/i.test(name.replace(/\W/g, '')) || /\d/.test(name)) return null;
  const words = name
    .replace(/[,.]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !/^[A-Z]$/.test(w));
  const paragraphOf = start >= 0 ? (tokens.tokens.find((t) => t.start >= start)?.paragraph ?? 0) : 0;
  return {
    name,
    words,
    start: start >= 0 ? start : 0,
    end: start >= 0 ? start + name.length : 0,
    paragraph: paragraphOf,
    titles: title ? [title] : [],
    countryCode: 'US',
    organization: null,
    evidence: 'classified-by',
  };
}
