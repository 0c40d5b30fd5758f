// Entry point of the reading side of ingest: command-line paths in, a stream of raw cables and
// located errors out. Nothing here holds more than one cable (or one CSV record) at a time.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import { parse } from 'csv-parse';

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

/** Part of a `cables.csv`: the bytes from `start` up to `end` (exclusive), whole records only. */
export interface InputSlice {
  path: string;
  start: number;
  end: number;
}

/** The cables of one slice of a CSV file (see splitCsv); its location names the byte range. */
export async function* readSlice(slice: InputSlice, options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  if (options.maxRecordBytes !== undefined) limits.maxRecordBytes = options.maxRecordBytes;
  if (slice.end <= slice.start) return;
  const stream = createReadStream(slice.path, { start: slice.start, end: slice.end - 1, highWaterMark: READ_CHUNK_BYTES });
  try {
    yield* readInput({ location: `${slice.path} bytes ${slice.start}-${slice.end}`, name: slice.path, bytes: stream }, limits);
  } finally {
    stream.destroy();
  }
}

/**
 * Cuts a plain (not compressed) `cables.csv` into slices of about `records` whole records each,
 * parsing it once with the reader's own CSV settings: a slice never starts inside a quoted field
 * that spans lines. The slices cover the file from its first byte to its last.
 */
export async function splitCsv(path: string, records: number): Promise<InputSlice[]> {
  const parser = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }).pipe(
    parse({ escape: '\\', bom: true, skip_empty_lines: true, skip_records_with_error: true, relax_column_count: true, info: true }),
  );
  const slices: InputSlice[] = [];
  let start = 0;
  let count = 0;
  for await (const row of parser as AsyncIterable<{ info: { bytes: number } }>) {
    if (++count < records) continue;
    slices.push({ path, start, end: row.info.bytes });
    start = row.info.bytes;
    count = 0;
  }
  const { size } = await stat(path);
  if (start < size) slices.push({ path, start, end: size });
  return slices;
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
