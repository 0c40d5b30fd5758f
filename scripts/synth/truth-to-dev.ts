// The synthetic ground truth as a resolution dev set: `npx tsx scripts/synth/truth-to-dev.ts --truth
// FILE.truth.jsonl --out dev.json [--cables N]`, then `npx tsx scripts/eval-resolution.ts --dev
// dev.json` scores the ingested synthetic corpus with the same pairwise precision/recall as the real
// dev set. Truth lines already have the dev set's fields (cable, surname, forms, individual); this
// wraps them in `{ mentions: [...] }` and, with --cables, keeps a sample of about N cables (every
// mention of each cable kept), chosen by a hash of the cable id so that the sample is stable.
// Exit 0 ok, 2 usage or fatal.
import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import type { DevMention } from '../eval-resolution-score.ts';
import type { TruthEntry } from './mentions.ts';

export async function* readTruth(path: string): AsyncGenerator<TruthEntry> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as TruthEntry;
}

/** FNV-1a, to pick a stable sample of cables. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export async function truthToDev(path: string, sampleCables?: number): Promise<{ _comment: string; mentions: DevMention[] }> {
  let keep = (_cable: string) => true;
  if (sampleCables !== undefined) {
    const cables = new Set<string>();
    for await (const entry of readTruth(path)) cables.add(entry.cable);
    const fraction = Math.min(1, sampleCables / Math.max(1, cables.size));
    keep = (cable) => hash(cable) / 4294967296 < fraction;
  }
  const mentions: DevMention[] = [];
  for await (const entry of readTruth(path)) {
    if (!keep(entry.cable)) continue;
    mentions.push({ cable: entry.cable, surname: entry.surname, forms: entry.forms, individual: entry.individual });
  }
  const individuals = new Set(mentions.map((m) => m.individual)).size;
  const cables = new Set(mentions.map((m) => m.cable)).size;
  return {
    _comment: `Synthetic resolution dev set from ${path}: ${mentions.length} mentions of ${individuals} individuals in ${cables} cables, one entry per (cable, individual), forms as written (signatures not counted).`,
    mentions,
  };
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { truth: { type: 'string' }, out: { type: 'string' }, cables: { type: 'string' } } }).values;
  } catch (error) {
    console.error(`usage: truth-to-dev --truth FILE.truth.jsonl --out dev.json [--cables N]\n${(error as Error).message}`);
    return 2;
  }
  const sample = values.cables === undefined ? undefined : Number(values.cables);
  if (!values.truth || !values.out || (sample !== undefined && !(sample > 0))) {
    console.error('usage: truth-to-dev --truth FILE.truth.jsonl --out dev.json [--cables N]');
    return 2;
  }
  const dev = await truthToDev(values.truth, sample);
  writeFileSync(values.out, JSON.stringify(dev) + '\n');
  console.error(dev._comment);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
