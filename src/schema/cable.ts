import { resolveArrayConnection, resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';

import { cableCursor, countCables, listCables, type CableFilter as CableFilterShape, type CableRow } from '../db/read-cables.ts';
import type { ClassifiedBy } from '../extract/types.ts';
import { builder, PAGE } from './builder.ts';
import { Cable } from './cable-ref.ts';
import { decodeCableCursor, encodeCableCursor } from './cursor.ts';
import { Paragraph } from './paragraph.ts';
import { CableReference, Recipient } from './reference.ts';

export { Cable };

const Official = builder.objectRef<ClassifiedBy>('Official').implement({
  description: 'An official named in a cable header, with the title given there.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name as written.' }),
    title: t.exposeString('title', { nullable: true, description: 'The title or role given with the name.' }),
  }),
});

const CableFilter = builder.inputType('CableFilter', {
  description: 'Conditions a cable must meet; all given conditions apply.',
  fields: (t) => ({
    dateFrom: t.field({ type: 'Date', description: 'Created on or after this day.' }),
    dateTo: t.field({ type: 'Date', description: 'Created on or before this day.' }),
    origin: t.string({ description: 'Originating post, as the source names it ("Embassy Ottawa"), case-insensitive.' }),
    classification: t.string({ description: 'Classification of the whole cable ("CONFIDENTIAL"), case-insensitive.' }),
    tag: t.string({ description: 'A TAGS code the cable carries ("PREL", "IZ").' }),
    text: t.string({ description: 'Full-text query over paragraph text, web-search syntax ("missile defense" -russia).' }),
  }),
});

Cable.implement({
  description: 'A diplomatic cable, with its header fields, paragraphs and references.',
  fields: (t) => ({
    ref: t.exposeString('ref', { description: 'Canonical reference id: year, station, serial ("03OTTAWA692").' }),
    date: t.expose('date', { type: 'Date', nullable: true, description: 'Day the cable was sent.' }),
    classification: t.exposeString('classification', { nullable: true, description: 'Classification of the whole cable.' }),
    caveats: t.exposeStringList('caveats', { description: 'Handling caveats (NOFORN …).' }),
    origin: t.exposeString('origin', { nullable: true, description: 'Originating post.' }),
    subject: t.exposeString('subject', { nullable: true, description: 'The SUBJECT line, without its portion marking.' }),
    tags: t.exposeStringList('tags', { description: 'TAGS codes, in the order the cable gives them.' }),
    declassifyOn: t.expose('declassify_on', { type: 'Date', nullable: true, description: 'The DECL date.' }),
    classifiedBy: t.field({
      type: Official,
      nullable: true,
      description: 'The official of the "Classified By" line.',
      resolve: (cable) => (cable.classified_by_name ? { name: cable.classified_by_name, title: cable.classified_by_title } : null),
    }),
    signers: t.exposeStringList('signers', { description: 'Names that sign the cable.' }),
    recipients: t.field({ type: [Recipient], description: 'Action addressees (TO lines).', resolve: (cable) => cable.recipients }),
    infoRecipients: t.field({
      type: [Recipient],
      description: 'Information addressees (INFO lines).',
      resolve: (cable) => cable.info_recipients,
    }),
    summary: t.exposeString('summary', { nullable: true, description: 'The SUMMARY … END SUMMARY block.' }),
    header: t.exposeString('header', { nullable: true, description: 'The routing header, as published.' }),
    body: t.exposeString('body', { description: 'The cable text.' }),
    source: t.exposeString('source', { description: 'Where the ingested version was read from.' }),
    paragraphs: t.connection({
      type: Paragraph,
      description: 'Paragraphs in order.',
      resolve: async (cable, args, context) => {
        const rows = await context.loaders.paragraphsByCable.load(cable.id);
        return { ...resolveArrayConnection({ args, ...PAGE }, rows), totalCount: rows.length };
      },
    }),
    references: t.connection({
      type: CableReference,
      description: 'Items of the REF line, in order: other cables and anything else it cites.',
      resolve: async (cable, args, context) => {
        const rows = await context.loaders.referencesByCable.load(cable.id);
        return { ...resolveArrayConnection({ args, ...PAGE }, rows), totalCount: rows.length };
      },
    }),
    referencedBy: t.connection({
      type: Cable,
      description: 'Ingested cables whose REF lines cite this one, oldest first.',
      resolve: async (cable, args, context) => {
        const rows = await context.loaders.referencedBy.load(cable.ref);
        return { ...resolveArrayConnection({ args, ...PAGE }, rows), totalCount: rows.length };
      },
    }),
  }),
});

builder.queryFields((t) => ({
  cable: t.field({
    type: Cable,
    nullable: true,
    description: 'A cable by its reference id ("03OTTAWA692"); null when it is not in the graph.',
    args: { ref: t.arg.string({ required: true, description: 'Reference id; canonical form preferred.' }) },
    resolve: (_root, args, context) => context.loaders.cableByRef.load(args.ref.trim().toUpperCase()),
  }),
  cables: t.connection({
    type: Cable,
    description: 'Cables in date order (oldest first), optionally filtered.',
    args: { filter: t.arg({ type: CableFilter, description: 'Conditions on the cables listed.' }) },
    resolve: async (_root, args, context) => {
      const filter: CableFilterShape = args.filter ?? {};
      const connection = await resolveCursorConnection(
        { args, ...PAGE, toCursor: (cable: CableRow) => encodeCableCursor(cableCursor(cable)) },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          listCables(context.db, filter, {
            after: after ? decodeCableCursor(after) : undefined,
            before: before ? decodeCableCursor(before) : undefined,
            limit,
            inverted,
          }),
      );
      return { ...connection, totalCount: () => countCables(context.db, filter) };
    },
  }),
}));
