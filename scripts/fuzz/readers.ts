// Fuzzes the ingest readers: N hostile inputs per reader (plain text, HTML page, CSV, .gz, tar,
// directory), then the single large ones (100 MB line, 10 GB bombs, 100k-deep HTML, invalid UTF-8).
// Each input goes through the real readers and extraction in a worker thread; every 100th also
// through the real ingest into an in-memory PGlite database. A crash is an uncaught exception, an
// unhandled rejection, an error that does not name its input, a hang, or a worker out of memory.
//
//   npx tsx scripts/fuzz/readers.ts [--per-reader N] [--seed S] [--reader KIND]… [--from I]
//       [--timeout-ms MS] [--database-every N] [--extract-per-input N] [--budget-seconds S]
//       [--no-monsters] [--only-monsters] [--verbose]
// --budget-seconds stops each reader's run after that long (on a busy machine) and reports how many
// inputs it got through.
// Extraction costs about 20 ms a cable: the first `--extract-per-input` (2) cables of each input
// go through it, the others (a CSV of 50 records, an archive of 8 members) are read only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { READER_KINDS, type ReaderKind } from './generate.ts';
import { MONSTERS } from './monsters.ts';
import type { InputOutcome, WorkerMessage, WorkerTask } from './run-inputs.ts';

const { values } = parseArgs({
  options: {
    'per-reader': { type: 'string', default: '10000' },
    seed: { type: 'string', default: 'cablegraph' },
    reader: { type: 'string', multiple: true },
    from: { type: 'string', default: '0' },
    'timeout-ms': { type: 'string', default: '60000' },
    'monster-timeout-ms': { type: 'string', default: '600000' },
    'database-every': { type: 'string', default: '100' },
    'extract-per-input': { type: 'string', default: '2' },
    shared: { type: 'string', default: resolve(import.meta.dirname, '../../../shared') },
    'no-monsters': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    'budget-seconds': { type: 'string', default: '0' },
    'only-monsters': { type: 'boolean', default: false },
  },
});

const perReader = Number(values['per-reader']);
const budgetSeconds = Number(values['budget-seconds']);
const from = Number(values.from);
const kinds = (values.reader ?? (values['only-monsters'] ? [] : [...READER_KINDS])) as ReaderKind[];
for (const kind of kinds) if (!READER_KINDS.includes(kind)) throw new Error(`--reader ${kind}: not one of ${READER_KINDS.join(', ')}`);

interface Tally {
  inputs: number;
  /** Inputs that gave at least one cable through extraction. */
  accepted: number;
  /** Inputs that gave no cable and at least one clear error. */
  rejected: number;
  cables: number;
  extracted: number;
  errors: number;
  crashes: { index: number; description: string; crash: string }[];
  reasons: Map<string, number>;
  slowest: { index: number; milliseconds: number; description: string };
  databaseChecked: number;
  databaseWritten: number;
  seconds: number;
  /** Whether --budget-seconds ended the run before all inputs were read. */
  stoppedByBudget?: boolean;
}

function newTally(): Tally {
  return {
    inputs: 0,
    accepted: 0,
    rejected: 0,
    cables: 0,
    extracted: 0,
    errors: 0,
    crashes: [],
    reasons: new Map(),
    slowest: { index: -1, milliseconds: 0, description: '' },
    databaseChecked: 0,
    databaseWritten: 0,
    seconds: 0,
  };
}

/** A reason without its numbers, paths and quoted text, to count reasons of one kind together. */
function reasonKind(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\/[^\s:]+/g, '…')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 110);
}

function record(tally: Tally, index: number, outcome: InputOutcome): void {
  tally.inputs++;
  tally.cables += outcome.cables;
  tally.extracted += outcome.extracted;
  tally.errors += outcome.rejections.length;
  if (outcome.cables > 0) tally.accepted++;
  else if (outcome.rejections.length > 0) tally.rejected++;
  else if (!outcome.crash) outcome.crash = 'no cable and no error: the input vanished silently';
  if (outcome.crash) tally.crashes.push({ index, description: outcome.description, crash: outcome.crash });
  for (const reason of outcome.rejections) tally.reasons.set(reasonKind(reason), (tally.reasons.get(reasonKind(reason)) ?? 0) + 1);
  if (outcome.milliseconds > tally.slowest.milliseconds)
    tally.slowest = { index, milliseconds: outcome.milliseconds, description: outcome.description };
  if (outcome.database) {
    tally.databaseChecked++;
    tally.databaseWritten += outcome.database.written;
  }
}

const workerSource = (url: string) =>
  `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`;

/**
 * Runs inputs [start, end) of one kind, restarting the worker after a hang or a death, and
 * returns the tally plus the outcome of each input (for the monsters).
 */
async function run(
  kind: WorkerTask['kind'],
  start: number,
  end: number,
  timeoutMs: number,
  scratch: string,
  onOutcome?: (index: number, outcome: InputOutcome) => void,
): Promise<Tally> {
  const tally = newTally();
  const began = performance.now();
  let next = start;
  while (next < end) {
    next = await new Promise<number>((done) => {
      const task: WorkerTask = {
        kind,
        from: next,
        to: end,
        seed: values.seed!,
        shared: values.shared!,
        scratch,
        databaseEvery: Number(values['database-every']),
        extractPerInput: Number(values['extract-per-input']),
      };
      const worker = new Worker(workerSource(new URL('./run-inputs.ts', import.meta.url).href), {
        eval: true,
        workerData: task,
        // The readers must stay far below this; a worker that reaches it counts as a crash.
        resourceLimits: { maxOldGenerationSizeMb: 4096 },
      });
      let current: { index: number; description: string } | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (resume: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        done(resume);
      };
      const fail = (why: string) => {
        if (current) process.stderr.write(`CRASH ${kind} #${current.index} (${current.description}): ${why}\n`);
        if (current) {
          record(tally, current.index, {
            description: current.description,
            cables: 0,
            extracted: 0,
            rejections: [],
            crash: why,
            milliseconds: 0,
          });
          onOutcome?.(current.index, {
            description: current.description,
            cables: 0,
            extracted: 0,
            rejections: [],
            crash: why,
            milliseconds: 0,
          });
          finish(current.index + 1);
        } else {
          // Died before or between inputs: that is a fault of the fuzzer, not of a reader.
          throw new Error(`fuzz worker for ${kind} failed outside an input: ${why}`);
        }
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'start') {
          current = { index: message.index, description: message.description };
          clearTimeout(timer);
          timer = setTimeout(() => fail(`hang: no result after ${timeoutMs / 1000} s`), timeoutMs);
        } else if (message.type === 'result') {
          clearTimeout(timer);
          record(tally, message.index, message.outcome);
          if (message.outcome.crash)
            process.stderr.write(`CRASH ${kind} #${message.index} (${message.outcome.description}): ${message.outcome.crash}\n`);
          if (values.verbose) {
            const { description, cables, rejections, crash, milliseconds } = message.outcome;
            process.stderr.write(
              `${kind} #${message.index} ${milliseconds.toFixed(0)} ms ${cables} cables ${rejections.length} errors ${crash ?? ''} (${description})\n`,
            );
          }
          onOutcome?.(message.index, message.outcome);
          current = undefined;
          if (tally.inputs % 500 === 0) progress(kind, tally, end - start);
          if (budgetSeconds > 0 && performance.now() - began > budgetSeconds * 1000) {
            tally.stoppedByBudget = true;
            finish(end);
          }
        } else if (message.type === 'done') {
          finish(end);
        }
      });
      worker.on('error', (error) => fail(`worker died: ${error.name}: ${error.message}`.slice(0, 300)));
      worker.on('exit', (code) => {
        if (!settled) fail(`worker exited with code ${code}`);
      });
    });
  }
  tally.seconds = (performance.now() - began) / 1000;
  return tally;
}

function progress(kind: string, tally: Tally, total: number): void {
  process.stderr.write(
    `${kind}: ${tally.inputs}/${total} inputs, ${tally.crashes.length} crashes, ${((performance.now() - started) / 1000).toFixed(0)} s, ` +
      `peak RSS ${peakRssMb()} MB\n`,
  );
}

function peakRssMb(): number {
  // maxRSS is in kilobytes, and covers the worker threads (they share the process).
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const started = performance.now();
const scratch = await mkdtemp(join(tmpdir(), 'cablegraph-fuzz-'));
const command = `npx tsx scripts/fuzz/readers.ts ${process.argv.slice(2).join(' ')}`.trim();
console.log(`# ${command}`);
console.log(`seed ${values.seed}, ${perReader} inputs per reader from #${from}, scratch ${scratch}`);
try {
  const tallies = new Map<string, Tally>();
  for (const kind of kinds) {
    const tally = await run(kind, from, from + perReader, Number(values['timeout-ms']), scratch);
    tallies.set(kind, tally);
    progress(kind, tally, perReader);
  }
  if (kinds.length) {
    console.log(
      '\n| reader | inputs | accepted (≥1 cable) | rejected (clear error) | cables read / extracted | errors | crashes | ingest-checked / cables written | slowest input | time |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const [kind, tally] of tallies) {
      console.log(
        `| ${kind} | ${tally.inputs} | ${tally.accepted} | ${tally.rejected} | ${tally.cables} / ${tally.extracted} | ${tally.errors} | ${tally.crashes.length} | ` +
          `${tally.databaseChecked} / ${tally.databaseWritten} | ${(tally.slowest.milliseconds / 1000).toFixed(2)} s (#${tally.slowest.index}) | ${tally.seconds.toFixed(0)} s${tally.stoppedByBudget ? ' (budget)' : ''} |`,
      );
    }
    console.log(`\npeak RSS after the per-reader runs: ${peakRssMb()} MB`);
    for (const [kind, tally] of tallies) {
      console.log(`\n${kind}: errors by reason`);
      for (const [reason, count] of [...tally.reasons].sort((a, b) => b[1] - a[1]).slice(0, 12))
        console.log(`  ${String(count).padStart(6)}  ${reason}`);
      for (const crash of tally.crashes.slice(0, 20)) console.log(`  CRASH #${crash.index} (${crash.description}): ${crash.crash}`);
    }
  }
  let monsterCrashes = 0;
  if (!values['no-monsters']) {
    console.log('\n| large input | time | outcome | peak RSS so far |');
    console.log('|---|---|---|---|');
    for (let index = 0; index < MONSTERS.length; index++) {
      await run('monster', index, index + 1, Number(values['monster-timeout-ms']), scratch, (_index, outcome) => {
        if (outcome.crash) monsterCrashes++;
        const result = outcome.crash
          ? `CRASH: ${outcome.crash}`
          : `${outcome.cables} cable(s); ${outcome.rejections.length} error(s)${outcome.rejections.length ? ': ' + [...new Set(outcome.rejections)].slice(0, 2).join(' / ') : ''}`;
        console.log(
          `| ${MONSTERS[index]!.name} | ${(outcome.milliseconds / 1000).toFixed(1)} s | ${result.replaceAll('|', '\\|')} | ${peakRssMb()} MB |`,
        );
      });
    }
  }
  const crashes = [...tallies.values()].reduce((sum, tally) => sum + tally.crashes.length, 0) + monsterCrashes;
  console.log(`\ntotal: ${crashes} crashes; peak RSS ${peakRssMb()} MB; ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = crashes ? 1 : 0;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
