// parse-header: the structured fields of a cable, a pipeline of small stages over the body
// (and the routing header when the source has one apart from the body).
import type { CableHints, Extraction } from '../types.ts';
import { classificationOf, parseCableLine } from './cable-line.ts';
import { canonicalId, makeId } from './canonical-id.ts';
import { parseClassifiedBy } from './classified-by.ts';
import { cableDate } from './dates.ts';
import { parseDeclassifyOn } from './decl.ts';
import { parseRecipients } from './recipients.ts';
import { parseReferences } from './references.ts';
import { parseSigners } from './signers.ts';
import { parseSubject } from './subject.ts';
import { parseSummary } from './summary.ts';
import { parseTags } from './tags.ts';

export type HeaderFields = Pick<
  Extraction,
  | 'id'
  | 'date'
  | 'classification'
  | 'caveats'
  | 'origin'
  | 'subject'
  | 'tags'
  | 'references'
  | 'referenceItems'
  | 'classifiedBy'
  | 'signers'
  | 'declassifyOn'
  | 'recipients'
  | 'infoRecipients'
  | 'summary'
>;

const FROM = /^\s*FM\s+(.+)$/m;
const ORIGIN_KIND: [RegExp, string][] = [
  [/^AMEMBASSY\s+/, 'Embassy '],
  [/^AMCONSUL\s+/, 'Consulate '],
  [/^USMISSION\s+/, 'Mission '],
];

export function parseHeader(body: string, hints: CableHints): HeaderFields {
  const routing = hints.header ?? body.slice(0, 3000);
  const declassifyOn = parseDeclassifyOn(body);
  const date = cableDate(hints, routing, declassifyOn);
  const line = parseCableLine(body);
  const year = cableYear(hints, date);
  const id = hints.id ? canonicalId(hints.id) : line.station && line.serial && year ? makeId(year, line.station, line.serial) : null;
  const referenceYear = id && /^\d{2}/.test(id) ? id.slice(0, 2) : year;
  const { references, referenceItems } = parseReferences(body, referenceYear, id);
  for (const extra of hints.references ?? []) {
    const reference = canonicalId(extra);
    if (reference !== id && !references.includes(reference)) references.push(reference);
  }
  const { recipients, infoRecipients } = parseRecipients(hints.header, body);
  return {
    id,
    date,
    classification: hints.classification ?? classificationOf(line),
    caveats: line.caveats,
    origin: hints.origin ?? originOf(routing),
    subject: parseSubject(body),
    tags: parseTags(body),
    references,
    referenceItems,
    classifiedBy: parseClassifiedBy(body),
    signers: parseSigners(body),
    declassifyOn,
    recipients,
    infoRecipients,
    summary: parseSummary(body),
  };
}

function cableYear(hints: CableHints, date: string | null): string | null {
  if (hints.year !== undefined) return String(hints.year).slice(-2).padStart(2, '0');
  if (hints.id && /^\d{2}/.test(hints.id)) return hints.id.slice(0, 2);
  return date ? date.slice(2, 4) : null;
}

function originOf(routing: string): string | null {
  const from = FROM.exec(routing);
  if (!from) return null;
  const sender = from[1]!.trim().replace(/\s+/g, ' ');
  for (const [pattern, kind] of ORIGIN_KIND) {
    if (pattern.test(sender)) return kind + titleCase(sender.replace(pattern, ''));
  }
  return sender;
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b[a-z]/g, (letter) => letter.toUpperCase());
}
