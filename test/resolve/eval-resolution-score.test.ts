import { describe, expect, it } from 'vitest';

import {
  findRecord,
  foldName,
  pairwiseScore,
  predict,
  worstMerges,
  worstSplits,
  type CablePersonRecord,
  type DevMention,
} from '../../scripts/eval-resolution-score.ts';

describe('pairwiseScore', () => {
  it('is perfect when the predicted clusters are the gold ones under other names', () => {
    const score = pairwiseScore(['a', 'a', 'b', 'c', 'c', 'c'], ['x', 'x', 'y', 'z', 'z', 'z']);
    expect(score).toMatchObject({ goldPairs: 4, predictedPairs: 4, correctPairs: 4, precision: 1, recall: 1, f1: 1 });
  });

  it('loses recall, not precision, when an individual is split', () => {
    // gold {1,2,3,4}: 6 pairs; predicted {1,2} {3,4}: 2 pairs, both right.
    const score = pairwiseScore(['a', 'a', 'a', 'a'], ['x', 'x', 'y', 'y']);
    expect(score.precision).toBe(1);
    expect(score.recall).toBeCloseTo(2 / 6);
    expect(score.f1).toBeCloseTo((2 * (1 / 3)) / (1 + 1 / 3));
  });

  it('loses precision, not recall, when two individuals are merged', () => {
    // gold {1,2} {3}: 1 pair; predicted {1,2,3}: 3 pairs, 1 right.
    const score = pairwiseScore(['a', 'a', 'b'], ['x', 'x', 'x']);
    expect(score.recall).toBe(1);
    expect(score.precision).toBeCloseTo(1 / 3);
  });

  it('counts both kinds of error at once', () => {
    // gold {1,2,3} {4,5}: 4 pairs; predicted {1,2} {3,4,5}: 1 + 3 = 4 pairs, right: (1,2) and (4,5).
    const score = pairwiseScore(['a', 'a', 'a', 'b', 'b'], ['x', 'x', 'y', 'y', 'y']);
    expect(score).toMatchObject({ goldPairs: 4, predictedPairs: 4, correctPairs: 2, precision: 0.5, recall: 0.5 });
  });

  it('treats singletons everywhere as precision 1 and recall 0', () => {
    const score = pairwiseScore(['a', 'a', 'b'], ['m1', 'm2', 'm3']);
    expect(score).toMatchObject({ predictedPairs: 0, precision: 1, recall: 0, f1: 0 });
  });
});

describe('worst offenders', () => {
  const gold = ['Hamid', 'Hamid', 'Hamid', 'AWK', 'AWK'];
  const predicted = ['p1', 'p1', 'p2', 'p1', 'p3'];

  it('lists gold individuals split across predicted persons by lost pairs', () => {
    const splits = worstSplits(gold, predicted);
    expect(splits.map((s) => [s.label, s.pairs])).toEqual([
      ['Hamid', 2],
      ['AWK', 1],
    ]);
    expect(splits[0]!.parts).toEqual([
      { label: 'p1', mentions: 2 },
      { label: 'p2', mentions: 1 },
    ]);
  });

  it('lists predicted persons that merge gold individuals by wrong pairs', () => {
    expect(worstMerges(gold, predicted).map((m) => [m.label, m.pairs])).toEqual([['p1', 2]]);
  });
});

describe('finding the record of a dev mention', () => {
  const records: CablePersonRecord[] = [
    { id: 1, name: 'Hamid Karzai', aliases: ['Karzai', 'President Karzai'], personId: 10 },
    { id: 2, name: 'Ahmed Wali Karzai', aliases: ['AWK'], personId: 11 },
    { id: 3, name: 'Richard Holbrooke', aliases: [], personId: null },
  ];

  it('folds case, accents and punctuation', () => {
    expect(foldName('GARZÓN')).toBe(foldName('Garzon'));
    expect(foldName("al-Qadhafi's")).toBe('al qadhafis');
    expect(findRecord({ forms: ['AHMED WALI KARZAI'] }, records)?.record.id).toBe(2);
  });

  it('prefers an exact form over a surname', () => {
    expect(findRecord({ forms: ['President Karzai', 'Karzai'] }, records)).toMatchObject({ record: { id: 1 }, via: 'form' });
  });

  it('falls back on the surname only when one individual of the cable has it', () => {
    expect(findRecord({ forms: ['Ambassador Holbrooke'] }, records)).toMatchObject({ record: { id: 3 }, via: 'surname' });
    expect(findRecord({ forms: ['Mr. Karzai'] }, records)).toBeNull();
  });

  it('predicts clusters: resolved person, unresolved record, or a singleton when not found', () => {
    const mentions: DevMention[] = [
      { cable: 'A', surname: 'Karzai', forms: ['Karzai'], individual: 'Hamid' },
      { cable: 'A', surname: 'Holbrooke', forms: ['Holbrooke'], individual: 'Holbrooke' },
      { cable: 'B', surname: 'Karzai', forms: ['Karzai'], individual: 'Hamid' },
    ];
    const predictions = predict(mentions, new Map([['A', records]]));
    expect(predictions.map((p) => p.cluster)).toEqual(['person:10', 'cable-person:3', 'missing:2']);
    expect(predictions.map((p) => p.found)).toEqual([true, true, false]);
  });
});
