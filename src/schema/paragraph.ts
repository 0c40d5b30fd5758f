import type { ParagraphRow } from '../db/read-cables.ts';
import { paragraphListKey, paragraphNodeKey, parseParagraphNodeKey } from '../resolvers/paragraphs.ts';
import { builder } from './builder.ts';
import { nodeRows } from './node-rows.ts';
import { Cable } from './cable-ref.ts';
import { Country } from './country.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { DateMention, Mention } from './mention.ts';
import { Organization } from './organization.ts';
import { pageOf } from './pages.ts';
import { Person } from './person.ts';

/** Rows read for the paragraph itself carry their cable's ref; those listed by cable do not. */
type ParagraphShape = ParagraphRow & { ref?: string };

// Global id: the cable's ref and the paragraph's position ("03OTTAWA692:3"), stable across databases.
export const Paragraph = builder.loadableNodeRef('Paragraph', {
  id: {
    resolve: async (paragraph: ParagraphShape, _args, context) =>
      paragraphNodeKey(paragraph.ref ?? (await context.loaders.cableById.load(paragraph.cable_id))!.ref, paragraph.position),
    parse: (id) => {
      if (!parseParagraphNodeKey(id)) throw userError(ERROR_CODES.invalidId, `"${id}" does not name a paragraph (cable ref:position)`);
      return id;
    },
  },
  load: (keys: string[], context) => context.loaders.paragraphByKey.loadMany(keys).then(nodeRows),
});

Paragraph.implement({
  description: 'A numbered paragraph of a cable (number 0 is the text before the first numbered paragraph).',
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'The paragraph number as the cable gives it; 0 for the header block.' }),
    position: t.exposeInt('position', { description: 'Position of the paragraph in the cable, from 0.' }),
    classification: t.exposeString('marking', {
      nullable: true,
      description: "The paragraph's own portion marking (U, SBU, C, S …); null when unmarked.",
    }),
    text: t.exposeString('text', { description: 'The paragraph text.' }),
    start: t.exposeInt('span_start', { description: 'Offset of the paragraph in the cable body (UTF-16 code units).' }),
    end: t.exposeInt('span_end', { description: 'End offset (exclusive) of the paragraph in the cable body.' }),
    cable: t.field({
      type: Cable,
      description: 'The cable this paragraph belongs to.',
      resolve: async (paragraph, _args, context) => (await context.loaders.cableById.load(paragraph.cable_id))!,
    }),
    mentions: t.connection({
      type: Mention,
      description: 'Persons, organizations and countries named in this paragraph, each occurrence, in text order.',
      resolve: async (paragraph, args, context) =>
        pageOf(args, await context.loaders.mentionsByParagraph.load(paragraphListKey(paragraph))),
    }),
    persons: t.connection({
      type: Person,
      description: 'Individuals named in this paragraph (those with a mention in it), in order of first mention.',
      resolve: async (paragraph, args, context) => pageOf(args, await context.loaders.personsByParagraph.load(paragraphListKey(paragraph))),
    }),
    organizations: t.connection({
      type: Organization,
      description: 'Organizations named in this paragraph, in order of first mention.',
      resolve: async (paragraph, args, context) =>
        pageOf(args, await context.loaders.organizationsByParagraph.load(paragraphListKey(paragraph))),
    }),
    countries: t.connection({
      type: Country,
      description: 'Countries this paragraph names (by name or adjective: "Canada", "Canadian"), in order of first mention.',
      resolve: async (paragraph, args, context) =>
        pageOf(args, await context.loaders.countriesByParagraph.load(paragraphListKey(paragraph))),
    }),
    dates: t.connection({
      type: DateMention,
      description: 'Dates this paragraph gives, in text order.',
      resolve: async (paragraph, args, context) => pageOf(args, await context.loaders.datesByParagraph.load(paragraphListKey(paragraph))),
    }),
  }),
});
