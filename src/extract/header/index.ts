// parse-header: the structured fields of a cable. Placeholder first version.
import type { CableHints, Extraction } from '../types.ts';

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

export function parseHeader(_body: string, hints: CableHints): HeaderFields {
  return {
    id: hints.id ?? null,
    date: hints.date ?? null,
    classification: hints.classification ?? null,
    caveats: [],
    origin: hints.origin ?? null,
    subject: null,
    tags: [],
    references: [],
    referenceItems: [],
    classifiedBy: null,
    signers: [],
    declassifyOn: null,
    recipients: [],
    infoRecipients: [],
    summary: null,
  };
}
