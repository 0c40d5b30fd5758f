// Resolution of person records (one per person per cable) into individuals, one surname block
// at a time. Pure and order-independent: the clusters depend only on the set of records and
// judgments, never on the order they arrived in, so a corpus ingested in any order, or in
// halves, resolves the same.
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
const TITLE_STOP = new Set(['of', 'the', 'for', 'and', 'to', 'de', 'deputy', 'assistant', 'acting', 'former', 'vice', 'senior']);

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
  titleWords: Set<string>;
}

function year(record: PersonRecord): number | null {
  return record.date ? Number(record.date.slice(0, 4)) : null;
}

function titleWords(titles: string[]): Set<string> {
  const words = new Set<string>();
  for (const title of titles) for (const word of nameTokens(title)) if (!TITLE_STOP.has(word)) words.add(word);
  return words;
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
    titleWords: new Set(),
  };
}

function add(work: Work, record: PersonRecord) {
  work.members.push(record);
  const y = year(record);
  if (y !== null) {
    work.minYear = Math.min(work.minYear, y);
    work.maxYear = Math.max(work.maxYear, y);
  }
  for (const word of titleWords(record.titles)) work.titleWords.add(word);
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
  size: number;
  titleWords: Set<string>;
  countries: Set<string>;
}

/** Of several clusters a record fits, the one the evidence singles out, if any. */
function narrow(fitting: Snapshot[], record: PersonRecord): Snapshot[] {
  // A shared title word ("President") singles out one of several namesakes.
  const words = titleWords(record.titles);
  const titled = fitting.filter((f) => [...words].some((w) => f.titleWords.has(w)));
  if (titled.length >= 1) fitting = titled;
  if (fitting.length > 1 && record.countryCode) {
    const sameCountry = fitting.filter((f) => f.countries.has(record.countryCode!));
    if (sameCountry.length >= 1) fitting = sameCountry;
  }
  if (fitting.length > 1) {
    // A bare surname most often means the individual the cables name far more than the others.
    const [first, second] = [...fitting].sort((a, b) => b.size - a.size || a.work.key.localeCompare(b.work.key));
    if (first!.size >= 3 && first!.size >= 3 * second!.size) fitting = [first!];
  }
  return fitting;
}

/**
 * Attaches each record to the one cluster of `pool` it fits, or groups it under `groupKey` when
 * none fits; a record that fits several stays alone, with the others as scored candidates.
 */
function attach(
  records: { record: PersonRecord; parts: NameParts }[],
  pool: Work[],
  fits: (work: Work, record: PersonRecord, parts: NameParts) => boolean,
  groupKey: (parts: NameParts) => string,
  out: Map<string, Work>,
  reason: string,
) {
  // Only clusters of the same surname can fit: index the pool by surname once.
  const bySurname = new Map<string, Snapshot[]>();
  for (const work of pool) {
    const snapshot = { work, size: work.members.length, titleWords: new Set(work.titleWords), countries: new Set(work.countries.keys()) };
    bySurname.set(work.surname, [...(bySurname.get(work.surname) ?? []), snapshot]);
  }
  const grouped = new Map<string, { record: PersonRecord; parts: NameParts }[]>();
  for (const item of records) {
    let fitting = (bySurname.get(item.parts.surname) ?? []).filter((f) => fits(f.work, item.record, item.parts));
    if (fitting.length > 1) fitting = narrow(fitting, item.record);
    if (fitting.length === 1) {
      add(fitting[0]!.work, item.record);
    } else if (fitting.length === 0) {
      const key = groupKey(item.parts);
      grouped.set(key, [...(grouped.get(key) ?? []), item]);
    } else {
      // Left unresolved, with the individuals it may be as candidates. The unresolved records of
      // one surname stay together: most often they name the same, prominent, individual.
      const key = `${item.parts.surname}|?`;
      let work = out.get(key);
      if (!work) out.set(key, (work = newWork(key, item.parts)));
      add(work, item.record);
      for (const f of fitting)
        if (!work.candidates.some((c) => c.key === f.work.key)) work.candidates.push({ key: f.work.key, score: 0, reason });
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
  attach(
    full,
    [],
    () => false,
    (p) => `${p.surname}|${p.given}`,
    works,
    'same name',
  );
  const resolved = () => [...works.values()].filter((work) => !work.key.endsWith('|?'));
  // "S. Kelly": the one full name it abbreviates.
  attach(
    initials,
    resolved(),
    (work, record, parts) => work.surname === parts.surname && givenCompatible(work.given, parts.given) && timeFits(work, record),
    (p) => `${p.surname}|${p.given}.`,
    works,
    'initial fits several given names',
  );
  // A bare surname joins the one known individual it fits.
  attach(
    bare,
    resolved(),
    (work, record, parts) => work.surname === parts.surname && timeFits(work, record),
    (p) => `${p.surname}|`,
    works,
    'surname fits several individuals',
  );
  applyJudgments(works, judgments);
  return [...works.values()].map(finish).sort((a, b) => a.key.localeCompare(b.key));
}
