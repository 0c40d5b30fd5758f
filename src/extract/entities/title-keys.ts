// Matching keys for titles: what office a title names, so that "U/S Burns", "Under Secretary for
// Political Affairs Burns" and "Under Secretary Burns" agree, while "former President Khatami"
// and "President Khatami", or "Deputy Foreign Minister" and "Foreign Minister", do not.
import expansionData from '../data/title-expansions.json' with { type: 'json' };

const EXPANSIONS = new Map<string, string>(Object.entries(expansionData.expansions));
// Rank words that change which office is meant: kept in front of the head ("deputy:minister").
const PREFIXES = new Set(['former', 'vice', 'deputy', 'assistant', 'under']);
// Words that qualify an office without changing it, and honorifics that name no office.
const DROPPED = new Set([
  'acting',
  'senior',
  'principal',
  'interim',
  'caretaker',
  'special',
  'then',
  'the',
  'a',
  'his',
  'her',
  'excellency',
  'mr',
  'mrs',
  'ms',
  'dr',
  'sir',
  'he',
]);
// The head of "Minister of Foreign Affairs", "Chief of Staff" stands before the first of these.
const CONNECTORS = new Set(['of', 'for', 'to', 'in', 'on', 'at', 'and', 'with', 'de', 'du', 'del', 'des', 'la', 'le']);

function expand(raw: string): string {
  const bare = raw.replace(/['’]s$/, '').replace(/[,;:]+$/, '');
  const direct = EXPANSIONS.get(bare) ?? EXPANSIONS.get(bare.replace(/\.$/, ''));
  if (direct) return direct;
  // "S/SRAP", "NEA/A/S": an office code before the title.
  const slash = bare.lastIndexOf('/');
  if (slash > 0) {
    const tail = EXPANSIONS.get(bare.slice(slash + 1)) ?? EXPANSIONS.get(bare.slice(bare.lastIndexOf('/', slash - 1) + 1));
    if (tail) return tail;
  }
  return bare;
}

function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

// Titles recur: the key of each is worth remembering.
const keysOfTitles = new Map<string, string | null>();

/** The office one title names, as a key: "deputy:minister", "former:president", "under:secretary". */
export function titleKey(title: string): string | null {
  let key = keysOfTitles.get(title);
  if (key === undefined) {
    if (keysOfTitles.size > 50_000) keysOfTitles.clear();
    keysOfTitles.set(title, (key = officeOf(title)));
  }
  return key;
}

function officeOf(title: string): string | null {
  const words = foldAccents(title.split(/\s+/).map(expand).join(' '))
    .toLowerCase()
    .replace(/[’'`.]/g, '')
    .replace(/[^a-z0-9-]+/g, ' ')
    .split(' ')
    .filter(Boolean)
    .flatMap((word) => (word.startsWith('ex-') ? ['former', word.slice(3)] : [word]));
  const prefixes: string[] = [];
  let head: string | null = null;
  for (const word of words) {
    if (CONNECTORS.has(word)) {
      if (head) break;
      continue;
    }
    // Single letters are initials left over from a name ("Under Secretary R. Nicholas Burns").
    if (DROPPED.has(word) || word.length === 1) continue;
    if (PREFIXES.has(word)) {
      // "Deputy Assistant Secretary": the prefixes stand for the rank; a head already seen was a domain.
      if (head) head = null;
      if (!prefixes.includes(word)) prefixes.push(word);
      continue;
    }
    head = word;
  }
  if (!head) return prefixes.length ? prefixes.join(':') : null;
  return [...prefixes, singular(head)].join(':');
}

/** The offices a list of titles names. */
export function titleKeys(titles: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const title of titles) {
    const key = titleKey(title);
    if (key) keys.add(key);
  }
  return keys;
}
