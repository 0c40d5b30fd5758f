// What keeps a caller from swamping the service and a web page from using it behind its user's
// back: request rates per key or client address, body size, CSRF prevention, the production
// switches for introspection and GraphiQL, and CORS origins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiKey, listApiKeys, revokeApiKey } from '../../src/db/api-keys.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { createServer } from '../../src/server.ts';
import { abuseLimitsFromEnv, DEFAULT_ABUSE_LIMITS, RateLimiter, type AbuseLimits } from '../../src/server/abuse-limits.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';

const QUERY = '{ cables(first: 1) { totalCount } }';

interface Body {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** What the Node adapter hands yoga as server context: the socket the request came on. */
function from(address: string) {
  return { req: { socket: { remoteAddress: address } } };
}

describe('RateLimiter', () => {
  it('lets a burst through, then one request per 1/rate seconds', () => {
    let clock = 0;
    const limiter = new RateLimiter(2, 3, () => clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBeCloseTo(0.5);
    expect(limiter.take('b')).toBe(0);
    clock += 250;
    expect(limiter.wait('a')).toBeCloseTo(0.25);
    clock += 250;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeCloseTo(0.5);
    clock += 60_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a') > 0]).toEqual([0, 0, 0, true]);
  });

  it('drops full buckets once it holds many', () => {
    let clock = 0;
    const limiter = new RateLimiter(10, 5, () => clock);
    for (let caller = 0; caller < 10_000; caller++) limiter.take(`address:${caller}`);
    expect(limiter.size).toBe(10_000);
    clock += 1_000;
    limiter.take('one more');
    expect(limiter.size).toBe(1);
  });
});

describe('abuse limits from the environment', () => {
  it('turns introspection and GraphiQL off in production unless asked for', () => {
    expect(abuseLimitsFromEnv({})).toEqual(DEFAULT_ABUSE_LIMITS);
    expect(abuseLimitsFromEnv({ CABLEGRAPH_PRODUCTION: '1' })).toMatchObject({
      introspection: false,
      graphiql: false,
      csrfPrevention: true,
    });
    expect(abuseLimitsFromEnv({ CABLEGRAPH_PRODUCTION: '1', CABLEGRAPH_GRAPHIQL: '1' })).toMatchObject({
      introspection: false,
      graphiql: true,
    });
    expect(
      abuseLimitsFromEnv({
        CABLEGRAPH_RATE_LIMIT: '0',
        CABLEGRAPH_RATE_BURST: '7',
        CABLEGRAPH_MAX_BODY_BYTES: '2048',
        CABLEGRAPH_CORS_ORIGINS: 'https://a.example, https://b.example',
        CABLEGRAPH_TRUST_PROXY: 'yes',
      }),
    ).toMatchObject({
      ratePerSecond: 0,
      burst: 7,
      maxBodyBytes: 2048,
      corsOrigins: ['https://a.example', 'https://b.example'],
      trustProxy: true,
    });
  });

  it('names the variable it cannot read rather than leave a protection off', () => {
    expect(() => abuseLimitsFromEnv({ CABLEGRAPH_CSRF_PREVENTION: 'of' })).toThrow(/CABLEGRAPH_CSRF_PREVENTION: "of"/);
    expect(() => abuseLimitsFromEnv({ CABLEGRAPH_RATE_LIMIT: 'fast' })).toThrow(/CABLEGRAPH_RATE_LIMIT/);
  });
});

describe.each(databaseKinds)('abuse limits on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const server = (abuse: Partial<AbuseLimits>) => createServer({ db: handle.db, abuse, apiKeys: { cacheMs: 0 } });
  const post = (
    yoga: ReturnType<typeof createServer>,
    headers: Record<string, string> = {},
    context?: object,
    body = JSON.stringify({ query: QUERY }),
  ) =>
    yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }, context ?? {});

  async function expectRateLimited(response: Response) {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const body = (await response.json()) as Body;
    expect(body.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
  }

  describe('while the service is open', () => {
    it('limits each client address, and leaves in-process requests alone', async () => {
      const yoga = server({ ratePerSecond: 0.01, burst: 2 });
      expect((await post(yoga, {}, from('198.51.100.7'))).status).toBe(200);
      expect((await post(yoga, {}, from('198.51.100.7'))).status).toBe(200);
      await expectRateLimited(await post(yoga, {}, from('198.51.100.7')));
      expect((await post(yoga, {}, from('198.51.100.8'))).status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await post(yoga)).status).toBe(200);
    });

    it('takes the address from X-Forwarded-For only behind a trusted proxy', async () => {
      const proxy = from('10.0.0.1');
      const trusting = server({ ratePerSecond: 0.01, burst: 1, trustProxy: true });
      expect((await post(trusting, { 'x-forwarded-for': '203.0.113.1, 198.51.100.1' }, proxy)).status).toBe(200);
      expect((await post(trusting, { 'x-forwarded-for': '203.0.113.1, 198.51.100.2' }, proxy)).status).toBe(200);
      await expectRateLimited(await post(trusting, { 'x-forwarded-for': '198.51.100.2' }, proxy));
      const direct = server({ ratePerSecond: 0.01, burst: 1 });
      expect((await post(direct, { 'x-forwarded-for': '198.51.100.3' }, proxy)).status).toBe(200);
      await expectRateLimited(await post(direct, { 'x-forwarded-for': '198.51.100.4' }, proxy));
    });
  });

  describe('with keys', () => {
    it('limits each key on its own, wherever it comes from', async () => {
      for (const record of await listApiKeys(handle.db)) if (!record.revokedAt) await revokeApiKey(handle.db, String(record.id));
      const first = await createApiKey(handle.db, { name: 'busy', clearance: 'CONFIDENTIAL', noforn: false });
      const second = await createApiKey(handle.db, { name: 'quiet', clearance: 'CONFIDENTIAL', noforn: false });
      try {
        const yoga = server({ ratePerSecond: 0.01, burst: 3 });
        const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
        for (let i = 0; i < 3; i++) expect((await post(yoga, bearer(first.key))).status).toBe(200);
        await expectRateLimited(await post(yoga, bearer(first.key), from('198.51.100.9')));
        expect((await post(yoga, bearer(second.key))).status).toBe(200);

        // Failed lookups are charged to the address, which is then refused before any lookup.
        const guess = `cg_${'B'.repeat(43)}`;
        const attacker = from('203.0.113.66');
        for (let i = 0; i < 3; i++) expect((await post(yoga, bearer(guess), attacker)).status).toBe(401);
        await expectRateLimited(await post(yoga, bearer(guess), attacker));
        expect((await post(yoga, bearer(second.key), from('203.0.113.67'))).status).toBe(200);
      } finally {
        await revokeApiKey(handle.db, String(first.record.id));
        await revokeApiKey(handle.db, String(second.record.id));
      }
    });
  });

  it('refuses a body above the size limit with 413, with or without Content-Length', async () => {
    const yoga = server({ maxBodyBytes: 1_000 });
    const padded = JSON.stringify({ query: QUERY, variables: { padding: 'x'.repeat(2_000) } });
    const response = await post(yoga, {}, undefined, padded);
    expect(response.status).toBe(413);
    expect(((await response.json()) as Body).errors![0]!.extensions).toEqual({ code: 'REQUEST_ENTITY_TOO_LARGE' });

    const bytes = new TextEncoder().encode(padded);
    const streamed = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 500) controller.enqueue(bytes.slice(at, at + 500));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await post(yoga)).status).toBe(200);
  });

  it('refuses GET and text/plain POST requests without the CSRF header', async () => {
    const yoga = server({});
    const url = `http://yoga/graphql?query=${encodeURIComponent(QUERY)}`;
    const get = await yoga.fetch(url);
    expect(get.status).toBe(403);
    const refusal = ((await get.json()) as Body).errors![0]!;
    expect(refusal.extensions).toEqual({ code: 'CSRF_HEADER_REQUIRED' });
    expect(refusal.message).toContain('x-graphql-yoga-csrf');
    expect((await yoga.fetch(url, { headers: { 'x-graphql-yoga-csrf': '1' } })).status).toBe(200);
    const plain = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(plain.status).toBe(403);
    expect(((await plain.json()) as Body).errors![0]!.extensions).toEqual({ code: 'CSRF_HEADER_REQUIRED' });
    const form = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(QUERY)}`,
    });
    expect(form.status).toBe(403);
    expect((await post(yoga)).status).toBe(200);
    expect((await server({ csrfPrevention: false }).fetch(url)).status).toBe(200);
  });

  it('refuses introspection and serves no GraphiQL when switched off', async () => {
    const introspect = JSON.stringify({ query: '{ __schema { queryType { name } } }' });
    const html = { accept: 'text/html' };
    const open = server({});
    expect(((await (await post(open, {}, undefined, introspect)).json()) as { data: unknown }).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    expect((await open.fetch('http://yoga/graphql', { headers: html })).headers.get('content-type')).toContain('text/html');

    const closed = server({ introspection: false, graphiql: false });
    const refused = (await (await post(closed, {}, undefined, introspect)).json()) as Body;
    expect(refused.errors![0]!.message).toMatch(/introspection has been disabled/i);
    expect(refused.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typename = (await (await post(closed, {}, undefined, JSON.stringify({ query: '{ __typename }' }))).json()) as Body;
    expect(typename.data).toEqual({ __typename: 'Query' });
    expect((await closed.fetch('http://yoga/graphql', { headers: html })).headers.get('content-type') ?? '').not.toContain('text/html');
  });

  it('answers other origins only when they are listed', async () => {
    const origin = 'https://notebook.example';
    const preflight = {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    };

    const closed = server({});
    expect((await post(closed, { origin })).headers.get('access-control-allow-origin')).toBeNull();
    const refusedPreflight = await closed.fetch('http://yoga/graphql', preflight);
    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();

    const listed = server({ corsOrigins: [origin, 'https://other.example'] });
    const allowed = await listed.fetch('http://yoga/graphql', preflight);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await post(listed, { origin })).headers.get('access-control-allow-origin')).toBe(origin);
    expect((await post(listed, { origin: 'https://evil.example' })).headers.get('access-control-allow-origin')).not.toBe(
      'https://evil.example',
    );
  });
});
