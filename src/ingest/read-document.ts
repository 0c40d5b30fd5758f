// A file (or archive member) that holds one cable: a plain-text cable or a cablegate HTML page.
import { parseCablePage } from '../extract/html-page.ts';
import { looksLikeCableText } from './detect-cable-text.ts';
import { blankRunReason, formatLimit, longBlankRun } from './limits.ts';
import { readAtMost } from './read-bytes.ts';
import type { ByteSource, ReadItem } from './types.ts';

export async function* readDocument(source: ByteSource, format: 'text' | 'html', maxRecordBytes: number): AsyncGenerator<ReadItem> {
  const bytes = await readAtMost(source.bytes, maxRecordBytes);
  if (bytes === null) {
    yield { kind: 'error', source: source.location, reason: `larger than the ${formatLimit(maxRecordBytes)} limit for one cable` };
    return;
  }
  // Invalid UTF-8 becomes U+FFFD: a few mangled characters do not make a cable unreadable.
  const text = new TextDecoder('utf-8').decode(bytes);
  if (format === 'html') {
    const page = parseCablePage(text);
    if (!page) {
      yield { kind: 'error', source: source.location, reason: 'not a cable: HTML page without a cable text (<pre>)' };
      return;
    }
    const blankRun = longBlankRun(page.body) ?? longBlankRun(page.hints.header ?? '');
    if (blankRun !== null) {
      yield { kind: 'error', source: source.location, reason: blankRunReason(blankRun) };
      return;
    }
    yield { kind: 'cable', cable: { text: page.body, hints: page.hints, source: source.location, format } };
    return;
  }
  const blankRun = longBlankRun(text);
  if (blankRun !== null) {
    yield { kind: 'error', source: source.location, reason: blankRunReason(blankRun) };
    return;
  }
  if (!looksLikeCableText(text)) {
    yield {
      kind: 'error',
      source: source.location,
      reason: 'not a cable: no classification line, TAGS, SUBJECT or E.O. line',
    };
    return;
  }
  yield { kind: 'cable', cable: { text, hints: {}, source: source.location, format } };
}
