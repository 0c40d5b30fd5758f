// The GraphQL server as a fetch handler: no port here (tests call yoga.fetch, main.ts listens).
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';

import type { Database } from './db/schema.ts';
import { createContext, type Context } from './resolvers/context.ts';
import { schema } from './schema/index.ts';

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
  logger?: Logger;
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
  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: () => createContext(options.db),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: false as unknown as string,
    landingPage: false,
    graphiql: { title: 'Cablegraph', defaultQuery: EXAMPLE_QUERY },
    logging: options.logger ?? false,
    plugins: [healthCheck(options.db)],
  });
}
