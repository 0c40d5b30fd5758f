// extract: text -> Extraction, a pipeline of pure stages (no I/O, no database).
import { findEntities } from './entities/index.ts';
import { parseHeader, type HeaderFields } from './header/index.ts';
import { looksLikeHtmlPage, parseCablePage } from './html-page.ts';
import { splitParagraphs } from './paragraphs.ts';
import type { CableHints, ExtractRequest, Extraction } from './types.ts';

export type { CableHints, ExtractRequest, Extraction } from './types.ts';

/** The text and hints of a request, with a cablegate HTML page taken apart first. */
export function normalizeRequest(request: ExtractRequest): { body: string; hints: CableHints } {
  const { text, ...given } = request;
  if (looksLikeHtmlPage(text)) {
    const page = parseCablePage(text);
    if (page) return { body: page.body, hints: { ...page.hints, ...definedOnly(given) } };
  }
  return { body: text.replace(/\r\n?/g, '\n'), hints: given };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** Header fields only: the cheap part, for callers that do not need entities. */
export function extractHeader(request: ExtractRequest): HeaderFields & { body: string } {
  const { body, hints } = normalizeRequest(request);
  return { ...parseHeader(body, hints), body };
}

export function extract(request: ExtractRequest): Extraction {
  const { body, hints } = normalizeRequest(request);
  const header = parseHeader(body, hints);
  const paragraphs = splitParagraphs(body);
  const entities = findEntities(body, paragraphs, header);
  return { ...header, paragraphs, ...entities };
}
