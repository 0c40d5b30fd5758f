import { allows } from '../extract/markings.ts';
import { resolveCursorConnection, resolveOffsetConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';

import {
  cableCursor,
  countCables,
  listCables,
  listCablesByRelevance,
  type CableHeaderRow,
  type CableRow,
  type CableTextRow,
} from '../db/read-cables.ts';
import type { Context } from '../resolvers/context.ts';
import { builder, PAGE } from './builder.ts';
import { CableFilter, CableOrder, cableFilterOf } from './cable-filter.ts';
import { Cable } from './cable-ref.ts';
import { checkOffsetCursors, decodeCableCursor, encodeCableCursor } from './cursor.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { arrayPage } from './pages.ts';
import { Paragraph } from './paragraph.ts';
import { CableReference, Recipient } from './reference.ts';

export { Cable };

/** The header's fields of a cable, which its row leaves out. */
export async function cableHeader(cable: CableRow, context: Context): Promise<CableHeaderRow> {
  const header = await context.loaders.cableHeaderById.load(cable.id);
  if (!header) throw new Error(`cable ${cable.ref} (id ${cable.id}) has no row to read its header from`);
  return header;
}

/** The long texts of a cable, which its row leaves out. */
async function cableText(cable: CableRow, context: Context): Promise<CableTextRow> {
  const text = await context.loaders.cableTextById.load(cable.id);
  if (!text) throw new Error(`cable ${cable.ref} (id ${cable.id}) has no row to read its text from`);
  return text;
}

Cable.implement({
  description: 'A diplomatic cable, with its header fields, paragraphs and references.',
  fields: (t) => ({
    ref: t.exposeString('ref', { description: 'Canonical reference id: year, station, serial ("03OTTAWA692").' }),
    date: t.expose('date', { type: 'Date', nullable: true, description: 'Day the cable was sent.' }),
    classification: t.exposeString('classification', { nullable: true, description: 'Classification of the whole cable.' }),
    partial: t.boolean({
      description:
        "Whether the caller's clearance shows only part of this cable: then only the portions (paragraphs, subject) whose own markings it allows are given, and the header's fields (TAGS, REF list, Classified By, signers, recipients, summary) are withheld.",
      resolve: (cable, _args, context) =>
        context.access !== null && !allows(context.access, { rank: cable.access_rank, noforn: cable.noforn }),
    }),
    caveats: t.exposeStringList('caveats', { description: 'Handling caveats (NOFORN …).' }),
    origin: t.exposeString('origin', { nullable: true, description: 'Originating post.' }),
    subject: t.exposeString('subject', { nullable: true, description: 'The SUBJECT line, without its portion marking.' }),
    tags: t.stringList({
      description: 'TAGS codes, in the order the cable gives them.',
      resolve: async (cable, _args, context) => (await cableHeader(cable, context)).tags,
    }),
    declassifyOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'The DECL date.',
      resolve: async (cable, _args, context) => (await cableHeader(cable, context)).declassify_on,
    }),
    // classifiedBy, signers and signerNames: src/schema/official.ts.
    recipients: t.field({
      type: [Recipient],
      description: 'Action addressees (TO lines).',
      resolve: async (cable, _args, context) => (await cableHeader(cable, context)).recipients,
    }),
    infoRecipients: t.field({
      type: [Recipient],
      description: 'Information addressees (INFO lines).',
      resolve: async (cable, _args, context) => (await cableHeader(cable, context)).info_recipients,
    }),
    summary: t.string({
      nullable: true,
      description: 'The SUMMARY … END SUMMARY block.',
      resolve: async (cable, _args, context) => (await cableText(cable, context)).summary,
    }),
    header: t.string({
      nullable: true,
      description: 'The routing header, as published.',
      resolve: async (cable, _args, context) => (await cableText(cable, context)).header,
    }),
    body: t.string({ description: 'The cable text.', resolve: async (cable, _args, context) => (await cableText(cable, context)).body }),
    source: t.string({
      description: 'Where the ingested version was read from.',
      resolve: async (cable, _args, context) => (await cableHeader(cable, context)).source,
    }),
    paragraphs: t.connection({
      type: Paragraph,
      description: 'Paragraphs in order.',
      resolve: async (cable, args, context) => {
        const rows = await context.loaders.paragraphsByCable.load(cable.id);
        return arrayPage({ args, ...PAGE }, rows);
      },
    }),
    references: t.connection({
      type: CableReference,
      description: 'Items of the REF line, in order: other cables and anything else it cites.',
      resolve: async (cable, args, context) => {
        const rows = await context.loaders.referencesByCable.load(cable.id);
        return arrayPage({ args, ...PAGE }, rows);
      },
    }),
    referencedBy: t.connection({
      type: Cable,
      description: 'Ingested cables whose REF lines cite this one, oldest first.',
      resolve: async (cable, args, context) => {
        const rows = await context.loaders.referencedBy.load(cable.ref);
        return arrayPage({ args, ...PAGE }, rows);
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
    description:
      'Cables matching a filter, oldest first unless `orderBy` says otherwise. Cursors of the date orders are ' +
      "positions in date order (valid in either direction); those of RELEVANCE are offsets; one order's cursors " +
      'are refused by another (BAD_CURSOR).',
    args: {
      filter: t.arg({ type: CableFilter, description: 'Conditions on the cables listed.' }),
      orderBy: t.arg({ type: CableOrder, defaultValue: 'DATE_ASC', description: 'Order of the list; RELEVANCE needs `filter.text`.' }),
    },
    resolve: async (_root, args, context) => {
      const filter = await cableFilterOf(args.filter, context);
      const totalCount = () => countCables(context.db, filter);
      const order = args.orderBy ?? 'DATE_ASC';
      if (order === 'RELEVANCE') {
        const text = filter.text;
        if (!text) throw userError(ERROR_CODES.badUserInput, 'orderBy: RELEVANCE needs a filter.text to rank by', { argument: 'orderBy' });
        const connection = await resolveOffsetConnection({ args: checkOffsetCursors(args), ...PAGE }, ({ offset, limit }) =>
          listCablesByRelevance(context.db, { ...filter, text }, offset, limit),
        );
        return { ...connection, totalCount };
      }
      const connection = await resolveCursorConnection(
        { args, ...PAGE, toCursor: (cable: CableRow) => encodeCableCursor(cableCursor(cable)) },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          listCables(
            context.db,
            filter,
            {
              after: after ? decodeCableCursor(after) : undefined,
              before: before ? decodeCableCursor(before) : undefined,
              limit,
              inverted,
            },
            order,
          ),
      );
      return { ...connection, totalCount };
    },
  }),
}));
