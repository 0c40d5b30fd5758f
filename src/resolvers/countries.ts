// Per-request loaders for countries.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import {
  cableRefsOfCountries,
  countriesByCodes,
  countriesByIds,
  countriesOfCables,
  countriesOfParagraphs,
  type CountryRow,
} from '../db/read-countries.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey, oneByKey } from './group.ts';
import { paragraphListKey, parseParagraphListKeys } from './paragraphs.ts';

export function countryLoaders(db: Kysely<Database>) {
  return {
    countryByCode: new DataLoader<string, CountryRow | null>(async (codes) =>
      oneByKey(codes, await countriesByCodes(db, codes), (c) => c.code),
    ),
    countryById: new DataLoader<number, CountryRow | null>(async (ids) => oneByKey(ids, await countriesByIds(db, ids), (c) => c.id)),
    countriesByCable: new DataLoader<number, CountryRow[]>(async (ids) =>
      groupByKey(ids, await countriesOfCables(db, ids), (c) => c.cable_id),
    ),
    /** Keyed by paragraphListKey. */
    countriesByParagraph: new DataLoader<string, CountryRow[]>(async (keys) =>
      groupByKey(keys, await countriesOfParagraphs(db, parseParagraphListKeys(keys)), (c) =>
        paragraphListKey({ cable_id: c.cable_id, position: c.paragraph }),
      ),
    ),
    cableRefsByCountry: new DataLoader<number, string[]>(async (ids) =>
      groupByKey(ids, await cableRefsOfCountries(db, ids), (r) => r.country_id).map((rows) => rows.map((r) => r.ref)),
    ),
  };
}
