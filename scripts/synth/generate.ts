// The synthetic corpus, streamed: cables in date order (so REF lines can cite earlier ones), each
// row written through csv-stringify as soon as it is made, the ground truth beside it. Memory
// holds the population and a few hundred recent cable ids, never the corpus.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { stringify } from 'csv-stringify';

import release from './data/release.json' with { type: 'json' };
import { CableComposer, type CsvRow } from './cable.ts';
import { minuteOf, MINUTES_PER_DAY } from './calendar.ts';
import type { Individual } from './population.ts';
import { Random, Weighted } from './random.ts';
import { World } from './world.ts';

export interface GenerateOptions {
  cables: number;
  seed: string;
  /** cables.csv to write. */
  out: string;
  /** Ground truth, JSON Lines, one line per (cable, individual). */
  truth: string;
  /** The population, JSON Lines, one line per individual named at least once. */
  persons: string;
  /** Called every so many cables with the count written. */
  onProgress?: (written: number) => void;
}

export interface GenerateSummary {
  cables: number;
  truthEntries: number;
  individuals: number;
  bytes: number;
}

const LAST_MINUTE = minuteOf(2010, 1, 28) + MINUTES_PER_DAY - 1;

/** Cables per year: the release's weights, rounded so that they add up to `total` exactly. */
export function cablesPerYear(total: number): Map<number, number> {
  const entries = Object.entries(release.years).map(([year, weight]) => [Number(year), weight] as const);
  const sum = entries.reduce((s, [, w]) => s + w, 0);
  const exact = entries.map(([year, weight]) => ({ year, exact: (total * weight) / sum }));
  const counts = new Map(exact.map(({ year, exact: value }) => [year, Math.floor(value)]));
  let left = total - [...counts.values()].reduce((s, n) => s + n, 0);
  for (const { year } of [...exact].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.year - b.year)) {
    if (left-- <= 0) break;
    counts.set(year, counts.get(year)! + 1);
  }
  return counts;
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const root = new Random(options.seed);
  const world = new World(root.fork('world'), options.cables);
  const planRandom = root.fork('plan');
  const classifications = Weighted.of(release.classifications as Record<string, number>);
  const truth = createWriteStream(options.truth);
  const appearances = new Map<string, number>();
  let truthEntries = 0;
  let row = 0;

  async function* rows(): AsyncGenerator<CsvRow> {
    for (const [year, count] of cablesPerYear(options.cables)) {
      if (count === 0) continue;
      const from = minuteOf(year);
      const to = Math.min(minuteOf(year + 1), LAST_MINUTE);
      const minutes = Array.from({ length: count }, () => from + Math.floor(planRandom.next() * (to - from)));
      minutes.sort((a, b) => a - b);
      for (const minute of minutes) {
        row++;
        const post = world.postTable.sample(planRandom);
        const classification = classifications.sample(planRandom);
        const cableRandom = root.fork(`cable:${row}`);
        const cable = new CableComposer(cableRandom, world, { row, minute, post, classification }).compose();
        let lines = '';
        for (const entry of cable.truth) {
          lines += JSON.stringify(entry) + '\n';
          appearances.set(entry.individual, (appearances.get(entry.individual) ?? 0) + 1);
        }
        truthEntries += cable.truth.length;
        await write(truth, lines);
        if (options.onProgress && row % 1000 === 0) options.onProgress(row);
        yield cable.row;
      }
    }
  }

  const csv = createWriteStream(options.out);
  await pipeline(Readable.from(rows()), stringify({ quoted: true, escape: '\\', record_delimiter: '\n' }), csv);
  truth.end();
  await once(truth, 'finish');
  options.onProgress?.(row);

  const persons = createWriteStream(options.persons);
  let individuals = 0;
  const everyone: Individual[] = [...world.builtCountries().flatMap((country) => country.individuals()), ...world.us.individuals()];
  for (const individual of everyone) {
    const cables = appearances.get(individual.id);
    if (!cables) continue;
    individuals++;
    const record = {
      individual: individual.id,
      name: individual.name.full,
      surname: individual.name.key,
      country: individual.country,
      cables,
      relativeOf: individual.relativeOf,
      titles: individual.stints.map((stint) => ({
        title: stint.title.first[0] ?? null,
        from: new Date(Date.UTC(1966, 0, 1) + stint.from * 60000).toISOString().slice(0, 10),
        to: new Date(Date.UTC(1966, 0, 1) + stint.to * 60000).toISOString().slice(0, 10),
      })),
    };
    await write(persons, JSON.stringify(record) + '\n');
  }
  persons.end();
  await once(persons, 'finish');
  return { cables: row, truthEntries, individuals, bytes: csv.bytesWritten };
}
