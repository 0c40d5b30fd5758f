// split-paragraphs: the numbered paragraphs of a cable and their portion markings.
// Paragraph numbers are written "¶1.", "1.", "1)" or, where the "¶" sign was mangled, "- 11."
// for paragraph 1 and "- (C)" (number lost, marking kept) for the next paragraph. Numbers must
// go up (by one, or two when a paragraph number was lost), so lists inside a paragraph
// ("1. ... 2. ...") do not split it.
import type { Paragraph } from './types.ts';

// At the start of a line: "¶1.", "1.", "1)", "- 11." (mangled "¶1."), or "- (C)" (number lost).
const LINE_MARKER =
  /[ \t]*(?:(?:-[ \t]*)?(?<sign>¶[ \t]*)?(?<number>\d{1,3})[ \t]*[.)](?!\d)(?=[ \t]*(?:\(|\S|$))|-[ \t]*(?=\([A-Za-z/ ]{1,16}\)))/my;
// Inside a line whose breaks were lost: "... REASON: 1.4 (b), (d) 1. (C/NF) Summary: ..."
const INLINE_MARKER = /(\d{1,2})\.[ \t]*(?=\((?:U|C|S|SBU|TS|S\/NF|C\/NF|S\/\/NF|C\/\/NF|SBU\/NF)\))/g;
const INLINE_BEFORE = /(?:[.!?"”)\]][ \t]{1,3}|[^\n][ \t]{2})$/;

interface Marker {
  index: number;
  length: number;
  number?: string;
  sign: boolean;
  inline: boolean;
}

function markers(body: string): Marker[] {
  const found: Marker[] = [];
  for (let lineStart = 0; lineStart < body.length;) {
    LINE_MARKER.lastIndex = lineStart;
    const match = LINE_MARKER.exec(body);
    if (match) {
      found.push({
        index: match.index,
        length: match[0].length,
        number: match.groups?.['number'],
        sign: match.groups?.['sign'] !== undefined,
        inline: false,
      });
    }
    const next = body.indexOf('\n', lineStart);
    if (next < 0) break;
    lineStart = next + 1;
  }
  for (const match of body.matchAll(INLINE_MARKER)) {
    if (INLINE_BEFORE.test(body.slice(Math.max(0, match.index - 4), match.index))) {
      found.push({ index: match.index, length: match[0].length, number: match[1], sign: false, inline: true });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

const MARKING = /^[ \t]*\(([A-Za-z/ -]{1,16})\)/;
const VALID_MARKING = /^(?:U|C|S|TS|SBU|LOU|FOUO|(?:U|C|S|TS|SBU)\/[A-Z/ -]+)$/;

export function splitParagraphs(body: string): Paragraph[] {
  const starts: { number: number; start: number; textStart: number }[] = [];
  let previous = 0;
  for (const match of markers(body)) {
    const written = match.number;
    let number: number;
    if (written === undefined) {
      if (previous === 0) continue;
      number = previous + 1;
    } else {
      const value = Number(written);
      const expected = previous + 1;
      if (match.inline) {
        if (value !== expected) continue;
        number = value;
      } else if (match.sign) {
        // "¶" marks a paragraph number without doubt; extracts may start at any paragraph.
        if (value <= previous) continue;
        number = value;
      } else if (written === `1${expected}` && value > expected + 1) {
        // "11." for "¶1.": the sign became a "1".
        number = expected;
      } else if (value === expected || (previous > 0 && value === expected + 1)) number = value;
      else continue;
    }
    const text = body.slice(match.index, match.index + match.length);
    const start = match.index + (text.length - text.trimStart().length);
    starts.push({ number, start, textStart: match.index + match.length });
    previous = number;
  }
  const paragraphs: Paragraph[] = [];
  const firstStart = starts[0]?.start ?? body.length;
  const headerEnd = trimmedEnd(body, 0, firstStart);
  if (body.slice(0, headerEnd).trim() !== '') {
    paragraphs.push({ number: 0, marking: null, text: body.slice(0, headerEnd), start: 0, end: headerEnd });
  }
  starts.forEach((paragraph, index) => {
    const end = trimmedEnd(body, paragraph.start, starts[index + 1]?.start ?? body.length);
    paragraphs.push({
      number: paragraph.number,
      marking: markingOf(body.slice(paragraph.textStart, Math.min(end, paragraph.textStart + 40))),
      text: body.slice(paragraph.start, end),
      start: paragraph.start,
      end,
    });
  });
  return paragraphs;
}

function trimmedEnd(body: string, start: number, end: number): number {
  while (end > start && /\s/.test(body[end - 1]!)) end--;
  return end;
}

/** "(S//NF)" -> "S/NF", "(sbu)" -> "SBU"; null when the paragraph carries no marking. */
export function markingOf(text: string): string | null {
  const match = MARKING.exec(text);
  if (!match) return null;
  const marking = match[1]!.toUpperCase().replace(/\s+/g, '').replace(/\/+/g, '/');
  return VALID_MARKING.test(marking) ? marking : null;
}
