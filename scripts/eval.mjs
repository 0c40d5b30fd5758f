#!/usr/bin/env node
// npm run eval: both dev scores of ../shared/eval/score.py (cablemap tables, gold cables) in one go.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.CABLEGRAPH_SHARED ?? join(root, '..', 'shared');
const command = process.env.CABLEGRAPH_EXTRACT_CMD ?? 'npx cablegraph extract --jsonl';
const runs = [
  ['cablemap', join(shared, 'eval/cablemap-dev.jsonl'), '--show-fails', process.env.SHOW_FAILS ?? '20'],
  ['gold', join(shared, 'eval/gold-dev'), '--corpus', join(shared, 'corpus/cablegate-1295.csv.gz'), '--seeds', join(shared, 'seeds')],
];
let status = 0;
for (const args of runs) {
  console.log(`== score.py ${args[0]}`);
  const result = spawnSync('python3', [join(shared, 'eval/score.py'), ...args, '--cmd', command], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
