// One input of any format: recognise it from its name and first bytes and hand it to its reader.
// gzip streams and tar archives come back here for what they contain.
import { detectFormat, nameInsideGzip, SNIFF_BYTES } from './detect-format.ts';
import { gunzip, peekBytes } from './read-bytes.ts';
import { readCsv } from './read-csv.ts';
import { readDocument } from './read-document.ts';
import { describeReadError } from './read-errors.ts';
import { readTar } from './read-tar.ts';
import type { ByteSource, ReadItem } from './types.ts';

export async function* readInput(source: ByteSource, maxRecordBytes: number): AsyncGenerator<ReadItem> {
  const again = (inner: ByteSource) => readInput(inner, maxRecordBytes);
  try {
    const { head, bytes } = await peekBytes(source.bytes, SNIFF_BYTES);
    const peeked = { ...source, bytes };
    const format = detectFormat(source.name, head);
    switch (format.kind) {
      case 'gzip':
        yield* again({ location: source.location, name: nameInsideGzip(source.name), bytes: gunzip(bytes) });
        return;
      case 'tar':
        yield* readTar(peeked, again);
        return;
      case 'csv':
        yield* readCsv(peeked, maxRecordBytes);
        return;
      case 'html':
      case 'text':
        yield* readDocument(peeked, format.kind, maxRecordBytes);
        return;
      case 'rejected':
        yield { kind: 'error', source: source.location, reason: format.reason };
        return;
    }
  } catch (error) {
    yield { kind: 'error', source: source.location, reason: describeReadError(error) };
  }
}
