import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';

import type { Context } from '../resolvers/context.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: { Date: { Input: string; Output: string } };
  // Every connection reports its size; a thunk so the count query runs only when asked for.
  Connection: { totalCount: number | (() => Promise<number>) };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  relay: {
    // `paragraphs { nodes { number text } }` as a short form of edges { node { … } }.
    nodesOnConnection: { description: 'The items of this page (short form of edges { node }).' },
    idFieldOptions: { description: 'Opaque global id, for `node(id:)` and `nodes(ids:)`.' },
    nodeTypeOptions: { description: 'Anything that can be fetched again by its global id.' },
    nodeQueryOptions: { description: 'Any object by its global id; null when it does not exist.' },
    nodesQueryOptions: { description: 'Objects by their global ids, in the order asked.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its connection.' },
    hasNextPageFieldOptions: { description: 'More items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Items come before this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page; pass it as `after` for the next page.' },
    defaultConnectionTypeOptions: { description: 'A page of a list (Relay connection).' },
    defaultEdgeTypeOptions: { description: 'An item of a list with its cursor.' },
    edgesFieldOptions: { nullable: false, description: 'The items of this page, with their cursors.' },
    pageInfoFieldOptions: { description: 'Pagination state of this page.' },
    cursorFieldOptions: { description: 'Opaque position of this item, for `after` and `before`.' },
    nodeFieldOptions: { nullable: false, description: 'The item.' },
  },
});

builder.queryType({ description: 'Entry points into the cable graph.' });

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items the whole connection holds, across all pages.',
    resolve: (connection) => (typeof connection.totalCount === 'function' ? connection.totalCount() : connection.totalCount),
  }),
);

builder.scalarType('Date', {
  description: 'A calendar day, ISO 8601 `YYYY-MM-DD`.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d$/.test(value) || Number.isNaN(Date.parse(value))) {
      throw new TypeError('a Date is written YYYY-MM-DD');
    }
    return value;
  },
});

/** Page size caps for every connection. */
export const PAGE = { defaultSize: 20, maxSize: 100 } as const;
