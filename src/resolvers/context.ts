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

/** The loader factories; each request builds only those whose loaders it uses. */
const FACTORIES = [
  cableLoaders,
  personLoaders,
  graphLoaders,
  paragraphLoaders,
  mentionLoaders,
  organizationLoaders,
  countryLoaders,
  topicLoaders,
] as const;

type Loaders = ReturnType<typeof cableLoaders> &
  ReturnType<typeof personLoaders> &
  ReturnType<typeof graphLoaders> &
  ReturnType<typeof paragraphLoaders> &
  ReturnType<typeof mentionLoaders> &
  ReturnType<typeof organizationLoaders> &
  ReturnType<typeof countryLoaders> &
  ReturnType<typeof topicLoaders>;

interface LoaderState {
  db: Kysely<Database>;
}

/**
 * A request's loaders, built a factory at a time on first use: building all of them (about 50
 * DataLoaders) for every request cost ~60 µs, and a traversal uses three factories.
 */
const LAZY_LOADERS: object = (() => {
  const prototype = {};
  const seen = new Set<string>();
  FACTORIES.forEach((factory) => {
    // The factories only close over `db`: called without one, they give the names.
    const names = Object.keys(factory(undefined as unknown as Kysely<Database>));
    for (const name of names) {
      if (seen.has(name)) throw new Error(`two loader factories both define ${name}`);
      seen.add(name);
      Object.defineProperty(prototype, name, {
        get(this: LoaderState) {
          const built = factory(this.db) as Record<string, unknown>;
          for (const [key, loader] of Object.entries(built)) Object.defineProperty(this, key, { value: loader });
          return built[name];
        },
      });
    }
  });
  return prototype;
})();

function loaders(db: Kysely<Database>): Loaders {
  const state: LoaderState = Object.create(LAZY_LOADERS);
  state.db = db;
  return state as unknown as Loaders;
}

/**
 * Created fresh for every request: the database as the caller may see it (src/db/visibility.ts),
 * that request's loader caches, and the caller's access (null: everything, the open service).
 */
export interface Context {
  db: Kysely<Database>;
  loaders: Loaders;
  access: Access | null;
}

export function createContext(db: Kysely<Database>, access: Access | null = null): Context {
  return { db, loaders: loaders(db), access };
}
