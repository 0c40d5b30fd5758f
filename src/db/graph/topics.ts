// TAGS codes as topics: subject, program and organization codes from the TAGS dictionary (a data
// file), two-letter FIPS codes as geographic topics linked to their country.
import tagData from '../data/tags.json' with { type: 'json' };
import { countryCodeOfFips, countryName } from './countries.ts';

export type TopicKind = 'subject' | 'program' | 'organization' | 'geographic' | 'person' | 'other';

export interface Topic {
  code: string;
  name: string | null;
  kind: TopicKind;
  countryCode: string | null;
}

const dictionary = tagData as unknown as Record<string, Record<string, string> | string>;
const named = new Map<string, { name: string; kind: TopicKind }>();
for (const kind of ['subject', 'program', 'organization'] as const) {
  const entries = dictionary[kind];
  if (entries && typeof entries === 'object')
    for (const [code, name] of Object.entries(entries)) named.set(code.toUpperCase(), { name, kind });
}

export function topicOfTag(tag: string): Topic {
  const code = tag.trim().toUpperCase();
  const known = named.get(code);
  if (known) return { code, name: known.name, kind: known.kind, countryCode: null };
  if (/^[A-Z]{2}$/.test(code)) {
    const countryCode = countryCodeOfFips(code);
    if (countryCode) return { code, name: countryName(countryCode), kind: 'geographic', countryCode };
  }
  // Person tags are written "SURNAME, GIVEN" (the TAGS convention for individuals).
  if (/^[A-Z'\-]+, ?[A-Z]/.test(code)) return { code, name: null, kind: 'person', countryCode: null };
  return { code, name: null, kind: 'other', countryCode: null };
}
