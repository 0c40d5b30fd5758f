// extract: text -> Extraction, a pipeline of pure stages (no I/O, no database).
import { findEntities } from './entities/index.ts';
import { parseHeader, type HeaderFields } from './header/index.ts';
import { looksLikeHtmlPage, parseCablePage } from './html-page.ts';
import { splitParagraphs } from './paragraphs.ts';
import type { CableHints, ExtractRequest, Extraction } from './types.ts';

export type { CableHints, ExtractRequest, Extraction } from './types.ts';

/**
 * The body and hints of a request, with a cablegate HTML page taken apart first. The body is
 * normalized (LF line ends, no trailing blanks on a line, no surrounding blank lines) so that the
 * same cable from an HTML page and from cables.csv gives the same text and the same spans.
 */
export function normalizeRequest(request: ExtractRequest): { body: string; hints: CableHints } {
  const { text, ...given } = request;
  if (looksLikeHtmlPage(text)) {
    const page = parseCablePage(text);
    if (page) return { body: normalizeBody(page.body), hints: { ...page.hints, ...definedOnly(given) } };
  }
  return { body: normalizeBody(text), hints: given };
}

export function normalizeBody(text: string): string {
  // Trimmed by hand: `/[ \t\f\v]+$/gm` and `/\n+$/` restart from every character of a long run of
  // blanks or newlines that does not end the text, which takes quadratic time (minutes for 100 KB).
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map(trimBlanksEnd);
  let first = 0;
  while (first < lines.length && lines[first] === '') first++;
  let last = lines.length - 1;
  while (last >= first && lines[last] === '') last--;
  return lines.slice(first, last + 1).join('\n');
}

function trimBlanksEnd(line: string): string {
  let end = line.length;
  while (end > 0 && ' \t\f\v'.includes(line[end - 1]!)) end--;
  return end === line.length ? line : line.slice(0, end);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** Header fields only: the cheap part, for callers that do not need entities. */
export function extractHeader(request: ExtractRequest): HeaderFields & { body: string } {
  const { body, hints } = normalizeRequest(request);
  return { ...parseHeader(body, hints), body };
}

/** Header fields and paragraphs of a normalized body: what the ingest stores for every cable. */
export function extractStructure(body: string, hints: CableHints): HeaderFields & Pick<Extraction, 'paragraphs'> {
  return { ...parseHeader(body, hints), paragraphs: splitParagraphs(body) };
}

export function extractFromBody(body: string, hints: CableHints): Extraction {
  const structure = extractStructure(body, hints);
  return { ...structure, ...findEntities(body, structure.paragraphs, structure) };
}

export function extract(request: ExtractRequest): Extraction {
  const { body, hints } = normalizeRequest(request);
  return extractFromBody(body, hints);
}
