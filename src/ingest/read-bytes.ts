// Small helpers over byte streams (AsyncIterable<Buffer>): look at the first bytes, read a bounded
// whole, decompress, count what was consumed.
import { Readable, Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { DEFAULT_LIMITS, formatLimit, InputLimitError, type ReadLimits } from './limits.ts';

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

export type GunzipLimits = Pick<ReadLimits, 'maxDecompressedBytes' | 'maxCompressionRatio' | 'ratioCheckAfterBytes'>;

/** The decompressed stream; it fails as soon as it passes the size or compression-ratio limit. */
export function gunzip(bytes: AsyncIterable<Buffer>, limits: GunzipLimits = DEFAULT_LIMITS): AsyncIterable<Buffer> {
  const inflate = createGunzip();
  let produced = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      produced += chunk.length;
      // bytesWritten: the compressed bytes zlib has consumed so far, not those still queued.
      const consumed = Math.max(inflate.bytesWritten, 1);
      if (produced > limits.maxDecompressedBytes) {
        callback(new InputLimitError(`decompresses to more than the ${formatLimit(limits.maxDecompressedBytes)} limit`));
      } else if (produced > limits.ratioCheckAfterBytes && produced > limits.maxCompressionRatio * consumed) {
        callback(
          new InputLimitError(
            `decompresses to more than ${limits.maxCompressionRatio} times its compressed size ` +
              `(${formatLimit(produced)} from ${formatLimit(consumed)}): a decompression bomb?`,
          ),
        );
      } else {
        callback(null, chunk);
      }
    },
  });
  // pipeline() destroys every stream with the first error, so a read error, a truncated stream or
  // a broken limit surfaces in whoever iterates the result.
  return pipeline(Readable.from(bytes, { objectMode: false }), inflate, guard, () => {});
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
