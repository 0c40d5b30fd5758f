// Scores person resolution against the dev set: `npx tsx scripts/eval-resolution.ts [--database-url URL]
// [--dev FILE] [--skip-attributive] [--json]`. Reads the graph the ingest wrote (PostgreSQL at URL, else the PGlite
// directory in CABLEGRAPH_DATA or ./data) and prints pairwise precision/recall over all pairs of dev
// mentions, plus the individuals split and the persons merged the most. Exit 0 ok, 2 usage or fatal.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { openDatabase } from '../src/db/connect.ts';
import {
  pairwiseScore,
  predict,
  worstMerges,
  worstSplits,
  type CablePersonRecord,
  type DevMention,
  type Offender,
} from './eval-resolution-score.ts';

const DEFAULT_DEV = new URL('../test/fixtures/resolution/dev.json', import.meta.url);

interface DevSet {
  mentions: DevMention[];
}

async function loadRecords(url: string | undefined, refs: readonly string[]): Promise<Map<string, CablePersonRecord[]>> {
  const handle = await openDatabase(url ? { url } : { dataDir: process.env.CABLEGRAPH_DATA || './data' });
  try {
    const rows =
      refs.length === 0
        ? []
        : await handle.db
            .selectFrom('cable_person')
            .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
            .leftJoin('person', 'person.id', 'cable_person.person_id')
            .select([
              'cable.ref as ref',
              'cable_person.id as id',
              'cable_person.name as name',
              'cable_person.aliases as aliases',
              'cable_person.person_id as personId',
              'person.name as personName',
            ])
            .where('cable.ref', 'in', [...refs])
            .orderBy('cable_person.id')
            .execute();
    const byCable = new Map<string, CablePersonRecord[]>();
    for (const row of rows) {
      const list = byCable.get(row.ref) ?? [];
      list.push({ id: row.id, name: row.name, aliases: row.aliases, personId: row.personId, personName: row.personName });
      byCable.set(row.ref, list);
    }
    return byCable;
  } finally {
    await handle.close();
  }
}

function percent(value: number): string {
  return (100 * value).toFixed(1).padStart(5) + '%';
}

function printOffenders(title: string, offenders: readonly Offender[], describe: (label: string) => string): void {
  console.log(`\n${title}`);
  if (offenders.length === 0) console.log('  none');
  for (const offender of offenders) {
    // Each mention not found is a cluster of its own: show them as one count.
    const missing = offender.parts.filter((part) => part.label.startsWith('missing:')).length;
    const found = offender.parts.filter((part) => !part.label.startsWith('missing:'));
    const shown = found.slice(0, 6).map((part) => `${describe(part.label)} ×${part.mentions}`);
    if (found.length > 6) shown.push(`${found.length - 6} more`);
    if (missing > 0) shown.push(`not found ×${missing}`);
    console.log(`  ${describe(offender.label)}: ${offender.pairs} pairs — ${shown.join(', ')}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs({
      args: argv,
      options: {
        'database-url': { type: 'string' },
        dev: { type: 'string' },
        'skip-attributive': { type: 'boolean' },
        json: { type: 'boolean' },
        limit: { type: 'string' },
      },
    }).values;
  } catch (error) {
    console.error(
      `usage: eval-resolution [--database-url URL] [--dev FILE] [--skip-attributive] [--json] [--limit N]\n${(error as Error).message}`,
    );
    return 2;
  }
  const dev = JSON.parse(readFileSync(options.dev ?? DEFAULT_DEV, 'utf8')) as DevSet;
  const mentions = options['skip-attributive'] ? dev.mentions.filter((mention) => !mention.attributive) : dev.mentions;
  const refs = [...new Set(mentions.map((mention) => mention.cable))];

  let records: Map<string, CablePersonRecord[]>;
  try {
    records = await loadRecords(options['database-url'] ?? process.env.DATABASE_URL, refs);
  } catch (error) {
    console.error(`cannot read the graph (has the corpus been ingested with entities?): ${(error as Error).message}`);
    return 2;
  }

  const predictions = predict(mentions, records);
  const gold = mentions.map((mention) => mention.individual);
  const predicted = predictions.map((prediction) => prediction.cluster);
  const score = pairwiseScore(gold, predicted);
  const limit = Number(options.limit ?? 10);
  const splits = worstSplits(gold, predicted, limit);
  const merges = worstMerges(gold, predicted, limit);
  const found = predictions.filter((prediction) => prediction.found).length;
  const bySurname = predictions.filter((prediction) => prediction.via === 'surname').length;
  const cablesIngested = refs.filter((ref) => records.has(ref)).length;

  if (options.json) {
    console.log(JSON.stringify({ ...score, found, foundBySurname: bySurname, notFound: score.mentions - found, splits, merges }, null, 2));
    return 0;
  }
  // A cluster key is opaque; show the person's name as the graph has it.
  const names = new Map<string, string>();
  predictions.forEach((prediction) => {
    if (prediction.recordName) names.set(prediction.cluster, `${prediction.cluster} "${prediction.recordName}"`);
  });
  const describe = (label: string) => names.get(label) ?? label;

  console.log(
    `dev mentions      ${score.mentions} (${new Set(gold).size} individuals, ${refs.length} cables; ${cablesIngested} cables have person records)`,
  );
  console.log(`found             ${found} (${bySurname} by surname alone), not found ${score.mentions - found} (scored as singletons)`);
  console.log(`pairs             gold ${score.goldPairs}, predicted ${score.predictedPairs}, correct ${score.correctPairs}`);
  console.log(`precision         ${percent(score.precision)}`);
  console.log(`recall            ${percent(score.recall)}`);
  console.log(`F1                ${percent(score.f1)}`);
  // Pairs grow with the square of a cluster: the prominent figures dominate the totals above, so
  // show each surname block on its own too (the shared surnames are where merges show).
  console.log('\nby surname          mentions individuals  precision  recall');
  for (const surname of [...new Set(mentions.map((mention) => mention.surname))]) {
    const indexes = mentions.flatMap((mention, index) => (mention.surname === surname ? [index] : []));
    const block = pairwiseScore(
      indexes.map((i) => gold[i]!),
      indexes.map((i) => predicted[i]!),
    );
    const individuals = new Set(indexes.map((i) => gold[i]!)).size;
    console.log(
      `  ${surname.padEnd(18)}${String(block.mentions).padStart(8)}${String(individuals).padStart(12)}  ${percent(block.precision)}  ${percent(block.recall)}`,
    );
  }
  printOffenders('gold individuals split across predicted persons (pairs lost):', splits, describe);
  printOffenders('predicted persons merging gold individuals (wrong pairs):', merges, describe);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
