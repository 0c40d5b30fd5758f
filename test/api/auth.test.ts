// API keys at the door: the service is open until a key exists, then every GraphQL request and
// /metrics need a valid key; lookups are cached for a few seconds and last use is recorded at
// most once a minute, both on a clock the test moves.
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createApiKey, listApiKeys, revokeApiKey } from '../../src/db/api-keys.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { createServer } from '../../src/server.ts';
import { apiKeyOf, useApiKeys } from '../../src/server/auth.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';

const QUERY = '{ cables(first: 1) { totalCount } }';

function post(yoga: { fetch: (url: string, init: RequestInit) => Promise<Response> | Response }, key?: string | null, headers = {}) {
  return yoga.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
}

interface Body {
  data?: { cables: { totalCount: number } } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function expectRefused(response: Response, invalidToken: boolean) {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer\b/);
  expect(challenge.includes('error="invalid_token"')).toBe(invalidToken);
  const body = (await response.json()) as Body;
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(body.errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  return body.errors![0]!.message;
}

async function expectServed(response: Response) {
  const body = (await response.json()) as Body;
  expect(body.errors).toBeUndefined();
  expect(response.status).toBe(200);
  expect(body.data!.cables.totalCount).toBe(0);
}

describe.each(databaseKinds)('API keys on %s', (kind) => {
  let handle: DatabaseHandle;
  let clock = 1_000_000;
  const now = () => clock;

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });
  beforeEach(async () => {
    for (const record of await listApiKeys(handle.db)) if (!record.revokedAt) await revokeApiKey(handle.db, String(record.id));
  });

  it('is open while no key is active, and /health stays open', async () => {
    const yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 0 } });
    await expectServed(await post(yoga));
    expect((await yoga.fetch('http://yoga/metrics')).status).toBe(200);
    expect((await yoga.fetch('http://yoga/health')).status).toBe(200);
  });

  it('refuses a request without a key, with an unknown key or a bad header once a key exists', async () => {
    const yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 0 } });
    const { key } = await createApiKey(handle.db, { name: 'analyst', clearance: 'CONFIDENTIAL', noforn: false });
    expect(await expectRefused(await post(yoga), false)).toContain('Authorization: Bearer');
    const unknown = `cg_${'A'.repeat(43)}`;
    expect(await expectRefused(await post(yoga, unknown), true)).toContain('unknown or has been revoked');
    await expectRefused(await post(yoga, 'not-a-key'), true);
    await expectRefused(await post(yoga, null, { authorization: `Basic ${key}` }), true);
    await expectServed(await post(yoga, key));
    // The scheme is case-insensitive (RFC 7235).
    await expectServed(await post(yoga, null, { authorization: `bearer ${key}` }));
    expect((await yoga.fetch('http://yoga/health')).status).toBe(200);
  });

  it('refuses a revoked key, and opens again when no key is active', async () => {
    const yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 0 } });
    const first = await createApiKey(handle.db, { name: 'first', clearance: 'SECRET', noforn: true });
    const second = await createApiKey(handle.db, { name: 'second', clearance: 'UNCLASSIFIED', noforn: false });
    await expectServed(await post(yoga, first.key));
    await revokeApiKey(handle.db, 'first');
    await expectRefused(await post(yoga, first.key), true);
    await expectServed(await post(yoga, second.key));
    await revokeApiKey(handle.db, second.record.prefix);
    await expectServed(await post(yoga));
  });

  it('guards /metrics with a key once one exists', async () => {
    const yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 0 } });
    const { key } = await createApiKey(handle.db, { name: 'prometheus', clearance: 'UNCLASSIFIED', noforn: false });
    const refused = await yoga.fetch('http://yoga/metrics');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(((await refused.json()) as Body).errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    const scraped = await yoga.fetch('http://yoga/metrics', { headers: { authorization: `Bearer ${key}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('cablegraph_graphql_requests_total');
  });

  it('trusts a lookup for cacheMs: a revoked key works until then, and so does the open service after the first key', async () => {
    clock = 1_000_000;
    const yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 5_000, now } });
    await expectServed(await post(yoga));
    const { key } = await createApiKey(handle.db, { name: 'cached', clearance: 'SBU', noforn: false });
    clock += 4_999;
    await expectServed(await post(yoga));
    clock += 2;
    await expectRefused(await post(yoga), false);
    await expectServed(await post(yoga, key));
    // Another active key keeps the service closed once this one is revoked.
    await createApiKey(handle.db, { name: 'other', clearance: 'SBU', noforn: false });
    await revokeApiKey(handle.db, 'cached');
    clock += 4_999;
    await expectServed(await post(yoga, key));
    clock += 2;
    await expectRefused(await post(yoga, key), true);
  });

  it('records when a key was last used, at most once per interval', async () => {
    clock = 2_000_000;
    const yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 0, touchIntervalMs: 60_000, now } });
    const { key, record } = await createApiKey(handle.db, { name: 'notebook', clearance: 'CONFIDENTIAL', noforn: false });
    const lastUsed = async () => (await listApiKeys(handle.db)).find((one) => one.id === record.id)!.lastUsedAt?.getTime();
    expect(await lastUsed()).toBeUndefined();
    await expectServed(await post(yoga, key));
    expect(await lastUsed()).toBe(2_000_000);
    clock += 59_000;
    await expectServed(await post(yoga, key));
    expect(await lastUsed()).toBe(2_000_000);
    clock += 1_000;
    await expectServed(await post(yoga, key));
    expect(await lastUsed()).toBe(2_060_000);
  });

  it('tells the context which key a request came with', async () => {
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { caller: String }',
        resolvers: {
          Query: {
            caller: (_root: unknown, _args: unknown, context: { caller: string }) => context.caller,
          },
        },
      }),
      context: ({ request }) => {
        const record = apiKeyOf(request);
        return { caller: record ? `${record.name} ${record.clearance}${record.noforn ? ' NOFORN' : ''}` : 'anyone' };
      },
      plugins: [useApiKeys(handle.db, { cacheMs: 0 })],
    });
    const ask = async (key?: string) => {
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query: '{ caller }' }),
      });
      return ((await response.json()) as { data: { caller: string } }).data.caller;
    };
    expect(await ask()).toBe('anyone');
    const { key } = await createApiKey(handle.db, { name: 'desk officer', clearance: 'top secret', noforn: true });
    expect(await ask(key)).toBe('desk officer TOP_SECRET NOFORN');
  });
});
