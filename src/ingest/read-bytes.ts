// Small helpers over byte streams (AsyncIterable<Buffer>): look at the first bytes, read a bounded
// whole, decompress, count what was consumed.
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface Peeked {
  head: Buffer;
  /** The whole stream again, the head included. */
  bytes: AsyncIterable<Buffer>;
}

/** The first `count` bytes (fewer if the stream is shorter) without losing them. */
export async function peekBytes(bytes: AsyncIterable<Buffer>, count: number): Promise<Peeked> {
  const iterator = bytes[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < count) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const joined = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (joined.length) yield joined;
      while (!done) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  return { head: joined.subarray(0, count), bytes: replay() };
}

/** The whole stream, or null as soon as it exceeds `limit` bytes. */
export async function readAtMost(bytes: AsyncIterable<Buffer>, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of bytes) {
    length += chunk.length;
    if (length > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function gunzip(bytes: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  // pipeline() destroys both streams with the first error, so a read error or a truncated stream
  // surfaces in whoever iterates the result.
  return pipeline(Readable.from(bytes, { objectMode: false }), createGunzip(), () => {});
}

/** Passes the stream through, telling `onBytes` how much went by. */
export async function* countBytes(bytes: AsyncIterable<Buffer>, onBytes: (count: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of bytes) {
    onBytes(chunk.length);
    yield chunk;
  }
}

/** A stream whose early abandonment (return) leaves the underlying iterator open, to be drained. */
export function detachable(iterator: AsyncIterator<Buffer>): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }),
  };
}

/**
 * An iterator whose `next` calls wait for each other. A reader that gave up may leave a `next`
 * pending; streamx iterators (tar members) would drop it when the drain asks again.
 */
export function oneAtATime(iterator: AsyncIterator<Buffer>): AsyncIterator<Buffer> {
  let previous: Promise<unknown> = Promise.resolve();
  return {
    next: () => {
      const result = previous.then(
        () => iterator.next(),
        () => iterator.next(),
      );
      previous = result;
      return result;
    },
  };
}

export async function drain(iterator: AsyncIterator<Buffer>): Promise<void> {
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
  }
}
