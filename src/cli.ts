// The `cablegraph` command. Exit codes: 0 ok, 1 some inputs failed, 2 usage or fatal error.
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';

import { Command, CommanderError, InvalidArgumentError } from 'commander';

import type { DatabaseHandle } from './db/connect.ts';
import { extract } from './extract/index.ts';
import { CLEARANCES, clearanceAccess } from './extract/markings.ts';
import type { ExtractRequest } from './extract/types.ts';

export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const processIo: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('not a positive integer');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a non-negative integer');
  return n;
}

const EXPORT_FORMATS = ['graphml', 'gexf', 'ndjson', 'csv'] as const;

interface ExportOptions {
  format: (typeof EXPORT_FORMATS)[number];
  out?: string;
  include: string[];
  from?: string;
  to?: string;
  topic?: string[];
  country?: string;
  origin?: string;
  classification?: string;
  text?: string;
  minWeight?: number;
  weight: 'cables' | 'paragraphs';
  quiet?: boolean;
  clearance?: string;
  noforn?: boolean;
}

function exportFormat(value: string): ExportOptions['format'] {
  const format = value.toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new InvalidArgumentError(`not one of ${EXPORT_FORMATS.join(', ')}`);
  return format as ExportOptions['format'];
}

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function includeKinds(value: string): string[] {
  const kinds = commaList(value.toLowerCase());
  const unknown = kinds.filter((kind) => kind !== 'cables' && kind !== 'topics');
  if (unknown.length) throw new InvalidArgumentError(`unknown kind ${unknown.join(', ')}: use cables and/or topics`);
  return kinds;
}

function isoDate(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('not a date (YYYY-MM-DD)');
  }
  return value;
}

function edgeWeight(value: string): ExportOptions['weight'] {
  if (value !== 'cables' && value !== 'paragraphs') throw new InvalidArgumentError('use "cables" or "paragraphs"');
  return value;
}

function clearance(value: string): string {
  const access = clearanceAccess(value, false);
  if (!access) throw new InvalidArgumentError(`not one of ${CLEARANCES.join(', ')}`);
  return CLEARANCES[access.rank]!;
}

function keyName(value: string): string {
  const name = value.trim();
  if (!name) throw new InvalidArgumentError('a key needs a non-empty name');
  return name;
}

/** UTC to the minute, or "-". */
function utcMinute(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-';
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return (
    [header, ...rows]
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** Runs `work` on the database; a key that cannot be created or revoked is exit code 1. */
async function withApiKeys(io: Io, work: (db: DatabaseHandle['db']) => Promise<number>): Promise<number> {
  const { openDatabase } = await import('./db/connect.ts');
  const { ApiKeyError } = await import('./db/api-keys.ts');
  const handle = await openDatabase();
  try {
    return await work(handle.db);
  } catch (error) {
    if (!(error instanceof ApiKeyError)) throw error;
    io.stderr.write(`keys: ${error.message}\n`);
    return EXIT_SOME_FAILED;
  } finally {
    await handle.close();
  }
}

/** Reads JSON requests line by line and writes one result line per request, in order. */
async function extractJsonl(io: Io): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let failed = 0;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    let result: unknown;
    try {
      const request = JSON.parse(line) as ExtractRequest;
      if (typeof request?.text !== 'string') throw new Error('request has no "text" string');
      result = extract(request);
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      io.stderr.write(`stdin line ${lineNumber}: ${message}\n`);
      // Keep one output line per request so that callers can zip requests and results.
      result = { error: message };
    }
    io.stdout.write(JSON.stringify(result) + '\n');
  }
  return failed ? EXIT_SOME_FAILED : EXIT_OK;
}

async function extractFiles(files: string[], io: Io): Promise<number> {
  let failed = 0;
  for (const file of files) {
    try {
      const text = await readFile(file, 'utf8');
      io.stdout.write(JSON.stringify({ file, ...extract({ text }) }, null, 2) + '\n');
    } catch (error) {
      failed++;
      io.stderr.write(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return failed ? EXIT_SOME_FAILED : EXIT_OK;
}

export async function execute(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('cablegraph')
    .description('A GraphQL knowledge graph over US diplomatic cables')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command('extract')
    .description('extract structure and entities from cable files, or JSON requests on stdin with --jsonl')
    .argument('[files...]', 'cable files (plain text or cablegate HTML)')
    .option('--jsonl', 'read one JSON request per stdin line ({text, id?, date?, year?}), write one result per line')
    .action(async (files: string[], options: { jsonl?: boolean }) => {
      if (options.jsonl) exitCode = await extractJsonl(io);
      else if (files.length) exitCode = await extractFiles(files, io);
      else {
        io.stderr.write('extract: give files, or --jsonl to read requests from stdin\n');
        exitCode = EXIT_USAGE;
      }
    });

  program
    .command('ingest')
    .description('ingest cables from files, directories, .gz, .tar/.tar.gz archives and cables.csv')
    .argument('<paths...>', 'inputs, in any mix')
    .option('--batch-size <n>', 'cables per write transaction', positiveInt, 200)
    .option(
      '--threads <n>',
      'worker threads extracting cables while the database writes (0: extract in the writing thread)',
      nonNegativeInt,
      availableParallelism(),
    )
    .option('--quiet', 'no progress bar')
    .option('--enqueue', 'queue the inputs as jobs for `ingest-worker` processes instead of ingesting them (PostgreSQL only)')
    .option('--records-per-job <n>', 'with --enqueue: CSV records per job', positiveInt, 2000)
    .action(
      async (
        paths: string[],
        options: { batchSize: number; threads: number; quiet?: boolean; enqueue?: boolean; recordsPerJob: number },
      ) => {
        if (options.enqueue) {
          const { runEnqueue } = await import('./ingest/queue-command.ts');
          exitCode = await runEnqueue(paths, { recordsPerJob: options.recordsPerJob, io });
          return;
        }
        const { runIngest } = await import('./ingest/command.ts');
        exitCode = await runIngest(paths, { batchSize: options.batchSize, threads: options.threads, quiet: Boolean(options.quiet), io });
      },
    );

  program
    .command('ingest-worker')
    .description('take ingest jobs queued by `ingest --enqueue` until none is left (PostgreSQL only; run several, here or elsewhere)')
    .option('--batch-size <n>', 'cables per write transaction', positiveInt, 200)
    .option('--threads <n>', 'worker threads extracting cables (0: extract in the writing thread)', nonNegativeInt, availableParallelism())
    .option('--quiet', 'no line per job')
    .action(async (options: { batchSize: number; threads: number; quiet?: boolean }) => {
      const { runWorker } = await import('./ingest/queue-command.ts');
      exitCode = await runWorker({ batchSize: options.batchSize, threads: options.threads, quiet: Boolean(options.quiet), io });
    });

  program
    .command('serve')
    .description('serve the GraphQL API (GraphiQL at /graphql)')
    .option('--port <port>', 'port to listen on', port, Number(process.env.PORT ?? 4000))
    .option('--host <host>', 'address to listen on', process.env.HOST ?? '0.0.0.0')
    .option('--seed-if-empty', 'ingest the bundled seed cables when the database holds no cable')
    .option(
      '--workers <n>',
      'processes serving requests together (PostgreSQL only; the machine has ' + availableParallelism() + ' cores)',
      positiveInt,
      Number(process.env.CABLEGRAPH_WORKERS ?? 1),
    )
    .action(async (options: { port: number; host: string; seedIfEmpty?: boolean; workers: number }) => {
      const { serve } = await import('./main.ts');
      exitCode = await serve({
        port: options.port,
        host: options.host,
        seedIfEmpty: Boolean(options.seedIfEmpty),
        workers: options.workers,
        io,
      });
    });

  program
    .command('export')
    .description('write the entity graph, or a slice of it, for notebooks and Gephi (stdout unless --out)')
    .requiredOption('--format <format>', 'graphml, gexf, ndjson or csv', exportFormat)
    .option('--out <path>', 'output file; for csv a directory or a prefix (PATH.nodes.csv, PATH.edges.csv)')
    .option('--include <kinds>', 'also cables and/or topics as nodes: "cables", "topics" or "cables,topics"', includeKinds, [])
    .option('--from <date>', 'only cables dated on or after this day (YYYY-MM-DD)', isoDate)
    .option('--to <date>', 'only cables dated on or before this day (YYYY-MM-DD)', isoDate)
    .option('--topic <codes>', 'only cables carrying these TAGS codes, all of them (comma-separated)', commaList)
    .option('--country <code>', 'only cables about a country (ISO code or name): tagged with it or naming it')
    .option('--origin <post>', 'only cables sent from this post ("Embassy Ottawa")')
    .option('--classification <level>', 'only cables of this classification ("CONFIDENTIAL")')
    .option('--text <query>', 'only cables whose text matches this search (web-search syntax)')
    .option('--min-weight <n>', 'only co-mention and topic edges of at least this weight, and the entities they join', positiveInt)
    .option('--weight <measure>', 'what an edge weight counts: "cables" or "paragraphs" shared', edgeWeight, 'cables')
    .option('--clearance <level>', `export only what a reader of this clearance may see (${CLEARANCES.join(', ')})`)
    .option('--noforn', 'with --clearance: the reader may see NOFORN portions')
    .option('--quiet', 'no progress bar')
    .action(async (options: ExportOptions) => {
      const access = options.clearance ? clearanceAccess(options.clearance, Boolean(options.noforn)) : null;
      if (options.clearance && !access) {
        io.stderr.write(`export: unknown clearance "${options.clearance}": use one of ${CLEARANCES.join(', ')}\n`);
        exitCode = 2;
        return;
      }
      if (options.format === 'csv' && !options.out) {
        io.stderr.write('export: csv writes two tables and needs --out (a directory or a file prefix)\n');
        exitCode = EXIT_USAGE;
        return;
      }
      const { runExport } = await import('./export/command.ts');
      exitCode = await runExport({
        format: options.format,
        out: options.out,
        quiet: Boolean(options.quiet),
        io,
        access,
        selection: {
          cables: {
            dateFrom: options.from,
            dateTo: options.to,
            topics: options.topic,
            country: options.country,
            origin: options.origin,
            classification: options.classification,
            text: options.text,
          },
          minWeight: options.minWeight ?? null,
          weight: options.weight,
          includeCables: options.include.includes('cables'),
          includeTopics: options.include.includes('topics'),
        },
      });
    });

  const judgmentOptions = (command: Command) =>
    command
      .option('--author <name>', 'who makes the judgment', process.env.USER || 'analyst')
      .option('--reason <text>', 'why, for the audit trail');

  judgmentOptions(
    program
      .command('merge')
      .description('record that persons are one individual (survives re-ingest)')
      .argument('<ids...>', 'person ids (numbers or global ids), at least two'),
  ).action(async (ids: string[], options: { author: string; reason?: string }) => {
    const { runMerge } = await import('./judgment-command.ts');
    exitCode = await runMerge(ids, options, io);
  });

  judgmentOptions(
    program
      .command('split')
      .description('record that some mentions of a person name another individual (survives re-ingest)')
      .argument('<id>', 'the person (number or global id)')
      .requiredOption('--mentions <ids>', 'comma-separated mention ids to split off'),
  ).action(async (id: string, options: { mentions: string; author: string; reason?: string }) => {
    const { runSplit } = await import('./judgment-command.ts');
    exitCode = await runSplit(id, options, io);
  });

  const keys = program
    .command('keys')
    .description('API keys: with none active the API is open; once one is, every request needs one (Authorization: Bearer <key>)');

  keys
    .command('create')
    .description('create a key and print it (to stdout, once: only its hash is stored)')
    .requiredOption('--name <name>', 'who or what holds the key; unique among active keys', keyName)
    .requiredOption('--clearance <level>', `the highest classification the key may read: ${CLEARANCES.join(', ')}`, clearance)
    .option('--noforn', 'the key may also read NOFORN portions')
    .action(async (options: { name: string; clearance: string; noforn?: boolean }) => {
      const { createApiKey, listApiKeys } = await import('./db/api-keys.ts');
      exitCode = await withApiKeys(io, async (db) => {
        const { key, record } = await createApiKey(db, {
          name: options.name,
          clearance: options.clearance,
          noforn: Boolean(options.noforn),
        });
        io.stdout.write(`${key}\n`);
        io.stderr.write(
          `API key ${record.id} "${record.name}" created: clearance ${record.clearance}${record.noforn ? ', NOFORN' : ''}, prefix ${record.prefix}.\n` +
            'It will not be shown again: store it now (the database keeps only its hash).\n',
        );
        const active = (await listApiKeys(db)).filter((one) => !one.revokedAt);
        if (active.length === 1) {
          io.stderr.write(
            'This is the only active key: from now on every request needs a key (a running server notices within seconds).\n',
          );
        }
        return EXIT_OK;
      });
    });

  keys
    .command('list')
    .description('list the keys, revoked ones included (times in UTC)')
    .action(async () => {
      const { listApiKeys } = await import('./db/api-keys.ts');
      exitCode = await withApiKeys(io, async (db) => {
        const records = await listApiKeys(db);
        if (records.length === 0) {
          io.stdout.write('no API keys: the API is open to anyone who can reach it\n');
          return EXIT_OK;
        }
        const rows = records.map((record) => [
          String(record.id),
          record.name,
          record.prefix,
          record.clearance,
          record.noforn ? 'yes' : 'no',
          utcMinute(record.createdAt),
          utcMinute(record.revokedAt),
          utcMinute(record.lastUsedAt),
        ]);
        io.stdout.write(table(['id', 'name', 'prefix', 'clearance', 'noforn', 'created', 'revoked', 'last used'], rows));
        return EXIT_OK;
      });
    });

  keys
    .command('revoke')
    .description('revoke a key: a running server refuses it within seconds (CABLEGRAPH_KEY_CACHE_MS)')
    .argument('<key>', "the key's id, its prefix (cg_…) or the name of an active key")
    .action(async (which: string) => {
      const { hasActiveKeys, revokeApiKey } = await import('./db/api-keys.ts');
      exitCode = await withApiKeys(io, async (db) => {
        const record = await revokeApiKey(db, which);
        io.stdout.write(`revoked API key ${record.id} "${record.name}" (${record.prefix})\n`);
        if (!(await hasActiveKeys(db))) io.stderr.write('No active key remains: the API is open again to anyone who can reach it.\n');
        return EXIT_OK;
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr.write(`cablegraph: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}
