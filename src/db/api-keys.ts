// API keys: who is asking, and with what clearance. A key is shown once, when it is created; the
// database keeps its SHA-256 (see migrations/0005-api-keys.ts for why a fast hash is enough) and
// its first characters, which `keys list` shows and `keys revoke` accepts. What the server runs on
// every request (or every few seconds) is BOOKKEEPING, left out of a handle's statement count.
import { createHash, randomBytes } from 'node:crypto';

import { sql, type Kysely, type Selectable } from 'kysely';

import { CLEARANCES, clearanceAccess, type Clearance } from '../extract/markings.ts';
import { BOOKKEEPING } from './connect.ts';
import type { ApiKeyTable, Database } from './schema.ts';
import { refreshReaderCaches } from './visibility.ts';

export class ApiKeyError extends Error {}

export const KEY_PREFIX = 'cg_';
/** `cg_` and 32 random bytes in base64url (43 characters). */
const KEY_FORMAT = /^cg_[A-Za-z0-9_-]{43}$/;
/** Characters of a key kept in clear: `cg_` and 8 of the random ones (48 of its 256 bits). */
const PREFIX_LENGTH = 11;

export interface ApiKeyRecord {
  id: number;
  name: string;
  /** The key's first characters (`cg_` and 8 more), for telling keys apart. */
  prefix: string;
  clearance: Clearance;
  /** Whether the key may see NOFORN portions. */
  noforn: boolean;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewApiKey {
  name: string;
  /** A clearance name as clearanceAccess reads it ("CONFIDENTIAL", "top secret"). */
  clearance: string;
  noforn: boolean;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toRecord(row: Selectable<ApiKeyTable>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    clearance: row.clearance as Clearance,
    noforn: row.noforn,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

const COLUMNS = ['id', 'name', 'prefix', 'key_hash', 'clearance', 'noforn', 'created_at', 'revoked_at', 'last_used_at'] as const;

/** Creates a key; `key` is the only time the key itself exists outside its holder's hands. */
export async function createApiKey(db: Kysely<Database>, input: NewApiKey): Promise<{ key: string; record: ApiKeyRecord }> {
  const name = input.name.trim();
  if (!name) throw new ApiKeyError('a key needs a name (--name)');
  const access = clearanceAccess(input.clearance, input.noforn);
  if (!access) throw new ApiKeyError(`unknown clearance "${input.clearance}": use one of ${CLEARANCES.join(', ')}`);
  const clash = await db.selectFrom('api_key').select('id').where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
  if (clash) throw new ApiKeyError(`an active key is already named "${name}" (id ${clash.id}); revoke it first or choose another name`);
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('api_key')
    .values({
      name,
      prefix: key.slice(0, PREFIX_LENGTH),
      key_hash: hashKey(key),
      clearance: CLEARANCES[access.rank]!,
      noforn: access.noforn,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  // The counts this clearance is shown may not have been kept until now.
  await refreshReaderCaches(db, [access]);
  return { key, record: toRecord(row) };
}

/** Every key, revoked ones included, oldest first. */
export async function listApiKeys(db: Kysely<Database>): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_key').select(COLUMNS).orderBy('id').execute();
  return rows.map(toRecord);
}

/**
 * Revokes one key, named by its id, its prefix (`cg_…`, as `keys list` shows it) or the name of an
 * active key. A key named ambiguously, unknown or already revoked is an ApiKeyError.
 */
export async function revokeApiKey(db: Kysely<Database>, idOrPrefixOrName: string): Promise<ApiKeyRecord> {
  const which = idOrPrefixOrName.trim();
  if (!which) throw new ApiKeyError('give the id, prefix or name of the key to revoke');
  let query = db.selectFrom('api_key').select(COLUMNS);
  if (/^\d+$/.test(which)) query = query.where('id', '=', Number(which));
  else if (which.startsWith(KEY_PREFIX))
    query = query.where('prefix', 'like', `${which.slice(0, PREFIX_LENGTH).replace(/[\\%_]/g, '\\$&')}%`);
  else query = query.where('name', '=', which).where('revoked_at', 'is', null);
  const rows = await query.execute();
  if (rows.length === 0) throw new ApiKeyError(`no ${/^\d+$/.test(which) || which.startsWith(KEY_PREFIX) ? '' : 'active '}key "${which}"`);
  if (rows.length > 1) {
    throw new ApiKeyError(`"${which}" names ${rows.length} keys (ids ${rows.map((row) => row.id).join(', ')}); revoke one by its id`);
  }
  const [row] = rows as [Selectable<ApiKeyTable>];
  if (row.revoked_at) throw new ApiKeyError(`key ${row.id} ("${row.name}") was already revoked on ${row.revoked_at.toISOString()}`);
  const revoked = await db
    .updateTable('api_key')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', row.id)
    .where('revoked_at', 'is', null)
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!revoked) throw new ApiKeyError(`key ${row.id} ("${row.name}") was revoked meanwhile`);
  return toRecord(revoked);
}

/** The active key `key` is, or null for a malformed, unknown or revoked key. */
export async function findActiveKey(db: Kysely<Database>, key: string): Promise<ApiKeyRecord | null> {
  if (!KEY_FORMAT.test(key)) return null;
  const row = await db
    .selectFrom('api_key')
    .select(COLUMNS)
    .where('key_hash', '=', hashKey(key))
    .where('revoked_at', 'is', null)
    .modifyEnd(sql.raw(BOOKKEEPING))
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** Whether any key is active: with none, the service is open. */
export async function hasActiveKeys(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('api_key')
    .select('id')
    .where('revoked_at', 'is', null)
    .limit(1)
    .modifyEnd(sql.raw(BOOKKEEPING))
    .executeTakeFirst();
  return row !== undefined;
}

/** Records that key `id` was used at `at`. */
export async function touchApiKey(db: Kysely<Database>, id: number, at: Date): Promise<void> {
  await db.updateTable('api_key').set({ last_used_at: at }).where('id', '=', id).modifyEnd(sql.raw(BOOKKEEPING)).execute();
}
