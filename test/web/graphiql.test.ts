import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchBrowser, openIsolatedPage, screenshot } from './browser.js';

/** GraphiQL at GET /graphql and the page at GET /, offline: every request to another host is refused. */

const servers: TestServer[] = [];
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
});

async function server(env: Record<string, string> = {}) {
  const started = await startTestServer(env);
  servers.push(started);
  return started;
}

const html = { accept: 'text/html,application/xhtml+xml' };
interface CodeMirrorHost {
  CodeMirror: { getValue(): string; setValue(value: string): void };
}
// The visible one of the two editors under the query (variables, headers).
const HEADERS_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';

describe('GraphiQL in a browser', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await server();
  });

  it('loads from this server only, runs a query with the key from the headers editor and shows the result', async () => {
    const tenant = await api.createTenant(['READ', 'INGEST']);
    await api.graphql(
      'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created } }',
      { input: { externalId: 'graphiql-call-1', channel: 'CHAT', startedAt: '2026-11-10T10:00:00Z', messages: [{ sequence: 0, senderRole: 'USER', content: 'Hi' }] } },
      tenant.auth,
    );
    browser = await launchBrowser();
    const { page, foreignRequests, pageErrors, context } = await openIsolatedPage(browser, api.url, 'UTC');
    try {
      await page.goto(`${api.url}/`);
      await page.getByRole('link', { name: 'GraphiQL' }).click();
      await page.waitForURL(`${api.url}/graphql`);
      await expect.poll(() => page.locator('.graphiql-container').count()).toBe(1);
      // The page explains where credentials go, and the headers editor starts with a placeholder key.
      expect(await page.locator('.graphiql-page-header').innerText()).toMatch(/x-api-key[\s\S]*Authorization/);
      // CodeMirror 5 hangs its instance on its wrapper element.
      const editorValue = async (selector: string) => {
        const editor = page.locator(selector);
        if ((await editor.count()) === 0) return null;
        return editor.evaluate((element) => (element as unknown as CodeMirrorHost).CodeMirror.getValue());
      };
      // The editors mount once CodeMirror's chunks have loaded.
      await expect.poll(() => editorValue(HEADERS_EDITOR)).toContain('x-api-key');
      await expect.poll(() => editorValue('.graphiql-query-editor .CodeMirror')).toContain('conversations(first: 5');

      await page.locator(HEADERS_EDITOR).evaluate((element, key) => (element as unknown as CodeMirrorHost).CodeMirror.setValue(JSON.stringify({ 'x-api-key': key })), tenant.apiKey);
      await page.getByRole('button', { name: /Execute query/ }).click();
      await expect.poll(() => editorValue('.result-window .CodeMirror'), { timeout: 30_000 }).toContain('graphiql-call-1');
      const result = JSON.parse((await editorValue('.result-window .CodeMirror'))!) as {
        data: { viewer: { kind: string }; conversations: { totalCount: number; edges: Array<{ node: { externalId: string } }> } };
      };
      expect(result.data.viewer.kind).toBe('API_KEY');
      expect(result.data.conversations.totalCount).toBe(1);
      expect(result.data.conversations.edges.map((edge) => edge.node.externalId)).toEqual(['graphiql-call-1']);

      // The schema's documentation comes from introspection, through the same server.
      await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
      await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText()).toMatch(/Query/);
      await page.getByRole('button', { name: /Show Documentation Explorer|Hide Documentation Explorer/ }).click();
      await screenshot(page, 'graphiql');
      expect(foreignRequests).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('GET /graphql still answers GraphQL to API clients (a query in the URL, or no text/html)', async () => {
    const tenant = await api.createTenant(['READ']);
    const query = encodeURIComponent('{ viewer { kind } }');
    const response = await fetch(`${api.url}/graphql?query=${query}`, { headers: { accept: 'text/html, application/json', 'x-api-key': tenant.apiKey, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { viewer: { kind: 'API_KEY' } } });
    const plain = await fetch(`${api.url}/graphql`, { headers: { 'x-api-key': tenant.apiKey } });
    expect(plain.headers.get('content-type')).not.toMatch(/text\/html/);
  });
});

describe('in production', () => {
  it('GraphiQL is off unless GRAPHIQL_ENABLED=true, and GET / links to it only when it is on', async () => {
    const production = await server({ NODE_ENV: 'production' });
    const page = await fetch(`${production.url}/graphql`, { headers: html });
    expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
    const landing = await fetch(`${production.url}/`);
    expect(landing.status).toBe(200);
    const landingHtml = await landing.text();
    expect(landingHtml).toContain('href="/app/"');
    expect(landingHtml).not.toContain('href="/graphql"');

    const enabled = await server({ NODE_ENV: 'production', GRAPHIQL_ENABLED: 'true' });
    const enabledPage = await fetch(`${enabled.url}/graphql`, { headers: html });
    expect(enabledPage.status).toBe(200);
    expect(enabledPage.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await enabledPage.text()).toMatch(/<script type="module" crossorigin src="\/graphql\/assets\/index-[\w-]+\.js">/);
    expect(await (await fetch(`${enabled.url}/`)).text()).toContain('href="/graphql"');
  });
});
