import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Auth, type GraphQLResponse, type TestServer } from '../support/test-server.js';

let server: TestServer;
let admin: Auth;
beforeAll(async () => {
  server = await startTestServer();
  admin = { token: server.adminToken };
});
afterAll(async () => {
  await server?.stop();
});

const ORGANIZATION_FIELDS = 'id name status metaData createdAt updatedAt';
const CREATE = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${ORGANIZATION_FIELDS} } }`;
const UPDATE = `mutation($id: UUID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { ${ORGANIZATION_FIELDS} } }`;
const GET = `query($id: UUID) { organization(id: $id) { ${ORGANIZATION_FIELDS} } }`;
const LIST = 'query($first: Int, $after: String) { organizations(first: $first, after: $after) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }';
const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id organizationId name keyPrefix scopes } } }';
const KEYS = 'query($id: UUID) { organization(id: $id) { id apiKeys { id organizationId name keyPrefix scopes expiresAt revokedAt lastUsed createdAt } } }';
const VIEWER = '{ viewer { kind organization { id } apiKey { id } } }';

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;
const uniqueName = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

async function createOrganization(name: string, metaData?: unknown) {
  const result = await server.graphql(CREATE, { input: { name, metaData } }, admin);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.createOrganization as { id: string; name: string; status: string; metaData: unknown; createdAt: string; updatedAt: string };
}

async function keyIdsOf(organizationId: string): Promise<string[]> {
  const result = await server.graphql(KEYS, { id: organizationId }, admin);
  expect(result.errors).toBeUndefined();
  return result.data!.organization.apiKeys.map((key: { id: string }) => key.id);
}

describe('createOrganization', () => {
  it('creates an ACTIVE organization with its name trimmed', async () => {
    const name = uniqueName('Acme');
    const before = Date.now();
    const created = await createOrganization(`   ${name}\t `, { region: 'eu' });
    expect(created).toMatchObject({ name, status: 'ACTIVE', metaData: { region: 'eu' } });
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Date(created.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const read = await server.graphql(GET, { id: created.id }, admin);
    expect(read.data!.organization).toEqual(created);
  });

  it('refuses an empty or blank name', async () => {
    for (const name of ['', '   ', '\t\n']) {
      const result = await server.graphql(CREATE, { input: { name } }, admin);
      expect(codeOf(result), JSON.stringify(name)).toBe('BAD_USER_INPUT');
      expect(result.data ?? null).toBeNull();
    }
  });
});

describe('updateOrganization', () => {
  it('renames (trimmed) and replaces metaData with any JSON, keeping what it is not given', async () => {
    const created = await createOrganization(uniqueName('Before'));
    const name = uniqueName('After');
    const metaData = { plan: 'pro', seats: 25, trial: false, owners: ['ana@example.com'], limits: { calls: 1000, nested: [1, null, 'x'] } };
    const updated = await server.graphql(UPDATE, { id: created.id, input: { name: ` ${name} `, metaData } }, admin);
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateOrganization).toMatchObject({ id: created.id, name, status: 'ACTIVE', metaData, createdAt: created.createdAt });
    expect(new Date(updated.data!.updateOrganization.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.updatedAt).getTime());

    const metaOnly = await server.graphql(UPDATE, { id: created.id, input: { metaData: ['a', 2] } }, admin);
    expect(metaOnly.data!.updateOrganization).toMatchObject({ name, metaData: ['a', 2] });
    const nameOnly = await server.graphql(UPDATE, { id: created.id, input: { name: 'Renamed again' } }, admin);
    expect(nameOnly.data!.updateOrganization).toMatchObject({ name: 'Renamed again', metaData: ['a', 2] });

    const read = await server.graphql(GET, { id: created.id }, admin);
    expect(read.data!.organization).toMatchObject({ id: created.id, name: 'Renamed again', status: 'ACTIVE', metaData: ['a', 2] });
  });

  it('refuses a blank name and an unknown id', async () => {
    const created = await createOrganization(uniqueName('Keep'));
    const blank = await server.graphql(UPDATE, { id: created.id, input: { name: '  ' } }, admin);
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect((await server.graphql(GET, { id: created.id }, admin)).data!.organization.name).toBe(created.name);
    const unknown = await server.graphql(UPDATE, { id: randomUUID(), input: { name: 'x' } }, admin);
    expect(codeOf(unknown)).toBe('NOT_FOUND');
  });
});

describe('deactivate and reactivate', () => {
  it("switch the status and keep the organization's data", async () => {
    const tenant = await server.createTenant();
    const ingested = await server.graphql(
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created conversation { id } } }',
      { input: { externalId: 'kept-1', channel: 'CHAT', summary: 'kept across deactivation', messages: [{ sequence: 0, senderRole: 'USER', content: 'still here?' }] } },
      tenant.auth,
    );
    expect(ingested.errors).toBeUndefined();
    const conversationId = ingested.data!.ingestConversation.conversation.id;

    const deactivated = await server.graphql('mutation($id: UUID!) { deactivateOrganization(id: $id) { id status } }', { id: tenant.organizationId }, admin);
    expect(deactivated.data!.deactivateOrganization).toEqual({ id: tenant.organizationId, status: 'INACTIVE' });
    expect((await server.graphql(GET, { id: tenant.organizationId }, admin)).data!.organization.status).toBe('INACTIVE');
    const refused = await server.graphql('{ conversations { totalCount } }', {}, tenant.auth);
    expect([refused.status, codeOf(refused)]).toEqual([401, 'UNAUTHENTICATED']);

    const reactivated = await server.graphql('mutation($id: UUID!) { reactivateOrganization(id: $id) { id status } }', { id: tenant.organizationId }, admin);
    expect(reactivated.data!.reactivateOrganization).toEqual({ id: tenant.organizationId, status: 'ACTIVE' });
    const read = await server.graphql(
      'query($id: UUID!) { conversation(id: $id) { id externalId summary messages { edges { node { content } } } } conversations { totalCount } }',
      { id: conversationId },
      tenant.auth,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({
      conversation: { id: conversationId, externalId: 'kept-1', summary: 'kept across deactivation', messages: { edges: [{ node: { content: 'still here?' } }] } },
      conversations: { totalCount: 1 },
    });
  });

  it('answer NOT_FOUND for an unknown organization', async () => {
    for (const mutation of ['deactivateOrganization', 'reactivateOrganization']) {
      const result = await server.graphql(`mutation($id: UUID!) { ${mutation}(id: $id) { id } }`, { id: randomUUID() }, admin);
      expect(codeOf(result), mutation).toBe('NOT_FOUND');
    }
  });
});

describe('organization(id) and organizations', () => {
  it('an admin reads any organization by id; an unknown uuid is NOT_FOUND', async () => {
    const created = await createOrganization(uniqueName('Readable'), { tier: 1 });
    const read = await server.graphql(GET, { id: created.id }, admin);
    expect(read.errors).toBeUndefined();
    expect(read.data!.organization).toEqual(created);
    const unknown = await server.graphql(GET, { id: randomUUID() }, admin);
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(unknown.data ?? null).toBeNull();
  });

  it('organizations(first: 2) walks every organization once, page by page', async () => {
    const created = new Set<string>();
    for (let index = 0; index < 5; index++) created.add((await createOrganization(uniqueName(`Paged ${index}`))).id);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    let totalCount = 0;
    for (;;) {
      const page: GraphQLResponse = await server.graphql(LIST, { first: 2, after }, admin);
      expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
      const connection = page.data!.organizations;
      pages += 1;
      if (pages === 1) totalCount = connection.totalCount;
      expect(connection.edges.length).toBeLessThanOrEqual(2);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(connection.pageInfo.startCursor).toBe(connection.edges[0]?.cursor ?? null);
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.edges).toHaveLength(2);
      after = connection.pageInfo.endCursor;
      expect(pages).toBeLessThan(10_000);
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of created) expect(seen).toContain(id);
    expect(totalCount).toBeGreaterThanOrEqual(created.size);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(created.size / 2));
  });

  it('organizations(first: 101) is BAD_USER_INPUT, and so is a forged cursor', async () => {
    const tooMany = await server.graphql(LIST, { first: 101 }, admin);
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.data ?? null).toBeNull();
    const forged = await server.graphql(LIST, { first: 2, after: 'not-a-cursor' }, admin);
    expect(codeOf(forged)).toBe('BAD_USER_INPUT');
    const hundred = await server.graphql(LIST, { first: 100 }, admin);
    expect(hundred.errors).toBeUndefined();
  });
});

describe('API keys managed by an organization', () => {
  it('a MANAGE key creates a key (of scopes it holds) for its own organization and sees it in apiKeys', async () => {
    const tenant = await server.createTenant(['MANAGE', 'INGEST']);
    const created = await server.graphql(CREATE_KEY, { input: { name: 'ingest bot', scopes: ['INGEST', 'INGEST'] } }, tenant.auth);
    expect(created.errors).toBeUndefined();
    const { secret, apiKey } = created.data!.createApiKey;
    expect(apiKey).toMatchObject({ organizationId: tenant.organizationId, name: 'ingest bot', scopes: ['INGEST'] });
    expect(secret.startsWith(apiKey.keyPrefix)).toBe(true);

    const listed = await server.graphql('{ organization { id apiKeys { id name } } }', {}, tenant.auth);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.organization.id).toBe(tenant.organizationId);
    expect(listed.data!.organization.apiKeys.map((key: { name: string }) => key.name)).toEqual(['test key', 'ingest bot']);

    const viewer = await server.graphql(VIEWER, {}, { apiKey: secret });
    expect(viewer.data!.viewer).toEqual({ kind: 'API_KEY', organization: { id: tenant.organizationId }, apiKey: { id: apiKey.id } });
  });

  it("a MANAGE key naming another organization's id is NOT_FOUND and creates nothing there", async () => {
    const mine = await server.createTenant(['MANAGE']);
    const other = await server.createTenant();
    const keysBefore = await keyIdsOf(other.organizationId);
    const result = await server.graphql(CREATE_KEY, { input: { organizationId: other.organizationId, name: 'intruder', scopes: ['READ'] } }, mine.auth);
    expect(codeOf(result)).toBe('NOT_FOUND');
    expect(result.data ?? null).toBeNull();
    expect(await keyIdsOf(other.organizationId)).toEqual(keysBefore);
    expect(await keyIdsOf(mine.organizationId)).toHaveLength(1);
  });

  it("a MANAGE key revoking another organization's key is NOT_FOUND, and that key still works", async () => {
    const mine = await server.createTenant(['MANAGE']);
    const other = await server.createTenant();
    const [otherKeyId] = await keyIdsOf(other.organizationId);
    const result = await server.graphql('mutation($id: UUID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: otherKeyId }, mine.auth);
    expect(codeOf(result)).toBe('NOT_FOUND');
    expect(result.data ?? null).toBeNull();
    const stillWorks = await server.graphql(VIEWER, {}, other.auth);
    expect(stillWorks.errors).toBeUndefined();
    expect(stillWorks.data!.viewer).toEqual({ kind: 'API_KEY', organization: { id: other.organizationId }, apiKey: { id: otherKeyId } });
    const keys = await server.graphql(KEYS, { id: other.organizationId }, admin);
    expect(keys.data!.organization.apiKeys[0].revokedAt).toBeNull();
  });

  it('apiKeys never expose the secret: ApiKey has no secret field', async () => {
    const tenant = await server.createTenant();
    const withSecret = await server.graphql('query($id: UUID) { organization(id: $id) { apiKeys { id secret } } }', { id: tenant.organizationId }, admin);
    expect(codeOf(withSecret)).toBe('BAD_USER_INPUT');
    expect(withSecret.errors![0]!.extensions!.reason).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(withSecret.data ?? null).toBeNull();
    const asOwner = await server.graphql('{ organization { apiKeys { secret } } }', {}, tenant.auth);
    expect(codeOf(asOwner)).toBe('BAD_USER_INPUT');

    // Every field ApiKey does have, read by the admin and by the key itself: the secret is nowhere.
    const listed = await server.graphql(KEYS, { id: tenant.organizationId }, admin);
    const own = await server.graphql(`{ viewer { apiKey { id keyPrefix } organization { apiKeys { id keyPrefix name scopes } } } }`, {}, tenant.auth);
    expect(listed.errors).toBeUndefined();
    expect(own.errors).toBeUndefined();
    for (const response of [listed, own]) {
      const text = JSON.stringify(response);
      expect(text).not.toContain(tenant.apiKey);
      expect(text).not.toContain(tenant.apiKey.slice(-20));
    }
    expect(listed.data!.organization.apiKeys[0].keyPrefix.length).toBeLessThan(tenant.apiKey.length / 2);
  });
});
