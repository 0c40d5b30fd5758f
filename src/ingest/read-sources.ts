// Entry point of the reading side of ingest: command-line paths in, a stream of raw cables and
// located errors out. Nothing here holds more than one cable (or one CSV record) at a time.
import { createReadStream } from 'node:fs';

import { countBytes } from './read-bytes.ts';
import { listFiles } from './read-directory.ts';
import { readInput } from './read-input.ts';
import { DEFAULT_MAX_RECORD_BYTES, type ReadItem, type ReadOptions } from './types.ts';

export type { RawCable, ReadItem, ReadOptions, ReadProgress } from './types.ts';

const READ_CHUNK_BYTES = 256 * 1024;

export async function* readSources(paths: string[], options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
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
      try {
        yield* readInput({ location: listed.path, name: listed.path, bytes }, maxRecordBytes);
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
