// Personal names of the synthetic population, from the regional pools in data/names.json.
import namesData from './data/names.json' with { type: 'json' };
import { Random } from './random.ts';

interface RegionPool {
  order: 'western' | 'eastern';
  later: 'surname' | 'given' | 'full';
  doubleSurname?: number;
  article?: number;
  male: string[];
  female: string[];
  surnames: string[];
  roots: string[];
  endings: string[];
  femaleEndings?: Record<string, string>;
  givenParts?: { first: string[]; second: string[]; joiner: string };
}

export interface PersonName {
  given: string;
  /** The surname as the family shares it (male form; no article). */
  family: string;
  /** The name written in full at a first mention. */
  full: string;
  /** What the text calls the person afterwards ("Alvarado", "al-Mansouri", "Somchai"). */
  later: string[];
  /** The word the ground truth groups the person's mentions by (the reference word, no article). */
  key: string;
}

const REGIONS = namesData.regions as Record<string, RegionPool>;
const INFIXES = namesData.infixes;
const NO_INFIX: ReadonlySet<string> = new Set(namesData.noInfix);
const VOWEL_END = /[aeiouy]$/i;
const VOWEL_START = /^[aeiouy]/i;
const REGION_OF = new Map<string, string>(
  Object.entries(namesData.countryRegions).flatMap(([region, codes]) => codes.map((code) => [code, region] as const)),
);

export function regionOf(countryCode: string): string {
  return REGION_OF.get(countryCode) ?? 'anglo';
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * A surname of the region: one of the common ones (drawn with a Zipf-like skew, so a few are very
 * common) or, more often, one made of a root and an ending, which few people share.
 */
export function drawSurname(random: Random, region: string): string {
  const pool = REGIONS[region] ?? REGIONS['anglo']!;
  // East Asian surnames are few and shared by many: no made-up ones there.
  const composed = pool.endings.some((ending) => ending !== '');
  if (!composed || random.chance(0.35)) {
    if (!composed && random.chance(0.15)) return random.pick(pool.roots);
    return pool.surnames[Math.floor(pool.surnames.length * Math.pow(random.next(), 1.3))]!;
  }
  // An infix between root and ending widens the pool where names compose that way ("Bouch-ar-ier").
  const root = capitalize(random.pick(pool.roots));
  const ending = random.pick(pool.endings);
  let infix = NO_INFIX.has(region) ? '' : random.pick(INFIXES);
  // No vowel clash at a joint ("Vaill-o-ois").
  if (VOWEL_END.test(root) && VOWEL_START.test(infix)) infix = '';
  if (VOWEL_END.test(infix || root) && VOWEL_START.test(ending)) infix = VOWEL_END.test(root) ? '' : infix.replace(VOWEL_END, '');
  return root + infix + ending;
}

function drawGiven(random: Random, pool: RegionPool, female: boolean): string {
  const parts = pool.givenParts;
  if (parts && random.chance(0.8)) return random.pick(parts.first) + parts.joiner + random.pick(parts.second);
  return random.pick(female ? pool.female : pool.male);
}

function femaleForm(pool: RegionPool, family: string): string {
  for (const [male, female] of Object.entries(pool.femaleEndings ?? {}).sort((a, b) => b[0].length - a[0].length)) {
    if (family.endsWith(male)) return family.slice(0, -male.length) + female;
  }
  return family;
}

export interface NameOptions {
  female: boolean;
  /** The family name, for relatives of someone already named. */
  family?: string;
  /** A middle initial ("Janet A. Sanderson"): common for US officials. */
  middleInitial?: number;
}

export function drawName(random: Random, region: string, options: NameOptions): PersonName {
  const pool = REGIONS[region] ?? REGIONS['anglo']!;
  const given = drawGiven(random, pool, options.female);
  const family = options.family ?? drawSurname(random, region);
  const surname = options.female ? femaleForm(pool, family) : family;
  if (pool.order === 'eastern') {
    const full = `${surname} ${given}`;
    const reference = pool.later === 'given' ? given.split(' ').pop()! : surname;
    return { given, family, full, later: [reference], key: reference };
  }
  let written = surname;
  const later = [surname];
  if (pool.article && !/[ -]/.test(surname) && random.chance(pool.article)) {
    written = `al-${surname}`;
    later.unshift(written);
  }
  const parts = [given];
  if (region === 'arabic' && random.chance(0.3)) parts.push(random.pick(pool.male));
  if (options.middleInitial && random.chance(options.middleInitial)) parts.push(`${String.fromCharCode(65 + random.int(26))}.`);
  parts.push(written);
  if (pool.doubleSurname && random.chance(pool.doubleSurname)) {
    const second = drawSurname(random, region);
    if (second !== surname) parts.push(second);
  }
  const full = parts.join(' ');
  if (pool.later === 'given') return { given, family, full, later: [given], key: given };
  if (pool.later === 'full') return { given, family, full, later: [full], key: surname };
  return { given, family, full, later, key: surname };
}
