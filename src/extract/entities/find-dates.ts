// find-dates: calendar dates in the body, normalized to ISO YYYY-MM-DD or YYYY-MM.
import type { HeaderFields } from '../header/index.ts';
import type { DateMention, Span } from '../types.ts';

export interface CableDate {
  year: number;
  month: number | null;
}

const MONTHS: Record<string, number> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
// Abbreviations may carry a dot; a full month name followed by a dot ends a sentence.
const MONTH =
  '(January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z])\\.?)';
const SPACE = '[ \\t]*\\n?[ \\t]*';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const RANGE = '(?:\\s*(?:-|–|to|and)\\s*\\d{1,2}(?:st|nd|rd|th)?)?';
const YEAR = '(?:,?\\s+(\\d{4}))?';
const PART = '(?:(early|mid|late|end of|beginning of|the end of|the beginning of)[- ]+)?';

const NUMERIC = /(?<![\d\/.])(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?![\d\/])/g;
const ISO = /(?<![\d-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d-])/g;
const DAY_MONTH = new RegExp(`(?<![\\d/.])${DAY}${RANGE}[ \\t]+${MONTH}${YEAR}(?![\\w])`, 'gi');
const MONTH_DAY = new RegExp(`\\b${PART}${MONTH}${SPACE}${DAY}${RANGE}${YEAR}(?![\\d/:.]\\d|[\\d/:])`, 'gi');
const MONTH_YEAR = new RegExp(`\\b${PART}${MONTH},?${SPACE}(\\d{4})\\b`, 'gi');
// A month alone: "in November", "since August", "late November", "mid-May".
const BARE_MONTH = new RegExp(
  `\\b(?:(in|since|during|by|until|till|through|from|before|after|of|last|next|this|early|mid|late|between|and|or|to|until)[-\\s]+)?(?:(?:early|mid|late)[- ]+)?${MONTH}(?![\\w-])`,
  'gi',
);
// The release format prefixes some bodies with their timestamp: "Thursday, 13 November 2008, 11:34".
const TIMESTAMP_LINE = /^[ \t]*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d{1,2} \w+ \d{4}, \d\d:\d\d[ \t]*$/gm;
const REF_BLOCK =
  /^[ \t]*REF(?:S|ERENCES?)?\b[:.]?[^\n]*(?:\n(?![ \t]*\n)(?![ \t]*(?:¶|\d{1,2}\.|Classified|CLASSIFIED|SUMMARY|Summary))[^\n]*)*/m;
const DTG_BEFORE = /\d{6}Z\s*$/;
const DECL = /DECL(?:ASSIFY)?\s*(?:ON)?:?\s*(\d{1,2})\/(\d{1,2})\/(\d{2,4})/;

/** The cable's year (and month), from its date, its id ("03OTTAWA692") or its DECL line. */
export function cableDateOf(header: Pick<HeaderFields, 'date' | 'id'>, body: string): CableDate | null {
  const iso = header.date ? /^(\d{4})-(\d{2})/.exec(header.date) : null;
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]) };
  const id = header.id ? /^(\d{2})[A-Z]/.exec(header.id) : null;
  if (id) return { year: twoDigitYear(Number(id[1])), month: null };
  // Declassification defaults to ten years after the cable's date (E.O. 12958).
  const decl = DECL.exec(body.slice(0, 3000));
  if (decl) {
    const year = decl[3]!.length === 2 ? twoDigitYear(Number(decl[3])) : Number(decl[3]);
    if (year >= 1976) return { year: year - 10, month: Number(decl[1]) };
  }
  return null;
}

function twoDigitYear(yy: number): number {
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date without a year takes the cable's year: annotators and readers both date "May 6" in a May
 * cable to that May. Only "last"/"next" with a month on the other side of the cable's month moves it.
 */
function inferYear(month: number, cue: string | undefined, cable: CableDate): number {
  const cueWord = cue?.toLowerCase();
  if (cable.month !== null && cueWord === 'last' && month >= cable.month) return cable.year - 1;
  if (cable.month !== null && cueWord === 'next' && month <= cable.month) return cable.year + 1;
  return cable.year;
}

function sentenceStart(body: string, offset: number): boolean {
  const before = body.slice(Math.max(0, offset - 6), offset);
  return /(?:^|[.!?:"“(\n]\s*)$/.test(before) || offset === 0;
}

export function findDates(body: string, cable: CableDate | null, paragraphOf: (offset: number) => number, allCaps: boolean): DateMention[] {
  const excluded: Span[] = [];
  const ref = REF_BLOCK.exec(body);
  if (ref) excluded.push({ start: ref.index, end: ref.index + ref[0].length });
  TIMESTAMP_LINE.lastIndex = 0;
  for (let m = TIMESTAMP_LINE.exec(body); m; m = TIMESTAMP_LINE.exec(body)) excluded.push({ start: m.index, end: m.index + m[0].length });

  const found: DateMention[] = [];
  const taken = (start: number, end: number) =>
    excluded.some((s) => start < s.end && end > s.start) || found.some((d) => start < d.end && end > d.start);
  const add = (start: number, end: number, date: string) => {
    if (taken(start, end)) return;
    found.push({ text: body.slice(start, end), date, paragraph: paragraphOf(start), start, end });
  };
  // Month names must be capitalized in a mixed-case cable ("march", "may" are other words).
  const monthOk = (word: string) => allCaps || /^[A-Z]/.test(word);

  NUMERIC.lastIndex = 0;
  for (let m = NUMERIC.exec(body); m; m = NUMERIC.exec(body)) {
    const month = Number(m[1]);
    const day = Number(m[2]);
    const year = m[3]!.length === 2 ? twoDigitYear(Number(m[3])) : Number(m[3]);
    if (validDay(year, month, day)) add(m.index, m.index + m[0].length, `${year}-${pad(month)}-${pad(day)}`);
  }
  ISO.lastIndex = 0;
  for (let m = ISO.exec(body); m; m = ISO.exec(body)) {
    if (validDay(Number(m[1]), Number(m[2]), Number(m[3]))) add(m.index, m.index + m[0].length, m[0]);
  }
  DAY_MONTH.lastIndex = 0;
  for (let m = DAY_MONTH.exec(body); m; m = DAY_MONTH.exec(body)) {
    if (!monthOk(m[2]!)) continue;
    const month = MONTHS[m[2]!.replace(/\.$/, '').toLowerCase()]!;
    const day = Number(m[1]);
    const year = m[3] ? Number(m[3]) : cable ? inferYear(month, undefined, cable) : null;
    if (year !== null && validDay(year, month, day)) add(m.index, m.index + m[0].length, `${year}-${pad(month)}-${pad(day)}`);
  }
  MONTH_DAY.lastIndex = 0;
  for (let m = MONTH_DAY.exec(body); m; m = MONTH_DAY.exec(body)) {
    if (!monthOk(m[2]!)) continue;
    // "031250Z JUN 03" is a date-time group: day, time and the cable's own month and year.
    if (DTG_BEFORE.test(body.slice(Math.max(0, m.index - 12), m.index))) continue;
    const month = MONTHS[m[2]!.replace(/\.$/, '').toLowerCase()]!;
    const day = Number(m[3]);
    const year = m[4] ? Number(m[4]) : cable ? inferYear(month, undefined, cable) : null;
    if (year !== null && validDay(year, month, day)) add(m.index, m.index + m[0].length, `${year}-${pad(month)}-${pad(day)}`);
  }
  MONTH_YEAR.lastIndex = 0;
  for (let m = MONTH_YEAR.exec(body); m; m = MONTH_YEAR.exec(body)) {
    if (!monthOk(m[2]!)) continue;
    const month = MONTHS[m[2]!.replace(/\.$/, '').toLowerCase()]!;
    const year = Number(m[3]);
    if (year >= 1900 && year <= 2099) add(m.index, m.index + m[0].length, `${year}-${pad(month)}`);
  }
  if (cable) {
    BARE_MONTH.lastIndex = 0;
    for (let m = BARE_MONTH.exec(body); m; m = BARE_MONTH.exec(body)) {
      const word = m[2]!;
      const cue = m[1];
      // Bare abbreviations ("Mar", "Dec") are too ambiguous; "May" needs a preposition before it.
      if (word.length <= 4 && !['may', 'june', 'july'].includes(word.toLowerCase())) continue;
      if (!monthOk(word)) continue;
      // "May" and "March" are words too: alone they count only inside a sentence, where the capital means a month.
      if ((allCaps || ((word.toLowerCase() === 'may' || word.toLowerCase() === 'march') && sentenceStart(body, m.index))) && !cue) continue;
      // The month word alone is the mention; a leading cue only dates it.
      const start = m.index + m[0].length - word.length - (/[.]$/.test(word) ? 0 : 0);
      const partStart = /(?:early|mid|late)[- ]+$/i.exec(m[0].slice(0, m[0].length - word.length));
      const spanStart = partStart ? m.index + m[0].length - word.length - partStart[0].length : start;
      const month = MONTHS[word.replace(/\.$/, '').toLowerCase()]!;
      add(spanStart, m.index + m[0].length, `${inferYear(month, cue, cable)}-${pad(month)}`);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
