import { resolveOffsetConnection } from '@pothos/plugin-relay';

import { countCountries, listCountries, type CountryRow } from '../db/read-countries.ts';
import { builder, PAGE } from './builder.ts';
import { nodeRows } from './node-rows.ts';
import { Cable } from './cable-ref.ts';
import { checkOffsetCursors } from './cursor.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { pageOf } from './pages.ts';
import { Person } from './person.ts';

/** What a Country is made from: the country row, or the country columns of a joined row. */
export type CountryShape = Pick<CountryRow, 'id' | 'code' | 'name'>;

const CODE = /^[A-Z]{2}$/;

function countryCode(code: string): string {
  const normalized = code.trim().toUpperCase();
  if (!CODE.test(normalized)) throw userError(ERROR_CODES.invalidId, `"${code}" is not a country code (ISO 3166-1 alpha-2, "CA")`);
  return normalized;
}

// Global id: the ISO code, so that a client may build it from a code it already knows.
export const Country = builder.loadableNodeRef('Country', {
  id: { resolve: (country: CountryShape) => country.code, parse: countryCode },
  load: (codes: string[], context) => context.loaders.countryByCode.loadMany(codes).then(nodeRows),
});

/** The Country of a row with joined country columns; null when the row has no country. */
export function countryOf(row: {
  country_id: number | null;
  country_code: string | null;
  country_name: string | null;
}): CountryShape | null {
  return row.country_id !== null && row.country_code && row.country_name
    ? { id: row.country_id, code: row.country_code, name: row.country_name }
    : null;
}

Country.implement({
  description: 'A country, by its ISO 3166-1 alpha-2 code.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'ISO 3166-1 alpha-2 code ("CA").' }),
    name: t.exposeString('name', { description: 'English short name ("Canada").' }),
    cables: t.connection({
      type: Cable,
      description:
        'Cables about this country, oldest first: those whose text names it or its people ("Canada", "Canadian") ' +
        'and those carrying its geographic TAGS code ("CA").',
      resolve: async (country, args, context) => pageOf(args, await context.loaders.cableRefsByCountry.load(country.id)),
    }),
    persons: t.connection({
      type: Person,
      description: 'Individuals of this country (their country of affiliation), most-cited first.',
      resolve: async (country, args, context) => pageOf(args, await context.loaders.personsByCountry.load(country.id)),
    }),
  }),
});

builder.objectField(Cable, 'countries', (t) =>
  t.connection({
    type: Country,
    description: 'Countries this cable is about: those its text names, in order of first mention, then those only its TAGS give.',
    resolve: async (cable, args, context) => pageOf(args, await context.loaders.countriesByCable.load(cable.id)),
  }),
);

builder.queryFields((t) => ({
  country: t.field({
    type: Country,
    nullable: true,
    description: 'A country by its ISO code ("CA"); null when no cable concerns it.',
    args: { code: t.arg.string({ required: true, description: 'ISO 3166-1 alpha-2 code, case-insensitive.' }) },
    resolve: (_root, args, context) => context.loaders.countryByCode.load(countryCode(args.code)),
  }),
  countries: t.connection({
    type: Country,
    description: 'Countries the cables concern, most-cited first (by how many cables are about each).',
    resolve: async (_root, args, context) => {
      const connection = await resolveOffsetConnection({ args: checkOffsetCursors(args), ...PAGE }, ({ offset, limit }) =>
        listCountries(context.db, offset, limit),
      );
      return { ...connection, totalCount: () => countCountries(context.db) };
    },
  }),
}));
