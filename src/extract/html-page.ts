// A WikiLeaks cablegate page: metadata in <table class='cable'>, the routing header in the first
// <pre>, the text in the second <pre>, newlines written as `&#x000A;`, paragraph anchors
// `<a id='parN' href='#parN'>¶</a>`.
import { decodeHTML } from 'entities';

import type { CableHints } from './types.ts';

export interface CablePage {
  body: string;
  hints: CableHints;
}

const CABLE_CLASS = /\s+class=['"]cable['"]/iy;
const TAG = /<[^>]+>/g;

/**
 * The inner HTML of each `<tag …>…</tag>` in order, in one pass. (A lazy regex such as
 * `<pre[^>]*>([\s\S]*?)<\/pre>` rescans to the end of the page from every unclosed opening tag.)
 */
function elements(html: string, tag: string, accept: (lower: string, afterName: number) => boolean = () => true): string[] {
  // ASCII only: a full toLowerCase may change the length ('İ' becomes two code units) and the offsets with it.
  const lower = html.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  const open = `<${tag}`;
  const close = `</${tag}>`;
  const inner: string[] = [];
  for (let at = lower.indexOf(open); at !== -1; at = lower.indexOf(open, at + 1)) {
    if (!accept(lower, at + open.length)) continue;
    const contentStart = lower.indexOf('>', at + open.length) + 1;
    if (contentStart === 0) break;
    const end = lower.indexOf(close, contentStart);
    // No closing tag after this one: none after a later opening tag either.
    if (end === -1) break;
    inner.push(html.slice(contentStart, end));
    at = end + close.length - 1;
  }
  return inner;
}

function isCableTable(lower: string, afterName: number): boolean {
  CABLE_CLASS.lastIndex = afterName;
  return CABLE_CLASS.test(lower);
}

export function looksLikeHtmlPage(text: string): boolean {
  const start = text.slice(0, 2048).trimStart().toLowerCase();
  return start.startsWith('<?xml') || start.startsWith('<!doctype html') || start.startsWith('<html');
}

function textOf(html: string): string {
  // Past the last `>` no tag can end; TAG would try (and fail) to the end of the text from every
  // `<` there, which takes quadratic time on a run of unclosed `<`.
  const last = html.lastIndexOf('>');
  const stripped = html.slice(0, last + 1).replace(TAG, '') + html.slice(last + 1);
  return decodeHTML(stripped).replace(/\r\n?/g, '\n');
}

/** Metadata and text of a cablegate page; null when the page holds no cable text. */
export function parseCablePage(html: string): CablePage | null {
  const pres = elements(html, 'pre').map(textOf);
  if (pres.length === 0) return null;
  const hints: CableHints = {};
  const table = elements(html, 'table', isCableTable)[0];
  if (table !== undefined) {
    const cells = elements(table, 'td').map((cell) => textOf(cell).trim());
    const [id, created, , classification, origin] = cells;
    if (id) hints.id = id;
    if (created && /^\d{4}-\d\d-\d\d/.test(created)) hints.date = created.slice(0, 10);
    if (classification) hints.classification = classification;
    if (origin) hints.origin = origin;
  }
  // One <pre> means the page carries no separate routing header.
  const body = pres.length >= 2 ? pres[1]! : pres[0]!;
  if (pres.length >= 2) hints.header = pres[0]!;
  return { body, hints };
}
