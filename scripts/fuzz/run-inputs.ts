// The fuzzer's worker thread: generates inputs, writes each into a directory of its own, runs it
// through the real readers (readSources) and extraction (buildCableRecord), and for a sample
// through the real ingest into an in-memory PGlite database. It reports every input to the main
// thread, which watches for hangs and for the worker dying.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { openDatabase, type DatabaseHandle } from '../../src/db/connect.ts';
import { buildCableRecord, CableRejected } from '../../src/ingest/cable-record.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { readSources } from '../../src/ingest/read-sources.ts';
import { InputGenerator, type FuzzInput, type ReaderKind } from './generate.ts';
import { loadMaterial } from './material.ts';
import { materialize } from './materialize.ts';
import { writeMonster, MONSTERS } from './monsters.ts';

export interface WorkerTask {
  kind: ReaderKind | 'monster';
  from: number;
  to: number;
  seed: string;
  shared: string;
  scratch: string;
  /** Every n-th input also goes through the ingest into PGlite; 0 for none. */
  databaseEvery: number;
  /** Cables of one input put through extraction (about 20 ms each); the rest are only read. */
  extractPerInput: number;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'start'; index: number; description: string }
  | { type: 'result'; index: number; outcome: InputOutcome }
  | { type: 'done' };

export interface InputOutcome {
  description: string;
  cables: number;
  /** Cables put through extraction (accepted or refused there). */
  extracted: number;
  /** Reasons of the located errors, reader and extraction alike. */
  rejections: string[];
  /** Why this input counts as a crash, if it does. */
  crash?: string;
  milliseconds: number;
  /** Whether it went through the database ingest too, and what that found. */
  database?: { written: number; failed: number };
}

const task = workerData as WorkerTask;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

let current: number | undefined;
process.on('unhandledRejection', (reason) => {
  // Reported against the input being read; the main thread counts it as a crash.
  if (current !== undefined) post({ type: 'result', index: current, outcome: crashOutcome(`unhandled rejection: ${describe(reason)}`) });
  process.exit(3);
});

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300);
}

function crashOutcome(crash: string): InputOutcome {
  return { description: '', cables: 0, extracted: 0, rejections: [], crash, milliseconds: 0 };
}

/** Reads one input the way `cablegraph ingest` does, minus the database. */
async function readAndExtract(target: string, outcome: InputOutcome): Promise<void> {
  const named = (source: string) => source.startsWith(target);
  for await (const item of readSources([target])) {
    if (item.kind === 'error') {
      if (!named(item.source)) outcome.crash ??= `error does not name the input: ${item.source}: ${item.reason}`;
      else if (!item.reason.trim()) outcome.crash ??= `error without a reason at ${item.source}`;
      outcome.rejections.push(item.reason);
      continue;
    }
    if (!named(item.cable.source)) outcome.crash ??= `cable does not name the input: ${item.cable.source}`;
    if (outcome.extracted >= task.extractPerInput) {
      outcome.cables++;
      continue;
    }
    outcome.extracted++;
    try {
      buildCableRecord(item.cable);
      outcome.cables++;
    } catch (error) {
      // A cable the extraction refuses on purpose is a rejection; anything else thrown there is a bug.
      if (error instanceof CableRejected) outcome.rejections.push(`extraction: ${error.message}`);
      else outcome.crash ??= `extraction threw at ${item.cable.source}: ${describe(error)}`;
    }
  }
}

const TABLES = [
  'cable',
  'paragraph',
  'cable_reference',
  'country',
  'topic',
  'cable_topic',
  'person',
  'organization',
  'cable_person',
  'cable_organization',
  'mention',
  'date_mention',
  'edge',
  'person_candidate',
] as const;

async function snapshot(handle: DatabaseHandle): Promise<string> {
  const counts: string[] = [];
  for (const table of TABLES) {
    const row = await handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    counts.push(`${table}=${row.count}`);
  }
  const hashes = await handle.db.selectFrom('cable').select(['ref', 'content_hash']).orderBy('ref').execute();
  return counts.join(' ') + ' ' + hashes.map((row) => `${row.ref}:${row.content_hash}`).join(',');
}

/** The real ingest; an input of which nothing was written must leave every table as it was. */
async function ingestChecked(handle: DatabaseHandle, target: string, outcome: InputOutcome): Promise<void> {
  const before = await snapshot(handle);
  const summary = await ingestPaths(handle.db, [target], { batchSize: 50 });
  const after = await snapshot(handle);
  const written = summary.inserted + summary.updated;
  outcome.database = { written, failed: summary.failed.length };
  if (written === 0 && before !== after) outcome.crash ??= 'ingest wrote to the database although no cable of the input was accepted';
  for (const failure of summary.failed) {
    if (!failure.source.startsWith(target)) outcome.crash ??= `ingest failure does not name the input: ${failure.source}`;
  }
  if (summary.inserted + summary.updated + summary.unchanged > outcome.cables) {
    outcome.crash ??= `ingest stored ${summary.inserted + summary.updated + summary.unchanged} cables, the readers accepted ${outcome.cables}`;
  }
}

async function main(): Promise<void> {
  const material = await loadMaterial(task.shared);
  const generator = new InputGenerator(material, task.seed);
  const database = task.databaseEvery > 0 && task.kind !== 'monster' ? await openDatabase({ dataDir: 'memory://' }) : undefined;
  post({ type: 'ready' });
  for (let index = task.from; index < task.to; index++) {
    const directory = join(task.scratch, `${task.kind}-${index}`);
    let input: FuzzInput;
    if (task.kind === 'monster') {
      const monster = MONSTERS[index]!;
      await mkdir(directory, { recursive: true });
      input = { description: monster.name, entries: [], target: await writeMonster(monster, directory, material) };
    } else {
      input = await generator.generate(task.kind, index);
      await materialize(input, directory);
    }
    current = index;
    post({ type: 'start', index, description: input.description });
    const target = join(directory, input.target);
    const outcome: InputOutcome = { description: input.description, cables: 0, extracted: 0, rejections: [], milliseconds: 0 };
    const started = performance.now();
    try {
      await readAndExtract(target, outcome);
      if (database && index % task.databaseEvery === 0) await ingestChecked(database, target, outcome);
    } catch (error) {
      outcome.crash ??= `uncaught: ${describe(error)}`;
    }
    outcome.milliseconds = performance.now() - started;
    current = undefined;
    post({ type: 'result', index, outcome });
    await rm(directory, { recursive: true, force: true });
  }
  await database?.close();
  post({ type: 'done' });
}

await main();
