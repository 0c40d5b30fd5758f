// Statements Kysely builds and compiles once and then runs with new values: the batched reads
// behind the API's loaders run several times in every request, and building and compiling their
// query trees anew each time was about a tenth of the server's CPU time in a traversal.
import { createQueryId, type CompiledQuery, type Compilable, type DialectAdapter, type Kysely } from 'kysely';

import type { Database } from './schema.ts';

/** Stands, while the statement is built, for the argument at `index` of each run. */
class Argument {
  constructor(readonly index: number) {}
}

/**
 * `build` as a function that builds and compiles its statement once (per dialect and number of
 * arguments), then runs the compiled SQL with each call's arguments as its parameters. `build` is called with stand-ins for
 * its arguments, not their values: it may pass each argument only as a value of the statement
 * (a parameter, such as `anyInt(ids)` or the right side of `where`), never look into it or branch
 * on it; an argument the compiled statement does not take as a parameter fails the first call.
 * Statements run through the handle given to each call, with its plugins' `transformResult`
 * (statement counting) and its search_path (src/db/visibility.ts), as a built query would.
 */
export function precompiled<Args extends readonly unknown[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): (db: Kysely<Database>, ...args: Args) => Promise<Row[]> {
  // Every handle over one database shares its dialect adapter (plugins and reader views included).
  const compiledFor = new WeakMap<DialectAdapter, Map<number, CompiledQuery<Row>>>();
  const compile = (db: Kysely<Database>, arity: number): CompiledQuery<Row> => {
    const stand = Array.from({ length: arity }, (_, index) => new Argument(index)) as unknown as Args;
    const compiled = build(db, ...stand).compile();
    for (let index = 0; index < arity; index++) {
      if (!compiled.parameters.some((value) => value instanceof Argument && value.index === index)) {
        throw new Error(`argument ${index} of a precompiled statement is not one of its parameters: ${compiled.sql}`);
      }
    }
    return compiled;
  };
  return async (db, ...args) => {
    const adapter = db.getExecutor().adapter;
    let byArity = compiledFor.get(adapter);
    if (!byArity) compiledFor.set(adapter, (byArity = new Map()));
    let compiled = byArity.get(args.length);
    if (!compiled) byArity.set(args.length, (compiled = compile(db, args.length)));
    const parameters = compiled.parameters.map((value) => (value instanceof Argument ? args[value.index] : value));
    const result = await db.executeQuery<Row>({ sql: compiled.sql, query: compiled.query, parameters, queryId: createQueryId() });
    return result.rows;
  };
}
