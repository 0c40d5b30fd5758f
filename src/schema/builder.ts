import SchemaBuilder, { PothosValidationError } from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';

import type { Context } from '../resolvers/context.ts';
import { ERROR_CODES } from './errors.ts';

/** Page size caps for every connection. */
export const PAGE = { defaultSize: 20, maxSize: 100 } as const;

// Query cost, which the server checks against its budget before executing: every field costs 1 and
// a connection multiplies what is selected under it by the page it asks for, so that the cost tracks
// the rows a query can touch. Pages above the cap are refused here, where the arguments are first
// read: the relay helpers would silently clamp them to the cap.
function connectionCost(args: { first?: number | null | undefined; last?: number | null | undefined }) {
  const sizes: number[] = [];
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size === null || size === undefined) continue;
    if (size < 0) {
      throw new PothosValidationError(`\`${name}\` must not be negative (got ${size}).`, {
        extensions: { code: ERROR_CODES.badUserInput },
      });
    }
    if (size > PAGE.maxSize) {
      throw new PothosValidationError(
        `\`${name}: ${size}\` is above the page size cap of ${PAGE.maxSize}; ask for at most ${PAGE.maxSize} and page on with cursors.`,
        { extensions: { code: ERROR_CODES.pageTooLarge, maxPageSize: PAGE.maxSize } },
      );
    }
    sizes.push(size);
  }
  return { field: 1, multiplier: sizes.length > 0 ? Math.min(...sizes) : PAGE.defaultSize };
}

// A connection's page already multiplies its items: its `edges` and `nodes` lists count once.
const ONCE = { field: 1, multiplier: 1 };

export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: { Date: { Input: string; Output: string } };
  // Every connection reports its size; a thunk so the count query runs only when asked for.
  Connection: { totalCount: number | (() => Promise<number>) };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [RelayPlugin, DataloaderPlugin, ComplexityPlugin],
  // Costs only: the limits are enforced by the server, per request, before execution.
  complexity: { disabled: true },
  relay: {
    defaultConnectionFieldOptions: { complexity: connectionCost },
    // `paragraphs { nodes { number text } }` as a short form of edges { node { … } }.
    nodesOnConnection: { description: 'The items of this page (short form of edges { node }).', complexity: ONCE },
    idFieldOptions: { description: 'Opaque global id, for `node(id:)` and `nodes(ids:)`.' },
    nodeTypeOptions: { description: 'Anything that can be fetched again by its global id.' },
    nodeQueryOptions: { description: 'Any object by its global id; null when it does not exist.' },
    nodesQueryOptions: {
      description: 'Objects by their global ids, in the order asked.',
      complexity: (args) => ({ field: 1, multiplier: args.ids.length }),
    },
    pageInfoTypeOptions: { description: 'Where a page sits in its connection.' },
    hasNextPageFieldOptions: { description: 'More items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Items come before this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of the page; pass it as `after` for the next page.' },
    defaultConnectionTypeOptions: { description: 'A page of a list (Relay connection).' },
    defaultEdgeTypeOptions: { description: 'An item of a list with its cursor.' },
    edgesFieldOptions: { nullable: false, description: 'The items of this page, with their cursors.', complexity: ONCE },
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
