// Writing a format's text to a stream with backpressure: chunks are pulled from the writer's
// generator only as fast as the destination drains, so memory stays flat on a slow pipe.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface WriteOptions {
  /** End the stream afterwards (a file); leave it open for stdout. */
  end?: boolean;
}

/** Joins small strings into chunks of about `size` characters: one stream write per chunk, not per line. */
export async function* batched(parts: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let buffer = '';
  for await (const part of parts) {
    buffer += part;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

export async function writeText(parts: AsyncIterable<string>, out: NodeJS.WritableStream, options: WriteOptions = {}): Promise<void> {
  await pipeline(Readable.from(batched(parts), { objectMode: false }), out, { end: options.end ?? true });
}
