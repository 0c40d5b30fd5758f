// What keeps one caller from swamping the service, and a browser page from using it behind its
// user's back: a request rate per API key (per client address while the service is open), a
// bounded request body, CSRF prevention, CORS origins, and introspection and GraphiQL that a
// production deployment switches off. Depth, cost and time limits are in limits.ts.
import { IncomingMessage } from 'node:http';

import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError } from 'graphql';
import { createGraphQLError, type CORSOptions, type Plugin } from 'graphql-yoga';

import { ERROR_CODES, userError } from '../schema/errors.ts';

export interface AbuseLimits {
  /** Requests a second one key (or one client address, while the service is open) may make on average; 0 for no limit. */
  ratePerSecond: number;
  /** Requests it may make in a row after a quiet spell (the size of its token bucket). */
  burst: number;
  /** Largest request body yoga reads, in bytes (413 above). */
  maxBodyBytes: number;
  /**
   * Refuse GET requests and simple POSTs (text/plain, forms) that lack an `x-graphql-yoga-csrf`
   * header: a browser sends those cross-site without asking the server first.
   */
  csrfPrevention: boolean;
  /** Answer `__schema` and `__type` queries. */
  introspection: boolean;
  /** Serve GraphiQL at /graphql to browsers. */
  graphiql: boolean;
  /** Origins whose pages may call the API from a browser: [] none but the server's own, ['*'] any. */
  corsOrigins: string[];
  /** Take a client's address from the last X-Forwarded-For entry (the service sits behind one reverse proxy). */
  trustProxy: boolean;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = {
  ratePerSecond: 20,
  burst: 100,
  maxBodyBytes: 100_000,
  csrfPrevention: true,
  introspection: true,
  graphiql: true,
  corsOrigins: [],
  trustProxy: false,
};

function readNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: "${text}" is not a number of 0 or more`);
  return value;
}

function readSwitch(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name]?.trim().toLowerCase();
  if (!text) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new Error(`${name}: "${env[name]}" is not a switch (use 1 or 0)`);
}

/**
 * DEFAULT_ABUSE_LIMITS with the environment applied: CABLEGRAPH_RATE_LIMIT, _RATE_BURST,
 * _MAX_BODY_BYTES, _CSRF_PREVENTION, _INTROSPECTION, _GRAPHIQL, _CORS_ORIGINS (comma-separated)
 * and _TRUST_PROXY. CABLEGRAPH_PRODUCTION=1 turns introspection and GraphiQL off unless their own
 * variables turn them on. A value that cannot be read is an error naming its variable, so that a
 * typo never leaves a protection off silently.
 */
export function abuseLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): AbuseLimits {
  const production = readSwitch(env, 'CABLEGRAPH_PRODUCTION', false);
  return {
    ratePerSecond: readNumber(env, 'CABLEGRAPH_RATE_LIMIT', DEFAULT_ABUSE_LIMITS.ratePerSecond),
    burst: Math.max(1, readNumber(env, 'CABLEGRAPH_RATE_BURST', DEFAULT_ABUSE_LIMITS.burst)),
    maxBodyBytes: readNumber(env, 'CABLEGRAPH_MAX_BODY_BYTES', DEFAULT_ABUSE_LIMITS.maxBodyBytes),
    csrfPrevention: readSwitch(env, 'CABLEGRAPH_CSRF_PREVENTION', DEFAULT_ABUSE_LIMITS.csrfPrevention),
    introspection: readSwitch(env, 'CABLEGRAPH_INTROSPECTION', !production),
    graphiql: readSwitch(env, 'CABLEGRAPH_GRAPHIQL', !production),
    corsOrigins: (env.CABLEGRAPH_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: readSwitch(env, 'CABLEGRAPH_TRUST_PROXY', DEFAULT_ABUSE_LIMITS.trustProxy),
  };
}

/**
 * Yoga's `cors` option. With no origin listed the server sends no CORS headers at all, so a page
 * from elsewhere can neither read answers nor send JSON (its preflight is refused); yoga's own
 * default would let any page read them through its visitor's browser. Keys travel in a header,
 * never a cookie, so no credentials are allowed cross-origin.
 */
export function corsOption(origins: readonly string[]): CORSOptions {
  if (origins.length === 0) return false;
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    credentials: false,
    allowedHeaders: ['authorization', 'content-type', CSRF_HEADER, 'x-cablegraph-debug'],
    exposedHeaders: ['retry-after', 'www-authenticate'],
    methods: ['GET', 'POST'],
  };
}

interface Bucket {
  tokens: number;
  /** performance.now() when `tokens` was counted. */
  at: number;
}

/**
 * Token buckets in memory, one per caller: each holds up to `burst` tokens, refills at
 * `ratePerSecond`, and a request takes one. A full bucket is the same as none, so full buckets are
 * dropped once there are many, and memory stays bounded by the callers active in the last
 * `burst / ratePerSecond` seconds. Per process: several server processes each allow the rate.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  #sweepAbove = 10_000;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  #bucket(caller: string): Bucket {
    const now = this.now();
    let bucket = this.#buckets.get(caller);
    if (!bucket) {
      if (this.#buckets.size >= this.#sweepAbove) this.#sweep(now);
      this.#buckets.set(caller, (bucket = { tokens: this.burst, at: now }));
      return bucket;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    return bucket;
  }

  #sweep(now: number) {
    for (const [caller, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond >= this.burst) this.#buckets.delete(caller);
    }
    // Sweeping again only once the map has doubled keeps the cost of sweeps linear in insertions.
    this.#sweepAbove = Math.max(10_000, this.#buckets.size * 2);
  }

  /** Seconds until `caller` has a token, or 0 when it has one now. */
  wait(caller: string): number {
    const bucket = this.#bucket(caller);
    return bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / this.ratePerSecond;
  }

  /** Takes a token from `caller`'s bucket: 0 when taken, otherwise the seconds until one is there (nothing taken). */
  take(caller: string): number {
    const bucket = this.#bucket(caller);
    if (bucket.tokens < 1) return (1 - bucket.tokens) / this.ratePerSecond;
    bucket.tokens -= 1;
    return 0;
  }

  /** Buckets held (full ones are dropped only once there are many). */
  get size(): number {
    return this.#buckets.size;
  }
}

export function rateLimitedError(limiter: RateLimiter, waitSeconds: number, who: string): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(waitSeconds));
  return userError(
    ERROR_CODES.rateLimited,
    `Too many requests from ${who}: the limit is ${limiter.ratePerSecond} a second on average, ${limiter.burst} in a row; retry in ${retryAfter} s.`,
    { retryAfterSeconds: retryAfter, http: { status: 429, headers: { 'Retry-After': String(retryAfter) } } },
  );
}

/** The header a GET or simple POST must carry (any value); a browser cannot add one cross-site without asking first. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** yoga's CSRF prevention, its refusal (403) carrying a stable code and saying what to send. */
export function useCsrfPrevention(): Plugin {
  const plugin = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return plugin.onRequestParse?.(payload);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        throw userError(
          ERROR_CODES.csrfHeaderRequired,
          `A GET request, or a POST that is not JSON, must carry the header ${CSRF_HEADER} (any value): browsers send those cross-site without asking.`,
          { http: { status: 403 } },
        );
      }
    },
  };
}

/** Only a single non-negative integer is a Content-Length (several joined by commas are a smuggling attempt). */
const CONTENT_LENGTH = /^\d+$/;

function bodyTooLargeError(): GraphQLError {
  return createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
}

/**
 * yoga's request body size limit (its `maxRequestBodySize`, which the server turns off), with the
 * same refusals: 400 for a malformed Content-Length, 413 above the limit whether the body declares
 * its length or streams past it. A body Node's HTTP server read for a Content-Length it has
 * checked is not counted again: Node delivers no more than that length, and counting it through
 * a stream pipeline cost ~5% of a traversal's CPU time. Goes after every plugin that sets a
 * request parser (yoga's own are registered before any).
 */
export function useBodySizeLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, serverContext, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength != null) {
        if (!CONTENT_LENGTH.test(contentLength)) {
          throw createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
        }
        if (Number(contentLength) > limit) throw bodyTooLargeError();
        const node = (serverContext as { req?: unknown } | undefined)?.req;
        if (node instanceof IncomingMessage && request.headers.get('transfer-encoding') == null) return;
      }
      if (requestParser == null || request.body == null) return;
      const parse = requestParser;
      setRequestParser((parsed) => parse(limitedBody(parsed, limit, fetchAPI)));
    },
  };
}

/** `request` with a body that fails with 413 once more than `limit` bytes have come through. */
function limitedBody(request: Request, limit: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }) {
  // A native ReadableStream (a request made in-process) does not pipe into the ponyfill's TransformStream.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytesRead = 0;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytesRead += chunk.byteLength;
        if (bytesRead > limit) {
          controller.error(bodyTooLargeError());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: 'half',
  } as RequestInit);
}
