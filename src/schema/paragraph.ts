import type { ParagraphRow } from '../db/read-cables.ts';
import { builder } from './builder.ts';
import { Cable } from './cable-ref.ts';

export const Paragraph = builder.objectRef<ParagraphRow>('Paragraph');

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
  }),
});
