// canonical-id: "YY" + station + serial without leading zeros ("03OTTAWA000692" -> "03OTTAWA692").
import { canonicalStation } from './stations.ts';

// WikiLeaks ids of multi-section cables sometimes kept the section line: "08ECTION01OF02MANAMA492".
const ID = /^(\d{2})(?:S?E?C?TION\d+[A-Z]F\d+)?([A-Z0][A-Z0 .'-]*?)(\d+)$/;

/** The canonical form of a reference id; the input, trimmed and upper-cased, when it is not one. */
export function canonicalId(raw: string): string {
  const text = raw.trim().toUpperCase();
  const match = ID.exec(text.replace(/\s+/g, ''));
  if (!match) return text;
  const station = canonicalStation(match[2]!) ?? match[2]!.replace(/[^A-Z0]/g, '');
  return makeId(match[1]!, station, match[3]!);
}

/** An id from its parts, the serial without leading zeros. */
export function makeId(year: string, station: string, serial: string): string {
  const number = serial.replace(/^0+/, '');
  return `${year}${station}${number || '0'}`;
}

/** Two-digit year of a cable from a year written in any form ("06", "2006", "094", "O4"). */
export function twoDigitYear(written: string): string | null {
  const digits = written.replace(/^[Oo]/, '0');
  if (/^\d{2}$/.test(digits)) return digits;
  if (/^(?:19|20)\d{2}$/.test(digits)) return digits.slice(2);
  if (/^0\d{2}$/.test(digits)) return digits.slice(1);
  return null;
}
