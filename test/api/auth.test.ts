import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyScope } from '../../src/generated/prisma/enums.js';
import { mintJwt } from '../../src/auth/jwt.service.js';
import { jwtWithClaims } from '../support/jwt-claims.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type GraphQLResponse, type TestServer } from '../support/test-server.js';

let server: TestServer;
let admin: Auth;
beforeAll(async () => {
  // Many refusals in a row from one address: the failed-authentication budget is tested in test/server/http-hygiene.test.ts.
  server = await startTestServer({ AUTH_FAILURES_PER_MINUTE: '0' });
  admin = { token: server.adminToken };
});
afterAll(async () => {
  await server?.stop();
});

const VIEWER = '{ viewer { kind subject scopes organization { id name status } apiKey { id keyPrefix scopes } } }';
const INGEST = 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created conversation { externalId } } }';
const CONVERSATIONS = '{ conversations { totalCount } }';
const KEYS = 'query($id: UUID!) { organization(id: $id) { apiKeys { id name keyPrefix scopes expiresAt revokedAt lastUsed } } }';
const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id keyPrefix scopes expiresAt } } }';

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Rejected before GraphQL runs: HTTP 401, a single UNAUTHENTICATED error and no data. */
function expectRejected(response: GraphQLResponse) {
  expect(response.status, JSON.stringify(response)).toBe(401);
  expect(response.data).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  expect(codeOf(response)).toBe('UNAUTHENTICATED');
}

/** An operation refused by the auth checker: FORBIDDEN, and the root field is null. */
function expectForbidden(response: GraphQLResponse, field: string) {
  expect(codeOf(response), JSON.stringify(response)).toBe('FORBIDDEN');
  expect(response.data?.[field] ?? null).toBeNull();
}

/** POST /graphql with exactly these headers (for headers test-server's Auth cannot express). */
async function rawGraphql(query: string, headers: Record<string, string>): Promise<GraphQLResponse> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
}

async function createKey(organizationId: string, scopes: ApiKeyScope[], expiresAt?: string) {
  const result = await server.graphql(CREATE_KEY, { input: { organizationId, name: `key ${randomUUID().slice(0, 8)}`, scopes, expiresAt } }, admin);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return { id: result.data!.createApiKey.apiKey.id as string, secret: result.data!.createApiKey.secret as string, auth: { apiKey: result.data!.createApiKey.secret as string } };
}

async function keysOf(organizationId: string) {
  const result = await server.graphql(KEYS, { id: organizationId }, admin);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.organization.apiKeys as Array<{ id: string; name: string; keyPrefix: string; lastUsed: string | null; revokedAt: string | null }>;
}

async function organizationState(organizationId: string) {
  const result = await server.graphql('query($id: UUID!) { organization(id: $id) { name status } }', { id: organizationId }, admin);
  expect(result.errors).toBeUndefined();
  return result.data!.organization as { name: string; status: string };
}

/** Every organization name, walking all pages as the admin. */
async function allOrganizationNames(): Promise<string[]> {
  const names: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: GraphQLResponse = await server.graphql(
      'query($after: String) { organizations(first: 100, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }',
      { after },
      admin,
    );
    expect(page.errors).toBeUndefined();
    names.push(...page.data!.organizations.edges.map((edge: any) => edge.node.name as string));
    if (!page.data!.organizations.pageInfo.hasNextPage) return names;
    after = page.data!.organizations.pageInfo.endCursor;
  }
}

const setStatus = async (mutation: 'deactivateOrganization' | 'reactivateOrganization', id: string) => {
  const result = await server.graphql(`mutation($id: UUID!) { ${mutation}(id: $id) { status } }`, { id }, admin);
  expect(result.errors).toBeUndefined();
  return result.data![mutation].status as string;
};

describe('missing and malformed credentials', () => {
  it('no credential: viewer answers UNAUTHENTICATED', async () => {
    const result = await server.graphql(VIEWER);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('an unknown alma_ key is refused with HTTP 401, by either header', async () => {
    const unknown = `alma_${randomBytes(32).toString('base64url')}`;
    expectRejected(await server.graphql(VIEWER, {}, { apiKey: unknown }));
    expectRejected(await server.graphql(VIEWER, {}, { token: unknown }));
  });

  it('a garbage bearer token is refused with HTTP 401', async () => {
    expectRejected(await server.graphql(VIEWER, {}, { token: 'not-a-token-at-all' }));
    expectRejected(await server.graphql(VIEWER, {}, { token: 'aaa.bbb.ccc' }));
  });

  it('a malformed Authorization header is refused with HTTP 401, never treated as anonymous', async () => {
    expectRejected(await rawGraphql(VIEWER, { authorization: 'Basic x' }));
    expectRejected(await rawGraphql(VIEWER, { authorization: 'Bearer' }));
    expectRejected(await rawGraphql(VIEWER, { authorization: `Bearer ${server.adminToken} extra` }));
  });
});

describe('API keys', () => {
  it('work via x-api-key and via Authorization: Bearer, and viewer describes the key', async () => {
    const tenant = await server.createTenant(['READ', 'INGEST']);
    for (const auth of [{ apiKey: tenant.apiKey }, { token: tenant.apiKey }]) {
      const result = await server.graphql(VIEWER, {}, auth);
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      const viewer = result.data!.viewer;
      expect(viewer).toMatchObject({ kind: 'API_KEY', subject: null, scopes: ['READ', 'INGEST'], organization: { id: tenant.organizationId, status: 'ACTIVE' } });
      const [stored] = await keysOf(tenant.organizationId);
      expect(viewer.apiKey).toEqual({ id: stored!.id, keyPrefix: stored!.keyPrefix, scopes: ['READ', 'INGEST'] });
      expect(viewer.apiKey.keyPrefix.startsWith('alma_')).toBe(true);
      expect(viewer.apiKey.keyPrefix.length).toBeGreaterThan('alma_'.length);
      expect(viewer.apiKey.keyPrefix.length).toBeLessThan(tenant.apiKey.length);
      expect(tenant.apiKey.startsWith(viewer.apiKey.keyPrefix)).toBe(true);
    }
  });

  it('a revoked key is refused', async () => {
    const tenant = await server.createTenant();
    expect((await server.graphql(VIEWER, {}, tenant.auth)).data!.viewer.kind).toBe('API_KEY');
    const [key] = await keysOf(tenant.organizationId);
    const revoked = await server.graphql('mutation($id: UUID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: key!.id }, admin);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeApiKey.id).toBe(key!.id);
    expect(new Date(revoked.data!.revokeApiKey.revokedAt).getTime()).toBeLessThanOrEqual(Date.now());
    expectRejected(await server.graphql(VIEWER, {}, tenant.auth));
    expectRejected(await server.graphql(VIEWER, {}, { token: tenant.apiKey }));
  });

  it('an expired key is refused once its expiresAt passes', async () => {
    const tenant = await server.createTenant();
    const expiresAt = new Date(Date.now() + 1_500);
    const key = await createKey(tenant.organizationId, ['READ'], expiresAt.toISOString());
    const before = await server.graphql(VIEWER, {}, key.auth);
    expect(before.errors).toBeUndefined();
    expect(before.data!.viewer.apiKey).toMatchObject({ id: key.id, scopes: ['READ'] });
    await sleep(Math.max(0, expiresAt.getTime() - Date.now()) + 100);
    expect(Date.now()).toBeGreaterThan(expiresAt.getTime());
    expectRejected(await server.graphql(VIEWER, {}, key.auth));
    // The organization's other key is unaffected.
    expect((await server.graphql(VIEWER, {}, tenant.auth)).data!.viewer.organization.id).toBe(tenant.organizationId);
  });

  it("a deactivated organization's key is refused, and works again after reactivation", async () => {
    const tenant = await server.createTenant();
    expect(await setStatus('deactivateOrganization', tenant.organizationId)).toBe('INACTIVE');
    expectRejected(await server.graphql(VIEWER, {}, tenant.auth));
    expectRejected(await server.graphql(CONVERSATIONS, {}, tenant.auth));
    expect(await setStatus('reactivateOrganization', tenant.organizationId)).toBe('ACTIVE');
    const again = await server.graphql(VIEWER, {}, tenant.auth);
    expect(again.errors).toBeUndefined();
    expect(again.data!.viewer).toMatchObject({ kind: 'API_KEY', organization: { id: tenant.organizationId, status: 'ACTIVE' } });
  });

  it('createApiKey refuses an expiresAt in the past and empty scopes, creating nothing', async () => {
    const tenant = await server.createTenant();
    const past = await server.graphql(CREATE_KEY, { input: { organizationId: tenant.organizationId, name: 'past', scopes: ['READ'], expiresAt: new Date(Date.now() - 60_000).toISOString() } }, admin);
    expect(codeOf(past)).toBe('BAD_USER_INPUT');
    expect(past.data ?? null).toBeNull();
    const empty = await server.graphql(CREATE_KEY, { input: { organizationId: tenant.organizationId, name: 'empty', scopes: [] } }, admin);
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');
    expect(empty.data ?? null).toBeNull();
    // The same refusals for an organization's own MANAGE key.
    expect(codeOf(await server.graphql(CREATE_KEY, { input: { name: 'past', scopes: ['READ'], expiresAt: new Date(Date.now() - 1_000).toISOString() } }, tenant.auth))).toBe('BAD_USER_INPUT');
    expect(codeOf(await server.graphql(CREATE_KEY, { input: { name: 'empty', scopes: [] } }, tenant.auth))).toBe('BAD_USER_INPUT');
    expect((await keysOf(tenant.organizationId)).map((key) => key.name)).toEqual(['test key']);
  });
});

describe('key scopes', () => {
  it('a key can only grant scopes it holds; members and admins grant any', async () => {
    const tenant = await server.createTenant();
    const manageOnly = await createKey(tenant.organizationId, ['MANAGE']);
    const manageRead = await createKey(tenant.organizationId, ['MANAGE', 'READ']);
    for (const scopes of [['INGEST'], ['READ'], ['MANAGE', 'READ', 'INGEST']]) {
      const refused = await server.graphql(CREATE_KEY, { input: { name: 'stronger', scopes } }, manageOnly.auth);
      expectForbidden(refused, 'createApiKey');
      expect(refused.errors![0]!.message).toMatch(/^An API key can only grant scopes it holds; this one lacks /);
    }
    const refused = await server.graphql(CREATE_KEY, { input: { name: 'stronger', scopes: ['READ', 'INGEST'] } }, manageRead.auth);
    expect(refused.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', scopes: ['INGEST'] });
    // Nothing was created by the refusals.
    expect((await keysOf(tenant.organizationId)).length).toBe(3);
    const same = await server.graphql(CREATE_KEY, { input: { name: 'same', scopes: ['MANAGE'] } }, manageOnly.auth);
    expect(same.data!.createApiKey.apiKey.scopes).toEqual(['MANAGE']);
    const weaker = await server.graphql(CREATE_KEY, { input: { name: 'weaker', scopes: ['READ'] } }, manageRead.auth);
    expect(weaker.data!.createApiKey.apiKey.scopes).toEqual(['READ']);
    const byMember = await server.graphql(CREATE_KEY, { input: { name: 'ingest', scopes: ['INGEST'] } }, { token: server.memberToken(tenant.organizationId) });
    expect(byMember.data!.createApiKey.apiKey.scopes).toEqual(['INGEST']);
    expect((await keysOf(tenant.organizationId)).length).toBe(6);
  });
});

describe('JWT lifetimes (JWT_MAX_TTL 24 h for members, ADMIN_JWT_MAX_TTL 1 h)', () => {
  it('refuses tokens whose exp - iat exceeds the role maximum, or without iat, or issued in the future', async () => {
    const tenant = await server.createTenant();
    const now = nowSeconds();
    const sign = (claims: Record<string, unknown>) => jwtWithClaims(claims, TEST_JWT_SECRET);
    const member = { role: 'member', org: tenant.organizationId };
    const admin = { role: 'admin' };
    expectRejected(await server.graphql(VIEWER, {}, { token: sign({ ...admin, iat: now, exp: now + 100 * 365 * 86_400 }) }));
    expectRejected(await server.graphql(VIEWER, {}, { token: sign({ ...admin, iat: now, exp: now + 3601 }) }));
    expectRejected(await server.graphql(VIEWER, {}, { token: sign({ ...member, iat: now, exp: now + 86_401 }) }));
    expectRejected(await server.graphql(VIEWER, {}, { token: sign({ ...admin, exp: now + 600 }) }));
    expectRejected(await server.graphql(VIEWER, {}, { token: sign({ ...member, exp: now + 600 }) }));
    expectRejected(await server.graphql(VIEWER, {}, { token: sign({ ...admin, iat: now + 3000, exp: now + 3600 }) }));
    // An old token re-dated: its iat says when it was made, so exp - iat still counts.
    expectRejected(await server.graphql(VIEWER, {}, { token: sign({ ...admin, iat: now - 86_400, exp: now + 600 }) }));
    // At the maximum they are accepted.
    expect((await server.graphql(VIEWER, {}, { token: sign({ ...admin, iat: now, exp: now + 3600 }) })).data!.viewer.kind).toBe('ADMIN');
    expect((await server.graphql(VIEWER, {}, { token: sign({ ...member, iat: now, exp: now + 86_400 }) })).data!.viewer.kind).toBe('MEMBER');
  });

  it('mintJwt refuses to make a token the server would refuse', () => {
    expect(() => mintJwt({ role: 'admin' }, { secret: TEST_JWT_SECRET }, 2 * 3600)).toThrow(/ADMIN_JWT_MAX_TTL/);
    expect(() => mintJwt({ role: 'member', organizationId: randomUUID() }, { secret: TEST_JWT_SECRET }, 25 * 3600)).toThrow(/JWT_MAX_TTL/);
    const decoded = jwt.decode(mintJwt({ role: 'admin' }, { secret: TEST_JWT_SECRET })) as { iat: number; exp: number };
    expect(decoded.exp - decoded.iat).toBe(3600);
  });
});

describe('JWT lifetimes with JWT_MAX_TTL=2h and ADMIN_JWT_MAX_TTL=10m', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ JWT_MAX_TTL: '2h', ADMIN_JWT_MAX_TTL: '10m' });
  });
  afterAll(async () => {
    await limited?.stop();
  });

  it('applies the configured maximums', async () => {
    const now = nowSeconds();
    const sign = (claims: Record<string, unknown>) => jwtWithClaims(claims, TEST_JWT_SECRET);
    const ask = (token: string) => limited.graphql(VIEWER, {}, { token });
    const first = await ask(sign({ role: 'admin', iat: now, exp: now + 600 }));
    expect(first.data?.viewer.kind, JSON.stringify(first)).toBe('ADMIN');
    expect((await ask(sign({ role: 'admin', iat: now, exp: now + 601 }))).status).toBe(401);
    const organizationId = (await limited.createTenant()).organizationId;
    expect((await ask(sign({ role: 'member', org: organizationId, iat: now, exp: now + 7200 }))).data!.viewer.kind).toBe('MEMBER');
    expect((await ask(sign({ role: 'member', org: organizationId, iat: now, exp: now + 7201 }))).status).toBe(401);
  });
});

describe('JWTs', () => {
  const inAnHour = () => nowSeconds() + 3600;

  it('a token without exp is refused', async () => {
    const tenant = await server.createTenant();
    expectRejected(await server.graphql(VIEWER, {}, { token: jwt.sign({ role: 'admin' }, TEST_JWT_SECRET, { algorithm: 'HS256' }) }));
    expectRejected(await server.graphql(VIEWER, {}, { token: jwt.sign({ role: 'member', org: tenant.organizationId }, TEST_JWT_SECRET, { algorithm: 'HS256' }) }));
  });

  it('a token signed with HS512 or alg none is refused', async () => {
    const hs512 = jwt.sign({ role: 'admin', exp: inAnHour() }, TEST_JWT_SECRET, { algorithm: 'HS512' });
    expect(jwt.decode(hs512, { complete: true })?.header.alg).toBe('HS512');
    expectRejected(await server.graphql(VIEWER, {}, { token: hs512 }));
    const unsigned = jwt.sign({ role: 'admin', exp: inAnHour() }, null as unknown as string, { algorithm: 'none' });
    expect(jwt.decode(unsigned, { complete: true })?.header.alg).toBe('none');
    expect(unsigned.endsWith('.')).toBe(true);
    expectRejected(await server.graphql(VIEWER, {}, { token: unsigned }));
    // The same claims signed properly are accepted: the refusals are about the algorithm.
    const proper = await server.graphql(VIEWER, {}, { token: jwt.sign({ role: 'admin', exp: inAnHour() }, TEST_JWT_SECRET, { algorithm: 'HS256' }) });
    expect(proper.data!.viewer).toMatchObject({ kind: 'ADMIN', subject: 'admin', scopes: [], organization: null, apiKey: null });
  });

  it('an expired token is refused', async () => {
    const tenant = await server.createTenant();
    const exp = nowSeconds() - 10;
    expectRejected(await server.graphql(VIEWER, {}, { token: jwt.sign({ role: 'admin', exp }, TEST_JWT_SECRET, { algorithm: 'HS256' }) }));
    expectRejected(await server.graphql(VIEWER, {}, { token: jwt.sign({ role: 'member', org: tenant.organizationId, exp }, TEST_JWT_SECRET, { algorithm: 'HS256' }) }));
  });

  it('a token signed with another secret is refused', async () => {
    const token = jwt.sign({ role: 'admin', exp: inAnHour() }, 'another-secret-that-is-at-least-32-characters-long', { algorithm: 'HS256' });
    expectRejected(await server.graphql(VIEWER, {}, { token }));
  });

  it("a member token of a deactivated organization is refused, and works again after reactivation", async () => {
    const tenant = await server.createTenant();
    const member = { token: server.memberToken(tenant.organizationId) };
    expect(await setStatus('deactivateOrganization', tenant.organizationId)).toBe('INACTIVE');
    expectRejected(await server.graphql(VIEWER, {}, member));
    expect(await setStatus('reactivateOrganization', tenant.organizationId)).toBe('ACTIVE');
    expect((await server.graphql(VIEWER, {}, member)).data!.viewer.kind).toBe('MEMBER');
  });

  it('a member token of an unknown organization is refused', async () => {
    expectRejected(await server.graphql(VIEWER, {}, { token: server.memberToken(randomUUID()) }));
  });

  it('a member token: viewer is MEMBER with READ and MANAGE on its organization', async () => {
    const tenant = await server.createTenant();
    const result = await server.graphql(VIEWER, {}, { token: server.memberToken(tenant.organizationId) });
    expect(result.errors).toBeUndefined();
    const { name } = await organizationState(tenant.organizationId);
    expect(result.data!.viewer).toEqual({
      kind: 'MEMBER',
      subject: 'test-member',
      scopes: ['READ', 'MANAGE'],
      organization: { id: tenant.organizationId, name, status: 'ACTIVE' },
      apiKey: null,
    });
  });
});

describe('scopes and roles', () => {
  it('a READ-only key cannot ingest; an INGEST-only key cannot read', async () => {
    const tenant = await server.createTenant(['READ']);
    const ingestOnly = await createKey(tenant.organizationId, ['INGEST']);
    const refused = await server.graphql(INGEST, { input: { externalId: 'read-only-try', channel: 'CHAT' } }, tenant.auth);
    expectForbidden(refused, 'ingestConversation');
    expect((await server.graphql(CONVERSATIONS, {}, tenant.auth)).data).toEqual({ conversations: { totalCount: 0 } });

    expectForbidden(await server.graphql(CONVERSATIONS, {}, ingestOnly.auth), 'conversations');
    // The INGEST key does ingest, and the READ key then sees it.
    const ingested = await server.graphql(INGEST, { input: { externalId: 'ingest-only', channel: 'CHAT' } }, ingestOnly.auth);
    expect(ingested.errors).toBeUndefined();
    expect(ingested.data!.ingestConversation).toEqual({ created: true, conversation: { externalId: 'ingest-only' } });
    expect((await server.graphql(CONVERSATIONS, {}, tenant.auth)).data).toEqual({ conversations: { totalCount: 1 } });
  });

  it('a member cannot run admin operations nor ingest', async () => {
    const tenant = await server.createTenant();
    const member = { token: server.memberToken(tenant.organizationId) };
    const before = await organizationState(tenant.organizationId);
    const name = `member-made ${randomUUID()}`;
    expectForbidden(await server.graphql('mutation($name: String!) { createOrganization(input: { name: $name }) { id } }', { name }, member), 'createOrganization');
    expectForbidden(await server.graphql('mutation($id: UUID!) { updateOrganization(id: $id, input: { name: "renamed" }) { id } }', { id: tenant.organizationId }, member), 'updateOrganization');
    expectForbidden(await server.graphql('mutation($id: UUID!) { deactivateOrganization(id: $id) { id } }', { id: tenant.organizationId }, member), 'deactivateOrganization');
    expectForbidden(await server.graphql('{ organizations { totalCount } }', {}, member), 'organizations');
    expectForbidden(await server.graphql(INGEST, { input: { externalId: 'member-try', channel: 'CHAT' } }, member), 'ingestConversation');
    expect(await organizationState(tenant.organizationId)).toEqual(before);
    expect(await allOrganizationNames()).not.toContain(name);
    expect((await server.graphql(CONVERSATIONS, {}, member)).data).toEqual({ conversations: { totalCount: 0 } });
  });

  it('an API key, even with every scope, cannot run admin operations', async () => {
    const tenant = await server.createTenant(['READ', 'INGEST', 'MANAGE']);
    const before = await organizationState(tenant.organizationId);
    const name = `key-made ${randomUUID()}`;
    expectForbidden(await server.graphql('mutation($name: String!) { createOrganization(input: { name: $name }) { id } }', { name }, tenant.auth), 'createOrganization');
    expectForbidden(await server.graphql('mutation($id: UUID!) { updateOrganization(id: $id, input: { name: "renamed" }) { id } }', { id: tenant.organizationId }, tenant.auth), 'updateOrganization');
    expectForbidden(await server.graphql('mutation($id: UUID!) { deactivateOrganization(id: $id) { id } }', { id: tenant.organizationId }, tenant.auth), 'deactivateOrganization');
    expectForbidden(await server.graphql('mutation($id: UUID!) { reactivateOrganization(id: $id) { id } }', { id: tenant.organizationId }, tenant.auth), 'reactivateOrganization');
    expectForbidden(await server.graphql('{ organizations { totalCount } }', {}, tenant.auth), 'organizations');
    expect(await organizationState(tenant.organizationId)).toEqual(before);
    expect(await allOrganizationNames()).not.toContain(name);
  });

  it('an admin token cannot query conversations: admins have no organization', async () => {
    expectForbidden(await server.graphql(CONVERSATIONS, {}, admin), 'conversations');
    expectForbidden(await server.graphql(INGEST, { input: { externalId: 'admin-try', channel: 'CHAT' } }, admin), 'ingestConversation');
  });
});

describe('last_used', () => {
  it('is set by the first request with a key and not rewritten within the minute', async () => {
    const tenant = await server.createTenant();
    const [fresh] = await keysOf(tenant.organizationId);
    expect(fresh!.lastUsed).toBeNull();

    const start = Date.now();
    expect((await server.graphql(VIEWER, {}, tenant.auth)).errors).toBeUndefined();
    const end = Date.now();
    // Written in the background: poll briefly for it.
    let lastUsed: string | null = null;
    for (let attempt = 0; attempt < 50 && lastUsed === null; attempt++) {
      lastUsed = (await keysOf(tenant.organizationId))[0]!.lastUsed;
      if (lastUsed === null) await sleep(20);
    }
    expect(lastUsed).not.toBeNull();
    const first = new Date(lastUsed!).getTime();
    expect(first).toBeGreaterThanOrEqual(start);
    expect(first).toBeLessThanOrEqual(end);

    await sleep(20); // a rewrite would now carry a later timestamp
    expect((await server.graphql(CONVERSATIONS, {}, tenant.auth)).errors).toBeUndefined();
    expect((await server.graphql(VIEWER, {}, { token: tenant.apiKey })).errors).toBeUndefined();
    await sleep(200); // room for a (wrong) background write to land
    const [after] = await keysOf(tenant.organizationId);
    expect(after!.lastUsed).toBe(lastUsed);
  });
});
