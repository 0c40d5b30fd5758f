// The conditions and orders shared by every field that selects cables (`cables`, `timeline`,
// `topEntities`), and their translation to what the database reads take.
import { decodeGlobalID } from '@pothos/plugin-relay';

import type { CableFilter as CableFilterShape } from '../db/read-cables.ts';
import { isSearchable } from '../db/read-search.ts';
import type { Context } from '../resolvers/context.ts';
import { builder } from './builder.ts';
import { ERROR_CODES, userError } from './errors.ts';

export const CableFilter = builder.inputType('CableFilter', {
  description: 'Conditions a cable must meet; all given conditions apply.',
  fields: (t) => ({
    dateFrom: t.field({ type: 'Date', description: 'Created on or after this day.' }),
    dateTo: t.field({ type: 'Date', description: 'Created on or before this day.' }),
    origin: t.string({ description: 'Originating post, as the source names it ("Embassy Ottawa"), case-insensitive.' }),
    classification: t.string({ description: 'Classification of the whole cable ("CONFIDENTIAL"), case-insensitive.' }),
    topic: t.string({ description: 'A TAGS code the cable carries ("PREL", "IZ"), case-insensitive: the id of a Topic.' }),
    tag: t.string({
      description: 'A TAGS code the cable carries; the same as `topic` (when both are given, the cable carries both).',
      deprecationReason: 'Use `topic`.',
    }),
    person: t.id({ description: 'Global id of a Person the cable names.' }),
    organization: t.id({ description: 'Global id of an Organization the cable names.' }),
    country: t.string({
      description:
        'A country the cable is about, by ISO 3166 code ("CA") or English name ("Canada"): one of its TAGS is the ' +
        'country\'s geographic code, or its text names the country or its people ("Canada", "Canadian"). ' +
        'A country the graph does not know matches no cable.',
    }),
    text: t.string({
      description:
        'Full-text query over paragraph text, web-search syntax: words all required, "quoted phrase", `or`, -excluded ' +
        '(English stemming; case-insensitive). Blank means no condition; a query of stop words only ("the") is refused ' +
        'with BAD_USER_INPUT.',
    }),
  }),
});

export type CableFilterInput = typeof CableFilter.$inferInput;

export const CableOrder = builder.enumType('CableOrder', {
  description: 'Orders a list of cables can come in.',
  values: {
    DATE_ASC: { description: 'Oldest first (undated cables first), then in ingest order.' },
    DATE_DESC: { description: 'Newest first (undated cables last).' },
    RELEVANCE: {
      description:
        'Best match of `filter.text` first: a cable ranks by the sum of the cover-density ranks of its matching ' +
        'paragraphs; ties in date order. Needs `filter.text`.',
    },
  } as const,
});

/** The database id a global id names, which must be of type `typename` with a positive integer key. */
export function numericIdOf(globalId: string, typename: string, argument: string): number {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw userError(ERROR_CODES.invalidId, `${argument}: "${globalId}" is not a global id`, { argument });
  }
  if (decoded.typename !== typename) {
    throw userError(ERROR_CODES.invalidId, `${argument}: "${globalId}" is the id of a ${decoded.typename}, not of a ${typename}`, {
      argument,
    });
  }
  const id = Number(decoded.id);
  if (!/^\d+$/.test(decoded.id) || !Number.isSafeInteger(id)) {
    throw userError(ERROR_CODES.invalidId, `${argument}: "${globalId}" does not name a ${typename}`, { argument });
  }
  return id;
}

/**
 * The database form of a filter: global ids decoded (INVALID_ID when one does not decode or names
 * another type), the text query checked for words to search for (BAD_USER_INPUT otherwise).
 */
export async function cableFilterOf(input: CableFilterInput | null | undefined, context: Context): Promise<CableFilterShape> {
  if (!input) return {};
  const personId = input.person == null ? null : numericIdOf(String(input.person), 'Person', 'filter.person');
  const organizationId = input.organization == null ? null : numericIdOf(String(input.organization), 'Organization', 'filter.organization');
  const text = input.text?.trim() ? input.text : null;
  if (text !== null && !(await isSearchable(context.db, text))) {
    throw userError(ERROR_CODES.badUserInput, `filter.text: "${text}" has no word to search for (only stop words or punctuation)`, {
      argument: 'filter.text',
    });
  }
  return {
    dateFrom: input.dateFrom,
    dateTo: input.dateTo,
    origin: input.origin,
    classification: input.classification,
    topics: [input.topic, input.tag].filter((code): code is string => Boolean(code?.trim())),
    personId,
    organizationId,
    country: input.country,
    text,
  };
}
