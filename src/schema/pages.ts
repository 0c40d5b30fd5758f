// The page of a list that a list connection answers with, when the list is loaded whole (by key,
// through a loader) and the page cut from it. Pages are those of Pothos's resolveArrayConnection
// and resolveOffsetConnection, except that a cursor is encoded only when a query asks for it: a
// traversal that shows no cursor would otherwise encode ~150 of them (base64) per request.
import { offsetForArgs, offsetToCursor, type DefaultConnectionArguments } from '@pothos/plugin-relay';

import { PAGE } from './builder.ts';
import { checkOffsetCursors } from './cursor.ts';

/** An item of a page, at `offset` in its list. */
class OffsetEdge<T> {
  constructor(
    readonly node: T,
    private readonly offset: number,
  ) {}

  get cursor(): string {
    return offsetToCursor(this.offset);
  }
}

class OffsetPageInfo {
  constructor(
    private readonly start: number,
    private readonly end: number,
    readonly hasPreviousPage: boolean,
    readonly hasNextPage: boolean,
  ) {}

  get startCursor(): string {
    return offsetToCursor(this.start);
  }

  get endCursor(): string {
    return offsetToCursor(this.end);
  }
}

interface PageOptions {
  args: DefaultConnectionArguments;
  defaultSize: number;
  maxSize: number;
  /** The length of the whole list, when `items` holds only part of it. */
  totalCount?: number;
}

/**
 * The page `options.args` asks for, cut from `items`: the whole list, or its leading part at least
 * as far as the page reaches plus one (whether more follow).
 */
function pageFrom<T>(options: PageOptions, items: readonly T[]) {
  const { limit, offset, expectedSize, hasPreviousPage, hasNextPage } = offsetForArgs(options);
  const nodes = items.slice(offset, offset + limit);
  const edges = nodes.slice(0, expectedSize).map((node, index) => new OffsetEdge(node, offset + index));
  return {
    edges,
    pageInfo: new OffsetPageInfo(offset, offset + edges.length - 1, hasPreviousPage, hasNextPage(nodes.length)),
  };
}

/** What resolveArrayConnection answers for `items`, with the size of the whole list. */
export function arrayPage<T>(options: PageOptions, items: readonly T[]) {
  return { ...pageFrom({ totalCount: items.length, ...options }, items), totalCount: items.length };
}

/** One page of `items` by the connection arguments, with the size of the whole list. */
export function pageOf<T>(args: DefaultConnectionArguments, items: readonly T[]) {
  return arrayPage({ args: checkOffsetCursors(args), ...PAGE }, items);
}

/**
 * The page `args` asks for, cut from the leading items of a list (at least as far as the page
 * reaches, plus one) of `total` items; `total` may be a function, called only when a client asks
 * for totalCount (the prefix alone tells where the page ends and whether more follow).
 */
export function pageOfPrefix<T>(args: DefaultConnectionArguments, prefix: readonly T[], total: number | (() => Promise<number>)) {
  const known = typeof total === 'number' ? total : undefined;
  return { ...pageFrom({ args: checkOffsetCursors(args), ...PAGE, totalCount: known }, prefix), totalCount: total };
}
