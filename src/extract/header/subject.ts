// subject: the SUBJECT line, over as many lines as it runs, without its portion marking.
import { decodeHTML } from 'entities';

import { headerBlock } from './text.ts';

const KEYWORD = /(?<![A-Za-z])(?:S?UBJECT|SUBJ)[ \t]*:[ \t]*|^[ \t]*SUBJECT[ \t]+/im;
// What ends a subject on its own line or in the middle of one.
const INLINE_END =
  /\s(?:REF(?:TEL)?S?|Ref(?:tel)?s?|REF\(S\)|Ref\(s\))\s*:|REFS?\s*:\s*(?=\(?[A-Z][.)]\s|[A-Z][A-Z ]+\d)|Classified\s+By|CLASSIFIED\s+BY|\bE\.?O\.?\s*12958/;
const LINE_END =
  /^\s*(?:REF(?:TEL)?S?\b|Refs?\b|Reftel\b|CLASSIFIED\b|Classified\b|E\.?O\.?\s*12958|TAGS\b|¶|\d{1,2}\s*[.)]|\(\w{1,6}\)\s|SUMMARY\b|Summary\b|[A-Z][A-Z ]+\s0*\d+\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}|PAGE\s+\d+\s|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+\d|(?:S E C R E T|C O N F I D E N T I A L|U N C L A S|SECRET|CONFIDENTIAL|UNCLAS)(?:\s+SECTION\s+\d+\s+OF\s+\d+)?\s+[A-Z][A-Z ]*\s\d{3,}\s*$)/;
const MARKING = /^\((?:U|C|S|SBU|TS|S\/NF|C\/NF|S\/\/NF|C\/\/NF|U\/\/FOUO|FOUO|U\/FOUO|SBU\/NF|LOU)\)\s*/i;

export function parseSubject(body: string): string | null {
  const block = headerBlock(body);
  const keyword = KEYWORD.exec(block);
  if (!keyword) return null;
  const lines = body.slice(keyword.index + keyword[0].length).split('\n');
  const parts: string[] = [];
  let i = 0;
  // "SUBJECT:" alone on its line, the subject on the next non-blank line.
  while (i < lines.length - 1 && isBlank(lines[i]!) && i < 3) i++;
  for (; i < lines.length; i++) {
    const line = lines[i]!.replace(/\\\s*$/, '');
    if (isBlank(line)) break;
    if (parts.length > 0 && LINE_END.test(line)) break;
    const end = INLINE_END.exec(line);
    const kept = (end ? line.slice(0, end.index) : line).trim();
    if (kept) parts.push(kept);
    if (end) break;
  }
  let subject = '';
  for (const part of parts) {
    // A line broken after a hyphen joins without a space ("US- / LATIN" -> "US-LATIN").
    subject = subject === '' ? part : subject.endsWith('-') ? subject + part : `${subject} ${part}`;
  }
  subject = decodeHTML(subject).replace(MARKING, '').replace(/\s+/g, ' ').trim();
  return subject === '' ? null : subject;
}

/**
 * The SUBJECT line's own portion marking ("SUBJECT: (C) TURKEY ..." -> "C", "(S//NF)" -> "S/NF"),
 * or null when the subject carries none (it then takes the cable's classification).
 */
export function parseSubjectMarking(body: string): string | null {
  const block = headerBlock(body);
  const keyword = KEYWORD.exec(block);
  if (!keyword) return null;
  const start = decodeHTML(body.slice(keyword.index + keyword[0].length, keyword.index + keyword[0].length + 60)).trimStart();
  const match = MARKING.exec(start);
  if (!match) return null;
  return match[0].trim().slice(1, -1).toUpperCase().replace(/\/+/g, '/');
}

function isBlank(line: string): boolean {
  return line.trim() === '' || line.trim() === '\\';
}
