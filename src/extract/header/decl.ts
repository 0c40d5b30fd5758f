// decl: the declassification date of the "E.O. 12958: DECL: 03/12/2013" line, as ISO.
import { headerBlock } from './text.ts';

const DECL = /(?<![A-Za-z])DECL(?:ASSIFY(?:\s+ON)?)?(?![A-Za-z])\s*[:.]?\s*([^\n]{0,40})/i;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_NAME = '(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\\.?';
const NUMERIC = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)/;
const YEAR_FIRST = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)/;
const DAY_MONTH_YEAR = new RegExp(`^(\\d{1,2})\\s*${MONTH_NAME},?\\s*(\\d{4}|\\d{2})(?!\\d)`, 'i');
const MONTH_DAY_YEAR = new RegExp(`^${MONTH_NAME}\\s*(\\d{1,2}),?\\s*(\\d{4}|\\d{2})(?!\\d)`, 'i');

export function parseDeclassifyOn(body: string): string | null {
  const match = DECL.exec(headerBlock(body));
  return match ? parseDate(match[1]!.trim()) : null;
}

/** An ISO date from the date styles of DECL lines (MM/DD/YYYY, YYYY/MM/DD, 12 MAR 2013 ...). */
export function parseDate(text: string): string | null {
  let match = YEAR_FIRST.exec(text);
  if (match) return iso(match[1]!, match[2]!, match[3]!);
  match = NUMERIC.exec(text);
  if (match) return iso(match[3]!, match[1]!, match[2]!);
  match = DAY_MONTH_YEAR.exec(text);
  if (match) return iso(match[3]!, monthNumber(match[2]!), match[1]!);
  match = MONTH_DAY_YEAR.exec(text);
  if (match) return iso(match[3]!, monthNumber(match[1]!), match[2]!);
  return null;
}

function monthNumber(name: string): string {
  return String(MONTHS.indexOf(name.slice(0, 3).toUpperCase()) + 1);
}

function iso(year: string, month: string, day: string): string | null {
  // Two-digit DECL years are always in the future of a 1966-2010 cable, and DECL dates run to 2035.
  const fullYear = year.length === 2 ? 2000 + Number(year) : Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > 31 || fullYear < 1900 || fullYear > 2100) return null;
  return `${fullYear}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
