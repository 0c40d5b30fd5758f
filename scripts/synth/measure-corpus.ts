// Measures the shapes the synthetic corpus copies from the real one: `npx tsx
// scripts/synth/measure-corpus.ts [--corpus FILE] [--out FILE]` reads the 1,295-cable sample
// (../shared/corpus/cablegate-1295.csv.gz) with our own CSV reader and writes statistics only
// (quantiles, histograms, shares; no text) to scripts/synth/data/corpus-shape.json. The sample's posts
// become the generator's origins (data/extra-posts.json adds the posts it lacks).
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';

import { format } from 'prettier';

import { readCsv } from '../../src/ingest/read-csv.ts';
import { DEFAULT_MAX_RECORD_BYTES } from '../../src/ingest/types.ts';

const REPO = new URL('../../', import.meta.url);
const DEFAULT_CORPUS = new URL('../shared/corpus/cablegate-1295.csv.gz', REPO).pathname;
const DEFAULT_OUT = new URL('scripts/synth/data/corpus-shape.json', REPO).pathname;
const PILCROW_PARAGRAPH = /^[ \t]*(?:¶[ \t]*)?(\d{1,2})\.[ \t]+(?:\(([A-Z/]{1,8})\))?/gm;

interface CountryEntry {
  name: string;
  code: string;
  fips: string[];
  demonyms: string[];
}

interface Sample {
  id: string;
  year: number;
  classification: string;
  origin: string;
  header: string;
  body: string;
}

async function readSample(path: string): Promise<Sample[]> {
  const source = { location: path, name: path.replace(/\.gz$/, ''), bytes: createReadStream(path).pipe(createGunzip()) };
  const cables: Sample[] = [];
  for await (const item of readCsv(source, DEFAULT_MAX_RECORD_BYTES)) {
    if (item.kind !== 'cable') continue;
    const { hints, text } = item.cable;
    const twoDigits = Number(hints.id!.slice(0, 2));
    cables.push({
      id: hints.id!,
      year: twoDigits > 50 ? 1900 + twoDigits : 2000 + twoDigits,
      classification: hints.classification ?? '',
      origin: hints.origin ?? '',
      header: hints.header ?? '',
      body: text,
    });
  }
  return cables;
}

/** Values at 0%, 5% … 100% (or finer). */
function quantiles(values: number[], steps = 20): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return Array.from({ length: steps + 1 }, (_, i) => sorted[Math.min(sorted.length - 1, Math.round((i / steps) * (sorted.length - 1)))]!);
}

function histogram<T extends string | number>(values: T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return Object.fromEntries(
    Object.entries(counts).sort(([a], [b]) => (Number.isNaN(Number(a)) ? a.localeCompare(b) : Number(a) - Number(b))),
  );
}

function share(cables: Sample[], test: (cable: Sample) => boolean): number {
  return Number((cables.filter(test).length / cables.length).toFixed(3));
}

function isAllCaps(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length > 0 && letters.replace(/[^A-Z]/g, '').length / letters.length > 0.9;
}

function paragraphsOf(body: string): { number: number; marking: string | null; length: number }[] {
  const found = [...body.matchAll(PILCROW_PARAGRAPH)];
  return found.map((match, index) => ({
    number: Number(match[1]),
    marking: match[2] ?? null,
    length: (found[index + 1]?.index ?? body.length) - match.index,
  }));
}

function tagsOf(body: string): string[] {
  const line = /^TAGS:?[ \t]*(.*)$/m.exec(body);
  return line ? line[1]!.split(/[\s,]+/).filter((tag) => /^[A-Z]{2,6}$/.test(tag)) : [];
}

function referenceItems(body: string): number | null {
  const block = /^REF(?:S|TEL)?:?[ \t]*([\s\S]*?)(?=\n[ \t]*\n)/m.exec(body);
  if (!block) return null;
  const lettered = block[1]!.match(/(?:^|\s)(?:¶)?\(?[A-H][.)]\s/g)?.length ?? 0;
  return Math.max(1, lettered);
}

function signatureStyle(body: string): string {
  const lines = body
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  if (/^[A-Z][A-Z'-]+$/.test(last)) return 'upper';
  if (/^[A-Z][a-z'-]+$/.test(last)) return 'capitalized';
  return 'none';
}

export async function measure(corpusPath: string) {
  const cables = await readSample(corpusPath);
  const classifications = [...new Set(cables.map((c) => c.classification))].sort();
  const words = cables.reduce((sum, c) => sum + c.body.split(/\s+/).filter(Boolean).length, 0);
  const paragraphs = cables.map((c) => paragraphsOf(c.body));

  const markings: Record<string, Record<string, number>> = {};
  for (const classification of classifications) {
    const marks = cables.flatMap((c, i) => (c.classification === classification ? paragraphs[i]!.map((p) => p.marking ?? 'none') : []));
    // S//NF and S/NF are one marking written two ways; keep the common spellings apart, fold rare ones.
    markings[classification] = histogram(
      marks.map((mark) => (/^(U|C|S|SBU|S\/NF|C\/NF|S\/\/NF|C\/\/NF|SBU\/NF|U\/\/FOUO|none)$/.test(mark) ? mark : 'none')),
    );
  }

  const tagCodes = histogram(cables.flatMap((c) => tagsOf(c.body).filter((tag) => tag.length === 4 || tag.length > 4)));
  const origins = new Map<string, { station: string; from: string; origin: string; cables: number }>();
  for (const cable of cables) {
    const station = /^\d{2}([A-Z]+)\d+$/.exec(cable.id)?.[1];
    const from = /^FM[ \t]+(.+?)[ \t]*$/m.exec(cable.header)?.[1];
    if (!station || !from) continue;
    const known = origins.get(station) ?? { station, from, origin: cable.origin, cables: 0 };
    known.cables++;
    origins.set(station, known);
  }

  const routed = cables.filter((c) => c.year >= 2004);
  return {
    _comment:
      'Measured by scripts/synth/measure-corpus.ts on ../shared/corpus/cablegate-1295.csv.gz: statistics only, no cable text. Lengths in characters of the body column.',
    cables: cables.length,
    wordsPerCable: Math.round(words / cables.length),
    bodyLength: quantiles(
      cables.map((c) => c.body.length),
      100,
    ),
    headerLength: quantiles(cables.map((c) => c.header.length)),
    paragraphCount: histogram(paragraphs.map((list) => list.length)),
    paragraphLength: quantiles(
      paragraphs.flat().map((p) => p.length),
      100,
    ),
    markings,
    tagCount: histogram(cables.map((c) => tagsOf(c.body).length)),
    tagCodes,
    referenceItems: histogram(cables.map((c) => referenceItems(c.body) ?? 0)),
    classifiedBy: Object.fromEntries(
      classifications.map((cl) => [
        cl,
        share(
          cables.filter((c) => c.classification === cl),
          (c) => /Classified\s+By/i.test(c.body),
        ),
      ]),
    ),
    allCapsBefore2000: share(
      cables.filter((c) => c.year < 2000),
      (c) => isAllCaps(c.body),
    ),
    allCapsFrom2000: share(
      cables.filter((c) => c.year >= 2000),
      (c) => isAllCaps(c.body),
    ),
    pilcrow: share(
      cables.filter((c) => c.year >= 2000),
      (c) => c.body.includes('¶'),
    ),
    routingIndicatorHeader: share(routed, (c) => c.header.startsWith('VZCZC')),
    sipdis: share(
      cables.filter((c) => c.year >= 2006),
      (c) => /SIPDIS/.test(c.body.slice(0, 800)),
    ),
    summary: share(cables, (c) => /\bsummary\b/i.test(c.body.slice(0, 4000))),
    comment: share(cables, (c) => /\bend comment\b/i.test(c.body)),
    sectionHeadings: share(cables, (c) => /\n[^\n]{3,60}\n-{5,}[ -]*\n/.test(c.body)),
    multiSection: share(cables, (c) => /SECTION \d+ OF \d+/.test(c.body.slice(0, 400))),
    subjectLength: quantiles(cables.flatMap((c) => /^SUBJECT:[ \t]*(.*)$/m.exec(c.body)?.[1]?.length ?? [])),
    signature: histogram(cables.map((c) => signatureStyle(c.body))),
    origins: [...origins.values()].sort((a, b) => b.cables - a.cables || a.station.localeCompare(b.station)),
  };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { corpus: { type: 'string' }, out: { type: 'string' } } });
  const shape = await measure(values.corpus ?? DEFAULT_CORPUS);
  // The country of each sampled post, by the extractor's post table (null for missions and Washington).
  const posts = JSON.parse(readFileSync(new URL('src/extract/data/posts.json', REPO), 'utf8')).posts as Record<string, string | null>;
  const originCountries = Object.fromEntries(shape.origins.map((o) => [o.station, posts[o.station] ?? null]));
  // Names, adjectives and TAGS (FIPS) codes of the countries the population lives in.
  const names = JSON.parse(readFileSync(new URL('scripts/synth/data/names.json', REPO), 'utf8')) as {
    countryRegions: Record<string, string[]>;
  };
  const gazetteer = JSON.parse(readFileSync(new URL('src/extract/data/countries.json', REPO), 'utf8')) as CountryEntry[];
  const countries: Record<string, { name: string; adjective: string; fips: string }> = {};
  for (const code of Object.values(names.countryRegions).flat().sort()) {
    const entry = gazetteer.find((c) => c.code === code);
    if (!entry) continue;
    const adjective = (entry.demonyms[0] ?? entry.name).split(',')[0]!.trim();
    countries[code] = { name: entry.name, adjective, fips: entry.fips[0] ?? code };
  }
  const json = JSON.stringify({ ...shape, originCountries, countries });
  writeFileSync(values.out ?? DEFAULT_OUT, await format(json, { parser: 'json', printWidth: 140 }));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
