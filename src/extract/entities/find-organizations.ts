// find-organizations: ministries, offices, agencies, parties, forces, international bodies and office
// codes named in the body, with acronym pairing ("the Privy Council Office (PCO)", later "PCO").
import type { OrganizationKind, Span } from '../types.ts';
import { tagsLineSpan, type CountryHit } from './find-countries.ts';
import {
  countryIndex,
  givenNames,
  governmentCandidates,
  isAcronym,
  isCommonWord,
  isFunctionOrVerb,
  organizationHeads,
  organizationIndex,
  titleAbbreviations,
  titleHeads,
  usOfficeCodes,
  type KnownOrganization,
} from './gazetteer.ts';
import { isCapitalized, type Token, type Tokens } from './tokens.ts';

export interface OrganizationHit extends Span {
  /** The name as written, with a country prefix if one was written ("Pakistan Army"). */
  text: string;
  paragraph: number;
  kind: OrganizationKind;
  /** ISO alpha-2 of the organization's country, when the text or the gazetteer gives it. */
  countryCode: string | null;
  known: KnownOrganization | null;
  /** A bare head word ("the Committee") that stands for an organization named before. */
  bare: boolean;
  /** The acronym paired with this name in the text, if any. */
  acronym: string | null;
  first: number;
  last: number;
}

const MONTHS = new Set([
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
const CONNECTORS = new Set(['of', 'the', 'for', 'and', 'on', 'to', 'de', 'du', 'des', 'la', 'del', 'al']);
// Portion markings and caveats are slash codes too: "(S/NF)", "C/NF".
const MARKING_PARTS = new Set(['NF', 'NOFORN', 'REL', 'SBU', 'SI', 'TK', 'ORCON', 'PROPIN', 'FOUO']);
// Alone, these words are not the organization they abbreviate in the gazetteer.
const CONTEXT_ONLY = new Set([
  'State',
  'STATE',
  'Department',
  'DEPARTMENT',
  'Dept',
  'DEPT',
  'DOC',
  'INFO',
  'AID',
  'AP',
  'EC',
  'EP',
  'AU',
  'FC',
  'ISA',
  'AQ',
  'Quai',
]);
// Single head words that name an organization by themselves when capitalized mid-sentence.
const BARE_HEADS = new Set([
  'Cabinet',
  'Senate',
  'Parliament',
  'Judiciary',
  'Congress',
  'Army',
  'Navy',
  'Assembly',
  'Committee',
  'Council',
  'Ministry',
  'Commission',
  'Court',
  'Party',
  'Agency',
  'Bureau',
  'Directorate',
  'Embassy',
  'Mission',
]);
const NOT_ORGANIZATIONS = new Set(['Embassy', 'Mission', 'Government', 'Administration', 'Post', 'Consulate']);

export function isOfficeCode(word: string): boolean {
  if (!/^[A-Z]{1,5}(?:\/[A-Z]{1,6}(?:-[A-Z]{1,3})?)+$/.test(word) && !/^S\/[A-Z]{1,3}(?:-[A-Z])?$/.test(word)) return false;
  if (titleAbbreviations.has(word)) return false;
  const parts = word.split(/[\/-]/);
  if (parts.some((p) => MARKING_PARTS.has(p))) return false;
  return usOfficeCodes.has(parts[0]!) && (parts[0]!.length > 1 || parts[1]!.length <= 3);
}

function acronymOf(words: string[]): string[] {
  const significant = words.filter((w) => !CONNECTORS.has(w.toLowerCase()));
  const strict = significant.map((w) => w[0]!.toUpperCase()).join('');
  const loose = words.map((w) => w[0]!.toUpperCase()).join('');
  return [strict, loose];
}

/** Whether `acronym` abbreviates `words`: its letters are their initials, or contain them in order. */
export function abbreviates(acronym: string, words: string[]): boolean {
  const letters = acronym.toUpperCase().replace(/[^A-Z]/g, '');
  if (letters.length < 2 || words.length < 2) return false;
  const [strict, loose] = acronymOf(words);
  if (letters === strict || letters === loose) return true;
  // "Foreign Affairs (DFAIT)": the written name may be a shortening of the full one.
  let k = 0;
  for (const c of letters) if (k < strict!.length && c === strict![k]) k++;
  return k === strict!.length && strict!.length >= 2 && letters.length <= strict!.length + 3;
}

export interface OrganizationContext {
  countryHits: CountryHit[];
  /** The post's country, the default for ministries and agencies named without a country. */
  hostCountry: string | null;
}

export function findOrganizations(tokens: Tokens, context: OrganizationContext): OrganizationHit[] {
  const { tokens: words, allCaps, body } = tokens;
  const hits: OrganizationHit[] = [];
  const countryAt = new Map<number, CountryHit>();
  for (const hit of context.countryHits) countryAt.set(hit.first, hit);
  const countryEndingAt = new Map<number, CountryHit>();
  for (const hit of context.countryHits) countryEndingAt.set(hit.last, hit);

  const push = (
    first: number,
    last: number,
    kind: OrganizationKind,
    countryCode: string | null,
    known: KnownOrganization | null,
    bare = false,
  ) => {
    const a = words[first]!;
    const b = words[last]!;
    hits.push({
      text: body.slice(a.start, b.end),
      start: a.start,
      end: b.end,
      paragraph: a.paragraph,
      kind,
      countryCode,
      known,
      bare,
      acronym: null,
      first,
      last,
    });
  };
  const defaultCountry = (kind: OrganizationKind) => (kind === 'international' ? null : context.hostCountry);
  // A country written just before ("Canadian Cabinet", "U.S. Senate") belongs to the name.
  const prefixOf = (i: number): CountryHit | null => {
    const hit = countryEndingAt.get(i - 1);
    return hit && words[i]!.joined && !words[i - 1]!.possessive && hit.via !== 'tag' ? hit : null;
  };

  const tags = tagsLineSpan(body);
  for (let i = 0; i < words.length; i++) {
    const token = words[i]!;
    if (!allCaps && !isCapitalized(token.text) && !/^al-/.test(token.text)) continue;
    // TAGS subject codes (PREL, MOPS, UNSC) are a classification scheme, not mentions.
    if (tags && token.start >= tags.start && token.start < tags.end) continue;

    // Office codes: "NEA/ARP", "EUR/WE", "S/S-O", and bureau names alone ("NSC FOR JWOOD", "NEA A/S BURNS").
    if (
      isOfficeCode(token.text) ||
      (token.text.length >= 3 && usOfficeCodes.has(token.text) && !organizationIndex.match(words, i, allCaps))
    ) {
      push(i, i, 'office', 'US', null);
      continue;
    }

    const run = capitalizedRun(words, i, allCaps);
    const headed = headedPhrase(words, i, run, allCaps);
    const known = organizationIndex.match(words, i, allCaps);

    // A phrase whose name starts further on ("The UN Security Council", "MFA Head of Northern Europe
    // Division"): take what stands before it, then read the name from its own first word.
    if (headed && headed.first > i && !(known && i + known.length - 1 >= headed.first)) {
      if (known) {
        const org = known.value;
        push(i, i + known.length - 1, org.kind, org.country ?? defaultCountry(org.kind), org);
      }
      i = headed.first - 1;
      continue;
    }
    if (known && (!headed || headed.last <= i + known.length - 1)) {
      const last = i + known.length - 1;
      const single = known.length === 1;
      const word = token.text;
      let ok = true;
      if (single && CONTEXT_ONLY.has(word)) ok = contextOnlyOk(body, words, i);
      if (ok && allCaps && single && isCommonWord(token.lower)) ok = false;
      if (ok) {
        const org = known.value;
        const prefix = org.kind !== 'international' && org.country === null ? prefixOf(i) : null;
        if (prefix) push(prefix.first, last, org.kind, prefix.code, org);
        else push(i, last, org.kind, org.country ?? (org.kind === 'international' ? null : defaultCountry(org.kind)), org);
      }
      i = last;
      continue;
    }

    if (headed && coveredByCountry(context.countryHits, words[headed.first]!.start, words[headed.last]!.end)) {
      i = headed.last;
      continue;
    }
    if (headed) {
      const prefix = prefixOf(headed.first);
      const first = prefix ? prefix.first : headed.first;
      let country: string | null = prefix?.code ?? null;
      for (let k = headed.first; k <= headed.last && !country; k++) {
        const hit = countryAt.get(k);
        if (hit && hit.via !== 'government') country = hit.code;
      }
      push(first, headed.last, headed.kind, country ?? defaultCountry(headed.kind), null);
      i = headed.last;
      continue;
    }

    // "the Committee", "his own Cabinet": a head word standing for an organization.
    if (
      !allCaps &&
      BARE_HEADS.has(token.text) &&
      !NOT_ORGANIZATIONS.has(token.text) &&
      i > 0 &&
      (token.possessive || !(words[i + 1]?.joined && isCapitalized(words[i + 1]!.text)))
    ) {
      const previous = words[i - 1]!;
      if (token.joined && !isCapitalized(previous.text)) {
        push(i, i, headKind(token.text), defaultCountry(headKind(token.text)), null, true);
        continue;
      }
    }

    // Ministries by acronym (MOD, MOI, MOFA) and any acronym used as an owner ("PCO's Rob Fonberg").
    const letters = token.text;
    if (/^M[Oo](?:[A-Z]|FA)$/.test(letters) && !allCaps && !governmentCandidates(letters)) {
      push(i, i, 'ministry', context.hostCountry, null);
      continue;
    }
    const upperNeighbours = [words[i - 1], words[i + 1]].some(
      (w) => w && w.text.length > 2 && w.text === w.text.toUpperCase() && /[A-Z]/.test(w.text),
    );
    if (
      !allCaps &&
      token.possessive &&
      !upperNeighbours &&
      !/^[IVXLC]+$/.test(letters) &&
      isAcronym(letters) &&
      letters.length <= 6 &&
      !governmentCandidates(letters) &&
      !countryIndex.has(letters) &&
      !titleAbbreviations.has(letters)
    ) {
      push(i, i, 'agency', context.hostCountry, null);
    }
  }

  pairAcronyms(tokens, hits, context);
  return hits.sort((a, b) => a.start - b.start);
}

function coveredByCountry(hits: CountryHit[], start: number, end: number): boolean {
  return hits.some((h) => h.start <= start && h.end >= end);
}

function contextOnlyOk(body: string, words: Token[], i: number): boolean {
  const token = words[i]!;
  const next = words[i + 1];
  const previous = words[i - 1];
  // Routing lines: "STATE FOR NEA/ARP", "DEPT PASS USTR".
  if (next && /^(?:FOR|PASS|PLEASE)$/.test(next.text) && /(?:^|\n)[ \t]*$/.test(body.slice(Math.max(0, token.start - 20), token.start)))
    return true;
  if (/^(?:Department|Dept|DEPT|DEPARTMENT)$/.test(token.text)) {
    if (token.possessive) return true;
    if (previous && previous.lower === 'the' && token.joined && !(next && next.joined && (next.lower === 'of' || isCapitalized(next.text))))
      return true;
  }
  return false;
}

export interface Run {
  /** Index of the last token of the run. */
  last: number;
}

/**
 * The capitalized phrase starting at token `i`: capitalized words and acronyms joined by spaces,
 * with "of", "the", "and"… inside when a capitalized word follows; a possessive ends it.
 */
/**
 * Words a capitalized run may span: longer than any organization's name. Without a bound, a run
 * of thousands of capitalized words (a fuzzed "WORD WORD …" paragraph) is scanned again from each
 * of its words: 20 s for 160 KB.
 */
const MAX_RUN_WORDS = 24;

export function capitalizedRun(words: Token[], i: number, allCaps: boolean): Run {
  let last = i;
  if (words[i]!.possessive) return { last };
  const end = Math.min(words.length, i + MAX_RUN_WORDS);
  for (let k = i + 1; k < end; k++) {
    const token = words[k]!;
    if (!token.joined) break;
    if (MONTHS.has(token.lower)) break;
    // Routing and SUBJECT lines of a mixed-case cable: "DEPARTMENT FOR WHA/CEN PASS TO USAID".
    if (
      !allCaps &&
      token.text.length > 1 &&
      token.text === token.text.toUpperCase() &&
      (CONNECTORS.has(token.lower) || isFunctionOrVerb(token.lower))
    )
      break;
    if (isCapitalized(token.text) && (!allCaps || !isFunctionOrVerb(token.lower) || CONNECTORS.has(token.lower))) {
      last = k;
      if (token.possessive) break;
      continue;
    }
    if (CONNECTORS.has(token.lower) && k + 1 < words.length && words[k + 1]!.joined) {
      const next = words[k + 1]!;
      if (isCapitalized(next.text) && !MONTHS.has(next.lower)) continue;
      // "Mission to the UN", "Clerk of the Privy Council".
      if (next.lower === 'the' && token.lower !== 'the' && words[k + 2]?.joined && isCapitalized(words[k + 2]!.text)) continue;
    }
    break;
  }
  // Connectors never end a run.
  while (last > i && CONNECTORS.has(words[last]!.lower)) last--;
  return { last };
}

interface Headed {
  first: number;
  last: number;
  kind: OrganizationKind;
}

function headKind(word: string): OrganizationKind {
  const found = organizationHeads.match(
    [{ text: word, lower: word.toLowerCase(), start: 0, end: word.length, possessive: false, joined: false, paragraph: 0 }],
    0,
    false,
  );
  return found?.value ?? 'other';
}

// Leading words that are not part of the organization's name.
const LEAD_STOP = new Set([
  'pass',
  'sipdis',
  'noforn',
  'sensitive',
  'exdis',
  'limdis',
  'nodis',
  'the',
  'a',
  'an',
  'his',
  'her',
  'its',
  'their',
  'our',
  'this',
  'that',
  'these',
  'those',
  'both',
  'all',
  'some',
  'most',
  'many',
  'several',
  'former',
  'new',
  'ex',
  'post',
  'per',
  'since',
  'while',
  'when',
  'after',
  'before',
  'during',
  'under',
  'with',
  'within',
  'from',
  'at',
  'by',
  'in',
  'on',
  'of',
  'for',
  'and',
  'but',
  'comment',
  'note',
  'summary',
  'end',
  'subject',
  'ref',
  'tags',
]);

function headedPhrase(words: Token[], i: number, run: Run, allCaps: boolean): Headed | null {
  let best: Headed | null = null;
  for (let h = i; h <= run.last; h++) {
    const match = organizationHeads.match(words, h, allCaps);
    if (!match) continue;
    let end = h + match.length - 1;
    if (end > run.last) continue;
    // "Ministry of Defense", "Assembly of Experts", "Mission to the UN": a complement after the head.
    if (end < run.last && ['of', 'for', 'to', 'on'].includes(words[end + 1]!.lower)) {
      end = run.last;
      // "Party for Democratic Action President Sulejman Tihic": a title ends the complement.
      for (let k = h + match.length + 1; k <= run.last; k++)
        if (isCapitalized(words[k]!.text) && titleHeads.match(words, k, allCaps) && !organizationHeads.match(words, k, allCaps)) {
          end = k - 1;
          break;
        }
      // "Ministry of Defense and the Army": a complement stops before "and" when another head follows it.
      for (let k = h + match.length; k < run.last; k++)
        if (words[k]!.lower === 'and' && headAhead(words, k + 1, run.last, allCaps)) {
          end = k - 1;
          break;
        }
    } else if (end < run.last && !NOT_ORGANIZATIONS.has(words[end]!.text)) {
      // A head inside a longer phrase ("Security Council heads") counts only at the phrase's end.
      const nextHead = organizationHeads.match(words, end + 1, allCaps);
      if (!nextHead) {
        if (h === i || end + 1 > run.last) continue;
      }
    }
    if (best && words.slice(best.last + 1, h).some((w) => w.lower === 'and')) break;
    let first = i;
    if (allCaps) {
      // Upper-case text has no capitals to end a name: take only the words that can qualify a head.
      first = h;
      while (first > i && allCapsQualifier(words[first - 1]!)) first--;
    }
    // "Director of the MFA Russia Office", "General Ali Dahan of the Yemen Special Operations Forces":
    // a person or a title before "of" is not part of the organization's name.
    // Likewise "Harassment of the Roman Catholic Church": the head comes after "of", nothing before it is a head.
    for (let k = first; k < h; k++) {
      if (words[k]!.lower === 'and') first = k + 1;
      if (words[k]!.lower !== 'of' && words[k]!.lower !== 'for') continue;
      const before = words.slice(first, k);
      const titled = before.some((w, j) => titleHeads.match(words, first + j, allCaps) || titleAbbreviations.has(w.text));
      const headed = before.some((_, j) => organizationHeads.match(words, first + j, allCaps));
      if (titled || !headed) first = words[k + 1]?.lower === 'the' ? k + 2 : k + 1;
      else break;
    }
    if (first > h) continue;
    while (
      first < h &&
      (LEAD_STOP.has(words[first]!.lower) ||
        isFunctionOrVerb(words[first]!.lower) ||
        (titleHeads.has(words[first]!.text) && !isAcronym(words[first]!.text) && first + 1 < h && isPersonish(words[first + 1]!)))
    )
      first++;
    const phraseWords = end - first + 1;
    if (phraseWords < 2 && !(end > h)) continue;
    if (NOT_ORGANIZATIONS.has(words[h]!.text) && end === h) continue;
    best = { first, last: end, kind: match.value };
    if (end === run.last) break;
  }
  if (!best) return null;
  // A lone head with only determiners before it is handled as a bare head.
  if (best.last === best.first) return null;
  return best;
}

function headAhead(words: Token[], from: number, to: number, allCaps: boolean): boolean {
  for (let k = from; k <= to; k++) if (organizationHeads.match(words, k, allCaps)) return true;
  return false;
}

const QUALIFIERS = new Set([
  'armed',
  'national',
  'federal',
  'central',
  'supreme',
  'revolutionary',
  'royal',
  'peoples',
  'popular',
  'democratic',
  'liberal',
  'conservative',
  'socialist',
  'communist',
  'labor',
  'labour',
  'christian',
  'foreign',
  'defense',
  'defence',
  'interior',
  'justice',
  'finance',
  'security',
  'air',
  'naval',
  'state',
  'general',
  'joint',
  'special',
  'republican',
  'islamic',
  'provincial',
  'military',
  'civil',
  'economic',
  'political',
  'legal',
  'planning',
  'intelligence',
  'border',
  'coast',
  'presidential',
]);

function allCapsQualifier(token: Token): boolean {
  if (token.possessive || (!token.joined && false)) return false;
  return (
    QUALIFIERS.has(token.lower) ||
    countryIndex.has(token.text) ||
    organizationIndex.has(token.text) ||
    (!isCommonWord(token.lower) && !isFunctionOrVerb(token.lower) && !/\d/.test(token.text))
  );
}

function isPersonish(token: Token): boolean {
  return isCapitalized(token.text) && !isAcronym(token.text) && (givenNames.has(token.lower) || !isCommonWord(token.lower));
}

function pairAcronyms(tokens: Tokens, hits: OrganizationHit[], context: OrganizationContext): void {
  const { body, tokens: words, allCaps } = tokens;
  if (allCaps) return;
  const byEnd = new Map<number, OrganizationHit>();
  for (const hit of hits) byEnd.set(hit.last, hit);
  const acronyms = new Map<string, OrganizationHit>();
  for (let i = 1; i < words.length; i++) {
    const token = words[i]!;
    if (!isAcronym(token.text) && !/^[A-Z][a-z]?[A-Z]+$/.test(token.text)) continue;
    // "Government of Pakistan (GOP)" names a country, found by find-countries.
    if (governmentCandidates(token.text)) continue;
    if (body[token.start - 1] !== '(' || body[token.end] !== ')') continue;
    const previousEnd = i - 1;
    const gap = body.slice(words[previousEnd]!.end, token.start);
    if (!/^(?:['’]s)?\s*\($/.test(gap)) continue;
    let hit = byEnd.get(previousEnd) ?? null;
    if (!hit) {
      // An unnamed phrase whose initials make the acronym: "the Counter Terrorism Unit (CTU)".
      let start = previousEnd;
      while (start > 0 && words[start]!.joined && (isCapitalized(words[start - 1]!.text) || CONNECTORS.has(words[start - 1]!.lower)))
        start--;
      while (start < previousEnd && (CONNECTORS.has(words[start]!.lower) || LEAD_STOP.has(words[start]!.lower))) start++;
      const phrase = words.slice(start, previousEnd + 1).map((w) => w.text);
      const lastWord = words[previousEnd]!;
      if (!abbreviates(token.text, phrase)) continue;
      if (titleHeads.match(words, previousEnd, false) || titleHeads.has(lastWord.text)) continue;
      // Laws, programs and vehicles have acronyms too ("Mine Resistant Ambush Protected (MRAP)"): an
      // organization's name holds a head word.
      if (!words.slice(start, previousEnd + 1).some((_, j) => organizationHeads.match(words, start + j, false))) continue;
      const kind = headKind(lastWord.text);
      hit = {
        text: body.slice(words[start]!.start, lastWord.end),
        start: words[start]!.start,
        end: lastWord.end,
        paragraph: words[start]!.paragraph,
        kind,
        countryCode: kind === 'international' ? null : context.hostCountry,
        known: null,
        bare: false,
        acronym: null,
        first: start,
        last: previousEnd,
      };
      hits.push(hit);
    }
    hit.acronym = token.text;
    acronyms.set(token.text, hit);
  }
  if (acronyms.size === 0) return;
  // Every later use of a paired acronym is a mention of the same organization.
  const covered = new Set<number>();
  for (const hit of hits) for (let k = hit.first; k <= hit.last; k++) covered.add(k);
  for (let i = 0; i < words.length; i++) {
    const token = words[i]!;
    const owner = acronyms.get(token.text);
    if (!owner || covered.has(i)) continue;
    hits.push({
      ...owner,
      text: token.text,
      start: token.start,
      end: token.end,
      paragraph: token.paragraph,
      acronym: token.text,
      bare: false,
      first: i,
      last: i,
      known: owner.known,
    });
  }
}
