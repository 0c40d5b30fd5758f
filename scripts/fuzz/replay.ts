// Writes one fuzz input to a directory and prints what the readers make of it, item by item:
//   npx tsx scripts/fuzz/replay.ts KIND NUMBER [--seed S] [--out DIR]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { readSources } from '../../src/ingest/read-sources.ts';
import { InputGenerator, READER_KINDS, type ReaderKind } from './generate.ts';
import { loadMaterial } from './material.ts';
import { materialize } from './materialize.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: 'cablegraph' },
    out: { type: 'string' },
    shared: { type: 'string', default: resolve(import.meta.dirname, '../../../shared') },
  },
});
const [kind, number] = positionals as [ReaderKind, string];
if (!READER_KINDS.includes(kind) || !/^\d+$/.test(number ?? '')) throw new Error(`usage: replay.ts ${READER_KINDS.join('|')} NUMBER`);
const generator = new InputGenerator(await loadMaterial(values.shared!), values.seed!);
const input = await generator.generate(kind, Number(number));
const directory = values.out ?? (await mkdtemp(join(tmpdir(), 'cablegraph-replay-')));
await materialize(input, directory);
const target = join(directory, input.target);
console.log(`${input.description}\n${target}`);
for await (const item of readSources([target])) {
  console.log(
    item.kind === 'error' ? `error ${item.source}: ${item.reason}` : `cable ${item.cable.source} (${item.cable.text.length} chars)`,
  );
}
console.log('end');
