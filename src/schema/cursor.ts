import { GraphQLError } from 'graphql';

import type { CableCursor } from '../db/read-cables.ts';

export function encodeCableCursor(cursor: CableCursor): string {
  return Buffer.from(`cable:${cursor.date}:${cursor.id}`).toString('base64url');
}

export function decodeCableCursor(value: string): CableCursor {
  const match = /^cable:(\d{4}-\d\d-\d\d):(\d+)$/.exec(Buffer.from(value, 'base64url').toString());
  if (!match) throw new GraphQLError(`invalid cursor "${value}"`, { extensions: { code: 'BAD_CURSOR' } });
  return { date: match[1]!, id: Number(match[2]) };
}
