// Aggregates for dashboards: cables over time, and the entities most present in a set of cables.
import { seesEverything } from '../db/visibility.ts';
import { cableTimeline, topEntities, type EntityCountRow, type EntityKindName, type TimelineBucketRow } from '../db/read-dashboard.ts';
import { builder, PAGE } from './builder.ts';
import { CableFilter, cableFilterOf } from './cable-filter.ts';
import { EntityKind, type EntityKindValue } from './entity-kind.ts';
import { ERROR_CODES, userError } from './errors.ts';

const TimelineInterval = builder.enumType('TimelineInterval', {
  description: 'The length of the periods a timeline counts cables in.',
  values: {
    DAY: { value: 'day', description: 'Calendar days.' },
    MONTH: { value: 'month', description: 'Calendar months; a bucket starts on the 1st.' },
    YEAR: { value: 'year', description: 'Calendar years; a bucket starts on January 1st.' },
  } as const,
});

const TimelineBucket = builder.objectRef<TimelineBucketRow>('TimelineBucket').implement({
  description: 'How many cables were sent in one period.',
  fields: (t) => ({
    start: t.expose('start', { type: 'Date', description: 'First day of the period.' }),
    count: t.exposeInt('count', { description: 'Cables sent in the period that match the filter.' }),
  }),
});

// The node type and id of an entity: persons and organizations by database id, countries by ISO
// code, topics by TAGS code.
const NODE_TYPES: Record<EntityKindName, string> = {
  person: 'Person',
  organization: 'Organization',
  country: 'Country',
  topic: 'Topic',
};

const EntityCount = builder.objectRef<EntityCountRow>('EntityCount').implement({
  description: 'An entity with the number of cables naming it, among the cables of a filter.',
  fields: (t) => ({
    entity: t.node({
      description: 'The entity itself: refine with `... on Person`, `... on Country` and so on.',
      id: (row) => ({ type: NODE_TYPES[row.kind], id: row.key }),
    }),
    kind: t.field({
      type: EntityKind,
      description: 'The kind of entity.',
      resolve: (row) => row.kind.toUpperCase() as EntityKindValue,
    }),
    label: t.exposeString('label', {
      description:
        "A display name: the person's or organization's name, the country's English name, the topic's meaning (its code when unknown).",
    }),
    count: t.exposeInt('count', { description: 'How many of the filtered cables name the entity.' }),
  }),
});

const TOP_DEFAULT = 10;

builder.queryFields((t) => ({
  timeline: t.field({
    type: [TimelineBucket],
    description:
      'Cables matching a filter counted per day, month or year of their date, oldest first. Periods without a ' +
      'matching cable are left out, and so are cables without a date: the buckets add up to the number of dated ' +
      'cables that match.',
    args: {
      filter: t.arg({ type: CableFilter, description: 'Conditions on the cables counted.' }),
      interval: t.arg({ type: TimelineInterval, defaultValue: 'month', description: 'Length of a period.' }),
    },
    resolve: async (_root, args, context) => cableTimeline(context.db, await cableFilterOf(args.filter, context), args.interval ?? 'month'),
  }),
  topEntities: t.field({
    type: [EntityCount],
    description:
      'The persons, organizations, countries or topics named in the most cables among those matching a filter, ' +
      'most first (equal counts by label). A cable counts once per entity however often it names it; a cable is ' +
      'about a country as the `country` condition of CableFilter has it.',
    args: {
      kind: t.arg({ type: EntityKind, required: true, description: 'The kind of entity to count; CABLE is refused (BAD_USER_INPUT).' }),
      filter: t.arg({ type: CableFilter, description: 'Conditions on the cables counted in.' }),
      first: t.arg.int({
        defaultValue: TOP_DEFAULT,
        description: `How many entities, at most ${PAGE.maxSize} (PAGE_TOO_LARGE above).`,
      }),
    },
    complexity: (args) => ({ field: 1, multiplier: args.first ?? TOP_DEFAULT }),
    resolve: async (_root, args, context) => {
      const first = args.first ?? TOP_DEFAULT;
      if (first < 0) throw userError(ERROR_CODES.badUserInput, `first must not be negative (got ${first})`, { argument: 'first' });
      if (first > PAGE.maxSize) {
        throw userError(ERROR_CODES.pageTooLarge, `first: ${first} is above the cap of ${PAGE.maxSize}`, {
          argument: 'first',
          maxPageSize: PAGE.maxSize,
        });
      }
      if (args.kind === 'CABLE')
        throw userError(ERROR_CODES.badUserInput, 'kind: CABLE is not counted; list cables with `cables`', { argument: 'kind' });
      const kind = args.kind.toLowerCase() as EntityKindName;
      return topEntities(context.db, kind, await cableFilterOf(args.filter, context), first, {
        storedCounts: seesEverything(context.access),
      });
    },
  }),
}));
