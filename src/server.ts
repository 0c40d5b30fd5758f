// The GraphQL server as a fetch handler: no port here (tests call yoga.fetch, main.ts listens).
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';

import type { ApiKeyRecord } from './db/api-keys.ts';
import { observeStatements, readerDatabase } from './db/connect.ts';
import type { Database } from './db/schema.ts';
import { createContext, type Context } from './resolvers/context.ts';
import { keyAccess, type Access } from './extract/markings.ts';
import { schema } from './schema/index.ts';
import {
  abuseLimitsFromEnv,
  corsOption,
  RateLimiter,
  useBodySizeLimit,
  useCsrfPrevention,
  type AbuseLimits,
} from './server/abuse-limits.ts';
import { apiKeyOf, apiKeyOptionsFromEnv, useApiKeys, type ApiKeyOptions } from './server/auth.ts';
import { maskedErrors } from './server/errors.ts';
import { useJitExecution } from './server/jit.ts';
import { limitsFromEnv, useLimits, type Limits } from './server/limits.ts';
import { ServerMetrics, useMetrics, type MetricsSource } from './server/metrics.ts';

export const EXAMPLE_QUERY = `# Cablegraph: a knowledge graph over US diplomatic cables.
# Three example operations; pick one with the run button's menu.
#  - Analyst: walk a cable to its paragraphs, the people named there and their other cables.
#  - Dashboard: cables per year and the most-named people.
#  - Notebook: a person's neighbourhood as nodes and edges, ready for networkx or Gephi.

query Analyst {
  cable(ref: "03OTTAWA692") {
    ref
    date
    classification
    subject
    tags
    classifiedBy { name title person { name } }
    paragraphs(first: 10) {
      totalCount
      nodes {
        number
        classification
        text
        persons(first: 10) {
          nodes { id name titles { title } cables(first: 5) { totalCount nodes { ref subject } } }
        }
      }
    }
    references { nodes { bullet ref cable { subject } } }
    referencedBy { totalCount nodes { ref subject } }
  }
  search(query: "prime minister", first: 5) {
    totalCount
    nodes { snippet cable { ref } paragraph { number } }
  }
}

query Dashboard {
  timeline(interval: YEAR) { start count }
  topEntities(kind: PERSON, first: 10) { label count }
  cables(first: 5, filter: { topic: "CA" }, orderBy: DATE_DESC) {
    totalCount
    edges { cursor node { ref date subject } }
    pageInfo { hasNextPage endCursor }
  }
}

query Notebook {
  persons(first: 1) {
    nodes {
      name
      neighborhood: coMentioned(first: 10) { person { id name } paragraphs cables }
    }
  }
  coMentionNetwork(first: 50) {
    nodes { id kind label }
    edges { source target kind weight }
  }
}
`;

/**
 * What a key lets its holder see; no key (the open service) sees everything.
 */
function accessOfKey(key: ApiKeyRecord | null): Access | null {
  if (!key) return null;
  return keyAccess(key.clearance, key.noforn);
}

export interface ServerOptions {
  db: Kysely<Database>;
  /** Where unexpected errors are logged (with their stack; clients see "Unexpected error."). */
  logger?: Logger;
  /** Depth, cost, size and time limits; defaults from the environment (see limitsFromEnv). */
  limits?: Partial<Limits>;
  /** Rate, body size, CSRF, introspection, GraphiQL and CORS; defaults from the environment (see abuseLimitsFromEnv). */
  abuse?: Partial<AbuseLimits>;
  /** How long key lookups are cached, and a clock for tests; defaults from the environment (see apiKeyOptionsFromEnv). */
  apiKeys?: Partial<Pick<ApiKeyOptions, 'cacheMs' | 'touchIntervalMs' | 'now'>>;
  /** Where the request metrics are recorded; a new registry when absent. */
  metrics?: ServerMetrics;
  /** What /metrics answers: by default `metrics`' own registry (a cluster worker asks the primary for all workers'). */
  metricsSource?: MetricsSource;
}

/** `/health`: 200 when the database answers, 503 otherwise. */
function healthCheck(db: Kysely<Database>): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/health') return;
      try {
        await sql`select 1`.execute(db);
        endResponse(fetchAPI.Response.json({ status: 'ok' }));
      } catch (error) {
        endResponse(
          fetchAPI.Response.json(
            { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) },
            { status: 503 },
          ),
        );
      }
    },
  };
}

export function createServer(options: ServerOptions): YogaServerInstance<Record<string, unknown>, Context> {
  const limits = { ...limitsFromEnv(), ...options.limits };
  const abuse = { ...abuseLimitsFromEnv(), ...options.abuse };
  const metrics = options.metrics ?? new ServerMetrics();
  const rateLimiter = abuse.ratePerSecond > 0 ? new RateLimiter(abuse.ratePerSecond, abuse.burst) : null;
  return createYoga<Record<string, unknown>, Context>({
    schema,
    // What the caller may see is decided here, once: the database handle it gets reads through
    // the views of its clearance (src/db/visibility.ts), whatever the resolvers ask.
    context: ({ request }) => {
      const access = accessOfKey(apiKeyOf(request));
      return createContext(observeStatements(readerDatabase(options.db, access), metrics.statementObserver(request)), access);
    },
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: false as unknown as string,
    landingPage: false,
    graphiql: abuse.graphiql ? { title: 'Cablegraph', defaultQuery: EXAMPLE_QUERY } : false,
    cors: corsOption(abuse.corsOrigins),
    // Checked by useBodySizeLimit, last of the plugins, as yoga would.
    maxRequestBodySize: false,
    logging: options.logger ?? false,
    maskedErrors: maskedErrors(options.logger),
    plugins: [
      // Refusals that need no database first; the key plugin answers /metrics before useMetrics does.
      ...(abuse.csrfPrevention ? [useCsrfPrevention()] : []),
      useApiKeys(options.db, {
        ...apiKeyOptionsFromEnv(),
        ...options.apiKeys,
        rateLimiter,
        trustProxy: abuse.trustProxy,
        logger: options.logger,
      }),
      useMetrics(metrics, options.metricsSource),
      healthCheck(options.db),
      ...(abuse.introspection ? [] : [useDisableIntrospection()]),
      useLimits(limits),
      useBodySizeLimit(abuse.maxBodyBytes),
      // After useLimits: its checks come first and its signal is set when the compiled operation runs.
      useJitExecution(),
    ],
  });
}
