// `cablegraph merge` and `cablegraph split`.
import type { Io } from './cli.ts';
import { openDatabase } from './db/connect.ts';
import { JudgmentError, mergePersons, splitPerson } from './db/judgments.ts';

/** A person id as a number, or a global id (`Person:12`, base64-encoded) as the API gives it. */
export function parsePersonId(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const match = /^Person:(\d+)$/.exec(decoded);
  if (!match) throw new JudgmentError(`"${value}" is not a person id`);
  return Number(match[1]);
}

async function run(io: Io, work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<string>): Promise<number> {
  let handle: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    handle = await openDatabase();
    io.stdout.write((await work(handle)) + '\n');
    return 0;
  } catch (error) {
    if (!(error instanceof JudgmentError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  } finally {
    await handle?.close();
  }
}

export function runMerge(ids: string[], options: { author: string; reason?: string }, io: Io): Promise<number> {
  return run(io, async (handle) => {
    const result = await mergePersons(handle.db, ids.map(parsePersonId), { author: options.author, reason: options.reason ?? null });
    return `judgment ${result.id}: merged ${result.members.length} person records`;
  });
}

export function runSplit(id: string, options: { mentions: string; author: string; reason?: string }, io: Io): Promise<number> {
  return run(io, async (handle) => {
    const mentionIds = options.mentions
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    for (const m of mentionIds) if (!/^\d+$/.test(m)) throw new JudgmentError(`"${m}" is not a mention id`);
    const result = await splitPerson(handle.db, parsePersonId(id), mentionIds, { author: options.author, reason: options.reason ?? null });
    return `judgment ${result.id}: split ${result.members.length} person records off person ${id}`;
  });
}
