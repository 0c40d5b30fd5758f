// Entry point of the reading side of ingest: command-line paths in, a stream of raw cables and
// located errors out. Nothing here holds more than one cable (or one CSV record) at a time.
import { createReadStream } from 'node:fs';

import { countBytes } from './read-bytes.ts';
import { listFiles } from './read-directory.ts';
import { DEFAULT_LIMITS, type ReadLimits } from './limits.ts';
import { readInput } from './read-input.ts';
import type { ReadItem, ReadOptions } from './types.ts';

export type { RawCable, ReadItem, ReadOptions, ReadProgress } from './types.ts';

const READ_CHUNK_BYTES = 256 * 1024;

export async function* readSources(paths: string[], options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  if (options.maxRecordBytes !== undefined) limits.maxRecordBytes = options.maxRecordBytes;
  const progress = options.progress ?? { totalBytes: 0, bytesRead: 0 };
  progress.totalBytes = await totalSize(paths);
  progress.bytesRead = 0;
  for (const path of paths) {
    for await (const listed of listFiles(path)) {
      if (listed.kind === 'error') {
        yield listed;
        continue;
      }
      const before = progress.bytesRead;
      const stream = createReadStream(listed.path, { highWaterMark: READ_CHUNK_BYTES });
      const bytes = countBytes(stream, (count) => {
        progress.bytesRead += count;
      });
      let errors = 0;
      try {
        for await (const item of readInput({ location: listed.path, name: listed.path, bytes }, limits)) {
          yield item;
          if (item.kind === 'error' && ++errors >= limits.maxErrorsPerFile) {
            yield {
              kind: 'error',
              source: listed.path,
              reason: `${limits.maxErrorsPerFile} errors in this file, the limit for one file: the rest of it is skipped`,
            };
            break;
          }
        }
      } finally {
        stream.destroy();
        // A reader that stopped early (a rejected or oversized file) still counts the whole file.
        progress.bytesRead = before + listed.size;
      }
    }
  }
}

async function totalSize(paths: string[]): Promise<number> {
  let total = 0;
  for (const path of paths) {
    for await (const listed of listFiles(path)) {
      if (listed.kind === 'file') total += listed.size;
    }
  }
  return total;
}
