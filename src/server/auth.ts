// Who is asking. With no active API key the service is open (a local analyst's tool); once one
// exists, every GraphQL request and /metrics need `Authorization: Bearer <key>`, and anything else
// gets 401 with `WWW-Authenticate: Bearer` and UNAUTHENTICATED. /health and the GraphiQL page
// itself stay open (the page holds no data; its queries need the key like any other).
//
// Lookups are cached for `cacheMs` (5 s by default), so that a request does not cost a query: a
// key revoked with `cablegraph keys revoke`, or the first key created while the server runs, takes
// effect within that time. `last_used_at` is written at most once per `touchIntervalMs` per key.
//
// The request rate is charged here because this is where the caller becomes known: to its key,
// or to its client address while the service is open. A failed key lookup is charged to the
// address too, and an address whose bucket is empty is refused before its key is looked up, so
// that guessing keys costs the database no more than the rate allows.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Kysely } from 'kysely';

import { findActiveKey, hashKey, hasActiveKeys, touchApiKey, type ApiKeyRecord } from '../db/api-keys.ts';
import type { Database } from '../db/schema.ts';
import { ERROR_CODES, userError } from '../schema/errors.ts';
import { rateLimitedError, type RateLimiter } from './abuse-limits.ts';
import { isDatabaseUnavailable } from './errors.ts';
import { METRICS_PATH } from './metrics.ts';

export interface ApiKeyOptions {
  /** How long a key lookup, and whether any key is active, are trusted, in milliseconds (0: not cached). */
  cacheMs: number;
  /** Least time between two writes of one key's `last_used_at`, in milliseconds. */
  touchIntervalMs: number;
  /** Charged once per request; none: no rate limit. */
  rateLimiter?: RateLimiter | null | undefined;
  /** Take the client address from the last X-Forwarded-For entry (one reverse proxy in front). */
  trustProxy?: boolean | undefined;
  logger?: Logger | undefined;
  /** The clock, in milliseconds since the epoch (tests move it). */
  now?: (() => number) | undefined;
}

export const DEFAULT_API_KEY_OPTIONS: ApiKeyOptions = { cacheMs: 5_000, touchIntervalMs: 60_000 };

/** DEFAULT_API_KEY_OPTIONS with CABLEGRAPH_KEY_CACHE_MS applied. */
export function apiKeyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<ApiKeyOptions, 'cacheMs'> {
  const text = env.CABLEGRAPH_KEY_CACHE_MS?.trim();
  if (!text) return { cacheMs: DEFAULT_API_KEY_OPTIONS.cacheMs };
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`CABLEGRAPH_KEY_CACHE_MS: "${text}" is not a number of milliseconds`);
  return { cacheMs: value };
}

const keyOfRequest = new WeakMap<Request, ApiKeyRecord>();

/** The key a request was made with, or null when the service is open (or the request was refused). */
export function apiKeyOf(request: Request): ApiKeyRecord | null {
  return keyOfRequest.get(request) ?? null;
}

/** The address a request came from, when there is one (requests made in-process have none). */
export function clientAddress(request: Request, serverContext: unknown, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = request.headers
      .get('x-forwarded-for')
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (forwarded?.length) return forwarded[forwarded.length - 1]!;
  }
  const socket = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket;
  return socket?.remoteAddress ?? null;
}

const REALM = 'Bearer realm="cablegraph"';

function unauthenticated(message: string, invalidToken: boolean): GraphQLError {
  return userError(ERROR_CODES.unauthenticated, message, {
    http: { status: 401, headers: { 'WWW-Authenticate': invalidToken ? `${REALM}, error="invalid_token"` : REALM } },
  });
}

interface Cached<T> {
  value: T;
  until: number;
}

/** Key lookups and "is any key active", each trusted for `cacheMs`; concurrent misses share one query. */
class KeyCache {
  #required: Cached<boolean> | undefined;
  #requiredPending: Promise<boolean> | undefined;
  readonly #found = new Map<string, Cached<ApiKeyRecord | null>>();
  readonly #pending = new Map<string, Promise<ApiKeyRecord | null>>();
  readonly #touched = new Map<number, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: ApiKeyOptions & { now: () => number },
  ) {}

  required(): Promise<boolean> | boolean {
    if (this.#required && this.#required.until > this.options.now()) return this.#required.value;
    this.#requiredPending ??= hasActiveKeys(this.db)
      .then((value) => {
        this.#required = { value, until: this.options.now() + this.options.cacheMs };
        return value;
      })
      .finally(() => {
        this.#requiredPending = undefined;
      });
    return this.#requiredPending;
  }

  /** The cached answer for `key`: a record, null (known bad), or undefined (not cached). */
  peek(hash: string): ApiKeyRecord | null | undefined {
    const cached = this.#found.get(hash);
    return cached && cached.until > this.options.now() ? cached.value : undefined;
  }

  find(key: string, hash: string): Promise<ApiKeyRecord | null> {
    let pending = this.#pending.get(hash);
    if (!pending) {
      pending = findActiveKey(this.db, key)
        .then((record) => {
          // Random guesses must not grow the cache without bound.
          if (this.#found.size >= 10_000) this.#prune();
          this.#found.set(hash, { value: record, until: this.options.now() + this.options.cacheMs });
          return record;
        })
        .finally(() => this.#pending.delete(hash));
      this.#pending.set(hash, pending);
    }
    return pending;
  }

  #prune() {
    const now = this.options.now();
    for (const [hash, cached] of this.#found) if (cached.until <= now) this.#found.delete(hash);
    if (this.#found.size >= 10_000) this.#found.clear();
  }

  async touch(record: ApiKeyRecord): Promise<void> {
    const now = this.options.now();
    const last = this.#touched.get(record.id);
    if (last !== undefined && now - last < this.options.touchIntervalMs) return;
    this.#touched.set(record.id, now);
    try {
      await touchApiKey(this.db, record.id, new Date(now));
    } catch (error) {
      this.options.logger?.warn({ err: error, key: record.id }, 'could not record when an API key was last used');
    }
  }
}

function errorResponse(error: GraphQLError, fetchAPI: { Response: typeof Response }): Response {
  const { http, ...extensions } = error.extensions;
  return fetchAPI.Response.json(
    { errors: [{ message: error.message, extensions }] },
    { status: http?.status ?? 500, headers: http?.headers ?? {} },
  );
}

export function useApiKeys(db: Kysely<Database>, options: Partial<ApiKeyOptions> = {}): Plugin {
  const settings = { ...DEFAULT_API_KEY_OPTIONS, ...options, now: options.now ?? Date.now };
  // The key checks are the server's own statements, not a request's: they run on the handle
  // without the plugins a caller put on it for requests (statement observers, fault injection).
  const keys = new KeyCache(db.withoutPlugins(), settings);
  const limiter = settings.rateLimiter ?? null;

  const charge = (caller: string, who: string) => {
    if (!limiter) return;
    const wait = limiter.take(caller);
    if (wait > 0) throw rateLimitedError(limiter, wait, who);
  };

  /** Records the request's key, or throws UNAUTHENTICATED or RATE_LIMITED. */
  const identify = async (request: Request, serverContext: unknown): Promise<void> => {
    const address = clientAddress(request, serverContext, Boolean(settings.trustProxy));
    if (!(await keys.required())) {
      // Requests made in-process have no address and nothing to share a bucket with.
      if (address) charge(`address:${address}`, `address ${address}`);
      return;
    }
    const credentials = request.headers.get('authorization');
    if (!credentials) {
      throw unauthenticated(
        'This service requires an API key: send it as "Authorization: Bearer <key>" (an administrator creates one with `cablegraph keys create`).',
        false,
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials);
    if (!match) throw unauthenticated('The Authorization header is not of the form "Bearer <key>".', true);
    const key = match[1]!;
    const hash = hashKey(key);
    let record = keys.peek(hash);
    if (record === undefined) {
      if (limiter && address) {
        const wait = limiter.wait(`address:${address}`);
        if (wait > 0) throw rateLimitedError(limiter, wait, `address ${address}`);
      }
      record = await keys.find(key, hash);
    }
    if (!record) {
      if (limiter && address) limiter.take(`address:${address}`);
      throw unauthenticated('The API key is unknown or has been revoked.', true);
    }
    keyOfRequest.set(request, record);
    await keys.touch(record);
    charge(`key:${record.id}`, `key "${record.name}"`);
  };

  return {
    // /metrics answers in onRequest, before any GraphQL parsing: this plugin goes before useMetrics.
    async onRequest({ request, url, serverContext, fetchAPI, endResponse }) {
      if (url.pathname !== METRICS_PATH) return;
      try {
        await identify(request, serverContext);
      } catch (error) {
        if (error instanceof GraphQLError) endResponse(errorResponse(error, fetchAPI));
        else if (isDatabaseUnavailable(error)) {
          settings.logger?.warn({ err: error }, 'database unavailable');
          endResponse(
            errorResponse(
              userError(ERROR_CODES.databaseUnavailable, 'The database is unavailable; try again later.', { http: { status: 503 } }),
              fetchAPI,
            ),
          );
        } else throw error;
      }
    },
    async onRequestParse({ request, serverContext }) {
      await identify(request, serverContext);
    },
  };
}
