// A seeded random source for the fuzzer: the same seed, reader and input number always give the
// same input, so that a crash found in a run of 10,000 can be replayed alone.
import { createHash } from 'node:crypto';

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export class Random {
  private readonly generator;

  constructor(...key: (string | number)[]) {
    const digest = createHash('sha256').update(key.join(':')).digest();
    this.generator = xoroshiro128plus(digest.readInt32LE(0));
  }

  /** An integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.generator, from, to);
  }

  chance(probability: number): boolean {
    return this.int(0, 999_999) < probability * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** A length skewed towards small values: most inputs are small, a few are large. */
  size(max: number): number {
    const magnitude = this.int(0, Math.max(0, Math.floor(Math.log2(max))));
    return Math.min(max, this.int(0, 2 ** magnitude));
  }

  bytes(length: number): Buffer {
    const bytes = Buffer.alloc(length);
    for (let i = 0; i < length; i++) bytes[i] = this.int(0, 255);
    return bytes;
  }
}
