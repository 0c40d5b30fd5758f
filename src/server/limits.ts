// What one request may ask of the server: a bounded document, depth and cost, checked before
// anything executes, and a bounded time to execute. Costs are counted as src/schema/builder.ts
// declares them (a connection multiplies its selection by its page size), where pages above the
// cap are refused too.
import { createComplexityRule } from '@pothos/plugin-complexity';
import { Kind, parse, validate, visit, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

import { ERROR_CODES, userError } from '../schema/errors.ts';
import { operationOf } from './jit.ts';

export interface Limits {
  /**
   * Deepest nesting of fields, leaf fields included: `{ cable { ref } }` is 2, and
   * cable → paragraphs → persons → cables written with `edges { node { … } }` down to a scalar is 11.
   */
  maxDepth: number;
  /** Cost budget; the cable → 10 paragraphs → 10 persons → 5 cables traversal costs about 1,900. */
  maxCost: number;
  /** Lexical tokens in a document: bounds the parsing done before any other check. */
  maxTokens: number;
  /** Time one operation may execute, in milliseconds. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 11, maxCost: 5_000, maxTokens: 5_000, timeoutMs: 10_000 };

/** DEFAULT_LIMITS, with CABLEGRAPH_MAX_DEPTH, _MAX_COST, _MAX_TOKENS and _REQUEST_TIMEOUT_MS applied. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return env[name] && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    maxDepth: read('CABLEGRAPH_MAX_DEPTH', DEFAULT_LIMITS.maxDepth),
    maxCost: read('CABLEGRAPH_MAX_COST', DEFAULT_LIMITS.maxCost),
    maxTokens: read('CABLEGRAPH_MAX_TOKENS', DEFAULT_LIMITS.maxTokens),
    timeoutMs: read('CABLEGRAPH_REQUEST_TIMEOUT_MS', DEFAULT_LIMITS.timeoutMs),
  };
}

interface OperationToCheck {
  schema: Parameters<typeof validate>[0];
  document: Parameters<typeof validate>[1];
  contextValue: unknown;
  variableValues?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
}

/** Why the operation is refused (depth, cost, page size), or nothing. Depends on its variables. */
export function refusals(operation: OperationToCheck, limits: Limits): readonly GraphQLError[] {
  const rule = createComplexityRule({
    context: operation.contextValue as object,
    variableValues: operation.variableValues ?? {},
    ...(operation.operationName ? { operationName: operation.operationName } : {}),
    validate: ({ depth, complexity }, report) => {
      if (depth > limits.maxDepth) {
        report(
          userError(
            ERROR_CODES.queryTooDeep,
            `The query nests ${depth} fields deep; the limit is ${limits.maxDepth} (every field counts, edges and node included).`,
            { depth, maxDepth: limits.maxDepth },
          ),
        );
      } else if (complexity > limits.maxCost) {
        report(
          userError(
            ERROR_CODES.queryTooCostly,
            `The query's estimated cost is ${complexity}, above the budget of ${limits.maxCost}: a list's page size (first, default 20) multiplies the cost of what it selects, so ask for smaller pages or nest fewer lists.`,
            { cost: complexity, maxCost: limits.maxCost },
          ),
        );
      }
    },
  });
  return validate(operation.schema, operation.document, [rule]);
}

function timeoutError(limits: Limits): GraphQLError {
  return userError(ERROR_CODES.timeout, `The request ran past its time limit of ${limits.timeoutMs / 1000} s and was stopped.`, {
    timeoutMs: limits.timeoutMs,
  });
}

/**
 * The longest string argument taken, in characters: a search, a name filter or an id is a few
 * words; a longer one is a mistake or an attack (a 10,000-word search would be parsed and planned
 * by the database before anything could refuse it).
 */
export const MAX_TEXT_ARGUMENT = 2_000;

function textProblem(text: string): string | null {
  // PostgreSQL text cannot hold U+0000: refused here with a clear error rather than there.
  if (text.includes('\u0000')) return 'a text argument contains a NUL character (U+0000), which no cable text holds';
  if (text.length > MAX_TEXT_ARGUMENT) return `a text argument is ${text.length} characters long, above the limit of ${MAX_TEXT_ARGUMENT}`;
  return null;
}

// Yoga hands out one DocumentNode per query text: its strings are looked at once.
const documentProblems = new WeakMap<DocumentNode, string | null>();

function documentTextProblem(document: DocumentNode): string | null {
  let problem = documentProblems.get(document);
  if (problem !== undefined) return problem;
  problem = null;
  visit(document, {
    StringValue(node) {
      problem ??= textProblem(node.value);
    },
  });
  documentProblems.set(document, problem);
  return problem;
}

/** What is wrong with the strings a request passes (inline or as variables), if anything. */
export function textArgumentProblem(document: DocumentNode, variables: unknown): string | null {
  let problem = documentTextProblem(document);
  const walk = (value: unknown): void => {
    if (problem) return;
    if (typeof value === 'string') problem = textProblem(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(variables);
  return problem;
}

/**
 * What the refusals of an operation depend on, as a string: the operation's name, and the values of
 * its variables with those of type String (lists of them included) reduced to their shape (`""`, or
 * a list of as many). Costs read page sizes, limits and the length of an id list, never the text of
 * a String argument, so `cable(ref: $ref) { … }` is checked once whichever cable it asks for. IDs
 * are kept whole: the cost of `nodes(ids:)` is worked out from the decoded ids, and an id that does
 * not decode is refused there. Null when the operation cannot be told (several, none named): then
 * nothing is cached.
 */
export function refusalKey(document: DocumentNode, operationName: string | null | undefined, variables: unknown): string | null {
  const operation = operationOf(document, operationName);
  if (!operation) return null;
  const values = (variables && typeof variables === 'object' ? variables : {}) as Record<string, unknown>;
  const parts: unknown[] = [operationName ?? ''];
  for (const definition of operation.variableDefinitions ?? []) {
    let type = definition.type;
    while (type.kind !== Kind.NAMED_TYPE) type = type.type;
    const value = values[definition.variable.name.value];
    const text = type.name.value === 'String';
    parts.push(text ? shapeOf(value) : value === undefined ? null : value);
  }
  return JSON.stringify(parts);
}

/** A String variable's value with each string replaced by "" (anything else kept). */
function shapeOf(value: unknown): unknown {
  if (typeof value === 'string') return '';
  if (Array.isArray(value)) return value.map(shapeOf);
  return value === undefined ? null : value;
}

/** Refusal results kept per document, at most this many variable shapes each (then no more are kept). */
const KEYS_PER_DOCUMENT = 256;

export function useLimits(limits: Limits): Plugin {
  // Yoga hands out one DocumentNode per query text, so an operation is checked once per shape of
  // its variables (the costs depend on arguments only, never on the request's context).
  const checked = new WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>();
  const check = (operation: OperationToCheck) => {
    const key = refusalKey(operation.document, operation.operationName, operation.variableValues);
    if (key === null) return refusals(operation, limits);
    let byKey = checked.get(operation.document);
    if (!byKey) checked.set(operation.document, (byKey = new Map()));
    let refused = byKey.get(key);
    if (!refused) {
      refused = refusals(operation, limits);
      if (byKey.size < KEYS_PER_DOCUMENT) byKey.set(key, refused);
    }
    return refused;
  };
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens: limits.maxTokens }));
    },
    // Checked per execution, not as a validation rule: yoga caches validation by document, and the
    // cost depends on the variables (`first: $n`).
    onExecute({ args, setResultAndStopExecution }) {
      const refused = check(args);
      if (refused.length > 0) {
        setResultAndStopExecution({ errors: refused });
        return;
      }
      const textProblem = textArgumentProblem(args.document, args.variableValues);
      if (textProblem) {
        setResultAndStopExecution({ errors: [userError(ERROR_CODES.badUserInput, textProblem)] });
        return;
      }
      // The executor stops resolving fields once the signal fires: at the deadline, or when the
      // client goes away. One controller fed by both: AbortSignal.any leaks on Node 20 (every
      // composite signal stayed reachable, ~35 KB a request).
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(timeoutError(limits)), limits.timeoutMs);
      timer.unref();
      const clientGone = (args.contextValue as { request?: Request }).request?.signal;
      const onClientGone = () => stop.abort(clientGone?.reason);
      clientGone?.addEventListener('abort', onClientGone, { once: true });
      (args as { signal?: AbortSignal }).signal = stop.signal;
      return {
        onExecuteDone() {
          clearTimeout(timer);
          clientGone?.removeEventListener('abort', onClientGone);
        },
      };
    },
  };
}
