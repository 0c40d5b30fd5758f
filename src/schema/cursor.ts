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
