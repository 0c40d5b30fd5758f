// Operations run as functions graphql-jit compiles once per document, instead of graphql-js walking
// the document for every request: on the cable → paragraphs → persons → cables traversal that walk
// (an info object, a path and a result object per field) was about a third of the server's
// allocations. What a client sees stays graphql-js's: errors are rebuilt as graphql-js errors with
// their locations, `errors` comes before `data`, a request past its time limit or whose client went
// away (the signal useLimits sets) fails as it would, and variables are checked by graphql-js.
import { getVariableValues, GraphQLError, Kind, type DocumentNode, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

type Compiled = { query: CompiledQuery['query']; operation: OperationDefinitionNode } | null;

/** The operation a request runs: the one named, or the document's only one; undefined when it cannot be told. */
export function operationOf(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!name) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((operation) => operation.name?.value === name);
}

/** Offsets in the document of graphql-jit's line and column locations, for graphql-js to report them again. */
function positionsOf(body: string, locations: readonly { line: number; column: number }[]): number[] {
  const lineStarts = [0];
  for (const match of body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(match.index + match[0].length);
  return locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1);
}

/** A graphql-jit error as graphql-js would have raised it (same message, locations, path, extensions, original). */
function asGraphqlJsError(error: GraphQLError, document: DocumentNode): GraphQLError {
  const source = document.loc?.source;
  const locations = error.locations ?? [];
  return new GraphQLError(error.message, {
    ...(source && locations.length > 0 ? { source, positions: positionsOf(source.body, locations) } : {}),
    ...(error.path ? { path: error.path } : {}),
    // graphql-js wraps what it throws itself (a null for a non-null field) too: yoga then masks it.
    originalError: error.originalError ?? new Error(error.message),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
}

function asGraphqlJsResult(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => asGraphqlJsError(error, document));
  return 'data' in result ? { errors, data: result.data } : { errors };
}

export function useJitExecution(): Plugin {
  // One compiled function per document and operation name; yoga hands out one DocumentNode per query text.
  const compiledFor = new WeakMap<DocumentNode, Map<string, Compiled>>();
  const compiled = (args: { schema: Parameters<typeof compileQuery>[0]; document: DocumentNode; operationName?: string | null }) => {
    let byName = compiledFor.get(args.document);
    if (!byName) compiledFor.set(args.document, (byName = new Map()));
    const name = args.operationName ?? '';
    let found = byName.get(name);
    if (found === undefined) {
      const operation = operationOf(args.document, args.operationName);
      // Subscriptions, and anything graphql-jit cannot compile, stay with graphql-js.
      const result =
        operation?.operation === 'query' || operation?.operation === 'mutation'
          ? compileQuery(args.schema, args.document, args.operationName ?? undefined)
          : null;
      found = operation && result && isCompiledQuery(result) ? { query: result.query, operation } : null;
      byName.set(name, found);
    }
    return found;
  };
  return {
    onExecute({ args, setExecuteFn }) {
      const found = compiled(args);
      if (!found) return;
      // Bad variables are reported by graphql-js, in its words.
      if (found.operation.variableDefinitions?.length) {
        const coerced = getVariableValues(args.schema, found.operation.variableDefinitions, args.variableValues ?? {});
        if (coerced.errors) return;
      }
      setExecuteFn((execution) => {
        const signal = (execution as { signal?: AbortSignal }).signal;
        signal?.throwIfAborted();
        const running = Promise.resolve(found.query(execution.rootValue, execution.contextValue, execution.variableValues)).then((result) =>
          asGraphqlJsResult(result, execution.document),
        );
        if (!signal) return running;
        // graphql-js stops resolving at the signal; the compiled function cannot, so the request answers then.
        return new Promise<ExecutionResult>((resolve, reject) => {
          const onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          running.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        });
      });
    },
  };
}
