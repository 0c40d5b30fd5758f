// dates: when the cable was written. The source's own date wins; then the date-time group
// of the routing header ("P 061232Z MAR 09"); then the DECL date, which for most cables of
// 1995-2010 is ten years after the cable (the E.O. 12958 default).
import type { CableHints } from '../types.ts';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DATE_TIME_GROUP = /\b(\d{2})\d{4}Z\s+(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s+(\d{2}|\d{4})\b/;

export function cableDate(hints: CableHints, routing: string, declassifyOn: string | null): string | null {
  if (hints.date && /^\d{4}-\d\d-\d\d/.test(hints.date)) return hints.date.slice(0, 10);
  const group = DATE_TIME_GROUP.exec(routing);
  if (group) {
    const yearText = group[3]!;
    const year = yearText.length === 4 ? yearText : fullYear(yearText);
    const month = String(MONTHS.indexOf(group[2]!) + 1).padStart(2, '0');
    return `${year}-${month}-${group[1]}`;
  }
  if (declassifyOn) {
    const year = Number(declassifyOn.slice(0, 4)) - 10;
    if (hints.year === undefined || hints.year === year) return `${year}${declassifyOn.slice(4)}`;
  }
  return null;
}

/** Cables run from 1966 to 2010: "66" is 1966, "09" is 2009. */
export function fullYear(twoDigits: string): string {
  return Number(twoDigits) >= 50 ? `19${twoDigits}` : `20${twoDigits}`;
}
