import type { Kysely } from 'kysely';

import type { Database } from '../db/schema.ts';
import type { Access } from '../extract/markings.ts';
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

/**
 * Created fresh for every request: the database as the caller may see it (src/db/visibility.ts),
 * that request's loader caches, and the caller's access (null: everything, the open service).
 */
export interface Context {
  db: Kysely<Database>;
  loaders: ReturnType<typeof loaders>;
  access: Access | null;
}

export function createContext(db: Kysely<Database>, access: Access | null = null): Context {
  return { db, loaders: loaders(db), access };
}
