// The extraction pool: worker threads give the records inline extraction gives, and a cable the
// extractor refuses comes back as a reason, not as a rejected promise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createExtractor, type Extractor } from '../../src/ingest/extract-pool.ts';
import buildCable from '../../src/ingest/extract-task.ts';
import type { RawCable } from '../../src/ingest/types.ts';
import { SHARED } from '../helpers/databases.ts';

const seeds: RawCable[] = ['03OTTAWA692.txt', '03OTTAWA1284.txt'].map((name) => ({
  text: readFileSync(join(SHARED, 'seeds', name), 'utf8'),
  hints: {},
  source: `seeds/${name}`,
  format: 'text',
}));

describe('the extraction pool', { timeout: 60_000 }, () => {
  let pool: Extractor;
  beforeAll(() => {
    pool = createExtractor(2);
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('gives the same records as extraction in the calling thread, in the order asked', async () => {
    const built = await Promise.all(seeds.map((raw) => pool.build(raw)));
    expect(built.map((b) => (b.ok ? b.record.ref : b.reason))).toEqual(['03OTTAWA692', '03OTTAWA1284']);
    expect(built).toEqual(seeds.map((raw) => buildCable(raw)));
  });

  it('returns the reason a cable is refused, naming its source, and keeps serving', async () => {
    const bad = await pool.build({ text: 'abc\u0000def', hints: {}, source: 'bad.txt', format: 'text' });
    expect(bad).toEqual({ ok: false, source: 'bad.txt', reason: 'text contains NUL bytes (binary data?)' });
    const good = await pool.build(seeds[0]!);
    expect(good.ok).toBe(true);
  });

  it('runs inline with no threads', async () => {
    const inline = createExtractor(0);
    expect(inline.threads).toBe(0);
    expect(await inline.build(seeds[1]!)).toEqual(buildCable(seeds[1]!));
    await inline.close();
  });
});
