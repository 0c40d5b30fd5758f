import { cursorToOffset } from '@pothos/plugin-relay';

import { ERROR_CODES, userError } from './errors.ts';

import type { CableCursor } from '../db/read-cables.ts';

export function encodeCableCursor(cursor: CableCursor): string {
  return Buffer.from(`cable:${cursor.date}:${cursor.id}`).toString('base64url');
}

export function decodeCableCursor(value: string): CableCursor {
  const match = /^cable:(\d{4}-\d\d-\d\d):(\d+)$/.exec(Buffer.from(value, 'base64url').toString());
  if (!match) throw userError(ERROR_CODES.badCursor, `invalid cursor "${value}"`);
  return { date: match[1]!, id: Number(match[2]) };
}

/** Connection arguments whose cursors are offset cursors; BAD_CURSOR otherwise (e.g. a date-order cursor). */
export function checkOffsetCursors<A extends { after?: string | null; before?: string | null }>(args: A): A {
  for (const cursor of [args.after, args.before]) {
    if (cursor == null) continue;
    let offset: number;
    try {
      offset = cursorToOffset(cursor);
    } catch {
      offset = Number.NaN;
    }
    if (!Number.isSafeInteger(offset) || offset < 0) throw userError(ERROR_CODES.badCursor, `invalid cursor "${cursor}"`);
  }
  return args;
}
