import { resolveOffsetConnection } from '@pothos/plugin-relay';

import { countTopics, listTopics, type TopicRow } from '../db/read-topics.ts';
import { builder, PAGE } from './builder.ts';
import { nodeRows } from './node-rows.ts';
import { Cable } from './cable-ref.ts';
import { Country, countryOf } from './country.ts';
import { checkOffsetCursors } from './cursor.ts';
import { pageOf } from './pages.ts';

export const TopicKind = builder.enumType('TopicKind', {
  description: 'What a TAGS code stands for.',
  values: {
    SUBJECT: { value: 'subject', description: 'A subject category ("PREL": external political relations).' },
    PROGRAM: { value: 'program', description: 'A program or activity ("KPAO").' },
    ORGANIZATION: { value: 'organization', description: 'An organization ("UNSC", "NATO").' },
    GEOGRAPHIC: { value: 'geographic', description: 'A country, by its FIPS code ("CA", "IZ").' },
    PERSON: { value: 'person', description: 'An individual, written "SURNAME, GIVEN".' },
    OTHER: { value: 'other', description: 'A code the TAGS dictionary does not know.' },
  } as const,
});

// Global id: the TAGS code itself.
export const Topic = builder.loadableNodeRef('Topic', {
  id: { resolve: (topic: TopicRow) => topic.code, parse: (code) => code.trim().toUpperCase() },
  load: (codes: string[], context) => context.loaders.topicByCode.loadMany(codes).then(nodeRows),
});

const TopicFilter = builder.inputType('TopicFilter', {
  description: 'Conditions a topic must meet.',
  fields: (t) => ({
    kind: t.field({ type: TopicKind, description: 'What the code stands for.' }),
  }),
});

Topic.implement({
  description: 'A TAGS code cables carry, with its meaning.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The code as TAGS lines write it ("PREL", "IZ").' }),
    name: t.exposeString('name', { nullable: true, description: 'Its meaning ("External Political Relations"); null when unknown.' }),
    kind: t.field({
      type: TopicKind,
      description: 'What the code stands for.',
      resolve: (topic) => topic.kind as typeof TopicKind.$inferType,
    }),
    country: t.field({
      type: Country,
      nullable: true,
      description: 'The country a geographic code stands for.',
      resolve: (topic) => countryOf(topic),
    }),
    cables: t.connection({
      type: Cable,
      description: 'Cables carrying this code, oldest first.',
      resolve: async (topic, args, context) => pageOf(args, await context.loaders.cableRefsByTopic.load(topic.id)),
    }),
  }),
});

builder.objectField(Cable, 'topics', (t) =>
  t.connection({
    type: Topic,
    description: 'The TAGS codes of this cable as topics, in TAGS order (each once).',
    resolve: async (cable, args, context) => pageOf(args, await context.loaders.topicsByCable.load(cable.id)),
  }),
);

builder.queryField('topics', (t) =>
  t.connection({
    type: Topic,
    description: 'TAGS codes, most-used first, optionally of one kind.',
    args: { filter: t.arg({ type: TopicFilter, description: 'Conditions on the topics listed.' }) },
    resolve: async (_root, args, context) => {
      const filter = { kind: args.filter?.kind ?? null };
      const connection = await resolveOffsetConnection({ args: checkOffsetCursors(args), ...PAGE }, ({ offset, limit }) =>
        listTopics(context.db, filter, offset, limit),
      );
      return { ...connection, totalCount: () => countTopics(context.db, filter) };
    },
  }),
);
