import { brandWithType, getTypeBrand } from '@pothos/core';

import type { DateMentionRow, MentionRow } from '../db/read-mentions.ts';
import { MENTION_KIND } from '../db/write-graph.ts';
import { sentenceAround } from '../extract/sentences.ts';
import type { Context } from '../resolvers/context.ts';
import { paragraphNodeKey } from '../resolvers/paragraphs.ts';
import { builder } from './builder.ts';
import { Cable } from './cable-ref.ts';
import { Country } from './country.ts';
import { Organization } from './organization.ts';
import { pageOf } from './pages.ts';
import { Paragraph } from './paragraph.ts';
import { Person } from './person.ts';

export const MentionEntity = builder.unionType('MentionEntity', {
  description: 'What a mention names: an individual, an organization or a country.',
  types: () => [Person, Organization, Country],
});

/** The entity a mention names, branded with its type for the union; null while unresolved. */
async function entityOf(mention: MentionRow, context: Context) {
  if (mention.entity_id === null) return null;
  const [loader, type] =
    mention.kind === MENTION_KIND.person
      ? ([context.loaders.personById, Person] as const)
      : mention.kind === MENTION_KIND.organization
        ? ([context.loaders.organizationById, Organization] as const)
        : ([context.loaders.countryById, Country] as const);
  const entity = await loader.load(mention.entity_id);
  // A row may come branded already (by node(id), through the same loader): a brand is set once.
  if (entity && !getTypeBrand(entity)) brandWithType(entity, type);
  return entity;
}

async function paragraphOf(row: { ref: string; paragraph: number }, context: Context) {
  return context.loaders.paragraphByKey.load(paragraphNodeKey(row.ref, row.paragraph));
}

export const Mention = builder.objectRef<MentionRow>('Mention').implement({
  description: 'One occurrence of a person, organization or country in a cable text.',
  fields: (t) => ({
    entity: t.field({
      type: MentionEntity,
      nullable: true,
      description: 'What is named; null for an occurrence not (yet) resolved to an entity.',
      resolve: (mention, _args, context) => entityOf(mention, context),
    }),
    surface: t.exposeString('surface', { description: 'The text as written at this place ("PCO", "Chretien", "Canadian").' }),
    title: t.exposeString('title', { nullable: true, description: 'The title given with a person here ("Prime Minister"), if any.' }),
    start: t.exposeInt('span_start', { description: 'Offset of the occurrence in the cable body (UTF-16 code units).' }),
    end: t.exposeInt('span_end', { description: 'End offset (exclusive) of the occurrence in the cable body.' }),
    sentence: t.string({
      description: 'The sentence of the paragraph the occurrence sits in, whitespace collapsed.',
      resolve: async (mention, _args, context) => {
        const paragraph = (await paragraphOf(mention, context))!;
        const sentences = await context.loaders.sentencesByParagraph.load({
          key: paragraphNodeKey(mention.ref, mention.paragraph),
          text: paragraph.text,
        });
        // Mention offsets are in the body; the paragraph's text starts at its own offset there.
        return sentenceAround(
          paragraph.text,
          sentences,
          mention.span_start - paragraph.span_start,
          mention.span_end - paragraph.span_start,
        );
      },
    }),
    paragraph: t.field({
      type: Paragraph,
      description: 'The paragraph it sits in.',
      resolve: async (mention, _args, context) => (await paragraphOf(mention, context))!,
    }),
    cable: t.field({ type: Cable, description: 'The cable it is in.', resolve: (mention) => mention.ref }),
  }),
});

export const DateMention = builder.objectRef<DateMentionRow>('DateMention').implement({
  description: 'A date a cable text gives ("March 12", "03/12/2013"), read in the light of the cable date.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The date as written.' }),
    date: t.exposeString('date', { description: 'What it stands for, ISO 8601: YYYY-MM-DD, or YYYY-MM for a month alone.' }),
    start: t.exposeInt('span_start', { description: 'Offset of the date in the cable body (UTF-16 code units).' }),
    end: t.exposeInt('span_end', { description: 'End offset (exclusive) of the date in the cable body.' }),
    paragraph: t.field({
      type: Paragraph,
      description: 'The paragraph it sits in.',
      resolve: async (date, _args, context) => (await paragraphOf(date, context))!,
    }),
    cable: t.field({ type: Cable, description: 'The cable it is in.', resolve: (date) => date.ref }),
  }),
});

builder.objectFields(Cable, (t) => ({
  mentions: t.connection({
    type: Mention,
    description: 'Every occurrence of a person, organization or country in this cable, in text order.',
    resolve: async (cable, args, context) => pageOf(args, await context.loaders.mentionsByCable.load(cable.id)),
  }),
  dates: t.connection({
    type: DateMention,
    description: 'The dates this cable text gives, in text order.',
    resolve: async (cable, args, context) => pageOf(args, await context.loaders.datesByCable.load(cable.id)),
  }),
}));
