// Pure scoring for the resolution dev set (test/fixtures/resolution/dev.json): which person record
// of a cable a dev mention points at, and pairwise precision/recall over all pairs of dev mentions.
// No I/O here; scripts/eval-resolution.ts reads the files and the database.

export interface DevMention {
  cable: string;
  surname: string;
  /** Name forms the cable uses for the individual, as written ("KARZAI", "President Karzai"). */
  forms: string[];
  /** The gold individual. */
  individual: string;
  /** The cable names the individual only attributively ("the Karzai government"). */
  attributive?: boolean;
}

/** One cable_person row of a cable, with the person it was resolved to. */
export interface CablePersonRecord {
  id: number;
  name: string;
  aliases: readonly string[];
  personId: number | null;
  personName?: string | null;
}

export interface Prediction {
  /** Cluster key: `person:<id>`, `cable-person:<id>` when unresolved, `missing:<n>` when not found. */
  cluster: string;
  found: boolean;
  /** How the record was found: an exact form, or the surname when unique in the cable. */
  via: 'form' | 'surname' | null;
  recordName: string | null;
}

/** Accents, case and punctuation folded: "Ahmadi-Nejad's" and "AHMADI NEJAD'S" compare equal. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Last word of a folded name, without an Arabic article glued to it ("al Qadhafi" -> "qadhafi"). */
export function surnameKey(name: string): string {
  const words = foldName(name).split(' ').filter(Boolean);
  return words[words.length - 1] ?? '';
}

function clusterOf(record: CablePersonRecord): string {
  return record.personId === null ? `cable-person:${record.id}` : `person:${record.personId}`;
}

function namesOf(record: CablePersonRecord): string[] {
  return [record.name, ...record.aliases];
}

/**
 * The record of the cable a dev mention points at: a record whose name or alias equals one of the
 * forms (folded); failing that, the record whose name or alias ends in the form's surname, when
 * only one individual of the cable does. Several exact matches: the one matching most forms.
 */
export function findRecord(
  mention: Pick<DevMention, 'forms'>,
  records: readonly CablePersonRecord[],
): { record: CablePersonRecord; via: 'form' | 'surname' } | null {
  const forms = new Set(mention.forms.map(foldName).filter(Boolean));
  let best: CablePersonRecord | null = null;
  let bestCount = 0;
  for (const record of records) {
    const count = namesOf(record).filter((name) => forms.has(foldName(name))).length;
    if (count > bestCount) {
      best = record;
      bestCount = count;
    }
  }
  if (best) return { record: best, via: 'form' };

  const surnames = new Set([...forms].map((form) => surnameKey(form)).filter(Boolean));
  const candidates = records.filter((record) => namesOf(record).some((name) => surnames.has(surnameKey(name))));
  const clusters = new Set(candidates.map(clusterOf));
  if (clusters.size === 1) return { record: candidates[0]!, via: 'surname' };
  return null;
}

/** Predicted cluster of every dev mention, given the records of each cable by ref. */
export function predict(mentions: readonly DevMention[], recordsByCable: ReadonlyMap<string, readonly CablePersonRecord[]>): Prediction[] {
  return mentions.map((mention, index) => {
    const found = findRecord(mention, recordsByCable.get(mention.cable) ?? []);
    if (!found) return { cluster: `missing:${index}`, found: false, via: null, recordName: null };
    return { cluster: clusterOf(found.record), found: true, via: found.via, recordName: found.record.personName ?? found.record.name };
  });
}

export interface PairwiseScore {
  mentions: number;
  goldPairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * Pairwise precision and recall over all pairs of items: a pair is predicted when both items share
 * a predicted cluster, gold when both share a gold label. No predicted pair at all counts as
 * precision 1; no gold pair as recall 1.
 */
export function pairwiseScore(gold: readonly string[], predicted: readonly string[]): PairwiseScore {
  if (gold.length !== predicted.length) throw new Error('gold and predicted labels differ in length');
  const indexes = gold.map((_, index) => index);
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((total, n) => total + pairs(n), 0);
  const goldPairs = sum(countBy(indexes, (i) => gold[i]!));
  const predictedPairs = sum(countBy(indexes, (i) => predicted[i]!));
  const correctPairs = sum(countBy(indexes, (i) => `${gold[i]}\u0000${predicted[i]}`));
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = goldPairs === 0 ? 1 : correctPairs / goldPairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { mentions: gold.length, goldPairs, predictedPairs, correctPairs, precision, recall, f1 };
}

export interface Offender {
  /** The gold individual (for splits) or the predicted cluster (for merges). */
  label: string;
  /** Pairs lost (splits) or wrongly made (merges). */
  pairs: number;
  /** The other side: predicted clusters of a gold individual, or gold individuals of a cluster, with counts. */
  parts: { label: string; mentions: number }[];
}

function offenders(keys: readonly string[], others: readonly string[], limit: number): Offender[] {
  const groups = new Map<string, Map<string, number>>();
  keys.forEach((key, index) => {
    const parts = groups.get(key) ?? new Map<string, number>();
    parts.set(others[index]!, (parts.get(others[index]!) ?? 0) + 1);
    groups.set(key, parts);
  });
  const result: Offender[] = [];
  for (const [label, parts] of groups) {
    if (parts.size < 2) continue;
    const counts = [...parts.values()];
    const total = counts.reduce((a, b) => a + b, 0);
    const lost = pairs(total) - counts.reduce((a, n) => a + pairs(n), 0);
    result.push({
      label,
      pairs: lost,
      parts: [...parts].map(([part, mentions]) => ({ label: part, mentions })).sort((a, b) => b.mentions - a.mentions),
    });
  }
  return result.sort((a, b) => b.pairs - a.pairs || a.label.localeCompare(b.label)).slice(0, limit);
}

/** Gold individuals spread over several predicted clusters, most recall lost first. */
export function worstSplits(gold: readonly string[], predicted: readonly string[], limit = 10): Offender[] {
  return offenders(gold, predicted, limit);
}

/** Predicted clusters holding several gold individuals, most precision lost first. */
export function worstMerges(gold: readonly string[], predicted: readonly string[], limit = 10): Offender[] {
  return offenders(predicted, gold, limit);
}
