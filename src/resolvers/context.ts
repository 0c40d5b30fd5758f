import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { cableLoaders } from './cables.ts';
import { personLoaders } from './persons.ts';

function loaders(db: Kysely<Database>) {
  return { ...cableLoaders(db), ...personLoaders(db) };
}

/** Created fresh for every request: the database handle and that request's loader caches. */
export interface Context {
  db: Kysely<Database>;
  loaders: ReturnType<typeof loaders>;
}

export function createContext(db: Kysely<Database>): Context {
  return { db, loaders: loaders(db) };
}
