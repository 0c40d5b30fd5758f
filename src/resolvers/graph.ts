// Per-request loaders for the co-mention graph: the strongest neighbours of many entities in one
// statement per distinct set of arguments.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import { entityKey, strongestNeighbours, type EntityKey, type NeighbourRow } from '../db/read-graph.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey } from './group.ts';

export interface NeighboursQuery extends EntityKey {
  /** Kinds of neighbour wanted. */
  kinds: readonly number[];
  first: number;
  minCables: number;
}

function argumentsKey(query: NeighboursQuery): string {
  return `${[...query.kinds].sort().join(',')}/${query.first}/${query.minCables}`;
}

export function graphLoaders(db: Kysely<Database>) {
  return {
    neighbours: new DataLoader<NeighboursQuery, NeighbourRow[], string>(
      async (queries) => {
        // Entities asked with the same arguments (a list of persons each asking `coMentioned(first: 5)`) share a statement.
        const batches = new Map<string, NeighboursQuery[]>();
        for (const query of queries) {
          const key = argumentsKey(query);
          const batch = batches.get(key);
          if (batch) batch.push(query);
          else batches.set(key, [query]);
        }
        const found = new Map<NeighboursQuery, NeighbourRow[]>();
        await Promise.all(
          [...batches.values()].map(async (batch) => {
            const { kinds, first, minCables } = batch[0]!;
            const rows = await strongestNeighbours(db, batch, { kinds, first, minCables });
            const groups = groupByKey(batch.map(entityKey), rows, (row) => entityKey({ kind: row.from_kind, id: row.from_id }));
            batch.forEach((query, i) => found.set(query, groups[i]!));
          }),
        );
        return queries.map((query) => found.get(query)!);
      },
      { cacheKeyFn: (query) => `${entityKey(query)}/${argumentsKey(query)}` },
    ),
  };
}
