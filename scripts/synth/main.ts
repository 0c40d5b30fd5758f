// Writes a synthetic full-release corpus: `npm run synth -- --cables N --out FILE [--seed S]`.
// Beside FILE (cables.csv): FILE's name with `.truth.jsonl` (who each person mention names, one
// line per cable and individual, in the resolution dev set's fields) and `.persons.jsonl` (the
// individuals named, with their titles over time and cable counts). Exit 0 ok, 2 usage or fatal.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

import cliProgress from 'cli-progress';

import { generate } from './generate.ts';

export const FULL_RELEASE = 251_287;

export function besideOutput(out: string): { truth: string; persons: string } {
  const base = out.replace(/\.csv$/i, '');
  return { truth: `${base}.truth.jsonl`, persons: `${base}.persons.jsonl` };
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        cables: { type: 'string', default: String(FULL_RELEASE) },
        out: { type: 'string' },
        seed: { type: 'string', default: 'cablegraph' },
      },
    }).values;
  } catch (error) {
    console.error(`usage: synth --cables N --out FILE [--seed S]\n${(error as Error).message}`);
    return 2;
  }
  const cables = Number(values.cables);
  if (!values.out || !Number.isInteger(cables) || cables < 1) {
    console.error('usage: synth --cables N --out FILE [--seed S]   (N a positive integer; the full release is 251287)');
    return 2;
  }
  mkdirSync(dirname(values.out), { recursive: true });
  const beside = besideOutput(values.out);
  const started = Date.now();
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { etaBuffer: 50, format: 'synth [{bar}] {value}/{total} cables  {rate}/s  ETA {eta_formatted}' },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(cables, 0, { rate: '0' });
  const summary = await generate({
    cables,
    seed: values.seed!,
    out: values.out,
    ...beside,
    onProgress: (written) => bar?.update(written, { rate: Math.round(written / Math.max(0.001, (Date.now() - started) / 1000)) }),
  });
  bar?.stop();
  const seconds = (Date.now() - started) / 1000;
  console.error(
    `${summary.cables} cables, ${(summary.bytes / 1e6).toFixed(1)} MB -> ${values.out} in ${seconds.toFixed(1)} s; ` +
      `${summary.truthEntries} truth entries (${summary.individuals} individuals) -> ${beside.truth}; persons -> ${beside.persons}`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    console.error(`synth: ${(error as Error).stack ?? error}`);
    process.exitCode = 2;
  }
}
