// What the synthetic generator plants in a cable's header, our extractor must find there: reference
// id, date, classification, TAGS, SUBJECT, REF ids, Classified By, numbered paragraphs, signer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { extract } from '../../src/extract/index.ts';
import type { Extraction } from '../../src/extract/types.ts';
import { readSources } from '../../src/ingest/read-sources.ts';
import type { RawCable } from '../../src/ingest/types.ts';
import { generate } from '../../scripts/synth/generate.ts';
import { besideOutput } from '../../scripts/synth/main.ts';

let dir: string;
const cables: { raw: RawCable; extraction: Extraction }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synth-extract-'));
  const out = join(dir, 'cables.csv');
  await generate({ cables: 50, seed: 'extract-test', out, ...besideOutput(out) });
  for await (const item of readSources([out])) {
    if (item.kind !== 'cable') throw new Error(item.reason);
    cables.push({ raw: item.cable, extraction: extract({ text: item.cable.text, ...item.cable.hints }) });
  }
});

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The value of a header line as planted, e.g. the text after "TAGS: ". */
function planted(text: string, keyword: string): string {
  return new RegExp(`^${keyword}:? (.*)$`, 'm').exec(text)![1]!.trim();
}

describe('the extractor on synthetic cables', () => {
  it('reads 50 cables', () => expect(cables).toHaveLength(50));

  it('finds reference id, date and classification, from the columns and the classification line', () => {
    for (const { raw, extraction } of cables) {
      expect(extraction.id).toBe(raw.hints.id);
      expect(extraction.date).toBe(raw.hints.date);
      expect(extraction.classification).toBe(raw.hints.classification);
      expect(extraction.origin).toBe(raw.hints.origin);
    }
    // Without the column hints, the classification line alone gives level and caveats.
    for (const { raw } of cables) {
      const fromText = extract({ text: raw.text, header: raw.hints.header! });
      expect(fromText.classification, raw.hints.id).toBe(raw.hints.classification);
    }
  });

  it('finds the TAGS and the SUBJECT as planted', () => {
    for (const { raw, extraction } of cables) {
      expect(extraction.tags, raw.hints.id).toEqual(planted(raw.text, 'TAGS').split(' '));
      // A portion marking before the subject is not part of it.
      expect(extraction.subject, raw.hints.id).toBe(planted(raw.text, 'SUBJECT').replace(/^\([A-Z/]+\) /, ''));
    }
  });

  it('finds the cables each REF line cites, in every planted form', () => {
    let withReferences = 0;
    for (const { raw, extraction } of cables) {
      const cited = extraction.referenceItems.filter((item) => item.kind === 'cable').map((item) => item.value);
      expect(new Set(cited), raw.hints.id).toEqual(new Set(raw.hints.references ?? []));
      if (cited.length) withReferences++;
    }
    expect(withReferences).toBeGreaterThan(10);
  });

  it('finds who classified a classified cable, with the title apart', () => {
    for (const { raw, extraction } of cables) {
      const line = /^(?:Classified By|CLASSIFIED BY): (.*(?:\n.+)?)/im.exec(raw.text);
      if (!line) {
        expect(raw.hints.classification!.startsWith('UNCLASSIFIED') || extraction.classifiedBy === null).toBe(true);
        continue;
      }
      expect(extraction.classifiedBy, raw.hints.id).not.toBeNull();
      const { name, title } = extraction.classifiedBy!;
      expect(line[1]!.replace(/\s+/g, ' ').toUpperCase()).toContain(`${title} ${name}`.toUpperCase());
    }
    expect(cables.filter(({ extraction }) => extraction.classifiedBy).length).toBeGreaterThanOrEqual(15);
  });

  it('splits the numbered paragraphs with their portion markings', () => {
    for (const { raw, extraction } of cables) {
      // "¶N." at a line start is always a paragraph number (a wrapped "19." of a date is not).
      const numbers = [...raw.text.matchAll(/^¶(\d+)\. (?:\(([A-Z/]+)\) )?/gm)];
      if (numbers.length === 0) continue;
      const found = extraction.paragraphs.filter((p) => p.number > 0);
      expect(
        found.map((p) => p.number),
        raw.hints.id,
      ).toEqual(numbers.map((m) => Number(m[1])));
      expect(found.map((p) => p.marking)).toEqual(numbers.map((m) => m[2] ?? null));
    }
  });

  it('finds the signature', () => {
    for (const { raw, extraction } of cables) {
      const last = raw.text.trimEnd().split('\n').pop()!.trim();
      if (/^[A-Z][A-Za-z'-]+$/.test(last) && !/^(?:END|COMMENT)/i.test(last)) expect(extraction.signers, raw.hints.id).toEqual([last]);
    }
  });
});
