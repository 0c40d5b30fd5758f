// merge-persons: one person per individual in the cable ("Prime Minister Jean Chretien" … "Chretien"),
// with every mention of them, later bare surnames included.
import type { Mention, Person } from '../types.ts';
import { countryIndex, honorifics, isCommonWord, isLexiconPlace, titleHeads } from './gazetteer.ts';
import { countryName } from './gazetteer.ts';
import type { PersonHit } from './find-persons.ts';
import { titleKey, titleKeys } from './title-keys.ts';
import { isCapitalized, isUpperWord, type Tokens } from './tokens.ts';

// Titles that, alone, mark an official of the United States in a US cable.
const US_TITLES = new Set([
  'senator',
  'sen',
  'senators',
  'congressman',
  'congresswoman',
  'representative',
  'rep',
  'secretary',
  'ambassador',
  'amb',
  'amb.',
  'dcm',
  'deputy chief of mission',
  'charge',
  "charge d'affaires",
  'consul general',
  'under secretary',
  'assistant secretary',
  'a/s',
  'das',
  'acting deputy chief of mission',
  'president-elect',
  'senate staff member',
  'congressional staff',
]);

interface Draft {
  name: string;
  words: string[];
  aliases: Set<string>;
  titles: string[];
  countryCode: string | null;
  organizations: Set<string>;
  mentions: Mention[];
  fromTitleCountry: boolean;
  arabic: boolean;
}

const last = (words: string[]) => (words[words.length - 1] ?? '').toLowerCase();

function key(word: string): string {
  return word.toLowerCase().replace(/['’]/g, '');
}

export function mergePersons(
  hits: PersonHit[],
  tokens: Tokens,
  hostCountry: string | null,
  occupied: (start: number, end: number) => boolean,
): { persons: Person[]; mentions: Mention[] } {
  const drafts: Draft[] = [];
  const ordered = [...hits].sort((a, b) => (b.words.length >= 2 ? 1 : 0) - (a.words.length >= 2 ? 1 : 0) || a.start - b.start);
  for (const hit of ordered) {
    if (hit.words.length === 0) continue;
    const draft = findDraft(drafts, hit);
    const mention: Mention = {
      kind: 'person',
      entity: '',
      paragraph: hit.paragraph,
      start: hit.start,
      end: hit.end,
      text: tokens.body.slice(hit.start, hit.end),
      title: hit.titles[0] ?? null,
    };
    if (draft) {
      if (hit.words.length > draft.words.length) {
        draft.aliases.add(draft.name);
        draft.name = hit.name;
        draft.words = hit.words;
      } else if (hit.name !== draft.name) draft.aliases.add(hit.name);
      addFacts(draft, hit);
      if (hit.end > hit.start) draft.mentions.push(mention);
    } else {
      const created: Draft = {
        name: hit.name,
        words: hit.words,
        aliases: new Set(),
        titles: [],
        countryCode: null,
        organizations: new Set(),
        mentions: hit.end > hit.start ? [mention] : [],
        fromTitleCountry: false,
        arabic: /\b(?:bin|bint|ibn|abu|ben)\b/.test(hit.name),
      };
      addFacts(created, hit);
      drafts.push(created);
    }
  }

  addListedPersons(drafts, tokens, occupied);

  // Later bare surnames: "Chretien" after "Prime Minister Jean Chretien". A person the cable itself
  // names by the bare surname (namesakes apart) is the one the other bare surnames mean.
  const surnames = new Map<string, Draft>();
  for (const draft of drafts) {
    const forms = [draft.words[draft.words.length - 1]!];
    if (draft.arabic) forms.push(draft.words[0]!);
    for (const form of forms) {
      const known = surnames.get(key(form));
      if (form.length >= 3 && (!known || (draft.words.length === 1 && known.words.length > 1))) surnames.set(key(form), draft);
    }
  }
  // Where the persons found so far are written: a surname inside one of those names is theirs.
  const spans = drafts.flatMap((draft) => draft.mentions).sort((a, b) => a.start - b.start);
  let cursor = 0;
  for (const token of tokens.tokens) {
    while (cursor < spans.length && spans[cursor]!.end <= token.start) cursor++;
    const draft = surnames.get(key(token.text));
    if (!draft || (cursor < spans.length && spans[cursor]!.start <= token.start)) continue;
    const written = token.text;
    if (!isCapitalized(written)) continue;
    if (!tokens.allCaps && isUpperWord(written) && written.length > 1 && !draft.words.some((w) => w === written)) {
      // An upper-case SUBJECT line still names the person.
      if (!/^[A-Z][A-Z'\-]+$/.test(written)) continue;
    }
    if (occupied(token.start, token.end)) continue;
    draft.mentions.push({
      kind: 'person',
      entity: '',
      paragraph: token.paragraph,
      start: token.start,
      end: token.end,
      text: written,
      title: null,
    });
    if (written !== draft.name && !isUpperWord(written)) draft.aliases.add(written);
  }

  const persons: Person[] = [];
  const mentions: Mention[] = [];
  for (const draft of drafts) {
    if (draft.mentions.length === 0 && draft.titles.length === 0) continue;
    let code = draft.countryCode;
    if (!code) {
      const usOnly = draft.titles.length > 0 && draft.titles.every((t) => US_TITLES.has(t.toLowerCase()));
      code = usOnly ? 'US' : hostCountry;
    }
    draft.mentions.sort((a, b) => a.start - b.start);
    for (const m of draft.mentions) m.entity = draft.name;
    mentions.push(...draft.mentions);
    draft.aliases.delete(draft.name);
    persons.push({
      name: draft.name,
      aliases: [...draft.aliases],
      titles: draft.titles,
      country: countryName(code),
      countryCode: code,
      organizations: [...draft.organizations],
      paragraphs: [...new Set(draft.mentions.map((m) => m.paragraph))].sort((a, b) => a - b),
    });
  }
  return { persons, mentions };
}

function addFacts(draft: Draft, hit: PersonHit): void {
  for (const title of hit.titles) if (!draft.titles.includes(title)) draft.titles.push(title);
  if (hit.countryCode && (!draft.countryCode || (!draft.fromTitleCountry && hit.evidence === 'title'))) {
    draft.countryCode = hit.countryCode;
    draft.fromTitleCountry = hit.evidence === 'title';
  }
  if (hit.organization) draft.organizations.add(hit.organization);
}

function findDraft(drafts: Draft[], hit: PersonHit): Draft | null {
  const surname = last(hit.words);
  const candidates: Draft[] = [];
  for (const draft of drafts) {
    const sameLast = last(draft.words) === surname;
    const arabicFirst = draft.arabic && hit.words.length === 1 && key(draft.words[0]!) === key(hit.words[0]!);
    // Spanish and Portuguese names carry two surnames: "Ivan Iporre Salguero" is also "Ivan Iporre" and "Iporre".
    const shorter = hit.words.length < draft.words.length ? hit.words : draft.words;
    const longer = shorter === hit.words ? draft.words : hit.words;
    const prefix = shorter.length >= 2 && shorter.every((w, j) => key(w) === key(longer[j]!));
    const middle = hit.words.length === 1 && draft.words.length >= 3 && draft.words.slice(1, -1).some((w) => key(w) === surname);
    if (!sameLast && !arabicFirst && !prefix && !middle) continue;
    if (hit.words.length >= 2 && draft.words.length >= 2 && key(hit.words[0]!)[0] !== key(draft.words[0]!)[0]) continue;
    candidates.push(draft);
  }
  if (candidates.length === 0) return null;
  if (hit.words.length === 1) return surnameDraft(candidates, hit);
  // Several people may share a surname: the one mentioned last is meant.
  return candidates.reduce((best, draft) => (lastMention(draft) > lastMention(best) ? draft : best));
}

/**
 * The person a bare surname refers back to. A title settles it among namesakes ("President Karzai"
 * beside "Ahmed Wali Karzai"); a titled surname written before the fuller forms of its namesakes,
 * or among namesakes none of whom holds its title, names someone else, left for resolution across
 * cables to identify.
 */
function surnameDraft(candidates: Draft[], hit: PersonHit): Draft | null {
  const introduced = candidates.filter((draft) => firstMention(draft) < hit.start);
  // Honorifics ("Mr.", "Dr.") name no office: only an office tells namesakes apart.
  const keys = titleKeys(hit.titles);
  if (keys.size > 0) {
    const holders = candidates.filter((draft) => draft.titles.some((title) => keys.has(titleKey(title) ?? '')));
    if (holders.length > 0) return nearestBefore(holders, hit.start);
    if (candidates.length === 1) return introduced.length === 1 ? introduced[0]! : null;
    const untitled = introduced.filter((draft) => titleKeys(draft.titles).size === 0);
    return untitled.length === 1 ? untitled[0]! : null;
  }
  return nearestBefore(candidates, hit.start);
}

/** Of several namesakes, the one mentioned last before `start`, else the first mentioned after it. */
function nearestBefore(drafts: Draft[], start: number): Draft {
  let best: Draft | null = null;
  let bestAt = -Infinity;
  for (const draft of drafts) {
    const at = draft.mentions.reduce((max, m) => (m.start < start ? Math.max(max, m.start) : max), -Infinity);
    if (at > bestAt) {
      best = draft;
      bestAt = at;
    }
  }
  return best ?? drafts.reduce((first, draft) => (firstMention(draft) < firstMention(first) ? draft : first));
}

/** Where a person is first mentioned; persons named only outside the text (headers) come first. */
function firstMention(draft: Draft): number {
  return draft.mentions.reduce((min, m) => Math.min(min, m.start), draft.mentions.length ? Infinity : -1);
}

function lastMention(draft: Draft): number {
  return draft.mentions.reduce((max, m) => Math.max(max, m.start), -1);
}

// "moves against Mousavi, Karrubi and Khatami": single names listed with a known person are persons.
function addListedPersons(drafts: Draft[], tokens: Tokens, occupied: (start: number, end: number) => boolean): void {
  if (tokens.allCaps || drafts.length === 0) return;
  const known = new Set<string>();
  for (const draft of drafts) known.add(key(draft.words[draft.words.length - 1]!));
  const { body, tokens: words } = tokens;
  const capital = (k: number) => {
    const token = words[k];
    return !!token && isCapitalized(token.text) && !isUpperWord(token.text) && token.lower !== 'and';
  };
  const gap = (a: number, b: number) => body.slice(words[a]!.end + (words[a]!.possessive ? 2 : 0), words[b]!.start);
  // An item is one word: no capitalized word right before or after it.
  const single = (k: number) =>
    !(k + 1 < words.length && capital(k + 1) && /^\s+$/.test(gap(k, k + 1))) && !(k > 0 && capital(k - 1) && /^\s+$/.test(gap(k - 1, k)));
  const next = (k: number): number => {
    if (k + 1 >= words.length || words[k]!.possessive) return -1;
    const separator = gap(k, k + 1);
    if (/^,\s*$/.test(separator) && capital(k + 1)) return k + 1;
    if (
      words[k + 1]!.lower === 'and' &&
      /^,?\s+$/.test(separator) &&
      k + 2 < words.length &&
      /^\s+$/.test(gap(k + 1, k + 2)) &&
      capital(k + 2)
    )
      return k + 2;
    return -1;
  };
  for (let k = 0; k < words.length; k++) {
    if (!capital(k) || !single(k)) continue;
    let chain = [k];
    for (let n = next(k); n >= 0 && single(n); n = next(n)) chain.push(n);
    k = chain[chain.length - 1]!;
    // A list ends with "and": "Kurds, Dagan said" is a clause, not a list.
    let lastAnd = -1;
    for (let c = 1; c < chain.length; c++) if (chain[c]! - chain[c - 1]! === 2) lastAnd = c;
    if (lastAnd < 0) continue;
    chain = chain.slice(0, lastAnd + 1);
    if (!chain.some((c) => known.has(key(words[c]!.text)))) continue;
    for (const c of chain) {
      const token = words[c]!;
      if (known.has(key(token.text)) || token.possessive) continue;
      if (drafts.some((d) => d.mentions.some((mention) => token.start >= mention.start && token.start < mention.end))) continue;
      if (isCommonWord(token.lower) || isLexiconPlace(token.lower) || countryIndex.has(token.text) || occupied(token.start, token.end))
        continue;
      if (titleHeads.has(token.text) || honorifics.has(token.text)) continue;
      known.add(key(token.text));
      drafts.push({
        name: token.text,
        words: [token.text],
        aliases: new Set(),
        titles: [],
        countryCode: null,
        organizations: new Set(),
        mentions: [
          { kind: 'person', entity: '', paragraph: token.paragraph, start: token.start, end: token.end, text: token.text, title: null },
        ],
        fromTitleCountry: false,
        arabic: false,
      });
    }
  }
}
