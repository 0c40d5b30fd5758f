// Which of a cable's person records a header name designates: the signer ("CELLUCCI") or the
// official of the Classified By line. Extraction reads the Classified By official as a person of the
// cable (find-persons); ingest adds a signer as a person of its own only when no person of the cable
// has that surname (src/ingest/cable-record.ts), so the match falls back on the surname.
import { givenCompatible, nameParts } from './name-keys.ts';

export interface OfficialCandidate {
  /** The name as the cable's person record gives it, and its other forms there. */
  name: string;
  aliases: string[];
}

/**
 * The candidate a header name designates: one with that full name, else the first whose surname
 * matches with a compatible given name ("S. Kelly" fits "Stephen R. Kelly"), else the first with
 * that surname at all; null when no candidate has it.
 */
export function findOfficial<T extends OfficialCandidate>(name: string, candidates: readonly T[]): T | null {
  const wanted = nameParts(name);
  if (!wanted.surname) return null;
  const forms = candidates.map((candidate) => [candidate.name, ...candidate.aliases].map(nameParts));
  const exact = candidates.findIndex((_, i) => forms[i]!.some((form) => form.full === wanted.full));
  if (exact >= 0) return candidates[exact]!;
  const bySurname = candidates.findIndex((_, i) =>
    forms[i]!.some((form) => form.surname === wanted.surname && givenCompatible(form.given, wanted.given)),
  );
  if (bySurname >= 0) return candidates[bySurname]!;
  // Ingest did not add the official when the surname was taken: that person is the one meant.
  const surnameOnly = candidates.findIndex((_, i) => forms[i]!.some((form) => form.surname === wanted.surname));
  return surnameOnly >= 0 ? candidates[surnameOnly]! : null;
}
