import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { formatDuration, formatInteger, formatSentiment } from '../../web/src/ui/format.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type TestServer } from '../support/test-server.js';
import { launchBrowser, openIsolatedPage, screenshot, signIn, type IsolatedPage } from './browser.js';

/**
 * The dashboard at /app in Debian's Chromium, against a real server whose organization is seeded
 * through the API with known conversations and analysed by the local provider. Every number the
 * pages show is checked against what the API answers for the same range and filters.
 */

const TIMEZONE = 'America/Sao_Paulo'; // UTC−3 all year
const FROM = '2026-11-09';
const TO = '2026-11-15';
const RANGE = { from: '2026-11-09T03:00:00.000Z', to: '2026-11-16T03:00:00.000Z' };
const SCOPE = `from=${FROM}&to=${TO}&tz=${encodeURIComponent(TIMEZONE)}`;

if (!existsSync(fileURLToPath(new URL('../../web/dist/index.html', import.meta.url)))) {
  throw new Error('web/dist is missing: run npm run web:build (npm install does it)');
}

let server: TestServer;
let browser: Browser;
let tenant: { organizationId: string; apiKey: string; auth: Auth };
let ids: Record<string, string>;
const pages: IsolatedPage[] = [];

const at = (day: number, seconds: number, hour = 15) => new Date(Date.UTC(2026, 10, day, hour, 0, seconds)).toISOString();

interface CallSpec {
  externalId: string;
  channel: 'VOICE' | 'CHAT' | 'WHATSAPP' | 'SMS';
  day: number;
  hour?: number;
  agent: 'ava' | 'leo';
  durationSeconds: number | null;
  outcome?: string;
  endedBy?: string;
  lines: string[];
  extra?: Record<string, unknown>;
}

function call(spec: CallSpec) {
  const agent = spec.agent === 'ava' ? { externalId: 'ava', name: 'Ava — support bot' } : { externalId: 'leo', name: 'Leo — sales bot' };
  const step = spec.durationSeconds ? Math.floor(spec.durationSeconds / spec.lines.length) : 10;
  return {
    externalId: spec.externalId,
    channel: spec.channel,
    startedAt: at(spec.day, 0, spec.hour),
    ...(spec.durationSeconds !== null ? { endedAt: at(spec.day, spec.durationSeconds, spec.hour), durationSeconds: spec.durationSeconds } : {}),
    outcome: spec.outcome,
    endedBy: spec.endedBy,
    agents: [agent],
    contacts: [{ externalId: `${spec.externalId}-customer`, name: 'Maria Souza' }],
    messages: spec.lines.map((content, sequence) => ({
      sequence,
      senderRole: sequence % 2 === 0 ? 'AGENT' : 'USER',
      ...(sequence % 2 === 0 ? { agentExternalId: agent.externalId } : { contactExternalId: `${spec.externalId}-customer` }),
      content,
      sentAt: at(spec.day, sequence * step, spec.hour),
    })),
    ...spec.extra,
  };
}

const SUPPORT_LINES = [
  'Thank you for calling Northwind, this is Ava. How can I help?',
  'I cannot log in, the password reset does not work.',
  'Let me look up your account and open a ticket for the reset.',
  'Thank you, that is great, it works now.',
];
const SALES_LINES = [
  'Hi, this is Leo from Summit. Are you interested in our premium plan?',
  'Yes, I am interested. How much is it?',
  'It costs $99 per month, and today I can give you 10% off.',
  'Perfect, I will take it. Thank you so much.',
  'Wonderful, welcome aboard! I sent the payment link to your email.',
];

const CALLS = [
  call({
    externalId: 'web-support-1',
    channel: 'VOICE',
    day: 10,
    agent: 'ava',
    durationSeconds: 60,
    outcome: 'RESOLVED',
    endedBy: 'USER',
    lines: SUPPORT_LINES,
    extra: {
      actions: [{ agentExternalId: 'ava', functionName: 'lookup_customer', status: 'SUCCESS', executionTimeMs: 120, occurredAt: at(10, 31) }],
      tickets: [{ ticketId: 'INC100', action: 'CREATED', reason: 'Password reset failed', status: 'New', occurredAt: at(10, 32) }],
    },
  }),
  call({
    externalId: 'web-support-2',
    channel: 'VOICE',
    day: 11,
    agent: 'ava',
    durationSeconds: 120,
    outcome: 'NOT_RESOLVED',
    endedBy: 'AGENT',
    lines: SUPPORT_LINES,
    extra: {
      // Logged late (after the last turn, at 90 s) but sent as turn 2's call: the page places it by its turn.
      actions: [{ agentExternalId: 'ava', messageSequence: 2, functionName: 'reset_password', status: 'FAIL', executionTimeMs: 900, errorMessage: 'HTTP 503 from identity service', occurredAt: at(11, 95) }],
      tickets: [
        { ticketId: 'INC101', action: 'CREATED', reason: 'Password reset failed', occurredAt: at(11, 62) },
        // The ticket the first call opened, linked again: the page leads from one call to the other.
        { ticketId: 'INC100', action: 'LINKED', reason: 'Password reset failed', occurredAt: at(11, 63) },
      ],
    },
  }),
  call({
    externalId: 'web-sale-1',
    channel: 'CHAT',
    day: 12,
    agent: 'leo',
    durationSeconds: 180,
    outcome: 'RESOLVED',
    endedBy: 'AGENT',
    lines: SALES_LINES,
    extra: {
      events: [
        { eventType: 'SALES_STAGE_CHANGE', payload: { OLD_STAGE: 'LEAD', NEW_STAGE: 'QUALIFIED' }, contextStartIndex: 0, contextEndIndex: 1, confidence: 0.9 },
        { eventType: 'SALE_MADE', payload: { PRODUCT: 'Premium plan', PRICE: 99, CURRENCY: 'USD', DISCOUNT: 0.1 }, contextStartIndex: 2, contextEndIndex: 3, confidence: 0.95 },
      ],
    },
  }),
  call({ externalId: 'web-sale-2', channel: 'CHAT', day: 13, agent: 'leo', durationSeconds: 240, outcome: 'ESCALATED', endedBy: 'USER', lines: SALES_LINES }),
  call({ externalId: 'web-sale-3', channel: 'WHATSAPP', day: 14, agent: 'leo', durationSeconds: 300, outcome: 'RESOLVED', endedBy: 'SYSTEM', lines: SALES_LINES }),
  call({ externalId: 'web-live-1', channel: 'VOICE', day: 14, hour: 18, agent: 'ava', durationSeconds: null, lines: SUPPORT_LINES.slice(0, 2) }),
];

const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local' });

/** Runs this organization's queued analyses in the test process, until none is left. */
async function analyseQueued(): Promise<number> {
  const worker = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [tenant.organizationId] });
  let total = 0;
  for (let round = 0; round < 50; round += 1) {
    const ran = await worker.runOnce();
    if (ran === 0) return total;
    total += ran;
  }
  throw new Error('analysis did not drain in 50 rounds');
}

async function api<Data = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, auth: Auth = tenant.auth): Promise<Data> {
  const result = await server.graphql<Data>(query, variables, auth);
  if (result.errors) throw new Error(`API error: ${JSON.stringify(result.errors)}`);
  return result.data!;
}

async function createKey(organizationId: string, scopes: string[]): Promise<{ id: string; secret: string }> {
  const data = await api<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
    { input: { organizationId, name: `web ${scopes.join('+')}`, scopes } },
    { token: server.adminToken },
  );
  return { id: data.createApiKey.apiKey.id, secret: data.createApiKey.secret };
}

async function newPage(): Promise<IsolatedPage> {
  const isolated = await openIsolatedPage(browser, server.url, TIMEZONE);
  pages.push(isolated);
  return isolated;
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().textContent())?.trim();

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  tenant = await server.createTenant();
  await api(
    'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }',
    {
      input: {
        dispositionMetrics: [
          { identifier: 'call_reason', prompt: 'Why did the customer call?', type: 'ENUM', choices: ['purchase', 'support', 'other'] },
          { identifier: 'user_interested', prompt: 'Was the customer interested in buying?', type: 'BOOLEAN' },
          { identifier: 'price_quoted', prompt: 'What price was quoted, in dollars?', type: 'INTEGER' },
        ],
      },
    },
  );
  const ingested = await api<{ ingestConversations: Array<{ externalId: string; error: { message: string } | null; conversation: { id: string } | null }> }>(
    'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { externalId error { message } conversation { id } } }',
    { inputs: CALLS },
  );
  const failed = ingested.ingestConversations.find((item) => item.error);
  if (failed) throw new Error(`ingest failed: ${failed.error!.message}`);
  ids = Object.fromEntries(ingested.ingestConversations.map((item) => [item.externalId, item.conversation!.id]));
  expect(await analyseQueued()).toBe(5); // the five completed conversations; the live one waits
}, 180_000);

afterAll(async () => {
  for (const { context } of pages) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('the web app at /app', () => {
  it('is served by the server with every asset local, and /app leads to it', async () => {
    const redirect = await fetch(`${server.url}/app`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/app/');
    const index = await fetch(`${server.url}/app/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      expect(asset.startsWith('/app/')).toBe(true);
      const response = await fetch(`${server.url}${asset}`);
      expect(response.status, asset).toBe(200);
    }
  });

  it('signs in with an API key; the overview shows the numbers analyticsOverview returns', async () => {
    const { page, foreignRequests, pageErrors } = await newPage();
    await page.goto(`${server.url}/app/`);
    await page.getByLabel('API key or member token').waitFor();
    await screenshot(page, '01-sign-in');
    await signIn(page, server.url, tenant.apiKey, `/overview?${SCOPE}`);
    await page.getByTestId('kpi-total').waitFor();

    const expected = await api<{ analyticsOverview: any }>(
      `query($range: AnalyticsRangeInput!, $timezone: String!) { analyticsOverview(range: $range, timezone: $timezone) {
        conversations { total completed ongoing } duration { median p90 } sentiment { average }
        outcomes { key count } endedBy { key count } tickets { action reason count } events { eventType count }
        salesFunnel { stages { stage conversations } } followUpsDue { total } } }`,
      { range: RANGE, timezone: TIMEZONE },
    );
    const overview = expected.analyticsOverview;
    // What the seeded data makes true whatever the analysis concluded:
    expect(overview.conversations).toEqual({ total: 6, completed: 5, ongoing: 1 });
    expect(overview.duration).toEqual({ median: 180, p90: 276 });
    expect(overview.tickets).toEqual([
      { action: 'CREATED', reason: 'Password reset failed', count: 2 },
      { action: 'LINKED', reason: 'Password reset failed', count: 1 },
    ]);

    expect(await text(page, 'kpi-total')).toBe('6');
    expect(await text(page, 'kpi-completed')).toBe('5');
    expect(await text(page, 'kpi-completion-rate')).toBe('83.3% completion');
    expect(await text(page, 'kpi-median-duration')).toBe('3 min 00 s');
    expect(await text(page, 'kpi-p90-duration')).toBe('4 min 36 s');
    expect(await text(page, 'kpi-median-duration')).toBe(formatDuration(overview.duration.median));
    expect(await text(page, 'kpi-sentiment')).toBe(formatSentiment(overview.sentiment.average));
    expect(await text(page, 'kpi-followups')).toBe(formatInteger(overview.followUpsDue.total));

    for (const outcome of overview.outcomes) {
      expect(await page.locator(`[data-testid="outcomes"] [data-key="${outcome.key}"] .share-count`).textContent()).toBe(String(outcome.count));
    }
    expect(await page.locator('[data-testid="outcomes"] li').count()).toBe(overview.outcomes.length);
    for (const endedBy of overview.endedBy) {
      expect(await page.locator(`[data-testid="ended-by"] [data-key="${endedBy.key}"] .share-count`).textContent()).toBe(String(endedBy.count));
    }
    const eventTotals = new Map<string, number>();
    for (const event of overview.events) eventTotals.set(event.eventType, (eventTotals.get(event.eventType) ?? 0) + event.count);
    for (const [eventType, count] of eventTotals) {
      expect(await page.locator(`[data-testid="events"] tr[data-key="${eventType}"] .event-total`).textContent()).toBe(String(count));
    }
    for (const stage of overview.salesFunnel.stages) {
      expect(await page.locator(`[data-testid="funnel"] [data-key="${stage.stage}"] .funnel-count`).textContent()).toBe(String(stage.conversations));
    }
    expect(await page.locator('[data-testid="tickets"] tbody tr').allTextContents()).toEqual(['CreatedPassword reset failed2', 'LinkedPassword reset failed1']);
    expect(await page.getByTestId('organization-name').textContent()).toMatch(/^Tenant /);
    await screenshot(page, '02-overview');

    // A filter narrows every number: CHAT only.
    await page.getByLabel('Channel', { exact: true }).selectOption('CHAT');
    await expect.poll(() => text(page, 'kpi-total'), { timeout: 30_000 }).toBe('2');
    expect(await text(page, 'kpi-median-duration')).toBe('3 min 30 s'); // 180 and 240
    expect(page.url()).toContain('channel=CHAT');

    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('lists agents in a sortable table whose rows lead to the agent’s conversations', async () => {
    const { page, foreignRequests, pageErrors } = await newPage();
    await signIn(page, server.url, tenant.apiKey, `/agents?${SCOPE}`);
    const table = page.getByTestId('agents-table');
    await table.waitFor();
    const names = () => table.locator('tbody tr td:first-child .strong-link').allTextContents();
    const expected = await api<{ analyticsOverview: { agents: Array<{ agent: { name: string }; conversations: number; functionCalls: number }> } }>(
      'query($range: AnalyticsRangeInput!, $timezone: String!) { analyticsOverview(range: $range, timezone: $timezone) { agents { agent { name } conversations functionCalls } } }',
      { range: RANGE, timezone: TIMEZONE },
    );
    // Most conversations first (3 and 3: a tie keeps the API's order).
    expect(await names()).toEqual(expected.analyticsOverview.agents.map((agent) => agent.agent.name));
    expect(expected.analyticsOverview.agents.map((agent) => agent.conversations)).toEqual([3, 3]);
    for (const agent of expected.analyticsOverview.agents) {
      const row = table.locator('tbody tr', { hasText: agent.agent.name });
      expect((await row.locator('td').nth(1).textContent())?.trim()).toBe(String(agent.conversations));
      expect((await row.locator('td').nth(5).textContent())?.trim()).toMatch(new RegExp(`^${agent.functionCalls}`));
    }

    await table.getByRole('button', { name: /Function calls/ }).click();
    await expect.poll(names).toEqual(['Ava — support bot', 'Leo — sales bot']);
    expect(await table.locator('th[aria-sort="descending"]').textContent()).toContain('Function calls');
    await table.getByRole('button', { name: /Function calls/ }).click();
    await expect.poll(names).toEqual(['Leo — sales bot', 'Ava — support bot']);
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).toContain('Function calls');
    await screenshot(page, '03-agents');

    await table.getByRole('link', { name: 'Ava — support bot' }).click();
    await page.waitForURL(/#\/conversations\?.*agent=/);
    await expect.poll(() => page.getByTestId('conversations-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('filters and pages the conversation list', async () => {
    const { page, pageErrors } = await newPage();
    await signIn(page, server.url, tenant.apiKey, `/conversations?${SCOPE}`);
    const rows = page.getByTestId('conversations-table').locator('tbody tr');
    const heading = page.getByTestId('conversation-list').locator('.card-title');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(6);
    expect(await heading.textContent()).toBe('6 conversations');
    // Newest first
    expect(await rows.locator('td:nth-child(2) .strong-link').allTextContents()).toEqual(['web-live-1', 'web-sale-3', 'web-sale-2', 'web-sale-1', 'web-support-2', 'web-support-1']);

    await page.getByLabel('Channel', { exact: true }).selectOption('VOICE');
    await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('3 conversations');
    expect(await rows.locator('td:nth-child(2) .strong-link').allTextContents()).toEqual(['web-live-1', 'web-support-2', 'web-support-1']);

    await page.getByLabel('Status', { exact: true }).selectOption('ONGOING');
    await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('1 conversation');

    await page.getByRole('button', { name: /Clear 2 filters/ }).click();
    await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('6 conversations');

    // The live conversation is the one never queued for analysis; the others were analysed.
    await page.getByLabel('Analysis', { exact: true }).selectOption('NOT_REQUESTED');
    await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('1 conversation');
    expect(await rows.locator('td:nth-child(2) .strong-link').allTextContents()).toEqual(['web-live-1']);
    await page.getByLabel('Analysis', { exact: true }).selectOption('COMPLETED');
    await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('5 conversations');

    // Sentiment: the label the analysis gave web-support-1; the page lists what the API answers for it.
    const analysed = await api<{ conversation: { sentiment: { label: string } | null } }>('query($id: UUID!) { conversation(id: $id) { sentiment { label } } }', {
      id: ids['web-support-1'],
    });
    const label = analysed.conversation.sentiment!.label;
    const sameLabel = await api<{ conversations: { totalCount: number; edges: Array<{ node: { externalId: string } }> } }>(
      'query($filter: ConversationFilter) { conversations(filter: $filter, first: 25) { totalCount edges { node { externalId } } } }',
      { filter: { sentiments: [label], analysisStatuses: ['COMPLETED'], startedAt: RANGE } },
    );
    expect(sameLabel.conversations.edges.map((edge) => edge.node.externalId)).toContain('web-support-1');
    await page.getByLabel('Sentiment', { exact: true }).selectOption(label);
    await expect
      .poll(() => rows.locator('td:nth-child(2) .strong-link').allTextContents(), { timeout: 30_000 })
      .toEqual(sameLabel.conversations.edges.map((edge) => edge.node.externalId));
    await page.getByRole('button', { name: /Clear 2 filters/ }).click();
    await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('6 conversations');

    const saleMade = await api<{ conversations: { totalCount: number; edges: Array<{ node: { externalId: string } }> } }>(
      'query($filter: ConversationFilter) { conversations(filter: $filter, first: 25) { totalCount edges { node { externalId } } } }',
      { filter: { eventType: 'SALE_MADE', startedAt: RANGE } },
    );
    expect(saleMade.conversations.edges.map((edge) => edge.node.externalId)).toContain('web-sale-1');
    expect(saleMade.conversations.totalCount).toBeLessThan(6);
    await page.getByLabel('Event', { exact: true }).selectOption('SALE_MADE');
    await expect
      .poll(() => heading.textContent(), { timeout: 30_000 })
      .toBe(`${saleMade.conversations.totalCount} ${saleMade.conversations.totalCount === 1 ? 'conversation' : 'conversations'}`);
    expect(await rows.locator('td:nth-child(2) .strong-link').allTextContents()).toEqual(saleMade.conversations.edges.map((edge) => edge.node.externalId));

    // A disposition metric's value: the one the analysis gave web-support-1.
    await page.getByLabel('Event', { exact: true }).selectOption('');
    const metric = await api<{ conversation: { dispositionMetrics: Array<{ identifier: string; value: unknown }> } }>(
      'query($id: UUID!) { conversation(id: $id) { dispositionMetrics { identifier value } } }',
      { id: ids['web-support-1'] },
    );
    const callReason = metric.conversation.dispositionMetrics.find((value) => value.identifier === 'call_reason')!.value as string;
    const withReason = await api<{ conversations: { totalCount: number; edges: Array<{ node: { externalId: string } }> } }>(
      'query($filter: ConversationFilter) { conversations(filter: $filter, first: 25) { totalCount edges { node { externalId } } } }',
      { filter: { disposition: [{ identifier: 'call_reason', equals: callReason }], startedAt: RANGE } },
    );
    await page.getByLabel('Metric filter', { exact: true }).selectOption('call_reason');
    await page.getByLabel('Value', { exact: true }).selectOption(callReason);
    await expect
      .poll(() => rows.locator('td:nth-child(2) .strong-link').allTextContents(), { timeout: 30_000 })
      .toEqual(withReason.conversations.edges.map((edge) => edge.node.externalId));
    await screenshot(page, '04-conversations-filtered');

    // Pages of 25: 24 more conversations in the range make two pages (live ones: no analysis is queued).
    await page.getByRole('button', { name: 'Clear 1 filter' }).click();
    const more = Array.from({ length: 24 }, (_, index) =>
      call({ externalId: `web-bulk-${String(index).padStart(2, '0')}`, channel: 'SMS', day: 9, agent: 'ava', durationSeconds: null, lines: SUPPORT_LINES.slice(0, 2) }),
    );
    await api('mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { error { message } } }', { inputs: more });
    await page.reload();
    await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('30 conversations');
    expect(await rows.count()).toBe(25);
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(5);
    expect(await page.getByTestId('conversation-list').locator('.card-subtitle').textContent()).toBe('Showing 26–30');
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(25);
    expect(pageErrors).toEqual([]);
  });

  it('shows a conversation turn by turn; a click on an event or a metric highlights its turns', async () => {
    const { page, foreignRequests, pageErrors } = await newPage();
    const id = ids['web-sale-1']!;
    const detail = await api<{ conversation: any }>(
      `query($id: UUID!) { conversation(id: $id) {
        events { id eventType source contextStartIndex contextEndIndex }
        dispositionMetrics { identifier contextStartIndex contextEndIndex confidence }
        analyses { provider configVersion supersededAt }
        messages { edges { node { sequence sentimentScore } } } } }`,
      { id },
    );
    await signIn(page, server.url, tenant.apiKey, `/conversations/${id}?${SCOPE}`);
    const turns = page.getByTestId('transcript').locator('li.turn');
    await expect.poll(() => turns.count(), { timeout: 30_000 }).toBe(SALES_LINES.length);
    expect(await turns.locator('.turn-speaker').allTextContents()).toEqual(['Leo — sales bot', 'Maria Souza', 'Leo — sales bot', 'Maria Souza', 'Leo — sales bot']);
    expect(await turns.locator('[data-testid="turn-sentiment"]').allTextContents()).toEqual(
      detail.conversation.messages.edges.map((edge: any) => formatSentiment(edge.node.sentimentScore)),
    );
    const current = detail.conversation.analyses.find((analysis: any) => !analysis.supersededAt);
    expect(await page.getByTestId('analysis-card').textContent()).toContain(`v${current.configVersion}`);
    expect(await page.getByTestId('analysis-card').textContent()).toContain(current.provider);
    const highlighted = () => page.locator('li.turn[data-highlighted="true"]').evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-sequence'))));

    const sale = detail.conversation.events.find((event: any) => event.eventType === 'SALE_MADE' && event.source === 'INGESTED');
    expect([sale.contextStartIndex, sale.contextEndIndex]).toEqual([2, 3]);
    const saleButton = page.locator(`[data-event-id="${sale.id}"] button`);
    expect(await highlighted()).toEqual([]);
    await saleButton.click();
    await expect.poll(highlighted).toEqual([2, 3]);
    expect(await saleButton.getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, '05-conversation-detail-highlighted');

    // Keyboard: the stage change, reached with Tab and pressed with Enter, moves the highlight.
    const stage = detail.conversation.events.find((event: any) => event.eventType === 'SALES_STAGE_CHANGE' && event.source === 'INGESTED');
    await page.locator(`[data-event-id="${stage.id}"] button`).focus();
    await page.keyboard.press('Enter');
    await expect.poll(highlighted).toEqual([0, 1]);
    expect(await saleButton.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(highlighted).toEqual([]);

    const metric = detail.conversation.dispositionMetrics.find((value: any) => value.contextStartIndex !== null);
    expect(metric, 'the local provider cites the turns of price_quoted and user_interested').toBeDefined();
    await page.locator(`[data-metric="${metric.identifier}"] button`).click();
    const expected = Array.from({ length: metric.contextEndIndex - metric.contextStartIndex + 1 }, (_, offset) => metric.contextStartIndex + offset);
    await expect.poll(highlighted).toEqual(expected);
    expect(await page.getByTestId('metric-list').locator('li').count()).toBe(detail.conversation.dispositionMetrics.length);

    // A function call sits under its turn (AgentAction.message), not where its time would put it
    // (after turn 3); the ticket, which names no turn, after the turn it followed in time.
    await page.goto(`${server.url}/app/#/conversations/${ids['web-support-2']}?${SCOPE}`);
    const items = page.getByTestId('transcript').locator(':scope > li');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(SUPPORT_LINES.length + 3);
    expect(await items.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-sequence') ?? element.getAttribute('data-kind')))).toEqual(['0', '1', '2', 'ticket', 'ticket', 'function-call', '3']);
    // The highlight of the conversation before does not follow to this one.
    await expect.poll(highlighted).toEqual([]);
    const functionCall = items.nth(5);
    expect(await functionCall.getAttribute('data-turn')).toBe('2');
    expect(await functionCall.textContent()).toContain('HTTP 503 from identity service');
    expect(await functionCall.textContent()).toContain('turn #2');
    await screenshot(page, '06-conversation-detail-function-calls');

    // A ticket leads to the other conversations that touched it (tickets(filter: {ticketId})), and back.
    const linked = page.locator('li[data-ticket-id="INC100"]');
    await expect.poll(() => linked.getByTestId('ticket-other-conversations').textContent(), { timeout: 30_000 }).toMatch(/^Also in web-support-1 \(created, /);
    expect(await page.locator('li[data-ticket-id="INC101"]').getByTestId('ticket-other-conversations').count()).toBe(0);
    await linked.getByRole('link', { name: 'web-support-1' }).click();
    await expect.poll(() => page.url()).toContain(`/conversations/${ids['web-support-1']}`);
    const opened = page.locator('li[data-ticket-id="INC100"]').getByTestId('ticket-other-conversations');
    await expect.poll(() => opened.textContent(), { timeout: 30_000 }).toMatch(/^Also in web-support-2 \(linked, /);
    await screenshot(page, '06b-conversation-detail-linked-ticket');
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('re-analyses a conversation for a MANAGE credential, and offers nothing of the kind to a READ key', async () => {
    const readKey = await createKey(tenant.organizationId, ['READ']);
    const reader = await newPage();
    await signIn(reader.page, server.url, readKey.secret, `/conversations/${ids['web-support-1']}?${SCOPE}`);
    await reader.page.getByTestId('analysis-status').waitFor();
    expect(await reader.page.getByRole('button', { name: 'Re-analyse' }).count()).toBe(0);

    const manager = await newPage();
    await signIn(manager.page, server.url, tenant.apiKey, `/conversations/${ids['web-support-1']}?${SCOPE}`);
    await manager.page.getByRole('button', { name: 'Re-analyse' }).click();
    await expect.poll(() => manager.page.getByTestId('analysis-status').textContent(), { timeout: 30_000 }).toBe('Pending');
    expect(await analyseQueued()).toBe(1);
    // The page looks again every 2 s while the analysis is pending.
    await expect.poll(() => manager.page.getByTestId('analysis-status').textContent(), { timeout: 60_000 }).toBe('Completed');
    expect(await manager.page.getByTestId('analysis-card').textContent()).toContain('6 earlier');
    expect(manager.pageErrors).toEqual([]);
  });

  it('explores a disposition metric by agent, with the values dispositionMetricStats returns', async () => {
    const { page, pageErrors } = await newPage();
    await signIn(page, server.url, tenant.apiKey, `/metrics?${SCOPE}&metric=call_reason`);
    const stats = await api<{ dispositionMetricStats: any }>(
      `query($range: AnalyticsRangeInput!, $timezone: String!) { dispositionMetricStats(identifier: "call_reason", range: $range, timezone: $timezone, groupBy: AGENT) {
        overall { count choices { key count } } groups { agent { name } count choices { key count } } } }`,
      { range: RANGE, timezone: TIMEZONE },
    );
    const { overall, groups } = stats.dispositionMetricStats;
    expect(overall.count).toBe(5);
    expect(groups.map((group: any) => group.agent.name).sort()).toEqual(['Ava — support bot', 'Leo — sales bot']);
    await expect.poll(() => text(page, 'metric-count'), { timeout: 30_000 }).toBe('5');
    expect(await page.locator('[data-testid="metric-distribution"] li .share-count').allTextContents()).toEqual(overall.choices.map((choice: any) => String(choice.count)));

    await page.getByRole('button', { name: 'By agent', exact: true }).click();
    const table = page.getByTestId('metric-values');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(groups.length);
    for (const group of groups) {
      const row = table.locator('tbody tr', { hasText: group.agent.name });
      expect((await row.locator('td').nth(1).textContent())?.trim()).toBe(String(group.count));
    }
    expect(await page.getByTestId('metric-chart').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await screenshot(page, '07-metric-explorer-by-agent');

    await page.getByLabel('Metric', { exact: true }).selectOption('user_interested');
    await expect.poll(() => page.getByTestId('metric-true-rate').count(), { timeout: 30_000 }).toBe(1);
    const booleans = await api<{ dispositionMetricStats: { overall: { trueRate: number | null; trueCount: number } } }>(
      'query($range: AnalyticsRangeInput!) { dispositionMetricStats(identifier: "user_interested", range: $range) { overall { trueRate trueCount } } }',
      { range: RANGE },
    );
    expect(await text(page, 'metric-true')).toBe(formatInteger(booleans.dispositionMetricStats.overall.trueCount));
    expect(pageErrors).toEqual([]);
  });

  it('explains a revoked key, an inactive organization and a credential revoked mid-session', async () => {
    // Signed in, then the key is revoked: the next request shows the API's code.
    const key = await createKey(tenant.organizationId, ['READ']);
    const { page } = await newPage();
    await signIn(page, server.url, key.secret, `/overview?${SCOPE}`);
    await page.getByTestId('kpi-total').waitFor();
    await api('mutation($id: UUID!) { revokeApiKey(id: $id) { revokedAt } }', { id: key.id }, { token: server.adminToken });
    await page.getByLabel('Channel', { exact: true }).selectOption('VOICE');
    await page.getByRole('alert').waitFor();
    expect(await text(page, 'error-code')).toBe('UNAUTHENTICATED');
    expect(await page.getByRole('alert').textContent()).toContain('revoked');
    await screenshot(page, '08-revoked-mid-session');

    // Signing in again with the revoked key.
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByLabel('API key or member token').fill(key.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const problem = page.getByTestId('sign-in-problem');
    await problem.waitFor();
    expect(await problem.locator('[data-testid="error-code"]').textContent()).toBe('UNAUTHENTICATED');
    expect(await problem.textContent()).toContain('This API key was not accepted');
    expect(await problem.textContent()).toContain('revoked');
    await screenshot(page, '09-sign-in-revoked-key');
    // Nothing of it was kept.
    expect(await page.evaluate('JSON.stringify(sessionStorage)')).toBe('{}');

    // A member token of an organization that was deactivated.
    const inactive = await server.createTenant(['READ']);
    const memberToken = server.memberToken(inactive.organizationId);
    await api('mutation($id: UUID!) { deactivateOrganization(id: $id) { status } }', { id: inactive.organizationId }, { token: server.adminToken });
    const other = await newPage();
    await signIn(other.page, server.url, memberToken);
    const inactiveProblem = other.page.getByTestId('sign-in-problem');
    await inactiveProblem.waitFor();
    expect(await inactiveProblem.locator('[data-testid="error-code"]').textContent()).toBe('UNAUTHENTICATED');
    expect(await inactiveProblem.textContent()).toContain('inactive');

    // An INGEST-only key reads nothing: the page says which scope it lacks.
    const ingestKey = await createKey(tenant.organizationId, ['INGEST']);
    await other.page.getByLabel('API key or member token').fill(ingestKey.secret);
    await other.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => inactiveProblem.textContent(), { timeout: 30_000 }).toContain('needs a key with READ');
  });

  it('keeps the credential in this tab’s session only and signs in with a member token', async () => {
    const { page, context } = await newPage();
    await signIn(page, server.url, server.memberToken(tenant.organizationId), `/overview?${SCOPE}`);
    await page.getByTestId('kpi-total').waitFor();
    expect(await page.evaluate('({ local: localStorage.length, session: sessionStorage.length })')).toEqual({ local: 0, session: 1 });
    expect(await context.cookies()).toEqual([]);
    await page.reload();
    await page.getByTestId('kpi-total').waitFor(); // still signed in after a reload of the tab
    const second = await context.newPage();
    await second.goto(`${server.url}/app/`);
    await second.getByLabel('API key or member token').waitFor(); // another tab starts signed out
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key or member token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });
});
