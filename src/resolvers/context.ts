import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import { cableLoaders } from './cables.ts';
import { graphLoaders } from './graph.ts';
import { countryLoaders } from './countries.ts';
import { mentionLoaders } from './mentions.ts';
import { organizationLoaders } from './organizations.ts';
import { paragraphLoaders } from './paragraphs.ts';
import { personLoaders } from './persons.ts';
import { topicLoaders } from './topics.ts';

function loaders(db: Kysely<Database>) {
  return {
    ...cableLoaders(db),
    ...personLoaders(db),
    ...graphLoaders(db),
    ...paragraphLoaders(db),
    ...mentionLoaders(db),
    ...organizationLoaders(db),
    ...countryLoaders(db),
    ...topicLoaders(db),
  };
}

/** Created fresh for every request: the database handle and that request's loader caches. */
export interface Context {
  db: Kysely<Database>;
  loaders: ReturnType<typeof loaders>;
}

export function createContext(db: Kysely<Database>): Context {
  return { db, loaders: loaders(db) };
}
