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
  countryCode: string | null;
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

function countryFits(a: string | null, b: string | null): boolean {
  return !a || !b || a === b;
}

function newWork(key: string, parts: NameParts, countryCode: string | null): Work {
  return {
    key,
    surname: parts.surname,
    given: parts.given,
    initialOnly: parts.initialOnly,
    countryCode,
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
  if (!work.countryCode && record.countryCode) work.countryCode = record.countryCode;
}

function timeFits(work: Work, record: PersonRecord): boolean {
  const y = year(record);
  if (y === null || work.minYear === Infinity) return true;
  return y >= work.minYear - PLAUSIBLE_YEARS && y <= work.maxYear + PLAUSIBLE_YEARS;
}

/**
 * Attaches each record to the one cluster of `pool` it fits, or groups it under `groupKey` when
 * none fits; a record that fits several stays alone, with the others as scored candidates.
 */
function attach(
  records: { record: PersonRecord; parts: NameParts }[],
  pool: () => Work[],
  fits: (work: Work, record: PersonRecord, parts: NameParts) => boolean,
  groupKey: (record: PersonRecord, parts: NameParts) => string,
  out: Map<string, Work>,
  reason: string,
) {
  const grouped = new Map<string, { record: PersonRecord; parts: NameParts }[]>();
  // Only clusters of the same surname can fit: index the pool by surname once.
  const bySurname = new Map<string, Work[]>();
  for (const work of pool()) bySurname.set(work.surname, [...(bySurname.get(work.surname) ?? []), work]);
  for (const item of records) {
    let fitting = (bySurname.get(item.parts.surname) ?? []).filter((work) => fits(work, item.record, item.parts));
    if (fitting.length > 1) {
      // A shared title word ("President") singles out one of several namesakes.
      const words = titleWords(item.record.titles);
      const titled = fitting.filter((work) => [...words].some((w) => work.titleWords.has(w)));
      if (titled.length >= 1) fitting = titled;
    }
    if (fitting.length === 1) {
      add(fitting[0]!, item.record);
    } else if (fitting.length === 0) {
      const key = groupKey(item.record, item.parts);
      const group = grouped.get(key);
      if (group) group.push(item);
      else grouped.set(key, [item]);
    } else {
      const work = newWork(`${item.parts.surname}|?|${item.record.identity}`, item.parts, item.record.countryCode);
      add(work, item.record);
      work.candidates = fitting.map((f) => ({ key: f.key, score: 1 / fitting.length, reason }));
      out.set(work.key, work);
    }
  }
  // Unattached records group among themselves: by key, with country-less ones joining the one
  // group of their name that has a country, if there is exactly one.
  const byName = new Map<string, string[]>();
  for (const key of grouped.keys()) {
    const name = key.slice(0, key.lastIndexOf('|'));
    byName.set(name, [...(byName.get(name) ?? []), key]);
  }
  for (const [name, keys] of byName) {
    const withCountry = keys.filter((k) => !k.endsWith('|'));
    for (const key of keys.sort()) {
      const items = grouped.get(key)!;
      const target = key === `${name}|` && withCountry.length === 1 ? withCountry[0]! : key;
      if (key === `${name}|` && withCountry.length > 1) {
        for (const item of items) {
          const work = newWork(`${item.parts.surname}|?|${item.record.identity}`, item.parts, null);
          add(work, item.record);
          work.candidates = withCountry.map((k) => ({ key: k, score: 1 / withCountry.length, reason: 'same name, country unknown' }));
          out.set(work.key, work);
        }
        continue;
      }
      let work = out.get(target);
      if (!work) {
        work = newWork(target, items[0]!.parts, target.endsWith('|') ? null : target.slice(target.lastIndexOf('|') + 1));
        out.set(target, work);
      }
      for (const item of items) add(work, item.record);
    }
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
    countryCode: work.countryCode,
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
      const split = newWork(`split:${judgment.id}`, parts, null);
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

  // Full names: same first given name and surname, compatible country.
  attach(
    full,
    () => [],
    () => false,
    (r, p) => `${p.surname}|${p.given}|${r.countryCode ?? ''}`,
    works,
    'same name',
  );
  const resolved = () => [...works.values()].filter((work) => !work.key.includes('|?|'));
  const fullClusters = resolved();
  // "S. Kelly": the one full name it abbreviates, if there is exactly one.
  attach(
    initials,
    () => fullClusters,
    (work, record, parts) =>
      work.surname === parts.surname &&
      givenCompatible(work.given, parts.given) &&
      countryFits(work.countryCode, record.countryCode) &&
      timeFits(work, record),
    (r, p) => `${p.surname}|${p.given}.|${r.countryCode ?? ''}`,
    works,
    'initial fits several given names',
  );
  const named = resolved();
  // A bare surname joins the one known individual it fits.
  attach(
    bare,
    () => named,
    (work, record, parts) => work.surname === parts.surname && countryFits(work.countryCode, record.countryCode) && timeFits(work, record),
    (r, p) => `${p.surname}||${r.countryCode ?? ''}`,
    works,
    'surname fits several individuals',
  );
  applyJudgments(works, judgments);
  return [...works.values()].map(finish).sort((a, b) => a.key.localeCompare(b.key));
}
