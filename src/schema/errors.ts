// Errors a client is meant to read: each carries a stable `extensions.code`. Anything else thrown
// in a resolver is masked by yoga ("Unexpected error.") and logged.
import { GraphQLError } from 'graphql';

export const ERROR_CODES = {
  /** An argument or filter value the API cannot use (bad date, unknown enum text, empty query). */
  badUserInput: 'BAD_USER_INPUT',
  /** A global id that does not decode, or names a type the field does not accept. */
  invalidId: 'INVALID_ID',
  /** A pagination cursor that does not decode. */
  badCursor: 'BAD_CURSOR',
  /** `first`/`last` above the page cap. */
  pageTooLarge: 'PAGE_TOO_LARGE',
  /** The query nests deeper than allowed. */
  queryTooDeep: 'QUERY_TOO_DEEP',
  /** The query's estimated cost is above the limit. */
  queryTooCostly: 'QUERY_TOO_COSTLY',
  /** The request ran past its time limit. */
  timeout: 'TIMEOUT',
  /** The database could not be reached or failed; retrying later may help. */
  databaseUnavailable: 'DATABASE_UNAVAILABLE',
  /** No API key, or one that is unknown or revoked, while the service requires keys (HTTP 401). */
  unauthenticated: 'UNAUTHENTICATED',
  /** The caller's key (or address) spent its request budget; retry after `retryAfterSeconds` (HTTP 429). */
  rateLimited: 'RATE_LIMITED',
  /** A GET, or a POST that is not JSON, without the CSRF header `x-graphql-yoga-csrf` (HTTP 403). */
  csrfHeaderRequired: 'CSRF_HEADER_REQUIRED',
  /** The request body is above the size limit (HTTP 413); yoga's own code, listed so it stays documented. */
  requestTooLarge: 'REQUEST_ENTITY_TOO_LARGE',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export function userError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}
