// The GraphQL server as a fetch handler: no port here (tests call yoga.fetch, main.ts listens).
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';

import { observeStatements } from './db/connect.ts';
import type { Database } from './db/schema.ts';
import { createContext, type Context } from './resolvers/context.ts';
import { schema } from './schema/index.ts';
import { maskedErrors } from './server/errors.ts';
import { limitsFromEnv, useLimits, type Limits } from './server/limits.ts';
import { ServerMetrics, useMetrics } from './server/metrics.ts';

export const EXAMPLE_QUERY = `# Cablegraph: a knowledge graph over US diplomatic cables.
# Press the run button to walk a cable, its paragraphs and its references.

query CableWithParagraphs {
  cable(ref: "03OTTAWA692") {
    ref
    date
    classification
    subject
    tags
    classifiedBy { name title }
    paragraphs {
      totalCount
      nodes { number classification text }
    }
    references {
      nodes { bullet ref cable { subject } }
    }
    referencedBy { totalCount nodes { ref subject } }
  }
  cables(first: 5, filter: { tag: "CA" }) {
    totalCount
    edges { cursor node { ref date subject } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

export interface ServerOptions {
  db: Kysely<Database>;
  /** Where unexpected errors are logged (with their stack; clients see "Unexpected error."). */
  logger?: Logger;
  /** Depth, cost, size and time limits; defaults from the environment (see limitsFromEnv). */
  limits?: Partial<Limits>;
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
  const metrics = new ServerMetrics();
  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: ({ request }) => createContext(observeStatements(options.db, metrics.statementObserver(request))),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: false as unknown as string,
    landingPage: false,
    graphiql: { title: 'Cablegraph', defaultQuery: EXAMPLE_QUERY },
    logging: options.logger ?? false,
    maskedErrors: maskedErrors(options.logger),
    plugins: [useMetrics(metrics), healthCheck(options.db), useLimits(limits)],
  });
}
