// A tar archive (already decompressed): each regular member is read as an input of its own,
// recognised by its name and content, and reported as `archive.tar.gz:member/path`.
import tar from 'tar-stream';

import type { ReadLimits } from './limits.ts';
import { detachable, drain, drainedOrClosed, oneAtATime } from './read-bytes.ts';
import { describeReadError } from './read-errors.ts';
import type { ByteSource, ReadByteSource, ReadItem } from './types.ts';

const MEMBER_TYPES = new Set(['file', 'contiguous-file']);

export async function* readTar(
  source: ByteSource,
  readMember: ReadByteSource,
  limits: Pick<ReadLimits, 'maxMemberNameChars'>,
): AsyncGenerator<ReadItem> {
  const extract = tar.extract();
  const reading = new MemberReading(extract);
  const feeding = feed(source.bytes, extract, reading);
  let finished = false;
  let lastMember: string | undefined;
  let memberFailure: unknown;
  let files = 0;
  const archiveError = (error: unknown): ReadItem => {
    const after = lastMember === undefined ? '' : ` after member ${lastMember}`;
    return {
      kind: 'error',
      source: source.location,
      reason: `corrupt archive${after}: ${describeReadError(error)}; the rest of this archive is skipped`,
    };
  };
  try {
    for await (const entry of extract) {
      const member = entry.header.name;
      lastMember = member.length > 200 ? `${member.slice(0, 200)}…` : member;
      const size: unknown = entry.header.size;
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        // tar-stream lets a size field it cannot parse through as null and then never ends the
        // member's stream: reading it would wait forever (and let the process exit mid-run).
        yield {
          kind: 'error',
          source: source.location,
          reason: `corrupt archive: member ${lastMember} has an invalid size field; the rest of this archive is skipped`,
        };
        return;
      }
      const chunks = oneAtATime(reading.watch(entry[Symbol.asyncIterator]() as AsyncIterator<Buffer>));
      if (member.length > limits.maxMemberNameChars) {
        yield {
          kind: 'error',
          source: `${source.location}:${lastMember}`,
          reason: `member name of ${member.length} characters, longer than the ${limits.maxMemberNameChars} limit`,
        };
      } else if (MEMBER_TYPES.has(entry.header.type ?? 'file')) {
        files++;
        const location = `${source.location}:${member}`;
        const seen = watchFailure(chunks, (error) => {
          memberFailure = error;
        });
        // A member reader that stops early leaves the rest to be drained here, so that one bad
        // member does not end the archive.
        yield* readMember({ location, name: member, bytes: detachable(seen) });
      }
      // tar-stream never ends the stream of a directory entry that declares a size (it reads those
      // bytes as the next header instead); waiting for it would wait forever.
      if (entry.header.type !== 'directory') await drain(chunks);
      reading.memberDone();
    }
    finished = true;
    if (files === 0) yield { kind: 'error', source: source.location, reason: 'archive holds no regular file' };
    // The bytes failed where a member happened to end: the archive still stops there.
    const failure = reading.sourceFailure;
    if (failure && failure.error !== memberFailure) yield archiveError(failure.error);
  } catch (caught) {
    finished = true;
    const error = reading.substitute(caught);
    // A truncated or corrupt archive fails inside a member first; when that member's reader met
    // the failure, it has reported it already, where it happened.
    if (error === memberFailure) return;
    yield archiveError(error);
  } finally {
    if (!finished) extract.destroy();
    await feeding;
  }
}

function watchFailure(iterator: AsyncIterator<Buffer>, onFailure: (error: unknown) => void): AsyncIterator<Buffer> {
  return {
    next: async () => {
      try {
        return await iterator.next();
      } catch (error) {
        onFailure(error);
        throw error;
      }
    },
  };
}

/**
 * Whether the member being read has been read as far as the extractor has it. When the archive
 * bytes end in the middle of a member, tar-stream fails that member's stream, and a failed stream
 * drops what it holds unread: the end is only passed on once the member's reader waits for more.
 */
class MemberReading {
  #inMember = false;
  #waiting = 0;
  #changed: (() => void) | undefined;
  /** Why the archive's bytes stopped coming, when they failed (a truncated gzip stream around the tar). */
  sourceFailure: { error: unknown } | undefined;

  constructor(extract: tar.Extract) {
    // Set when the extractor starts a member, before the loop below is handed it.
    extract.on('entry', () => {
      this.#inMember = true;
      this.#notify();
    });
    extract.once('close', () => this.#notify());
  }

  #notify(): void {
    const resume = this.#changed;
    this.#changed = undefined;
    resume?.();
  }

  /**
   * What to report for an extractor error: when the bytes failed, tar-stream sees the archive end
   * early ("Unexpected end of data") and that is the bytes' failure, not a truncated archive.
   */
  substitute(error: unknown): unknown {
    return this.sourceFailure && error instanceof Error && error.message === 'Unexpected end of data' ? this.sourceFailure.error : error;
  }

  /** The member's chunks, counting the reads that wait. */
  watch(iterator: AsyncIterator<Buffer>): AsyncIterator<Buffer> {
    return {
      next: () => {
        this.#waiting++;
        this.#notify();
        return iterator.next().then(
          (result) => {
            this.#waiting--;
            return result;
          },
          (error: unknown) => {
            this.#waiting--;
            throw this.substitute(error);
          },
        );
      },
    };
  }

  memberDone(): void {
    this.#inMember = false;
    this.#notify();
  }

  /** Resolves once no member is being read, or its reader has waited a full turn of the event loop. */
  async caughtUp(extract: tar.Extract): Promise<void> {
    while (this.#inMember && !extract.destroyed) {
      if (this.#waiting > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.#waiting > 0) return;
        continue;
      }
      await new Promise<void>((resolve) => (this.#changed = resolve));
    }
  }
}

/** Writes the archive bytes into the extractor, honouring its back-pressure. */
async function feed(bytes: AsyncIterable<Buffer>, extract: tar.Extract, reading: MemberReading): Promise<void> {
  try {
    for await (const chunk of bytes) {
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drainedOrClosed(extract);
    }
    // All bytes are written; a complete archive has ended its last member by now. If it has not
    // (a truncated archive), its reader first takes what the extractor holds of it.
    await reading.caughtUp(extract);
    if (extract.destroyed) return;
    extract.end(undefined);
  } catch (error) {
    // The bytes failed (a truncated or corrupt gzip stream around the archive, a read error):
    // what came before the failure is read as a truncated archive would be, and the failure is
    // what gets reported (MemberReading.substitute).
    reading.sourceFailure = { error };
    await reading.caughtUp(extract);
    if (!extract.destroyed) extract.end(undefined);
  }
}
