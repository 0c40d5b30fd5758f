// The people, titles and organizations the synthetic cables name. Each country has offices held in
// terms (president, ministers, chiefs …; holders are promoted from lower offices, so a title changes
// over a career) and a long tail of less prominent people (MPs, officials, journalists …) with a
// Zipf-like skew of how often they are named; a few relatives of office holders share their surname.
// The United States has Washington offices, members of Congress and, per post, its staff
// (ambassador, DCM, counselors) who classify and sign cables. Countries are built on first use, each
// from its own random stream, so the population does not depend on the order cables ask for it.
import shape from './data/corpus-shape.json' with { type: 'json' };
import officesData from './data/offices.json' with { type: 'json' };
import release from './data/release.json' with { type: 'json' };
import { minuteOf, yearOf } from './calendar.ts';
import { drawName, drawSurname, regionOf, type PersonName } from './names.ts';
import { AliasTable, Random, Weighted } from './random.ts';

const YEAR = 365.25 * 24 * 60;
const START = minuteOf(1958);
const END = minuteOf(2011);
/** Share of host-country picks that go to the long tail rather than to office holders. */
const TAIL_SHARE = 0.55;
const FORMER_YEARS = 6;
const FORMER_WEIGHT = 0.08;
const PROMINENT = new Set([
  'head',
  'pm',
  'fm',
  'defense',
  'interior',
  'finance',
  'opposition',
  'speaker',
  'chod',
  'secretary',
  'deputy',
  'political',
  'ambassador',
  'EUR',
  'NEA',
  'SCA',
  'EAP',
  'WHA',
  'AF',
]);

export interface Organization {
  name: string;
  acronym: string | null;
  kind: string;
  country: string | null;
}

export interface Title {
  /** Title forms for a first mention ("Foreign Minister", "Minister of Foreign Affairs"). */
  first: string[];
  /** Short forms used with the bare surname later ("FM", "Minister"). */
  later: string[];
  /** A rank written between the title and the name ("General"). */
  honorific: string | null;
  organization: Organization | null;
}

export interface Stint {
  from: number;
  to: number;
  title: Title;
  office: string | null;
}

export interface Individual {
  id: string;
  country: string;
  name: PersonName;
  female: boolean;
  stints: Stint[];
  relativeOf: string | null;
}

/** A person as one cable names them: with the title they hold that day. */
export interface Appearance {
  individual: Individual;
  title: Title | null;
  former: boolean;
  /** Holds an office so well known that cables often skip the given name ("President Godefon"). */
  prominent: boolean;
}

export interface CountryInfo {
  code: string;
  name: string;
  adjective: string;
  fips: string;
}

type OfficeDef = (typeof officesData.hostOffices)[number];
type RoleDef = (typeof officesData.roles)[number];

interface Term {
  from: number;
  to: number;
  holder: Individual;
}

interface Office {
  key: string;
  weight: number;
  title: Title;
  terms: Term[];
}

/** What a host pick draws: an office (resolved to its holder on the day) or a person. */
type Entry = Office | Individual;

const COUNTRIES = shape.countries as Record<string, { name: string; adjective: string; fips: string }>;

export function countryInfo(code: string): CountryInfo | null {
  const info = COUNTRIES[code];
  return info ? { code, ...info } : null;
}

export function knownCountries(): string[] {
  return Object.keys(COUNTRIES);
}

function stintAt(individual: Individual, minute: number): Stint | null {
  for (const stint of individual.stints) if (stint.from <= minute && minute < stint.to) return stint;
  return null;
}

function lastStintBefore(individual: Individual, minute: number): Stint | null {
  let found: Stint | null = null;
  for (const stint of individual.stints) if (stint.to <= minute && (!found || stint.to > found.to)) found = stint;
  return found;
}

function isFree(individual: Individual, from: number, to: number): boolean {
  return individual.stints.every((stint) => stint.to <= from || stint.from >= to);
}

/** The appearance of a person on a day: the title held then, or "former …" of the last one. */
export function appearanceAt(individual: Individual, minute: number): Appearance {
  const current = stintAt(individual, minute);
  if (current) return { individual, title: current.title, former: false, prominent: PROMINENT.has(current.office ?? '') };
  const last = lastStintBefore(individual, minute);
  if (last && last.office && minute - last.to < FORMER_YEARS * YEAR) {
    const first = last.title.first.map((title) => `former ${title}`);
    return { individual, title: { ...last.title, first, later: [] }, former: true, prominent: false };
  }
  return { individual, title: null, former: false, prominent: false };
}

function acronymOf(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => /^[A-Z]/.test(word))
    .map((word) => word[0])
    .join('');
}

export class CountryPopulation {
  readonly region: string;
  readonly organizations = new Map<string, Organization>();
  private readonly offices: Office[] = [];
  private readonly tail: Individual[] = [];
  private readonly tailWeights: number[] = [];
  private readonly samplers = new Map<number, { table: AliasTable; entries: Entry[] }>();
  private sequence = 0;
  private readonly fullNames = new Set<string>();

  constructor(
    readonly info: CountryInfo,
    private readonly random: Random,
    tailSize: number,
  ) {
    this.region = regionOf(info.code);
    this.buildOrganizations();
    this.buildOffices();
    this.buildTail(tailSize);
  }

  private newIndividual(female: boolean, family?: string, relativeOf: string | null = null): Individual {
    // Two people of one country rarely share a full name: drawn again a few times when they would.
    let name = drawName(this.random, this.region, {
      female,
      ...(family ? { family } : {}),
      middleInitial: this.region === 'anglo' ? 0.2 : 0,
    });
    for (let attempt = 0; attempt < 6 && this.fullNames.has(name.full); attempt++) {
      name = drawName(this.random, this.region, {
        female,
        ...(family ? { family } : {}),
        middleInitial: this.region === 'anglo' ? 0.2 : 0,
      });
    }
    this.fullNames.add(name.full);
    return { id: `${this.info.code}-${++this.sequence}`, country: this.info.code, name, female, stints: [], relativeOf };
  }

  private buildOrganizations(): void {
    for (const [key, org] of Object.entries(officesData.organizations)) {
      this.organizations.set(key, { ...org, country: this.info.code });
    }
    const legislature = this.random.pick(['National Assembly', 'Parliament', 'Congress', 'National Assembly']);
    this.organizations.set('parliament', { name: legislature, acronym: null, kind: 'legislature', country: this.info.code });
    const used = new Set<string>();
    for (const key of ['party1', 'party2', 'party3']) {
      let name: string;
      do {
        const first = this.random.pick(officesData.partyWords.first);
        const second = this.random.pick(officesData.partyWords.second);
        name = second === 'Party' ? `${first} Party` : `${first} ${second} Party`;
      } while (used.has(name));
      used.add(name);
      this.organizations.set(key, { name, acronym: acronymOf(name), kind: 'party', country: this.info.code });
    }
  }

  private titleOf(def: { first: string[]; later: string[]; org: string | null; honorific?: string | string[] }): Title {
    const honorific = Array.isArray(def.honorific) ? this.random.pick(def.honorific) : (def.honorific ?? null);
    const orgKey = def.org === 'party' ? this.random.pick(['party1', 'party2', 'party3']) : def.org;
    return { first: def.first, later: def.later, honorific, organization: orgKey ? (this.organizations.get(orgKey) ?? null) : null };
  }

  private buildOffices(): void {
    const monarchy = officesData.monarchies.includes(this.info.code);
    const monarch = (officesData.monarchTitles as Record<string, string>)[this.info.code] ?? 'King';
    // Lower offices first: holders of the higher ones are promoted from them.
    const order = [...officesData.hostOffices].sort((a, b) => rankOf(a.key) - rankOf(b.key));
    const byKey = new Map<string, Office>();
    for (const def of order) {
      let weight = def.weight;
      let title = this.titleOf(def);
      let termYears = def.term;
      if (def.key === 'head' && monarchy) {
        title = { ...title, first: [monarch], later: [monarch] };
        weight = 0.6;
        termYears = 18;
      } else if (def.key === 'pm' && monarchy) weight = 1.0;
      const office: Office = { key: def.key, weight, title, terms: [] };
      const sources = ((officesData.promotions as Record<string, string[]>)[def.key] ?? []).flatMap((key) => byKey.get(key) ?? []);
      let from = START - this.random.next() * termYears * YEAR;
      let previous: Individual | null = null;
      while (from < END) {
        const to = from + termYears * YEAR * (0.5 + this.random.next());
        let holder: Individual | null = null;
        if (previous && this.random.chance(0.25) && isFree(previous, from, to)) holder = previous;
        else if (this.random.chance(0.35)) holder = this.promote(sources, from, to);
        holder ??= this.newIndividual(this.random.chance(0.12));
        holder.stints.push({ from, to, title, office: def.key });
        office.terms.push({ from, to, holder });
        previous = holder;
        from = to;
      }
      byKey.set(def.key, office);
      this.offices.push(office);
    }
  }

  private promote(sources: Office[], from: number, to: number): Individual | null {
    const candidates = sources.flatMap((office) =>
      office.terms
        .filter((term) => term.to <= from && from - term.to < 4 * YEAR && isFree(term.holder, from, to))
        .map((term) => term.holder),
    );
    return candidates.length ? this.random.pick(candidates) : null;
  }

  private buildTail(size: number): void {
    const roles = new Weighted<RoleDef>(
      officesData.roles,
      officesData.roles.map((role) => role.weight),
    );
    const years = Object.entries(release.years);
    const startYear = new Weighted(
      years.map(([year]) => Number(year)),
      years.map(([, weight]) => weight),
    );
    const prominent: Individual[] = [];
    // Relatives of the most visible office holders share their surname (sons, brothers, wives).
    for (const office of this.offices) {
      if (office.weight < 0.4) continue;
      for (const term of office.terms) {
        if (!this.random.chance(0.12) || term.holder.relativeOf) continue;
        const female = this.random.chance(0.3);
        const relative = this.newIndividual(female, term.holder.name.family, term.holder.id);
        const from = term.from + (this.random.next() - 0.5) * 8 * YEAR;
        this.addTailStints(relative, roles.sample(this.random), from, from + (3 + this.random.next() * 10) * YEAR);
        prominent.push(relative);
      }
    }
    const ordinary: Individual[] = [];
    for (let i = 0; i < size; i++) {
      const individual = this.newIndividual(this.random.chance(0.18));
      const year = startYear.sample(this.random);
      const from = minuteOf(year) - this.random.next() * 3 * YEAR;
      const to = from + (1 + this.random.geometric(0.18)) * YEAR;
      const first = roles.sample(this.random);
      if (this.random.chance(0.25)) {
        const middle = from + (to - from) * (0.3 + 0.4 * this.random.next());
        this.addTailStints(individual, first, from, middle);
        this.addTailStints(individual, roles.sample(this.random), middle, to);
      } else this.addTailStints(individual, first, from, to);
      ordinary.push(individual);
    }
    // Zipf-like skew: the relatives rank near the top, the rest in random order.
    const ranked = [...prominent, ...this.random.shuffle(ordinary)];
    ranked.forEach((individual, rank) => {
      this.tail.push(individual);
      this.tailWeights.push(1 / Math.pow(rank + 3, 1.05));
    });
  }

  private addTailStints(individual: Individual, role: RoleDef, from: number, to: number): void {
    const title = role.first.length ? this.titleOf({ ...role, first: [this.random.pick(role.first)] }) : null;
    individual.stints.push({ from, to, title: title ?? { first: [], later: [], honorific: null, organization: null }, office: null });
  }

  private sampler(year: number): { table: AliasTable; entries: Entry[] } {
    let sampler = this.samplers.get(year);
    if (sampler) return sampler;
    // Cables come in date order: a past year's table is not asked for again.
    this.samplers.clear();
    const from = minuteOf(year);
    const to = minuteOf(year + 1);
    const entries: Entry[] = [];
    const weights: number[] = [];
    let officeMass = 0;
    for (const office of this.offices) {
      entries.push(office);
      weights.push(office.weight);
      officeMass += office.weight;
      for (const term of office.terms) {
        if (term.to <= from && from - term.to < FORMER_YEARS * YEAR) {
          entries.push(term.holder);
          weights.push(office.weight * FORMER_WEIGHT);
        }
      }
    }
    const tailStart = entries.length;
    let tailMass = 0;
    this.tail.forEach((individual, index) => {
      const first = individual.stints[0]!.from;
      const last = individual.stints[individual.stints.length - 1]!.to;
      if (last <= from || first >= to) return;
      entries.push(individual);
      weights.push(this.tailWeights[index]!);
      tailMass += this.tailWeights[index]!;
    });
    if (tailMass > 0) {
      const scale = ((TAIL_SHARE / (1 - TAIL_SHARE)) * officeMass) / tailMass;
      for (let i = tailStart; i < weights.length; i++) weights[i]! *= scale;
    }
    sampler = { table: new AliasTable(weights), entries };
    this.samplers.set(year, sampler);
    return sampler;
  }

  /** Someone of this country a cable of that day names, not one of `taken`. */
  pick(random: Random, minute: number, taken: ReadonlySet<string>): Appearance | null {
    const { table, entries } = this.sampler(yearOf(minute));
    for (let attempt = 0; attempt < 12; attempt++) {
      const entry = entries[table.sample(random)]!;
      const individual = 'terms' in entry ? holderAt(entry, minute) : entry;
      if (!individual || taken.has(individual.id)) continue;
      return appearanceAt(individual, minute);
    }
    return null;
  }

  /** The country's leaders that day, as cables of other countries name them. */
  leader(random: Random, minute: number, taken: ReadonlySet<string>): Appearance | null {
    const top = this.offices.filter((office) => ['head', 'pm', 'fm', 'defense', 'opposition'].includes(office.key));
    const weights = top.map((office) => office.weight * (office.key === 'fm' ? 1.5 : 1));
    const office = new Weighted(top, weights).sample(random);
    const holder = holderAt(office, minute);
    return holder && !taken.has(holder.id) ? appearanceAt(holder, minute) : null;
  }

  /** Everyone built so far, for the population file. */
  individuals(): Individual[] {
    const seen = new Map<string, Individual>();
    for (const office of this.offices) for (const term of office.terms) seen.set(term.holder.id, term.holder);
    for (const individual of this.tail) seen.set(individual.id, individual);
    return [...seen.values()];
  }

  /** A surname of the country, for made-up place and company names. */
  surname(): string {
    return drawSurname(this.random, this.region);
  }
}

function rankOf(key: string): number {
  return ['head', 'pm', 'fm', 'defense', 'interior', 'finance'].indexOf(key) >= 0
    ? 10 - ['head', 'pm', 'fm', 'defense', 'interior', 'finance'].indexOf(key)
    : 0;
}

function holderAt(office: Office, minute: number): Individual | null {
  const terms = office.terms;
  let low = 0;
  let high = terms.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const term = terms[middle]!;
    if (minute < term.from) high = middle - 1;
    else if (minute >= term.to) low = middle + 1;
    else return term.holder;
  }
  return null;
}

// ------------------------------------------------------------------ United States

type WashingtonDef = (typeof officesData.washingtonOffices)[number];

export interface PostStaff {
  /** Null between ambassadors: the DCM is then chargé d'affaires. */
  ambassador: Individual | null;
  dcm: Individual;
  politicalCounselor: Individual;
  economicCounselor: Individual;
}

interface StaffTimeline {
  key: string;
  title: Title;
  terms: Term[];
}

export class UsPopulation {
  private readonly washington: Office[] = [];
  private readonly bureaus = new Map<string, Office>();
  private readonly congress: { individual: Individual; weight: number }[] = [];
  private readonly desk: Individual[] = [];
  private readonly posts = new Map<string, StaffTimeline[]>();
  private sequence = 0;
  private readonly fullNames = new Set<string>();
  private readonly random: Random;

  constructor(private readonly root: Random) {
    this.random = root.fork('us');
    for (const def of officesData.washingtonOffices)
      this.washington.push(this.timeline(this.random, def.key, this.titleOf(def), def.term, def.weight));
    for (const [bureau, def] of Object.entries(officesData.bureaus)) {
      const title: Title = { first: [def.title, def.short], later: ['A/S', 'Assistant Secretary'], honorific: null, organization: null };
      this.bureaus.set(bureau, this.timeline(this.random, bureau, title, 3, 0.35));
    }
    for (const role of officesData.usRoles) {
      const title: Title = { first: role.first, later: role.later, honorific: null, organization: null };
      for (let i = 0; i < role.count; i++) {
        const individual = this.newIndividual(this.random, `US-${++this.sequence}`);
        const from = minuteOf(1962 + this.random.int(48));
        individual.stints.push({ from, to: from + (2 + this.random.geometric(0.15)) * YEAR, title, office: null });
        if (role.key === 'desk') this.desk.push(individual);
        else this.congress.push({ individual, weight: 1 / Math.pow(i + 2, 0.9) });
      }
    }
  }

  private titleOf(def: WashingtonDef): Title {
    return { first: def.first, later: def.later, honorific: null, organization: null };
  }

  private newIndividual(random: Random, id: string): Individual {
    const female = random.chance(0.3);
    // Most US officials have Anglo names; some have names from the other pools.
    const region = random.chance(0.8)
      ? 'anglo'
      : random.pick(['hispanic', 'italian', 'german', 'french', 'westslavic', 'greek', 'hebrew', 'chinese']);
    let name = drawName(random, region, { female, middleInitial: 0.45 });
    for (let attempt = 0; attempt < 6 && this.fullNames.has(name.full); attempt++)
      name = drawName(random, region, { female, middleInitial: 0.45 });
    this.fullNames.add(name.full);
    const western = region === 'chinese' ? { ...name, full: `${name.given} ${name.later[0]}` } : name;
    return { id, country: 'US', name: western, female, stints: [], relativeOf: null };
  }

  private timeline(
    random: Random,
    key: string,
    title: Title,
    termYears: number,
    weight: number,
    nextId = () => `US-${++this.sequence}`,
  ): Office {
    const office: Office = { key, weight, title, terms: [] };
    let from = START - random.next() * termYears * YEAR;
    while (from < END) {
      const to = from + termYears * YEAR * (0.6 + 0.8 * random.next());
      const holder = this.newIndividual(random, nextId());
      holder.stints.push({ from, to, title, office: key });
      office.terms.push({ from, to, holder });
      from = to;
    }
    return office;
  }

  /** A Washington official a cable names: the Secretary and the country's bureau most often. */
  official(random: Random, minute: number, bureau: string, taken: ReadonlySet<string>): Appearance | null {
    const offices = [...this.washington, this.bureaus.get(bureau)!];
    const weights = offices.map((office, i) => (i === offices.length - 1 ? 0.8 : office.weight));
    const holder = holderAt(new Weighted(offices, weights).sample(random), minute);
    return holder && !taken.has(holder.id) ? appearanceAt(holder, minute) : null;
  }

  member(random: Random, minute: number, taken: ReadonlySet<string>): Appearance | null {
    const active = this.congress.filter(({ individual }) => stintAt(individual, minute));
    if (active.length === 0) return null;
    const chosen = new Weighted(
      active,
      active.map((member) => member.weight),
    ).sample(random).individual;
    return taken.has(chosen.id) ? null : appearanceAt(chosen, minute);
  }

  deskOfficer(random: Random, minute: number): Individual | null {
    const active = this.desk.filter((individual) => stintAt(individual, minute));
    return active.length ? random.pick(active) : null;
  }

  bureauHead(bureau: string, minute: number): Individual | null {
    return holderAt(this.bureaus.get(bureau)!, minute);
  }

  secretary(minute: number): Individual | null {
    return holderAt(this.washington[0]!, minute);
  }

  /** The post's staff that day. */
  staff(station: string, minute: number): PostStaff {
    let timelines = this.posts.get(station);
    if (!timelines) {
      const random = this.root.fork(`post:${station}`);
      let count = 0;
      const nextId = () => `US-${station}-${++count}`;
      timelines = officesData.postStaff.map((def) => {
        const title: Title = { first: def.first, later: def.later, honorific: null, organization: null };
        return { key: def.key, title, terms: this.timeline(random, def.key, title, def.term, 0, nextId).terms };
      });
      // Gaps between ambassadors, when the DCM is in charge.
      const ambassadors = timelines[0]!;
      ambassadors.terms = ambassadors.terms.map((term) =>
        random.chance(0.3) ? { ...term, to: term.to - random.next() * 0.5 * YEAR } : term,
      );
      for (const term of ambassadors.terms) term.holder.stints[0]!.to = term.to;
      this.posts.set(station, timelines);
    }
    const at = (index: number) =>
      holderAt({ key: '', weight: 0, title: timelines![index]!.title, terms: timelines![index]!.terms }, minute);
    return { ambassador: at(0), dcm: at(1)!, politicalCounselor: at(2)!, economicCounselor: at(3)! };
  }

  individuals(): Individual[] {
    const all: Individual[] = [];
    for (const office of [...this.washington, ...this.bureaus.values()]) for (const term of office.terms) all.push(term.holder);
    all.push(...this.congress.map((member) => member.individual), ...this.desk);
    for (const timelines of this.posts.values()) for (const timeline of timelines) for (const term of timeline.terms) all.push(term.holder);
    return all;
  }
}

/** Bureau of the State Department that covers a country. */
export function bureauOf(country: string): string {
  for (const [bureau, def] of Object.entries(officesData.bureaus)) if ((def.countries as string[]).includes(country)) return bureau;
  return 'AF';
}
