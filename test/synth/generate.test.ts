// The synthetic corpus generator: same seed, same bytes; rows our own reader takes in; the release's
// shape; ground truth that points at cables and at forms their text really holds.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readSources } from '../../src/ingest/read-sources.ts';
import type { RawCable } from '../../src/ingest/types.ts';
import { pairwiseScore } from '../../scripts/eval-resolution-score.ts';
import { cablesPerYear, generate } from '../../scripts/synth/generate.ts';
import { besideOutput, main } from '../../scripts/synth/main.ts';
import type { TruthEntry } from '../../scripts/synth/mentions.ts';
import { truthToDev } from '../../scripts/synth/truth-to-dev.ts';

const CABLES = 1000;
let dir: string;
let cables: RawCable[];
let readErrors: unknown[];
let truth: TruthEntry[];
let persons: { individual: string; cables: number; surname: string; name: string }[];

async function run(name: string, count: number, seed: string) {
  const out = join(dir, `${name}.csv`);
  const summary = await generate({ cables: count, seed, out, ...besideOutput(out) });
  return { out, ...besideOutput(out), summary };
}

async function digest(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function jsonLines<T>(text: string): T[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synth-'));
  const { out, truth: truthPath, persons: personsPath } = await run('corpus', CABLES, 'test-seed');
  cables = [];
  readErrors = [];
  for await (const item of readSources([out])) item.kind === 'cable' ? cables.push(item.cable) : readErrors.push(item);
  truth = jsonLines(await readFile(truthPath, 'utf8'));
  persons = jsonLines(await readFile(personsPath, 'utf8'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('synthetic corpus', () => {
  it('is the same, byte for byte, for the same seed, and differs for another seed', async () => {
    const first = await run('a', 150, 'seed-one');
    const again = await run('b', 150, 'seed-one');
    const other = await run('c', 150, 'seed-two');
    for (const file of ['out', 'truth', 'persons'] as const) expect(await digest(again[file])).toBe(await digest(first[file]));
    expect(await digest(other.out)).not.toBe(await digest(first.out));
  });

  it('parses with our cables.csv reader into exactly N cables with their columns as hints', () => {
    expect(readErrors).toEqual([]);
    expect(cables).toHaveLength(CABLES);
    expect(new Set(cables.map((c) => c.hints.id)).size).toBe(CABLES);
    for (const cable of cables) {
      expect(cable.format).toBe('csv');
      expect(cable.hints.id).toMatch(/^\d{2}[A-Z]+\d+$/);
      expect(cable.hints.date).toMatch(/^(19[6-9]\d|200\d|2010)-\d\d-\d\d$/);
      expect(cable.hints.header).toMatch(/^FM /m);
      expect(cable.text).toMatch(/^TAGS: /m);
    }
  });

  it('follows the release: dates in order up to February 2010, mostly 2006-2009, its classification mix', () => {
    const dates = cables.map((c) => c.hints.date!);
    expect([...dates].sort()).toEqual(dates);
    expect(dates[dates.length - 1]! <= '2010-02-28').toBe(true);
    const recent = dates.filter((d) => d >= '2006' && d < '2010').length / dates.length;
    expect(recent).toBeGreaterThan(0.7);
    const share = (classification: string) => cables.filter((c) => c.hints.classification === classification).length / CABLES;
    // The release: 39% CONFIDENTIAL, 30% UNCLASSIFIED, 23% FOUO, 6% SECRET (binomial noise on 1,000).
    expect(share('CONFIDENTIAL')).toBeCloseTo(97070 / 251287, 1);
    expect(share('UNCLASSIFIED')).toBeCloseTo(75792 / 251287, 1);
    expect(share('UNCLASSIFIED//FOR OFFICIAL USE ONLY')).toBeCloseTo(58095 / 251287, 1);
    expect(share('SECRET') + share('SECRET//NOFORN')).toBeGreaterThan(0.03);
    const lengths = cables.map((c) => c.text.length).sort((a, b) => a - b);
    // The release's 1,040 words a cable: a median body of about 5,500 characters.
    expect(lengths[CABLES / 2]).toBeGreaterThan(4000);
    expect(lengths[CABLES / 2]).toBeLessThan(7500);
  });

  it('cites only earlier cables in the references column', () => {
    const seen = new Set<string>();
    let citing = 0;
    for (const cable of cables) {
      for (const reference of cable.hints.references ?? []) expect(seen.has(reference), `${cable.hints.id} cites ${reference}`).toBe(true);
      if (cable.hints.references?.length) citing++;
      seen.add(cable.hints.id!);
    }
    expect(citing / CABLES).toBeGreaterThan(0.3);
  });

  it('writes ground truth whose cables exist and whose forms occur in the cable text', () => {
    const bodies = new Map(cables.map((c) => [c.hints.id!, c.text.replace(/\s+/g, ' ')]));
    expect(truth.length).toBeGreaterThan(CABLES * 3);
    for (const entry of truth) {
      const body = bodies.get(entry.cable);
      expect(body, entry.cable).toBeDefined();
      expect(entry.forms.length).toBeGreaterThan(0);
      for (const form of entry.forms) expect(body!.includes(form), `${entry.cable}: "${form}"`).toBe(true);
      expect(
        entry.forms.some((form) => form.toLowerCase().includes(entry.surname.toLowerCase())),
        entry.surname,
      ).toBe(true);
    }
    // One entry per (cable, individual).
    expect(new Set(truth.map((e) => `${e.cable} ${e.individual}`)).size).toBe(truth.length);
  });

  it('has a skewed population: a few people in many cables, most in a handful, surnames shared', () => {
    const counts = new Map<string, number>();
    for (const entry of truth) counts.set(entry.individual, (counts.get(entry.individual) ?? 0) + 1);
    expect(persons).toHaveLength(counts.size);
    for (const person of persons) expect(person.cables).toBe(counts.get(person.individual));
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(30);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(2);
    // Different individuals named by one surname in the truth: the work resolution has to do.
    const bySurname = new Map<string, Set<string>>();
    for (const entry of truth) bySurname.set(entry.surname, (bySurname.get(entry.surname) ?? new Set()).add(entry.individual));
    expect([...bySurname.values()].filter((ids) => ids.size > 1).length).toBeGreaterThan(100);
  });

  it('turns into a dev set the resolution scorer reads, a stable sample when asked', async () => {
    const { truth: truthPath } = besideOutput(join(dir, 'corpus.csv'));
    const dev = await truthToDev(truthPath);
    expect(dev.mentions).toHaveLength(truth.length);
    expect(dev.mentions[0]).toEqual({
      cable: truth[0]!.cable,
      surname: truth[0]!.surname,
      forms: truth[0]!.forms,
      individual: truth[0]!.individual,
    });
    // Gold against itself scores perfectly; against surnames alone it merges namesakes.
    const gold = dev.mentions.map((m) => m.individual);
    expect(pairwiseScore(gold, gold).precision).toBe(1);
    expect(
      pairwiseScore(
        gold,
        dev.mentions.map((m) => m.surname),
      ).precision,
    ).toBeLessThan(0.99);
    const sample = await truthToDev(truthPath, 200);
    const sampled = new Set(sample.mentions.map((m) => m.cable));
    expect(sampled.size).toBeGreaterThan(120);
    expect(sampled.size).toBeLessThan(280);
    expect(await truthToDev(truthPath, 200)).toEqual(sample);
  });

  it('splits the cables over the years so that the counts add up', () => {
    for (const total of [1, 50, 1000, 251287]) {
      const perYear = cablesPerYear(total);
      expect([...perYear.values()].reduce((a, b) => a + b, 0)).toBe(total);
    }
    const full = cablesPerYear(251287);
    expect(full.get(2009)!).toBeGreaterThan(full.get(2005)!);
    expect(full.get(1966)!).toBeLessThan(100);
  });

  it('refuses a bad command line with exit code 2', async () => {
    expect(await main(['--cables', 'many', '--out', join(dir, 'x.csv')])).toBe(2);
    expect(await main(['--cables', '10'])).toBe(2);
  });
});
