// find-entities: persons, organizations, countries, dates and their mentions. Placeholder.
import type { HeaderFields } from '../header/index.ts';
import type { Extraction, Paragraph } from '../types.ts';

export type EntityFields = Pick<Extraction, 'persons' | 'organizations' | 'countries' | 'dates' | 'mentions'>;

export function findEntities(_body: string, _paragraphs: Paragraph[], _header: HeaderFields): EntityFields {
  return { persons: [], organizations: [], countries: [], dates: [], mentions: [] };
}
