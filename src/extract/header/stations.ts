// Station names: the middle part of a canonical reference id ("03OTTAWA692" -> "OTTAWA").
// Posts wrote their own and other posts' names in many ways: spaced ("USUN NEW YORK"),
// abbreviated ("UNVIE", "RIO DE JAN"), suffixed with a country code ("MADRIDSP") and mistyped
// ("BRAZILIA"). The table holds names and abbreviations; typos are matched by edit distance.
import stationData from '../data/stations.json' with { type: 'json' };

const STATIONS: ReadonlySet<string> = new Set(stationData.stations);
const ALIASES: ReadonlyMap<string, string> = new Map(Object.entries(stationData.aliases));
const CANDIDATES: readonly string[] = [...STATIONS, ...ALIASES.keys()];
const cache = new Map<string, string | null>();

/** Letters only, upper case; a zero between letters is an "O" typed as a digit ("0TTAWA"). */
export function stationKey(text: string): string {
  return text
    .toUpperCase()
    .replace(/0(?=[A-Z])|(?<=[A-Z])0/g, 'O')
    .replace(/[^A-Z]/g, '');
}

/** The canonical station for a written station name, or null when it is not a known station. */
export function canonicalStation(written: string): string | null {
  const key = stationKey(written);
  if (key.length < 2) return null;
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = lookup(key);
    if (cache.size > 50_000) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}

function resolve(name: string): string {
  return ALIASES.get(name) ?? name;
}

function lookup(key: string): string | null {
  if (STATIONS.has(key) || ALIASES.has(key)) return resolve(key);
  // "MEXICO CITY", "KUWAIT CITY": the station without "CITY".
  if (key.endsWith('CITY') && STATIONS.has(key.slice(0, -4))) return key.slice(0, -4);
  if (key.length < 4) return null;
  // Truncated names ("RIODEJAN", "PORTAUPR", "PHNOMPEN"): a prefix of exactly one station.
  const prefixed = unique(CANDIDATES.filter((name) => name.startsWith(key)).map(resolve));
  if (prefixed) return prefixed;
  // A country code glued to the name ("MADRIDSP", "BRUSSELSBE").
  const base = key.slice(0, -2);
  if (STATIONS.has(base) && base.length >= 4) return base;
  // The name without its first word ("PAULO", "SALVADOR").
  if (key.length >= 5) {
    const suffixed = unique([...STATIONS].filter((name) => name.endsWith(key) && name.length > key.length + 1));
    if (suffixed) return suffixed;
  }
  // One typo: a letter wrong, missing, doubled or two letters swapped ("BRAZILIA", "SATTE").
  const minimum = key.length === 4 ? 5 : 4;
  return unique(CANDIDATES.filter((name) => name.length >= minimum && withinOneEdit(key, name)).map(resolve));
}

function unique(names: string[]): string | null {
  if (names.length === 0) return null;
  const first = names[0]!;
  return names.every((name) => name === first) ? first : null;
}

/** Damerau-Levenshtein distance <= 1 (one substitution, insertion, deletion or transposition). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
