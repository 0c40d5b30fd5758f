// The files a command-line path stands for: the file itself, or every file under a directory,
// recursively, in sorted order so that runs are reproducible.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { describeReadError } from './read-errors.ts';

export type ListedFile = { kind: 'file'; path: string; size: number } | { kind: 'error'; source: string; reason: string };

/**
 * Hidden entries (`.git`, `.DS_Store`) inside a directory are skipped; a path named on the command
 * line is always read.
 */
export async function* listFiles(path: string): AsyncGenerator<ListedFile> {
  let listed = 0;
  for await (const file of walk(path, new Set())) {
    listed++;
    yield file;
  }
  if (listed === 0) yield { kind: 'error', source: path, reason: 'directory holds no file to read (hidden entries are skipped)' };
}

async function* walk(path: string, visited: Set<string>): AsyncGenerator<ListedFile> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    yield { kind: 'error', source: path, reason: describeReadError(error) };
    return;
  }
  if (stats.isFile()) {
    yield { kind: 'file', path, size: stats.size };
    return;
  }
  if (!stats.isDirectory()) {
    yield { kind: 'error', source: path, reason: 'not a regular file or directory' };
    return;
  }
  let names: string[];
  try {
    // A symbolic link back to an ancestor would otherwise be walked forever.
    const real = await realpath(path);
    if (visited.has(real)) return;
    visited.add(real);
    names = await readdir(path);
  } catch (error) {
    yield { kind: 'error', source: path, reason: describeReadError(error) };
    return;
  }
  for (const name of names.filter((name) => !name.startsWith('.')).sort()) {
    yield* walk(join(path, name), visited);
  }
}
