// Full-extraction benchmark: extract() (header, paragraphs, entities and mentions) over every cable
// of the shared corpus CSV, on one core. Prints MB/s of body text, the slowest cables and peak RSS.
//   npx tsx scripts/bench/extract.ts [path/to/cables.csv.gz] [rounds]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

import { parse } from 'csv-parse/sync';

import { extract } from '../../src/extract/index.ts';
import type { ExtractRequest } from '../../src/extract/types.ts';

const path = process.argv[2] ?? '../shared/corpus/cablegate-1295.csv.gz';
const rounds = Number(process.argv[3] ?? 1);
const raw = readFileSync(path);
const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
const rows: string[][] = parse(text, { escape: '\\', quote: '"', relax_column_count: true });

// The CSV's date column is "MM/DD/YYYY HH:MM"; requests carry ISO dates.
function isoDate(created: string | undefined): string | undefined {
  const m = /^(\d\d)\/(\d\d)\/(\d{4})/.exec(created ?? '');
  return m ? `${m[3]}-${m[1]}-${m[2]}` : undefined;
}

const requests: ExtractRequest[] = rows.map(([, created, refid, , , , header, body]) => ({
  text: body ?? '',
  id: refid,
  date: isoDate(created),
  header,
}));
const bytes = requests.reduce((sum, request) => sum + Buffer.byteLength(request.text), 0);

let peakRss = process.memoryUsage().rss;
let mentions = 0;
const slowest: { id: string; ms: number }[] = [];
const run = (timeEach: boolean) => {
  for (const request of requests) {
    const started = timeEach ? performance.now() : 0;
    mentions += extract(request).mentions.length;
    if (timeEach) slowest.push({ id: request.id ?? '?', ms: performance.now() - started });
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
run(false); // warm-up: JIT, regex caches, the gazetteers' first use
const started = performance.now();
for (let round = 0; round < rounds; round++) run(round === 0);
const seconds = (performance.now() - started) / 1000;
const megabytes = (bytes * rounds) / 1e6;
slowest.sort((a, b) => b.ms - a.ms);
console.log(
  `full extraction: ${requests.length} cables x ${rounds} rounds, ${megabytes.toFixed(1)} MB of body text in ${seconds.toFixed(2)} s = ` +
    `${(megabytes / seconds).toFixed(2)} MB/s; peak RSS ${(peakRss / 1e6).toFixed(0)} MB; ${mentions / (rounds + 1)} mentions per round`,
);
console.log(
  `slowest cables: ${slowest
    .slice(0, 5)
    .map((s) => `${s.id} ${s.ms.toFixed(0)} ms`)
    .join(', ')}`,
);
