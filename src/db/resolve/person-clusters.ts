// Resolution of person records (one per person per cable) into individuals, one surname block
// at a time. Pure and order-independent: the clusters depend only on the set of records and
// judgments, never on the order they arrived in, so a corpus ingested in any order, or in
// halves, resolves the same.
import { titleKeys } from '../../extract/entities/title-keys.ts';
import { givenCompatible, nameParts, nameTokens, type NameParts } from './name-keys.ts';

export interface PersonRecord {
  /** cable_person id. */
  id: number;
  /** Durable identity across re-ingests: `${cableRef}|${normalized full name}`. */
  identity: string;
  cableRef: string;
  date: string | null;
  name: string;
  aliases: string[];
  titles: string[];
  countryCode: string | null;
}

export interface Candidate {
  key: string;
  score: number;
  reason: string;
}

export interface PersonCluster {
  key: string;
  surnameKey: string;
  name: string;
  aliases: string[];
  countryCode: string | null;
  members: PersonRecord[];
  /** Individuals this cluster may also be, when the evidence was too weak to merge. */
  candidates: Candidate[];
}

export interface Judgment {
  id: number;
  kind: 'merge' | 'split';
  /** Member identities the judgment is about. */
  members: string[];
}

/** Beyond this many years apart, a bare surname is not taken to be the same individual. */
const PLAUSIBLE_YEARS = 25;
const DAY = 86_400_000;
/** Offices change hands: a namesake held an office from a little before to a little after the cables that say so. */
const OFFICE_SLACK_DAYS = 180;
/** "The cables of the time", for how prominent namesakes are: this many days either side of a record's. */
const PROMINENCE_WINDOW_DAYS = 730;

/** The cables of a cluster that give one office: how many, and their first and last day. */
interface Span {
  first: number;
  last: number;
  records: number;
}

interface Work {
  key: string;
  surname: string;
  given: string;
  initialOnly: boolean;
  /** How many records give each country: the extracted country is often only the post's. */
  countries: Map<string, number>;
  members: PersonRecord[];
  candidates: Candidate[];
  minYear: number;
  maxYear: number;
  /** The offices the members name, each with the span of days of the cables that give it. */
  offices: Map<string, Span>;
  /** Cable days of the members that have a date. */
  days: number[];
  /** Cable days of the members that write the individual by the bare surname ("Castro" for Fidel). */
  bareDays: number[];
}

function year(record: PersonRecord): number | null {
  return record.date ? Number(record.date.slice(0, 4)) : null;
}

function dayOf(record: PersonRecord): number | null {
  if (!record.date) return null;
  const time = Date.parse(record.date.slice(0, 10));
  return Number.isNaN(time) ? null : Math.floor(time / DAY);
}

function newWork(key: string, parts: NameParts): Work {
  return {
    key,
    surname: parts.surname,
    given: parts.given,
    initialOnly: parts.initialOnly,
    countries: new Map(),
    members: [],
    candidates: [],
    minYear: Infinity,
    maxYear: -Infinity,
    offices: new Map(),
    days: [],
    bareDays: [],
  };
}

const bareWriters = new WeakMap<PersonRecord, boolean>();

/** The record writes the individual by the bare surname, as its name or an alias ("Castro"). */
function writesBareSurname(record: PersonRecord): boolean {
  let bare = bareWriters.get(record);
  if (bare === undefined) {
    const surname = nameParts(record.name).surname;
    bare = [record.name, ...record.aliases].some((form) => {
      const parts = nameParts(form);
      return !parts.given && parts.surname === surname;
    });
    bareWriters.set(record, bare);
  }
  return bare;
}

function add(work: Work, record: PersonRecord) {
  work.members.push(record);
  const y = year(record);
  if (y !== null) {
    work.minYear = Math.min(work.minYear, y);
    work.maxYear = Math.max(work.maxYear, y);
  }
  const day = dayOf(record);
  if (day !== null) {
    work.days.push(day);
    if (writesBareSurname(record)) work.bareDays.push(day);
  }
  for (const key of titleKeys(record.titles)) {
    const span = work.offices.get(key);
    // An undated record says the office was held, not when: it stretches the span to all time.
    const first = day ?? -Infinity;
    const last = day ?? Infinity;
    if (!span) work.offices.set(key, { first, last, records: 1 });
    else {
      span.first = Math.min(span.first, first);
      span.last = Math.max(span.last, last);
      span.records++;
    }
  }
  if (record.countryCode) work.countries.set(record.countryCode, (work.countries.get(record.countryCode) ?? 0) + 1);
}

function timeFits(work: Work, record: PersonRecord): boolean {
  const y = year(record);
  if (y === null || work.minYear === Infinity) return true;
  return y >= work.minYear - PLAUSIBLE_YEARS && y <= work.maxYear + PLAUSIBLE_YEARS;
}

/** A cluster as it stood before a step began: decisions in a step never see each other. */
interface Snapshot {
  work: Work;
  offices: Map<string, Span>;
  countries: Set<string>;
  /** Sorted, so that the days within a window are counted by two binary searches. */
  days: Float64Array;
  bareDays: Float64Array;
}

function snapshot(work: Work): Snapshot {
  return {
    work,
    offices: new Map([...work.offices].map(([key, span]) => [key, { ...span }])),
    countries: new Set(work.countries.keys()),
    days: Float64Array.from(work.days).sort(),
    bareDays: Float64Array.from(work.bareDays).sort(),
  };
}

/** The index of the first of the sorted `days` that is at least `day`. */
function lowerBound(days: Float64Array, day: number): number {
  let low = 0;
  let high = days.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (days[middle]! < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many of the sorted `days` lie within `window` days of `day` (all of them when `day` is unknown). */
function daysAround(days: Float64Array, day: number | null, window: number): number {
  if (day === null) return days.length;
  return lowerBound(days, day + window + 1) - lowerBound(days, day - window);
}

/** How the evidence may single out one of several namesakes a bare surname fits. */
interface Narrowing {
  /**
   * Beyond the offices: take the namesake the cables of the time name far more than the others,
   * else the one of the record's country.
   */
  lastResort: boolean;
}

/** Of several clusters a record fits, the one the evidence singles out, if any. */
function narrow(fitting: Snapshot[], record: PersonRecord, how: Narrowing): Snapshot[] {
  const day = dayOf(record);
  // The office the record gives ("President Karzai") singles out the namesake who holds it, and
  // of several who held it ("Under Secretary Burns"), the one who held it at the cable's date.
  // A namesake given the office in a single cable holds it weakly: in a cable naming two
  // relatives, the title of one often sticks to the other.
  const keys = [...titleKeys(record.titles)];
  if (keys.length) {
    // "Former President Khatami" is whoever held the office, in the cables of the time or since.
    const support = (f: Snapshot) =>
      keys.reduce((sum, key) => {
        const current = key.startsWith('former:') ? (f.offices.get(key.slice('former:'.length))?.records ?? 0) : 0;
        return sum + (f.offices.get(key)?.records ?? 0) + current;
      }, 0);
    const holders = fitting.filter((f) => support(f) > 0);
    const strong = holders.filter((f) => support(f) >= 2);
    if (strong.length >= 1) fitting = strong;
    else if (holders.length >= 1) fitting = holders;
    const current = keys.filter((key) => !key.startsWith('former:'));
    if (fitting.length > 1 && day !== null && current.length) {
      const atTheTime = fitting.filter((f) =>
        current.some((key) => {
          const span = f.offices.get(key);
          return span !== undefined && day >= span.first - OFFICE_SLACK_DAYS && day <= span.last + OFFICE_SLACK_DAYS;
        }),
      );
      if (atTheTime.length >= 1) fitting = atTheTime;
    }
    if (fitting.length > 1) {
      // Of several holders none of whom the date singles out, the one the cables give the office far more often.
      const ranked = [...fitting].sort((a, b) => support(b) - support(a) || a.work.key.localeCompare(b.work.key));
      if (support(ranked[0]!) > 0 && support(ranked[0]!) >= 3 * support(ranked[1]!)) fitting = [ranked[0]!];
    }
  }
  if (fitting.length > 1 && how.lastResort) {
    // A bare surname most often means the namesake the cables of the time call by the bare
    // surname ("Castro" was Fidel before 2008), else the one they name far more than the others.
    const around = (days: Float64Array) => daysAround(days, day, PROMINENCE_WINDOW_DAYS);
    for (const weight of [(f: Snapshot) => around(f.bareDays), (f: Snapshot) => around(f.days)]) {
      const [first, second] = fitting
        .map((f) => ({ f, weight: weight(f) }))
        .sort((a, b) => b.weight - a.weight || a.f.work.key.localeCompare(b.f.work.key));
      if (first!.weight >= 3 && first!.weight >= 3 * second!.weight) {
        fitting = [first!.f];
        break;
      }
    }
  }
  // The country is weak evidence (extraction falls back on the post's): it only breaks ties.
  if (fitting.length > 1 && how.lastResort && record.countryCode) {
    const sameCountry = fitting.filter((f) => f.countries.has(record.countryCode!));
    if (sameCountry.length >= 1) fitting = sameCountry;
  }
  return fitting;
}

type Item = { record: PersonRecord; parts: NameParts };

interface AttachStep {
  fits: (work: Work, record: PersonRecord, parts: NameParts) => boolean;
  narrowing: Narrowing;
  groupKey: (parts: NameParts) => string;
  reason: string;
  /** Records left for a later step instead of being grouped or left unresolved here. */
  defer?: Item[];
}

/**
 * Attaches each record to the one cluster of `pool` it fits, or groups it under `groupKey` when
 * none fits; a record that fits several stays alone, with the others as scored candidates.
 */
function attach(records: Item[], pool: Work[], out: Map<string, Work>, step: AttachStep) {
  // Only clusters of the same surname can fit: index the pool by surname once.
  const bySurname = new Map<string, Snapshot[]>();
  for (const work of pool) {
    const list = bySurname.get(work.surname);
    if (list) list.push(snapshot(work));
    else bySurname.set(work.surname, [snapshot(work)]);
  }
  const grouped = new Map<string, Item[]>();
  for (const item of records) {
    let fitting = (bySurname.get(item.parts.surname) ?? []).filter((f) => step.fits(f.work, item.record, item.parts));
    if (fitting.length > 1) fitting = narrow(fitting, item.record, step.narrowing);
    if (fitting.length === 1) {
      add(fitting[0]!.work, item.record);
    } else if (step.defer) {
      step.defer.push(item);
    } else if (fitting.length === 0) {
      const key = step.groupKey(item.parts);
      const group = grouped.get(key);
      if (group) group.push(item);
      else grouped.set(key, [item]);
    } else {
      // Left unresolved, with the individuals it may be as candidates. The unresolved records of
      // one surname stay together: most often they name the same, prominent, individual.
      const key = `${item.parts.surname}|?`;
      let work = out.get(key);
      if (!work) out.set(key, (work = newWork(key, item.parts)));
      add(work, item.record);
      for (const f of fitting)
        if (!work.candidates.some((c) => c.key === f.work.key)) work.candidates.push({ key: f.work.key, score: 0, reason: step.reason });
      for (const candidate of work.candidates) candidate.score = 1 / work.candidates.length;
    }
  }
  for (const key of [...grouped.keys()].sort()) {
    const items = grouped.get(key)!;
    let work = out.get(key);
    if (!work) out.set(key, (work = newWork(key, items[0]!.parts)));
    for (const item of items) add(work, item.record);
  }
}

function finish(work: Work): PersonCluster {
  const counts = new Map<string, number>();
  const forms = new Set<string>();
  for (const member of work.members) {
    forms.add(member.name);
    for (const alias of member.aliases) forms.add(alias);
    if (nameTokens(member.name).length >= 2) counts.set(member.name, (counts.get(member.name) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0]));
  const name = ranked[0]?.[0] ?? [...forms].sort((a, b) => b.length - a.length || a.localeCompare(b))[0]!;
  forms.delete(name);
  return {
    key: work.key,
    surnameKey: work.surname,
    name,
    aliases: [...forms].sort(),
    countryCode: [...work.countries].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null,
    members: work.members.sort((a, b) => a.identity.localeCompare(b.identity)),
    candidates: work.candidates.sort((a, b) => a.key.localeCompare(b.key)),
  };
}

function applyJudgments(works: Map<string, Work>, judgments: Judgment[]) {
  for (const judgment of [...judgments].sort((a, b) => a.id - b.id)) {
    const wanted = new Set(judgment.members);
    if (judgment.kind === 'merge') {
      const involved = [...works.values()].filter((w) => w.members.some((m) => wanted.has(m.identity)));
      if (involved.length < 2) continue;
      involved.sort((a, b) => b.members.length - a.members.length || a.key.localeCompare(b.key));
      const [target, ...rest] = involved;
      for (const work of rest) {
        for (const member of work.members) add(target!, member);
        works.delete(work.key);
      }
      target!.candidates = target!.candidates.filter((c) => works.has(c.key) && c.key !== target!.key);
    } else {
      const moved: PersonRecord[] = [];
      for (const work of works.values()) {
        const keep = work.members.filter((m) => !wanted.has(m.identity));
        if (keep.length !== work.members.length) {
          moved.push(...work.members.filter((m) => wanted.has(m.identity)));
          work.members = keep;
        }
      }
      if (moved.length === 0) continue;
      const parts = nameParts(moved[0]!.name);
      const split = newWork(`split:${judgment.id}`, parts);
      for (const member of moved) add(split, member);
      works.set(split.key, split);
      for (const [key, work] of works) if (work.members.length === 0) works.delete(key);
    }
  }
}

/** Clusters the records of one or more surname blocks into individuals. */
export function clusterPersons(records: PersonRecord[], judgments: Judgment[] = []): PersonCluster[] {
  const items = [...records]
    .sort((a, b) => a.identity.localeCompare(b.identity) || a.id - b.id)
    .map((record) => ({ record, parts: nameParts(record.name) }))
    .filter((item) => item.parts.surname);
  const works = new Map<string, Work>();
  const full = items.filter((i) => i.parts.given && !i.parts.initialOnly);
  const initials = items.filter((i) => i.parts.initialOnly);
  const bare = items.filter((i) => !i.parts.given);

  // Countries are not a constraint: extraction falls back on the post's country for people
  // the text does not place, so the same individual shows up with many. They only break ties.
  // Full names: same first given name and surname.
  attach(full, [], works, {
    fits: () => false,
    narrowing: { lastResort: false },
    groupKey: (p) => `${p.surname}|${p.given}`,
    reason: 'same name',
  });
  const resolved = () => [...works.values()].filter((work) => !work.key.endsWith('|?'));
  // "S. Kelly": the one full name it abbreviates.
  attach(initials, resolved(), works, {
    fits: (work, record, parts) => work.surname === parts.surname && givenCompatible(work.given, parts.given) && timeFits(work, record),
    narrowing: { lastResort: true },
    groupKey: (p) => `${p.surname}|${p.given}.`,
    reason: 'initial fits several given names',
  });
  // A bare surname joins the one known individual it fits: first those whose title singles one
  // out ("President Karzai"), so that they count towards the prominence the others are judged by.
  const bareFits = (work: Work, record: PersonRecord, parts: NameParts) => work.surname === parts.surname && timeFits(work, record);
  const undecided: Item[] = [];
  attach(
    bare.filter((item) => item.record.titles.length > 0),
    resolved(),
    works,
    {
      fits: bareFits,
      narrowing: { lastResort: false },
      groupKey: (p) => `${p.surname}|`,
      reason: 'surname fits several individuals',
      defer: undecided,
    },
  );
  const untitled = bare.filter((item) => item.record.titles.length === 0);
  attach([...undecided, ...untitled], resolved(), works, {
    fits: bareFits,
    narrowing: { lastResort: true },
    groupKey: (p) => `${p.surname}|`,
    reason: 'surname fits several individuals',
  });
  applyJudgments(works, judgments);
  return [...works.values()].map(finish).sort((a, b) => a.key.localeCompare(b.key));
}
