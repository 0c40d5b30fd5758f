// Seeded randomness for the synthetic corpus: the same seed gives the same corpus, byte for byte.
// sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator, 32-bit) seeded through splitmix32: a few
// lines, fast, well tested in PractRand. Math.random cannot be seeded, and no dependency is needed
// for this much.

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a of a string: turns a seed or a label into 32 bits. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: string) {
    const mix = splitmix32(hash32(seed));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** An independent stream for one part of the corpus, so that parts do not shift each other. */
  fork(label: string): Random {
    return new Random(`${this.seed}/${label}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson by inversion; fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.next();
    while (product > limit) {
      k++;
      product *= this.next();
    }
    return k;
  }

  /** Geometric number of failures before a success of probability p. */
  geometric(p: number): number {
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** Walker's alias method: O(1) draws from a fixed discrete distribution. */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error('alias table over no weights');
    const total = weights.reduce((sum, w) => sum + w, 0);
    if (!(total > 0)) throw new Error('alias table weights sum to zero');
    this.probability = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.probability[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.probability[i] = 1;
  }

  get size(): number {
    return this.probability.length;
  }

  sample(random: Random): number {
    const i = random.int(this.probability.length);
    return random.next() < this.probability[i]! ? i : this.alias[i]!;
  }
}

/** A weighted choice among labelled items. */
export class Weighted<T> {
  private readonly table: AliasTable;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.table = new AliasTable(weights);
  }

  static of<T extends string>(weights: Readonly<Record<T, number>>): Weighted<T> {
    const entries = Object.entries(weights) as [T, number][];
    return new Weighted(
      entries.map(([key]) => key),
      entries.map(([, weight]) => weight),
    );
  }

  sample(random: Random): T {
    return this.items[this.table.sample(random)]!;
  }
}

/** A draw from measured quantiles (evenly spaced from 0% to 100%), interpolated linearly between them. */
export function fromQuantiles(random: Random, quantiles: readonly number[]): number {
  const position = random.next() * (quantiles.length - 1);
  const index = Math.floor(position);
  const low = quantiles[index]!;
  const high = quantiles[Math.min(index + 1, quantiles.length - 1)]!;
  return low + (high - low) * (position - index);
}
