// The page of a list that a list connection answers with, when the list is loaded whole (by key,
// through a loader) and the page cut from it.
import { resolveArrayConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';

import { PAGE } from './builder.ts';
import { checkOffsetCursors } from './cursor.ts';

/** One page of `items` by the connection arguments, with the size of the whole list. */
export function pageOf<T>(args: DefaultConnectionArguments, items: readonly T[]) {
  return { ...resolveArrayConnection({ args: checkOffsetCursors(args), ...PAGE }, items), totalCount: items.length };
}
