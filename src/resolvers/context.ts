import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { cableLoaders, type CableLoaders } from './cables.ts';

/** Created fresh for every request: the database handle and that request's loader caches. */
export interface Context {
  db: Kysely<Database>;
  loaders: CableLoaders;
}

export function createContext(db: Kysely<Database>): Context {
  return { db, loaders: cableLoaders(db) };
}
