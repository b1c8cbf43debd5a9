import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { print } from 'graphql';
import { startApp, type RunningApp } from '../../src/app.js';
import { mintJwt } from '../../src/auth/jwt.service.js';
import { loadConfig } from '../../src/config/config.js';
import type { OpenDatabaseOptions } from '../../src/database/database.js';
import type { ApiKeyScope } from '../../src/generated/prisma/enums.js';
import type { Logger } from '../../src/logging/logger.js';
import { silentLogger } from './silent-logger.js';
import { openTestDatabase } from './test-database.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export type Auth = { token: string } | { apiKey: string } | undefined;

export interface TestServer {
  app: RunningApp;
  url: string;
  adminToken: string;
  memberToken(organizationId: string): string;
  graphql<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, auth?: Auth): Promise<GraphQLResponse<Data>>;
  /** A typed operation from test/generated/operations.ts (codegen). */
  request<Data, Variables extends Record<string, unknown>>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    auth?: Auth,
  ): Promise<GraphQLResponse<Data>>;
  /** A fresh organization with an API key of the given scopes (default all). */
  createTenant(scopes?: ApiKeyScope[]): Promise<{ organizationId: string; apiKey: string; auth: Auth }>;
  stop(): Promise<void>;
}

export function authHeaders(auth: Auth): Record<string, string> {
  if (!auth) return {};
  return 'token' in auth ? { authorization: `Bearer ${auth.token}` } : { 'x-api-key': auth.apiKey };
}

/** The real HTTP server on a free port, over the test database of this run. */
export async function startTestServer(
  env: Record<string, string> = {},
  databaseOptions: Pick<OpenDatabaseOptions, 'onQuery'> = {},
  appOptions: { logger?: Logger; spanExporter?: SpanExporter } = {},
): Promise<TestServer> {
  // No background worker unless a test asks for one: analyses would change what other tests read.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_JWT_SECRET, NODE_ENV: 'test', WORKER_ENABLED: 'false', ...env });
  const app = await startApp(config, appOptions.logger ?? silentLogger, { database: await openTestDatabase(databaseOptions), spanExporter: appOptions.spanExporter });
  const url = `http://127.0.0.1:${app.port}`;
  const jwt = { secret: TEST_JWT_SECRET, maxTtl: config.auth.jwtMaxTtl };
  const adminToken = mintJwt({ role: 'admin', subject: 'test-admin' }, jwt);
  return {
    app,
    url,
    adminToken,
    memberToken: (organizationId) => mintJwt({ role: 'member', organizationId, subject: 'test-member' }, jwt),
    ...graphqlClient(url, adminToken),
    stop: () => app.stop(),
  };
}

export type GraphQLClient = Pick<TestServer, 'graphql' | 'request' | 'createTenant'>;

/** GraphQL over HTTP to a server at `url` (this process's or a child's), as admin when creating tenants. */
export function graphqlClient(url: string, adminToken = mintJwt({ role: 'admin', subject: 'test-admin' }, { secret: TEST_JWT_SECRET })): GraphQLClient {
  const graphql = async <Data>(query: string, variables?: Record<string, unknown>, auth?: Auth): Promise<GraphQLResponse<Data>> => {
    const response = await fetchRetryingClosedConnection(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders(auth) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<Data>, 'status'>;
    return { status: response.status, ...body };
  };
  return {
    graphql,
    request: (document, variables, auth) => graphql(print(document), variables, auth),
    async createTenant(scopes = ['READ', 'INGEST', 'MANAGE']) {
      const admin = { token: adminToken };
      const created = await graphql<{ createOrganization: { id: string } }>(
        'mutation($name: String!) { createOrganization(input: { name: $name }) { id } }',
        { name: `Tenant ${randomUUID().slice(0, 8)}` },
        admin,
      );
      const organizationId = created.data!.createOrganization.id;
      const key = await graphql<{ createApiKey: { secret: string } }>(
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
        { input: { organizationId, name: 'test key', scopes } },
        admin,
      );
      const apiKey = key.data!.createApiKey.secret;
      return { organizationId, apiKey, auth: { apiKey } };
    },
  };
}

/**
 * fetch, sent once more when the connection failed at the socket (`UND_ERR_SOCKET`, ECONNRESET):
 * what a reused keep-alive connection that the server closed while idle looks like on a busy
 * machine. The request never reached the server then; any answer it did give is returned as is.
 */
export async function fetchRetryingClosedConnection(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
    return fetch(url, init);
  }
}
