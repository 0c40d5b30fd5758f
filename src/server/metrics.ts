// Prometheus metrics at /metrics: GraphQL requests by operation and outcome, their latency, and
// the SQL statements they ran (N+1 shows as statements per request growing with page sizes).
// A request sent with `x-cablegraph-debug: statements` also gets its own count in the response's
// `extensions.sqlStatements`. Statements are counted on the database handed to each request's
// context (see statementObserver), so they are that request's own, whatever runs concurrently.
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

import { ERROR_CODES } from '../schema/errors.ts';

export const METRICS_PATH = '/metrics';
export const DEBUG_HEADER = 'x-cablegraph-debug';

export type Outcome = 'ok' | 'client_error' | 'refused' | 'timeout' | 'unavailable' | 'error';

// Operation names come from clients: only well-formed ones become label values, and only so many.
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const REFUSED = new Set<string>([
  ERROR_CODES.queryTooDeep,
  ERROR_CODES.queryTooCostly,
  ERROR_CODES.pageTooLarge,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
]);

// Worst first: a response with several errors is counted under the worst.
const SEVERITY: Outcome[] = ['error', 'unavailable', 'timeout', 'refused', 'client_error', 'ok'];

export function outcomeOf(errors: readonly { extensions?: Record<string, unknown> | undefined }[] | undefined): Outcome {
  let worst: Outcome = 'ok';
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    let outcome: Outcome;
    if (typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR') outcome = 'error';
    else if (code === ERROR_CODES.databaseUnavailable) outcome = 'unavailable';
    else if (code === ERROR_CODES.timeout) outcome = 'timeout';
    else if (REFUSED.has(code)) outcome = 'refused';
    else outcome = 'client_error';
    if (SEVERITY.indexOf(outcome) < SEVERITY.indexOf(worst)) worst = outcome;
  }
  return worst;
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'cablegraph_graphql_requests_total',
    help: 'GraphQL requests answered, by operation name and outcome (ok, client_error, refused, timeout, unavailable, error).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'cablegraph_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to its response being ready, by operation name.',
    labelNames: ['operation'] as const,
    buckets: [0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly statements = new Counter({
    name: 'cablegraph_sql_statements_total',
    help: 'SQL statements executed while serving requests.',
    registers: [this.registry],
  });
  readonly statementsPerRequest = new Histogram({
    name: 'cablegraph_graphql_request_sql_statements',
    help: 'SQL statements one GraphQL request executed, by operation name.',
    labelNames: ['operation'] as const,
    buckets: [0, 1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });
  readonly #operations = new Set<string>();
  readonly #requests = new WeakMap<Request, RequestRecord>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (!this.#operations.has(name)) {
      if (this.#operations.size >= MAX_OPERATION_LABELS) return 'other';
      this.#operations.add(name);
    }
    return name;
  }

  /** The record of one request, created when it arrives. */
  record(request: Request): RequestRecord {
    let record = this.#requests.get(request);
    if (!record) this.#requests.set(request, (record = { start: performance.now(), statements: 0 }));
    return record;
  }

  /** What to call for each SQL statement `request` executes. */
  statementObserver(request: Request): () => void {
    const record = this.record(request);
    return () => {
      record.statements++;
      this.statements.inc();
    };
  }
}

interface RequestRecord {
  start: number;
  statements: number;
  operation?: string;
  outcome?: Outcome;
}

/** The text /metrics answers with: this process's registry, or (in a cluster) all workers' summed. */
export type MetricsSource = () => Promise<{ text: string; contentType: string }>;

/** Serves /metrics and follows each GraphQL request; statements are counted by the context's database. */
export function useMetrics(metrics: ServerMetrics, source?: MetricsSource): Plugin {
  const read: MetricsSource =
    source ?? (async () => ({ text: await metrics.registry.metrics(), contentType: metrics.registry.contentType }));
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== METRICS_PATH) {
        metrics.record(request);
        return;
      }
      const { text, contentType } = await read();
      endResponse(new fetchAPI.Response(text, { headers: { 'content-type': contentType } }));
    },
    onParams({ request, params }) {
      metrics.record(request).operation = metrics.operationLabel(params.operationName);
    },
    onExecute({ args }) {
      // The name the document gives, when the request did not name the operation.
      if (!args.operationName) {
        const record = metrics.record((args.contextValue as { request: Request }).request);
        record.operation = metrics.operationLabel(getOperationAST(args.document)?.name?.value);
      }
    },
    onResultProcess({ request, result, setResult }) {
      if (Symbol.asyncIterator in result) return;
      const record = metrics.record(request);
      const results = Array.isArray(result) ? result : [result];
      record.outcome = outcomeOf(results.flatMap((one) => one.errors ?? []));
      const flags = request.headers.get(DEBUG_HEADER)?.split(',') ?? [];
      if (!Array.isArray(result) && flags.some((flag) => flag.trim() === 'statements')) {
        setResult({ ...result, extensions: { ...result.extensions, sqlStatements: record.statements } });
      }
    },
    onResponse({ request }) {
      const record = metrics.record(request);
      if (!record.outcome) return;
      const operation = record.operation ?? 'anonymous';
      metrics.requests.inc({ operation, outcome: record.outcome });
      metrics.duration.observe({ operation }, (performance.now() - record.start) / 1000);
      metrics.statementsPerRequest.observe({ operation }, record.statements);
    },
  };
}
