import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { collect, fixtures, shared, syntheticCable, tempDir, writeIn } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('plain-text cables', () => {
  it('reads the two seeds as text without hints, in sorted order', async () => {
    const { cables, errors } = await collect([join(shared, 'seeds')]);
    expect(errors).toEqual([]);
    expect(cables.map((cable) => cable.source)).toEqual([join(shared, 'seeds/03OTTAWA1284.txt'), join(shared, 'seeds/03OTTAWA692.txt')]);
    expect(cables.every((cable) => cable.format === 'text')).toBe(true);
    expect(cables.map((cable) => cable.hints)).toEqual([{}, {}]);
    expect(cables[1]!.text).toContain('CONFIDENTIAL OTTAWA 000692');
  });

  it('keeps the file content as it is', async () => {
    const path = join(fixtures, 'mixed/09EXAMPLE101.txt');
    const { cables } = await collect([path]);
    expect(cables).toHaveLength(1);
    expect(cables[0]!.text).toMatch(/^UNCLAS SECTION 01 OF 02 EXAMPLE 000101\n/);
    expect(cables[0]!.source).toBe(path);
  });

  it('rejects a text that is not a cable', async () => {
    const path = await writeIn(dir, 'README.md', '# Notes\n\nNothing to see here, just a shopping list.\n');
    const { cables, errors } = await collect([path]);
    expect(cables).toEqual([]);
    expect(errors).toEqual([{ source: path, reason: expect.stringMatching(/^not a cable/) }]);
  });

  it('reads invalid UTF-8 with replacement characters', async () => {
    const bytes = Buffer.concat([Buffer.from(syntheticCable(7)), Buffer.from([0xff, 0xfe, 0x41, 0x0a])]);
    const path = await writeIn(dir, 'latin.txt', bytes);
    const { cables, errors } = await collect([path]);
    expect(errors).toEqual([]);
    expect(cables[0]!.text.endsWith('\uFFFD\uFFFDA\n')).toBe(true);
  });

  it('rejects a cable over the size limit and goes on', async () => {
    const big = await writeIn(dir, 'a-big.txt', syntheticCable(1) + 'X'.repeat(5000));
    const small = await writeIn(dir, 'b-small.txt', syntheticCable(2));
    const { cables, errors } = await collect([big, small], { maxRecordBytes: 4096 });
    expect(errors).toEqual([{ source: big, reason: 'larger than the 4096 bytes limit for one cable' }]);
    expect(cables.map((cable) => cable.source)).toEqual([small]);
  });
});

describe('cablegate HTML pages', () => {
  it('takes the body, the routing header and the metadata table apart, entities decoded', async () => {
    const path = join(fixtures, 'mixed/sub/09EXAMPLE202.html');
    const { cables, errors } = await collect([path]);
    expect(errors).toEqual([]);
    expect(cables).toHaveLength(1);
    const cable = cables[0]!;
    expect(cable.format).toBe('html');
    expect(cable.hints).toEqual({
      id: '09EXAMPLE202',
      date: '2009-05-14',
      classification: 'CONFIDENTIAL',
      origin: 'Embassy Example',
      header: 'R 140930Z MAY 09\nFM AMEMBASSY EXAMPLE\nTO SECSTATE WASHDC 4242',
    });
    expect(cable.text).toContain('SUBJECT: SYNTHETIC "HTML" CABLE & ENTITIES');
    expect(cable.text).toContain('¶1. (C) An invented paragraph with an entity: café.');
    expect(cable.text).not.toContain('<a');
  });

  it('reports a page without a cable text as not a cable', async () => {
    const path = await writeIn(dir, 'index.html', '<!DOCTYPE html><html><body><p>Browse by date</p></body></html>');
    const { cables, errors } = await collect([path]);
    expect(cables).toEqual([]);
    expect(errors).toEqual([{ source: path, reason: expect.stringMatching(/^not a cable: HTML page/) }]);
  });
});
