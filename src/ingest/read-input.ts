// One input of any format: recognise it from its name and first bytes and hand it to its reader.
// gzip streams and tar archives come back here for what they contain, one level deeper each time.
import { detectFormat, nameInsideGzip, SNIFF_BYTES } from './detect-format.ts';
import type { ReadLimits } from './limits.ts';
import { gunzip, peekBytes } from './read-bytes.ts';
import { readCsv } from './read-csv.ts';
import { readDocument } from './read-document.ts';
import { describeReadError } from './read-errors.ts';
import { readTar } from './read-tar.ts';
import type { ByteSource, ReadItem } from './types.ts';

/** `depth`: how many gzip streams and archives `source` sits inside. */
export async function* readInput(source: ByteSource, limits: ReadLimits, depth = 0): AsyncGenerator<ReadItem> {
  const again = (inner: ByteSource) => readInput(inner, limits, depth + 1);
  try {
    const { head, bytes, failure } = await peekBytes(source.bytes, SNIFF_BYTES);
    const peeked = { ...source, bytes };
    const format = detectFormat(source.name, head);
    if ((format.kind === 'gzip' || format.kind === 'tar') && depth >= limits.maxNestingDepth) {
      yield {
        kind: 'error',
        source: source.location,
        reason: `${format.kind === 'gzip' ? 'gzip stream' : 'archive'} nested more than ${limits.maxNestingDepth} levels deep (gzip and tar inside each other)`,
      };
      return;
    }
    switch (format.kind) {
      case 'gzip':
        yield* again({ location: source.location, name: nameInsideGzip(source.name), bytes: gunzip(bytes, limits) });
        return;
      case 'tar':
        yield* readTar(peeked, again, limits);
        return;
      case 'csv':
        yield* readCsv(peeked, limits.maxRecordBytes);
        return;
      case 'html':
      case 'text':
        yield* readDocument(peeked, format.kind, limits.maxRecordBytes);
        return;
      case 'rejected':
        // Bytes cut short (a truncated archive member) are judged by why they were cut, not by
        // what the fragment looks like.
        yield { kind: 'error', source: source.location, reason: failure === undefined ? format.reason : describeReadError(failure) };
        return;
    }
  } catch (error) {
    yield { kind: 'error', source: source.location, reason: describeReadError(error) };
  }
}
