// standalone-names: capitalized words of a cable that could be a person's surname written alone
// ("Ahmadinejad's threats", "pressuring Ahmadinejad over"), for resolution to recognize when
// the surname is known, from other cables, as a person's. Pure: text in, words out.
import {
  countryIndex,
  givenNames,
  honorifics,
  isCommonWord,
  isFiniteVerb,
  isLexiconPlace,
  organizationIndex,
  titleAbbreviations,
  titleHeads,
} from './gazetteer.ts';
import { isCapitalized, tokenize, type Token } from './tokens.ts';

export interface StandaloneName {
  /** The word as written, without a possessive. */
  text: string;
  /** Lower-cased `text`: the form compared with the surnames other cables give persons. */
  form: string;
  /** Offsets in the cable body. */
  start: number;
  end: number;
}

const SHAPE = /^(?:(?:al|el|Al|El|AL|EL)-)?[A-Z][A-Za-z'’\-]*[a-zA-Z]$/;
// "XXXXXXXXXXXX": a redacted name.
const REDACTED = /^(.)\1+$/i;
const ARTICLES = new Set(['the', 'a', 'an']);
// Lower-case words inside names: "zu Guttenberg", "de Kirchner", "bin Laden".
const PARTICLES = new Set(['zu', 'von', 'van', 'der', 'den', 'de', 'del', 'da', 'dos', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'y']);
// "in Peshawar", "near Kandahar": a word the cable writes after these is a place there.
const LOCATIVES = new Set(['in', 'at', 'near', 'into', 'across', 'throughout', 'outside', 'inside', 'via', 'within']);

/** A word a title or an honorific, which may stand right before a surname ("President Karzai"). */
function titleWord(token: Token): boolean {
  return titleHeads.has(token.text) || titleAbbreviations.has(token.text) || honorifics.has(token.text);
}

// The gazetteers never change: what they say of a word is worth remembering.
const nameLikeWords = new Map<string, boolean>();

/** A capitalized word that is no ordinary word, place, country or known organization. */
function nameLike(token: Token): boolean {
  if (token.text.length < 4 || !isCapitalized(token.text)) return false;
  let known = nameLikeWords.get(token.text);
  if (known === undefined) {
    if (nameLikeWords.size > 100_000) nameLikeWords.clear();
    nameLikeWords.set(token.text, (known = judgeNameLike(token)));
  }
  return known;
}

function judgeNameLike(token: Token): boolean {
  return (
    token.text.length >= 4 &&
    SHAPE.test(token.text) &&
    !REDACTED.test(token.text) &&
    isCapitalized(token.text) &&
    !isCommonWord(token.lower) &&
    !isLexiconPlace(token.lower) &&
    !countryIndex.has(token.text) &&
    !organizationIndex.has(token.text) &&
    !titleWord(token)
  );
}

/**
 * Capitalized words of a paragraph standing alone as a name could: not inside a span `occupied`
 * (the cable's persons, organizations and countries), not after or before another name word
 * ("Mahmood Karzai" is someone else), though a title may precede ("President Karzai"). Offsets
 * are the paragraph's own plus `offset`, its place in the cable body.
 */
export function standaloneNames(text: string, offset: number, occupied: (start: number, end: number) => boolean): StandaloneName[] {
  const { tokens } = tokenize(text, []);
  const candidates: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!nameLike(token) || occupied(offset + token.start, offset + token.end)) continue;
    const previous = i > 0 && token.joined ? tokens[i - 1]! : null;
    if (previous && !previous.possessive && isCapitalized(previous.text) && !isCommonWord(previous.lower) && !titleWord(previous)) continue;
    if (
      previous &&
      PARTICLES.has(previous.text) &&
      previous.joined &&
      i > 1 &&
      isCapitalized(tokens[i - 2]!.text) &&
      !titleWord(tokens[i - 2]!)
    )
      continue;
    const next = tokens[i + 1];
    // The first word of a longer name: "GORDON BROWN", "Karl-Theodor zu Guttenberg".
    if (!token.possessive && next?.joined) {
      if (isCapitalized(next.text) && (nameLike(next) || givenNames.has(token.lower))) continue;
      const after = tokens[i + 2];
      if (PARTICLES.has(next.text) && after?.joined && isCapitalized(after.text)) continue;
    }
    // "The Hague", "the Likud": an article before a name is a place's or a group's, unless the name
    // qualifies a noun ("the Karzai government").
    const qualifies = !!next && next.joined && !token.possessive && next.text === next.lower && !isFiniteVerb(next.lower);
    if (previous && ARTICLES.has(previous.lower) && !qualifies) continue;
    candidates.push(i);
  }
  if (candidates.length === 0) return [];
  // A word the paragraph writes as a place anywhere is no name there.
  const forms = new Set(candidates.map((i) => tokens[i]!.lower));
  const places = new Set<string>();
  const isPlace = (k: number) => {
    const token = tokens[k];
    // Cities and regions the lexicon knows: countries are listed with leaders too ("Iran and Ahmadinejad").
    return !!token && isLexiconPlace(token.lower) && !countryIndex.has(token.text);
  };
  // "Lahore, Karachi, Peshawar and Rawalpindi": a word listed with places is one.
  const listedWith = (k: number, step: -1 | 1) => {
    const [a, b] = step < 0 ? [k - 1, k] : [k, k + 1];
    if (!tokens[a] || !tokens[b]) return false;
    const gap = text.slice(tokens[a]!.end, tokens[b]!.start);
    if (/^,\s*$/.test(gap)) return isPlace(k + step);
    const and = tokens[k + step];
    return !!and && and.lower === 'and' && /^\s+$/.test(gap) && isPlace(k + 2 * step);
  };
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.possessive || !forms.has(token.lower) || places.has(token.lower)) continue;
    // "in Peshawar", "in The Hague" (not "into the Hariri assassination").
    const before = token.joined ? tokens[i - 1]! : null;
    const next = tokens[i + 1];
    const qualifies = !!next && next.joined && next.text === next.lower;
    const afterArticle =
      !!before && ARTICLES.has(before.lower) && before.joined && i > 1 && LOCATIVES.has(tokens[i - 2]!.lower) && !qualifies;
    const locative = !!before && (LOCATIVES.has(before.lower) || afterArticle);
    if (locative || listedWith(i, -1) || listedWith(i, 1)) places.add(token.lower);
  }
  const found: StandaloneName[] = [];
  for (const i of candidates) {
    const token = tokens[i]!;
    if (places.has(token.lower)) continue;
    found.push({ text: token.text, form: token.lower, start: offset + token.start, end: offset + token.end });
  }
  return found;
}

/** A standalone name with the position of the paragraph it is in. */
export type LocatedStandaloneName = StandaloneName & { paragraph: number };

/** Whether a span overlaps one of `spans` (of the 16 that start last before its end). */
export function spanChecker(spans: readonly { start: number; end: number }[]): (start: number, end: number) => boolean {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  return (start, end) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.start < end) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && k >= lo - 16; k--) if (sorted[k]!.end > start) return true;
    return false;
  };
}

/**
 * The standalone names of a cable's paragraphs outside the spans its extraction occupies (its
 * mentions), in text order. Computed with the extraction, off the writing thread; the ingest's
 * known-surnames stage keeps those that write a surname known from other cables.
 */
export function cableStandaloneNames(
  paragraphs: readonly { position: number; start: number; text: string }[],
  occupied: readonly { start: number; end: number }[],
): LocatedStandaloneName[] {
  const inOccupied = spanChecker(occupied);
  const names: LocatedStandaloneName[] = [];
  for (const p of paragraphs)
    for (const name of standaloneNames(p.text, p.start, inOccupied)) names.push({ ...name, paragraph: p.position });
  return names.sort((a, b) => a.start - b.start);
}
