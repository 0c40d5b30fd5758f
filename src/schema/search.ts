import { resolveOffsetConnection } from '@pothos/plugin-relay';

import {
  isSearchable,
  searchParagraphs,
  searchWindow,
  SEARCH_WINDOW,
  SNIPPET_MARKS,
  type SearchHitRow,
  type SearchWindow,
} from '../db/read-search.ts';
import { builder, PAGE } from './builder.ts';
import { Cable } from './cable-ref.ts';
import { checkOffsetCursors } from './cursor.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { Paragraph } from './paragraph.ts';

const SearchHit = builder.objectRef<SearchHitRow>('SearchHit').implement({
  description: 'A paragraph matching a full-text search, with its cable, rank and highlighted extract.',
  fields: (t) => ({
    paragraph: t.field({ type: Paragraph, description: 'The matching paragraph.', resolve: (hit) => hit.paragraph }),
    cable: t.field({
      type: Cable,
      description: 'The cable the paragraph belongs to.',
      resolve: async (hit, _args, context) => (await context.loaders.cableById.load(hit.paragraph.cable_id))!,
    }),
    rank: t.exposeFloat('rank', {
      description:
        'How well the paragraph matches, between 0 and 1 (cover density: the words close together and often, ' +
        'normalized for paragraph length); higher is better.',
    }),
    snippet: t.exposeString('snippet', {
      description:
        `Up to two extracts of the paragraph around the matches, joined by " … ", each matched word between ` +
        `${SNIPPET_MARKS.start} and ${SNIPPET_MARKS.stop} ("the ${SNIPPET_MARKS.start}missile${SNIPPET_MARKS.stop} ` +
        `${SNIPPET_MARKS.start}defense${SNIPPET_MARKS.stop} talks"). Plain text, not HTML.`,
    }),
  }),
});

builder.queryField('search', (t) =>
  t.connection(
    {
      type: SearchHit,
      description:
        'Paragraphs matching a full-text query, best first (ties by cable reference id, then paragraph position). ' +
        `A query matching more than ${SEARCH_WINDOW.toLocaleString('en')} paragraphs ranks the ` +
        `${SEARCH_WINDOW.toLocaleString('en')} latest-written of them (the pages end there; totalCount still counts them all, or estimates how many: see totalCountIsExact). ` +
        'Cursors are offsets into that order.',
      args: {
        query: t.arg.string({
          required: true,
          description:
            'Web-search syntax: words all required, "quoted phrase", `or`, -excluded; English stemming, ' +
            'case-insensitive. A query with no word to search for (blank, or stop words only such as "the of") is ' +
            'refused with BAD_USER_INPUT.',
        }),
      },
      resolve: async (_root, args, context) => {
        const query = args.query;
        if (!query.trim() || !(await isSearchable(context.db, query))) {
          throw userError(ERROR_CODES.badUserInput, `query: "${query}" has no word to search for (blank, stop words or punctuation only)`, {
            argument: 'query',
          });
        }
        // The window and the count come from the same reads, made once for the page and the count.
        let found: Promise<SearchWindow> | undefined;
        const window = () => (found ??= searchWindow(context.db, query));
        const connection = await resolveOffsetConnection({ args: checkOffsetCursors(args), ...PAGE }, async ({ offset, limit }) =>
          searchParagraphs(context.db, query, offset, limit, await window()),
        );
        return { ...connection, totalCount: async () => (await window()).count, totalCountIsExact: async () => (await window()).exact };
      },
    },
    {
      fields: (c) => ({
        totalCountIsExact: c.boolean({
          description:
            `Whether totalCount is the exact number of matching paragraphs. It is when the matches were all read to find ` +
            `the ${SEARCH_WINDOW.toLocaleString('en')} latest-written. A query matching more is counted among the latest ` +
            `cables only and that count scaled to all cables, or, for a common word, estimated from the column's ` +
            `statistics (counting a common word's million matches takes longer than any request may).`,
          resolve: (connection) => (connection as unknown as { totalCountIsExact: () => Promise<boolean> }).totalCountIsExact(),
        }),
      }),
    },
  ),
);
