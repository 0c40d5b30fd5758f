// summary: the text between SUMMARY and END SUMMARY (all their spellings); without an
// END SUMMARY, the rest of the paragraph the summary opens.
import summaryData from '../data/header-summary.json' with { type: 'json' };

function alternatives(words: string[]): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\&/]/g, '\\$&').replace(/ /g, '\\s*'))
    .join('|');
}

const OPENING = new RegExp(`(?<![A-Za-z])(?:${alternatives(summaryData.openings)})(?![A-Za-z])(?:\\s*[-:.]+)?`, 'gi');
const CLOSING = new RegExp(`(?<![A-Za-z])(?:${alternatives(summaryData.closings)})(?![A-Za-z])`, 'i');
const LEADING = /^(?:[\s:.\-]+|\(\w{1,6}(?:\/\/?\w{1,6})?\)|(?:¶\s*)?\d{1,2}\s*[.)](?!\d))+/;
// A summary without END SUMMARY stops at the next paragraph or section heading.
const PARAGRAPH_START = /(?:^|\n)\s*(?:¶\s*)?\d{1,2}\s*[.)](?!\d)|\n\s*\n/g;
const PARAGRAPH_END = /\n\s*\n|\n\s*(?:¶\s*)?\d{1,2}\s*[.)]\s|\s-{3,}\s*\S/;

export function parseSummary(body: string): string | null {
  for (const opening of body.matchAll(OPENING)) {
    const before = body.slice(Math.max(0, opening.index - 12), opening.index);
    // "END SUMMARY" is a closing, and "summary" inside a sentence is not an opening.
    if (/END\s*$/i.test(before)) continue;
    if (!/(?:^|\n|[.)\-:¶]|\d\.)\s*$/.test(before) && opening.index > 0) continue;
    const rest = body.slice(opening.index + opening[0].length);
    const lead = LEADING.exec(rest);
    const text = lead ? rest.slice(lead[0].length) : rest;
    const closing = CLOSING.exec(text);
    let summary: string;
    if (closing && closing.index < 6000) summary = text.slice(0, closing.index);
    else {
      const end = PARAGRAPH_END.exec(text);
      summary = end ? text.slice(0, end.index) : text;
    }
    summary = trimEndOf(summary, ' \t\n\r-(').trim();
    if (summary !== '') return summary;
  }
  return paragraphClosedBySummaryEnd(body);
}

/** "¶1. (C) Berlusconi ... End summary." without an opening: the paragraph is the summary. */
function paragraphClosedBySummaryEnd(body: string): string | null {
  const closing = CLOSING.exec(body);
  if (!closing) return null;
  const before = body.slice(0, closing.index);
  let start = 0;
  for (const match of before.matchAll(PARAGRAPH_START)) start = match.index + match[0].length;
  const lead = LEADING.exec(before.slice(start));
  const summary = before.slice(start + (lead ? lead[0].length : 0)).trim();
  return summary === '' ? null : summary;
}

function trimEndOf(text: string, characters: string): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}
