// Who and what is named together: an entity's strongest co-mentioned neighbours of one kind, from
// the edge table (persons with persons, persons with organizations, organizations with countries).
import { ENTITY_KIND, type NeighbourRow } from '../db/read-graph.ts';
import type { Context } from '../resolvers/context.ts';
import { builder, PAGE } from './builder.ts';
import { Country } from './country.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { Organization } from './organization.ts';
import { Person } from './person.ts';

const PARAGRAPHS = 'How many paragraphs name both (summed over their shared cables).';
const CABLES = 'How many cables name both: the weight of the tie.';

export const CoMention = builder.objectRef<NeighbourRow>('CoMention').implement({
  description: 'A person named in the same cables as another person or an organization, with how often.',
  fields: (t) => ({
    // An id: the Person node's loader fetches every neighbour of the list in one batch.
    person: t.field({ type: Person, description: 'The person.', resolve: (row) => String(row.id) }),
    paragraphs: t.exposeInt('paragraphs', { description: PARAGRAPHS }),
    cables: t.exposeInt('cables', { description: CABLES }),
  }),
});

const OrganizationCoMention = builder.objectRef<NeighbourRow>('OrganizationCoMention').implement({
  description: 'An organization named in the same cables as a person or a country, with how often.',
  fields: (t) => ({
    organization: t.field({ type: Organization, description: 'The organization.', resolve: (row) => String(row.id) }),
    paragraphs: t.exposeInt('paragraphs', { description: PARAGRAPHS }),
    cables: t.exposeInt('cables', { description: CABLES }),
  }),
});

const CountryCoMention = builder.objectRef<NeighbourRow>('CountryCoMention').implement({
  description: 'A country named in the same cables as an organization, with how often.',
  fields: (t) => ({
    country: t.field({
      type: Country,
      description: 'The country.',
      resolve: async (row, _args, context) => (await context.loaders.countryById.load(row.id))!,
    }),
    paragraphs: t.exposeInt('paragraphs', { description: PARAGRAPHS }),
    cables: t.exposeInt('cables', { description: CABLES }),
  }),
});

/** A list size argument: BAD_USER_INPUT below 0, PAGE_TOO_LARGE above `max`. */
export function checkedFirst(first: number, argument = 'first', max: number = PAGE.maxSize): number {
  if (first < 0) throw userError(ERROR_CODES.badUserInput, `\`${argument}\` must not be negative (got ${first}).`, { argument });
  if (first > max) {
    throw userError(ERROR_CODES.pageTooLarge, `\`${argument}: ${first}\` is above the cap of ${max}.`, { argument, maxPageSize: max });
  }
  return first;
}

const ORDER = 'strongest first: most shared paragraphs, then most shared cables, then id.';

/** The `first` strongest neighbours of one kind of an entity, through the request's batched loader. */
function neighbours(
  context: Context,
  entity: { kind: number; id: number },
  neighbourKind: number,
  args: { first?: number | null; minWeight?: number | null },
): Promise<NeighbourRow[]> {
  return context.loaders.neighbours.load({
    ...entity,
    kinds: [neighbourKind],
    first: checkedFirst(args.first ?? PAGE.defaultSize),
    minCables: args.minWeight ?? 1,
  });
}

// The size is checked where the cost is first estimated, so that a refused size is reported as such.
const listCost = (args: { first?: number | null }) => ({ field: 1, multiplier: Math.max(1, checkedFirst(args.first ?? PAGE.defaultSize)) });
const FIRST = { defaultValue: PAGE.defaultSize, description: `How many (at most ${PAGE.maxSize}).` };
const MIN_WEIGHT = { description: 'Only those sharing at least this many cables.' };

builder.objectFields(Person, (t) => ({
  coMentioned: t.field({
    type: [CoMention],
    description: `The persons most often named together with this one, ${ORDER}`,
    args: { first: t.arg.int(FIRST), minWeight: t.arg.int(MIN_WEIGHT) },
    complexity: listCost,
    resolve: (person, args, context) => neighbours(context, { kind: ENTITY_KIND.person, id: person.id }, ENTITY_KIND.person, args),
  }),
  coMentionedOrganizations: t.field({
    type: [OrganizationCoMention],
    description: `The organizations most often named together with this person, ${ORDER}`,
    args: { first: t.arg.int(FIRST), minWeight: t.arg.int(MIN_WEIGHT) },
    complexity: listCost,
    resolve: (person, args, context) => neighbours(context, { kind: ENTITY_KIND.person, id: person.id }, ENTITY_KIND.organization, args),
  }),
}));

builder.objectFields(Organization, (t) => ({
  coMentionedPersons: t.field({
    type: [CoMention],
    description: `The persons most often named together with this organization, ${ORDER}`,
    args: { first: t.arg.int(FIRST), minWeight: t.arg.int(MIN_WEIGHT) },
    complexity: listCost,
    resolve: (organization, args, context) =>
      neighbours(context, { kind: ENTITY_KIND.organization, id: organization.id }, ENTITY_KIND.person, args),
  }),
  coMentionedCountries: t.field({
    type: [CountryCoMention],
    description: `The countries most often named together with this organization, ${ORDER}`,
    args: { first: t.arg.int(FIRST), minWeight: t.arg.int(MIN_WEIGHT) },
    complexity: listCost,
    resolve: (organization, args, context) =>
      neighbours(context, { kind: ENTITY_KIND.organization, id: organization.id }, ENTITY_KIND.country, args),
  }),
}));

builder.objectField(Country, 'coMentionedOrganizations', (t) =>
  t.field({
    type: [OrganizationCoMention],
    description: `The organizations most often named together with this country, ${ORDER}`,
    args: { first: t.arg.int(FIRST), minWeight: t.arg.int(MIN_WEIGHT) },
    complexity: listCost,
    resolve: (country, args, context) => neighbours(context, { kind: ENTITY_KIND.country, id: country.id }, ENTITY_KIND.organization, args),
  }),
);
