// Matching keys for names: accents, case, honorifics and common transliteration variants folded,
// so that "Qadhafi", "QADHAFI", "Gaddafi" and "al-Qadhafi" block together. Keys are for matching
// only; what is shown is always a name as a cable wrote it.
import { givenNames } from '../../extract/entities/gazetteer.ts';

const HONORIFICS = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mme',
  'mlle',
  'dr',
  'prof',
  'sir',
  'dame',
  'lord',
  'lady',
  'hon',
  'rev',
  'sheikh',
  'shaykh',
  'sheik',
  'sayyid',
  'haji',
  'hajji',
  'mullah',
  'gen',
  'col',
  'adm',
  'capt',
  'lt',
  'maj',
  'sen',
  'rep',
]);
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
// Arabic article and similar particles written before a surname: "al-Maliki" is "Maliki".
const SURNAME_PARTICLES = /^(?:al|el|ul|as|ash|ad|ar|az)-/;

export function foldAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Lower-case word tokens of a name without honorifics and generational suffixes. */
export function nameTokens(name: string): string[] {
  const tokens = foldAccents(name)
    .toLowerCase()
    .replace(/[’'`]/g, '')
    .replace(/[^a-z0-9-]+/g, ' ')
    .split(' ')
    .filter(Boolean);
  while (tokens.length > 1 && HONORIFICS.has(tokens[0]!.replace(/-/g, ''))) tokens.shift();
  while (tokens.length > 1 && SUFFIXES.has(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens;
}

/** A transliteration-tolerant key for one name word. */
export function wordKey(word: string): string {
  return word
    .replace(SURNAME_PARTICLES, '')
    .replace(/-/g, '')
    .replace(/kh|gh|q|c(?=[aou])|ck|g/g, 'k')
    .replace(/dh/g, 'd')
    .replace(/th/g, 't')
    .replace(/ph/g, 'f')
    .replace(/ou|oo/g, 'u')
    .replace(/ee|y/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

export interface NameParts {
  /** Key of the surname (the last word). */
  surname: string;
  /** Key of the first given name, '' when the name is a surname alone. */
  given: string;
  /** True when the given name is only an initial ("S. Kelly"). */
  initialOnly: boolean;
  /** Normalized full name, for telling one person record from another in a cable. */
  full: string;
}

// Resolution asks for the parts of the same names over and over (a surname block is clustered again
// whenever a batch touches it): they are kept, up to a bound, rather than worked out each time.
const PARTS_CACHE_LIMIT = 200_000;
const partsCache = new Map<string, Readonly<NameParts>>();

/** The matching keys of a name. The object returned is shared: never modify it. */
export function nameParts(name: string): Readonly<NameParts> {
  let parts = partsCache.get(name);
  if (parts === undefined) {
    if (partsCache.size >= PARTS_CACHE_LIMIT) partsCache.clear();
    parts = Object.freeze(computeNameParts(name));
    partsCache.set(name, parts);
  }
  return parts;
}

function computeNameParts(name: string): NameParts {
  const tokens = nameTokens(name);
  if (tokens.length === 0) return { surname: '', given: '', initialOnly: false, full: '' };
  const surnameWord = tokens[tokens.length - 1]!;
  const givenWords = tokens.slice(0, -1).filter((t) => !/^(?:al|el|bin|ibn|de|van|von|da|di|del|la|le|du|dos|das)$/.test(t));
  // "R. Nicholas Burns": an initial before the given name the person goes by.
  let first = givenWords[0]?.length === 1 && (givenWords[1]?.length ?? 0) > 1 ? givenWords[1]! : (givenWords[0] ?? '');
  // "Fernandez de Kirchner": a Spanish surname joined by "de" to a husband's, no given name.
  if (tokens.length === 3 && /^(?:de|del)$/.test(tokens[1]!) && !givenNames.has(tokens[0]!)) first = '';
  const initialOnly = first.length === 1;
  return {
    surname: wordKey(surnameWord),
    given: first ? (initialOnly ? first : wordKey(first)) : '',
    initialOnly,
    full: tokens.join(' '),
  };
}

/** Two given-name keys fit one person: equal, or one is the other's initial. */
export function givenCompatible(a: string, b: string): boolean {
  if (!a || !b) return true;
  if (a === b) return true;
  if (a.length === 1 || b.length === 1) return a[0] === b[0];
  return false;
}
