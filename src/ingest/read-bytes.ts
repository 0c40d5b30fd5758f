// Small helpers over byte streams (AsyncIterable<Buffer>): look at the first bytes, read a bounded
// whole, decompress, count what was consumed.
import type { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { DEFAULT_LIMITS, formatLimit, InputLimitError, type ReadLimits } from './limits.ts';

export interface Peeked {
  head: Buffer;
  /** The whole stream again, the head included. */
  bytes: AsyncIterable<Buffer>;
  /** Why the stream stopped within the head, if it failed there (`bytes` throws it after the head). */
  failure?: unknown;
}

/**
 * The first `count` bytes (fewer if the stream is shorter) without losing them. A stream that fails
 * within them (a truncated archive member) gives what came before the failure as its head, and
 * the failure after those bytes; one that fails before any byte throws.
 */
export async function peekBytes(bytes: AsyncIterable<Buffer>, count: number): Promise<Peeked> {
  const iterator = bytes[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  let failure: { error: unknown } | undefined;
  while (length < count) {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (error) {
      failure = { error };
      done = true;
      break;
    }
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  if (failure && length === 0) throw failure.error;
  const joined = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (joined.length) yield joined;
      if (failure) throw failure.error;
      while (!done) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  return { head: joined.subarray(0, count), bytes: replay(), ...(failure ? { failure: failure.error } : {}) };
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

/** Compressed bytes handed to zlib at a time: what one write may decompress to is checked before the next. */
const GUNZIP_SLICE_BYTES = 16 * 1024;
const GZIP_TRAILER_BYTES = 8;

/**
 * The decompressed stream; it fails as soon as it passes the size or compression-ratio limit.
 * When the compressed bytes fail (a truncated archive member, a read error), everything they
 * decompressed to before the failure still comes out, then the failure.
 */
export async function* gunzip(bytes: AsyncIterable<Buffer>, limits: GunzipLimits = DEFAULT_LIMITS): AsyncGenerator<Buffer> {
  const inflate = createGunzip();
  let produced = 0;
  let consumed = 0;
  const check = (chunk: Buffer): Error | null => {
    produced += chunk.length;
    if (produced > limits.maxDecompressedBytes) {
      return new InputLimitError(`decompresses to more than the ${formatLimit(limits.maxDecompressedBytes)} limit`);
    }
    // `consumed`: the compressed bytes written so far (at most one slice ahead of zlib).
    if (produced > limits.ratioCheckAfterBytes && produced > limits.maxCompressionRatio * Math.max(consumed, 1)) {
      return new InputLimitError(
        `decompresses to more than ${limits.maxCompressionRatio} times its compressed size ` +
          `(${formatLimit(produced)} from ${formatLimit(consumed)}): a decompression bomb?`,
      );
    }
    return null;
  };
  // The last 8 bytes (a gzip trailer: CRC-32 and length) go to zlib on their own: when the check
  // fails, Node's zlib drops the output of the write that failed, which would otherwise be the
  // end of the data.
  let held = Buffer.alloc(0);
  const slice = (chunk: Buffer) => {
    consumed += chunk.length;
    return chunk;
  };
  async function* sliced(): AsyncGenerator<Buffer> {
    for await (const chunk of bytes) {
      const joined = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const keep = Math.max(0, joined.length - GZIP_TRAILER_BYTES);
      for (let at = 0; at < keep; at += GUNZIP_SLICE_BYTES) yield slice(joined.subarray(at, Math.min(at + GUNZIP_SLICE_BYTES, keep)));
      held = Buffer.from(joined.subarray(keep));
    }
    if (held.length > 0) yield slice(held);
  }
  yield* throughStage<Buffer>(sliced(), inflate, { check });
}

export interface StageOptions<T> {
  /** Called with each output item as it comes: an error returned stops the stage and is thrown. */
  check?: (item: T) => Error | null;
}

/**
 * Runs `stage` (a Transform) over `bytes` and yields what it outputs, one input chunk at a time:
 * each chunk is written, and all the stage made of it is taken out before the next is written,
 * so the stage never holds more than one chunk's worth. This is what `pipeline` does not do:
 * when `bytes` fails (a truncated archive member, a read error), `pipeline` destroys every stage
 * with whatever it held, and how much of the input before the failure came out depends on timing.
 * Here all of it comes out, then the failure is thrown; when the stage itself fails, what it
 * made before failing comes out first too.
 */
export async function* throughStage<T>(bytes: AsyncIterable<Buffer>, stage: Transform, options: StageOptions<T> = {}): AsyncGenerator<T> {
  const queue: T[] = [];
  let stageFailure: { error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const take = () => {
    for (let item = stage.read() as T | null; item !== null; item = stage.read() as T | null) {
      const problem = options.check?.(item) ?? null;
      if (problem) {
        stageFailure ??= { error: problem };
        stage.destroy();
        break;
      }
      queue.push(item);
    }
    notify();
  };
  stage.on('readable', take);
  stage.on('error', (error) => {
    stageFailure ??= { error };
    notify();
  });
  stage.on('end', () => {
    ended = true;
    notify();
  });
  stage.on('close', notify);
  /** Resolves when `done()` holds, checking each time the stage reports anything. */
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve));
  };
  const iterator = bytes[Symbol.asyncIterator]();
  let inputDone = false;
  let inputFailure: { error: unknown } | undefined;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (error) {
        inputDone = true;
        inputFailure = { error };
        break;
      }
      if (next.done) {
        inputDone = true;
        break;
      }
      let written = false;
      stage.write(next.value, () => {
        written = true;
        notify();
      });
      await until(() => written || stageFailure !== undefined || stage.destroyed);
      // A transform's output can trail its write callback by a tick.
      take();
      while (queue.length > 0) yield queue.shift()!;
      if (stageFailure || stage.destroyed) break;
    }
    // When the input failed, what the stage holds is cut off by the failure (a record half read is
    // not a record): it is dropped rather than flushed.
    if (!stageFailure && !stage.destroyed && !inputFailure) {
      stage.end();
      await until(() => ended || stageFailure !== undefined || stage.destroyed);
      take();
    }
    while (queue.length > 0) yield queue.shift()!;
    if (inputFailure) throw inputFailure.error;
    if (stageFailure) throw stageFailure.error;
  } finally {
    if (!ended) stage.destroy();
    // Abandoned early: let the input close what it holds open (a file, an inner stream).
    if (!inputDone) await iterator.return?.();
  }
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

/** Resolves when a writable stream that refused more ('write' returned false) drains, or closes. */
export function drainedOrClosed(stream: Pick<NodeJS.EventEmitter, 'on' | 'off'>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
