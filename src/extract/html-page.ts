// A WikiLeaks cablegate page: metadata in <table class='cable'>, the routing header in the first
// <pre>, the text in the second <pre>, newlines written as `&#x000A;`, paragraph anchors
// `<a id='parN' href='#parN'>¶</a>`.
import { decodeHTML } from 'entities';

import type { CableHints } from './types.ts';

export interface CablePage {
  body: string;
  hints: CableHints;
}

const TABLE = /<table\s+class=['"]cable['"][^>]*>([\s\S]*?)<\/table>/i;
const CELL = /<td[^>]*>([\s\S]*?)<\/td>/gi;
const PRE = /<pre[^>]*>([\s\S]*?)<\/pre>/gi;
const TAG = /<[^>]+>/g;

export function looksLikeHtmlPage(text: string): boolean {
  const start = text.slice(0, 2048).trimStart().toLowerCase();
  return start.startsWith('<?xml') || start.startsWith('<!doctype html') || start.startsWith('<html');
}

function textOf(html: string): string {
  return decodeHTML(html.replace(TAG, '')).replace(/\r\n?/g, '\n');
}

/** Metadata and text of a cablegate page; null when the page holds no cable text. */
export function parseCablePage(html: string): CablePage | null {
  const pres = [...html.matchAll(PRE)].map((m) => textOf(m[1] ?? ''));
  if (pres.length === 0) return null;
  const hints: CableHints = {};
  const table = TABLE.exec(html);
  if (table) {
    const cells = [...(table[1] ?? '').matchAll(CELL)].map((m) => textOf(m[1] ?? '').trim());
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
