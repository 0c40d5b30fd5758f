// The real corpus in ../shared: the same 1,295 cables as cablegate HTML pages and as cables.csv.
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { normalizeBody } from '../../src/extract/index.ts';
import type { CableHints } from '../../src/extract/types.ts';
import { looksLikeCableText } from '../../src/ingest/detect-cable-text.ts';
import type { RawCable } from '../../src/ingest/types.ts';
import { collect, shared, type Collected } from './helpers.ts';

const htmlArchive = join(shared, 'corpus/cablegate-html-1295.tar.gz');
const csvFile = join(shared, 'corpus/cablegate-1295.csv.gz');

let html: Collected;
let csv: Collected;
beforeAll(async () => {
  [html, csv] = await Promise.all([collect([htmlArchive]), collect([csvFile])]);
});

function sameHints(a: CableHints, b: CableHints): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof CableHints>;
  return [...keys].every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

const byId = (cables: RawCable[]) => new Map(cables.map((cable) => [cable.hints.id, cable]));

describe('the shared corpus', () => {
  it('yields 1,295 cables and no error from the HTML archive', () => {
    expect(html.errors).toEqual([]);
    expect(html.cables).toHaveLength(1295);
    expect(byId(html.cables).size).toBe(1295);
    expect(html.cables[0]!.source).toMatch(/cablegate-html-1295\.tar\.gz:public\/cable\/\d{4}\/\d\d\/\w+\.html$/);
  });

  it('yields 1,295 cables and no error from cables.csv', () => {
    expect(csv.errors).toEqual([]);
    expect(csv.cables).toHaveLength(1295);
    expect(csv.cables[0]!.source).toBe(`${csvFile} record 1 (line 1)`);
    expect(csv.cables[0]!.hints).toMatchObject({
      id: '66BUENOSAIRES2481',
      date: '1966-12-28',
      origin: 'Embassy Buenos Aires',
      classification: 'UNCLASSIFIED',
    });
  });

  it('gives the same cables with the same body, header and metadata from both', () => {
    const fromCsv = byId(csv.cables);
    const differences: string[] = [];
    for (const page of html.cables) {
      const record = fromCsv.get(page.hints.id);
      if (!record) {
        differences.push(`${page.hints.id}: not in the CSV`);
        continue;
      }
      if (normalizeBody(page.text) !== normalizeBody(record.text)) differences.push(`${page.hints.id}: body`);
      // The references column is empty in this conversion, so the CSV adds no hint the page lacks.
      if (!sameHints(page.hints, record.hints)) differences.push(`${page.hints.id}: hints`);
    }
    expect(differences).toEqual([]);
    const sample = ['79TEHRAN8980', '66BUENOSAIRES2481'].map((id) => [byId(html.cables).get(id)!, fromCsv.get(id)!]);
    for (const [page, record] of sample) {
      expect(page!.text).toBe(record!.text);
      expect(page!.hints.header).toBe(record!.hints.header);
    }
  });

  it('takes every corpus body for a cable', () => {
    // The check that rejects plain texts which are no cable must accept every real one.
    const rejected = csv.cables.filter((cable) => !looksLikeCableText(cable.text)).map((cable) => cable.hints.id);
    expect(rejected).toEqual([]);
  });
});
