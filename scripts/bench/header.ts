// Header-extraction benchmark: parseHeader + splitParagraphs over every cable of the shared
// corpus CSV, on one core. Prints MB/s over the text and the peak RSS.
//   npx tsx scripts/bench/header.ts [path/to/cables.csv.gz] [rounds]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

import { parse } from 'csv-parse/sync';

import { parseHeader } from '../../src/extract/header/index.ts';
import { splitParagraphs } from '../../src/extract/paragraphs.ts';

const path = process.argv[2] ?? '../shared/corpus/cablegate-1295.csv.gz';
const rounds = Number(process.argv[3] ?? 5);
const raw = readFileSync(path);
const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
const rows: string[][] = parse(text, { escape: '\\', quote: '"', relax_column_count: true });
const cables = rows.map(([, created, refid, origin, classification, , header, body]) => ({
  body: (body ?? '').replace(/\r\n?/g, '\n'),
  hints: { id: refid, date: undefined, origin, classification, header },
  created,
}));
const bytes = cables.reduce((sum, cable) => sum + Buffer.byteLength(cable.body) + Buffer.byteLength(cable.hints.header ?? ''), 0);

let peakRss = process.memoryUsage().rss;
let checksum = 0;
const run = () => {
  for (const cable of cables) {
    const header = parseHeader(cable.body, cable.hints);
    checksum += header.references.length + splitParagraphs(cable.body).length;
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
run(); // warm-up: JIT and the regex caches
const started = performance.now();
for (let round = 0; round < rounds; round++) run();
const seconds = (performance.now() - started) / 1000;
const megabytes = (bytes * rounds) / 1e6;
console.log(
  `header extraction: ${cables.length} cables x ${rounds} rounds, ${megabytes.toFixed(1)} MB in ${seconds.toFixed(2)} s = ` +
    `${(megabytes / seconds).toFixed(1)} MB/s; peak RSS ${(peakRss / 1e6).toFixed(0)} MB (checksum ${checksum})`,
);
