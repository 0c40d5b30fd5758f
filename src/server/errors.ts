// What a client sees of an error: its own mistakes pass through with their `extensions.code`, a
// database that cannot be reached becomes DATABASE_UNAVAILABLE (retrying later may help), and
// anything else is masked as "Unexpected error." and logged with its stack.
import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type YogaMaskedErrorOpts } from 'graphql-yoga';
import type { Logger } from 'pino';

import { ERROR_CODES } from '../schema/errors.ts';

// Socket errors from Node, and SQLSTATEs of class 08 (connection exception), 57P01–57P03 (admin or
// crash shutdown, cannot connect now) and 53300 (too many connections).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

// Errors pg, its pool, PGlite and Kysely raise without a code once the connection is gone.
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed|driver has already been destroyed/i;

/** SQLSTATE 57014 is also a user's cancel; `statement_timeout` says so in its message. */
const STATEMENT_TIMEOUT = '57014';

function causes(error: unknown, seen = new Set<unknown>()): unknown[] {
  if (error === null || typeof error !== 'object' || seen.has(error)) return [];
  seen.add(error);
  const found: unknown[] = [error];
  const { cause, errors, originalError } = error as { cause?: unknown; errors?: unknown; originalError?: unknown };
  for (const inner of [cause, originalError, ...(Array.isArray(errors) ? errors : [])]) found.push(...causes(inner, seen));
  return found;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A connection to the database that failed or could not be made, rather than a bad statement. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some((inner) => {
    const code = codeOf(inner);
    if (code && UNAVAILABLE_CODES.has(code)) return true;
    return inner instanceof Error && UNAVAILABLE_MESSAGES.test(inner.message);
  });
}

/** PostgreSQL cancelled a statement that ran past `statement_timeout`. */
export function isStatementTimeout(error: unknown): boolean {
  return causes(error).some(
    (inner) => codeOf(inner) === STATEMENT_TIMEOUT && inner instanceof Error && /statement timeout/i.test(inner.message),
  );
}

function relocated(error: unknown, message: string, code: string): GraphQLError {
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(message, {
    ...(located?.nodes ? { nodes: located.nodes } : {}),
    ...(located?.path ? { path: located.path } : {}),
    extensions: { code },
  });
}

export function maskedErrors(logger: Logger | undefined): YogaMaskedErrorOpts {
  return {
    errorMessage: 'Unexpected error.',
    maskError(error, message, isDev) {
      const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
      if (isDatabaseUnavailable(original)) {
        logger?.warn({ err: original }, 'database unavailable');
        return relocated(error, 'The database is unavailable; try again later.', ERROR_CODES.databaseUnavailable);
      }
      if (isStatementTimeout(original)) {
        return relocated(error, 'A database statement ran past its time limit and was cancelled.', ERROR_CODES.timeout);
      }
      const masked = yogaMaskError(error, message, isDev);
      if (masked !== error) {
        const path = error instanceof GraphQLError ? error.path?.join('.') : undefined;
        logger?.error({ err: original, path }, 'unexpected error while serving a request');
      }
      return masked;
    },
  };
}
