import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type TestServer } from '../support/test-server.js';

/**
 * Reported vs analysed values (issue 11, item 2): what the partner sends is kept as reported, our
 * analysis beside it as analysed, and the top-level fields show one of them by the organization's
 * valuePrecedence. Filters and analyticsOverview read the side they are told to.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ANALYSIS_PROVIDER: 'local' });
});
afterAll(async () => {
  await server?.stop();
});

const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local' });
const admin = () => ({ token: server.adminToken });

const INGEST = 'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }';
const VALUES = 'outcome outcomeReason summary sentiment { label score } topics';
const READ = `query($id: UUID!) { conversation(id: $id) {
  analysisStatus outcome outcomeReason summary topics sentiment { label score }
  reported { ${VALUES} } analysed { ${VALUES} }
  analyses { analysisType result supersededAt }
} }`;
const SET_PRECEDENCE = 'mutation($id: UUID!, $p: ValuePrecedence!) { updateOrganization(id: $id, input: { valuePrecedence: $p }) { valuePrecedence } }';

/** A call the local analyzer reads as unresolved and negative, whatever the partner says about it. */
const UNHAPPY = [
  { sequence: 0, senderRole: 'AGENT', content: 'Hello, how can I help you today?' },
  { sequence: 1, senderRole: 'USER', content: 'My internet is still down, this is terrible and I am very angry. Nothing you did worked.' },
  { sequence: 2, senderRole: 'AGENT', content: 'I am sorry, I could not fix it today. A technician will have to come and fix it next week.' },
  { sequence: 3, senderRole: 'USER', content: 'This is awful, I am really frustrated and disappointed with your service.' },
];

function partnerCall(externalId: string, reported: Record<string, unknown>, messages = UNHAPPY) {
  return {
    externalId,
    channel: 'VOICE',
    startedAt: '2026-11-03T10:00:00Z',
    endedAt: '2026-11-03T10:05:00Z',
    messages,
    ...reported,
  };
}

const PARTNER_VALUES = {
  outcome: 'RESOLVED',
  outcomeReason: 'Partner: customer confirmed the fix',
  summary: 'Partner summary of the call',
  sentimentLabel: 'POSITIVE',
  sentimentScore: 0.75,
  topics: ['partner-topic'],
};
const REPORTED = {
  outcome: 'RESOLVED',
  outcomeReason: 'Partner: customer confirmed the fix',
  summary: 'Partner summary of the call',
  sentiment: { label: 'POSITIVE', score: 0.75 },
  topics: ['partner-topic'],
};
const NOTHING = { outcome: null, outcomeReason: null, summary: null, sentiment: null, topics: [] };

async function ingest(auth: Auth, input: Record<string, unknown>): Promise<string> {
  const result = await server.graphql(INGEST, { input }, auth);
  expect(result.errors).toBeUndefined();
  return result.data!.ingestConversation.conversation.id;
}

async function analyse(organizationId: string) {
  const worker = createWorker(localConfig, server.app.database, silentLogger, undefined, { organizationIds: [organizationId] });
  while ((await worker.runOnce()) > 0);
}

async function read(id: string, auth: Auth) {
  const result = await server.graphql(READ, { id }, auth);
  expect(result.errors).toBeUndefined();
  return result.data!.conversation;
}

/** The analysed values as the current analysis rows hold them. */
function fromAnalyses(conversation: any) {
  const current = (type: string) => conversation.analyses.find((row: any) => row.analysisType === type && row.supersededAt === null)?.result;
  const outcome = current('OUTCOME');
  const sentiment = current('SENTIMENT_ANALYSIS');
  return {
    outcome: outcome.outcome,
    outcomeReason: outcome.reason,
    summary: current('SUMMARY').summary,
    sentiment: { label: sentiment.label, score: sentiment.score },
    topics: current('TOPICS_DETECTED').topics,
  };
}

const topLevel = (conversation: any) => ({
  outcome: conversation.outcome,
  outcomeReason: conversation.outcomeReason,
  summary: conversation.summary,
  sentiment: conversation.sentiment.label === null && conversation.sentiment.score === null ? null : conversation.sentiment,
  topics: conversation.topics,
});

describe('reported and analysed values', () => {
  it('keeps what the partner reported beside the analysis; the top level follows the organization precedence', async () => {
    const tenant = await server.createTenant();
    const id = await ingest(tenant.auth, partnerCall('rv-1', PARTNER_VALUES));

    const before = await read(id, tenant.auth);
    expect(before.reported).toEqual(REPORTED);
    expect(before.analysed).toEqual(NOTHING);
    expect(topLevel(before)).toEqual(REPORTED);

    await analyse(tenant.organizationId);
    const after = await read(id, tenant.auth);
    expect(after.analysisStatus).toBe('COMPLETED');
    expect(after.reported).toEqual(REPORTED); // the partner's RESOLVED and POSITIVE are still there
    expect(after.analysed).toEqual(fromAnalyses(after));
    expect(after.analysed.outcome).toBe('NOT_RESOLVED');
    expect(after.analysed.sentiment.label).toBe('NEGATIVE');
    expect(topLevel(after)).toEqual(REPORTED); // REPORTED_FIRST by default

    const organization = await server.graphql('{ organization { valuePrecedence } }', {}, tenant.auth);
    expect(organization.data!.organization.valuePrecedence).toBe('REPORTED_FIRST');

    const switched = await server.graphql(SET_PRECEDENCE, { id: tenant.organizationId, p: 'ANALYSED_FIRST' }, admin());
    expect(switched.data!.updateOrganization.valuePrecedence).toBe('ANALYSED_FIRST');
    const analysedFirst = await read(id, tenant.auth);
    expect(topLevel(analysedFirst)).toEqual(after.analysed);
    expect(analysedFirst.reported).toEqual(REPORTED);
    expect(analysedFirst.analysed).toEqual(after.analysed);

    await server.graphql(SET_PRECEDENCE, { id: tenant.organizationId, p: 'REPORTED_FIRST' }, admin());
    expect(topLevel(await read(id, tenant.auth))).toEqual(REPORTED);
  });

  it('fills a value the first side lacks from the other, group by group (outcome with its reason, sentiment with its score)', async () => {
    const tenant = await server.createTenant();
    const id = await ingest(tenant.auth, partnerCall('rv-partial', { outcome: 'ESCALATED' }));
    await analyse(tenant.organizationId);
    const reportedFirst = await read(id, tenant.auth);
    expect(reportedFirst.reported).toEqual({ ...NOTHING, outcome: 'ESCALATED' });
    const analysed = reportedFirst.analysed;
    expect(topLevel(reportedFirst)).toEqual({ ...analysed, outcome: 'ESCALATED', outcomeReason: null });

    await server.graphql(SET_PRECEDENCE, { id: tenant.organizationId, p: 'ANALYSED_FIRST' }, admin());
    expect(topLevel(await read(id, tenant.auth))).toEqual(analysed);
  });

  it('is set on createOrganization, read back, and refused when unknown', async () => {
    const created = await server.graphql(
      'mutation { createOrganization(input: { name: "Analysed first", valuePrecedence: ANALYSED_FIRST }) { id valuePrecedence } }',
      {},
      admin(),
    );
    expect(created.data!.createOrganization.valuePrecedence).toBe('ANALYSED_FIRST');
    const byId = await server.graphql('query($id: UUID!) { organization(id: $id) { valuePrecedence } }', { id: created.data!.createOrganization.id }, admin());
    expect(byId.data!.organization.valuePrecedence).toBe('ANALYSED_FIRST');
    const bad = await server.graphql('mutation { createOrganization(input: { name: "x", valuePrecedence: SOMETIMES }) { id } }', {}, admin());
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('only an admin changes the precedence', async () => {
    const tenant = await server.createTenant();
    const denied = await server.graphql(SET_PRECEDENCE, { id: tenant.organizationId, p: 'ANALYSED_FIRST' }, tenant.auth);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const member = await server.graphql(SET_PRECEDENCE, { id: tenant.organizationId, p: 'ANALYSED_FIRST' }, { token: server.memberToken(tenant.organizationId) });
    expect(member.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await server.graphql('{ organization { valuePrecedence } }', {}, tenant.auth)).data!.organization.valuePrecedence).toBe('REPORTED_FIRST');
  });

  it('a re-analysis never touches reported values; a redelivered ingest never erases analysed ones', async () => {
    const tenant = await server.createTenant();
    const input = partnerCall('rv-again', PARTNER_VALUES);
    const id = await ingest(tenant.auth, input);
    await analyse(tenant.organizationId);
    const analysedOnce = await read(id, tenant.auth);

    const queued = await server.graphql('mutation($id: UUID!) { reanalyzeConversation(id: $id) { analysisStatus } }', { id }, tenant.auth);
    expect(queued.data!.reanalyzeConversation.analysisStatus).toBe('PENDING');
    await analyse(tenant.organizationId);
    const reanalysed = await read(id, tenant.auth);
    expect(reanalysed.analysisStatus).toBe('COMPLETED');
    expect(reanalysed.reported).toEqual(REPORTED);
    expect(reanalysed.analysed).toEqual(analysedOnce.analysed);
    expect(reanalysed.analyses.filter((row: any) => row.supersededAt !== null).length).toBeGreaterThan(0);

    // The same payload again, and then one where the partner changed its mind.
    await ingest(tenant.auth, input);
    const redelivered = await read(id, tenant.auth);
    expect(redelivered.analysed).toEqual(analysedOnce.analysed);
    expect(redelivered.reported).toEqual(REPORTED);
    await ingest(tenant.auth, { ...input, outcome: 'ESCALATED', outcomeReason: null, summary: null });
    const changed = await read(id, tenant.auth);
    expect(changed.reported).toEqual({ ...REPORTED, outcome: 'ESCALATED', outcomeReason: null, summary: null });
    expect(changed.analysed).toEqual(analysedOnce.analysed);
    expect(topLevel(changed)).toEqual({ ...REPORTED, outcome: 'ESCALATED', outcomeReason: null, summary: analysedOnce.analysed.summary });
  });

  it('completeConversation reports the outcome it is given', async () => {
    const tenant = await server.createTenant();
    const id = await ingest(tenant.auth, { externalId: 'rv-live', channel: 'CHAT', startedAt: '2026-11-03T10:00:00Z', messages: UNHAPPY });
    const completed = await server.graphql(
      'mutation($id: UUID!) { completeConversation(id: $id, input: { outcome: TRANSFERRED, outcomeReason: "Sent to billing" }) { outcome reported { outcome outcomeReason } } }',
      { id },
      tenant.auth,
    );
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeConversation).toEqual({ outcome: 'TRANSFERRED', reported: { outcome: 'TRANSFERRED', outcomeReason: 'Sent to billing' } });
    await analyse(tenant.organizationId);
    const after = await read(id, tenant.auth);
    expect(after.reported.outcome).toBe('TRANSFERRED');
    expect(after.outcome).toBe('TRANSFERRED');
    expect(after.analysed.outcome).toBe('NOT_RESOLVED');
  });

  it('keeps what the Oration webhook reported (postCallMetadata) beside the analysis', async () => {
    const tenant = await server.createTenant();
    const payload = JSON.parse(await readFile(new URL('../fixtures/oration-analysis-completed.json', import.meta.url), 'utf8'));
    const response = await fetch(`${server.url}/webhooks/oration`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(201);
    const listed = await server.graphql('{ conversations { edges { node { id } } } }', {}, tenant.auth);
    const id = listed.data!.conversations.edges[0].node.id;
    const before = await read(id, tenant.auth);
    expect(before.reported.sentiment.label).toBe('POSITIVE');
    expect(before.reported.outcomeReason).toBe('provider resolution: completed');
    expect(before.analysed).toEqual(NOTHING);
    await analyse(tenant.organizationId);
    const after = await read(id, tenant.auth);
    expect(after.reported).toEqual(before.reported);
    expect(after.analysed).toEqual(fromAnalyses(after));
    expect(after.sentiment).toEqual(before.reported.sentiment);
  });
});

describe('filters and analyticsOverview by source', () => {
  /** Three conversations: reported and analysed differ on one, only analysed on one, only reported (ongoing: never analysed) on one. */
  async function tenantWithThree() {
    const tenant = await server.createTenant();
    const both = await ingest(tenant.auth, partnerCall('rv-both', PARTNER_VALUES));
    const analysedOnly = await ingest(tenant.auth, partnerCall('rv-analysed', {}));
    const reportedOnly = await ingest(tenant.auth, {
      externalId: 'rv-reported', channel: 'CHAT', startedAt: '2026-11-03T11:00:00Z', messages: UNHAPPY,
      outcome: 'ESCALATED', sentimentLabel: 'POSITIVE', sentimentScore: 0.5, topics: ['partner-topic', 'billing'],
    });
    await analyse(tenant.organizationId);
    return { tenant, both, analysedOnly, reportedOnly };
  }

  const LIST = `query($filter: ConversationFilter) { conversations(filter: $filter) { totalCount edges { node { externalId } } } }`;
  const OVERVIEW = `query($filter: ConversationFilter) { analyticsOverview(range: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }, filter: $filter) {
    conversations { total } outcomes { key count } sentiment { analyzed labels { key count } } topTopics(limit: 100) { key count }
  } }`;

  async function listed(auth: Auth, filter: Record<string, unknown>) {
    const result = await server.graphql(LIST, { filter }, auth);
    expect(result.errors).toBeUndefined();
    return result.data!.conversations.edges.map((edge: any) => edge.node.externalId).sort();
  }

  async function overview(auth: Auth, filter: Record<string, unknown> | null) {
    const result = await server.graphql(OVERVIEW, { filter }, auth);
    expect(result.errors).toBeUndefined();
    return result.data!.analyticsOverview;
  }

  it('filters outcomes, sentiments and topics on the side asked for (EFFECTIVE by default)', async () => {
    const { tenant } = await tenantWithThree();
    const auth = tenant.auth;
    expect(await listed(auth, { outcomes: ['RESOLVED'] })).toEqual(['rv-both']);
    expect(await listed(auth, { outcomes: ['RESOLVED'], source: 'EFFECTIVE' })).toEqual(['rv-both']);
    expect(await listed(auth, { outcomes: ['RESOLVED'], source: 'REPORTED' })).toEqual(['rv-both']);
    expect(await listed(auth, { outcomes: ['RESOLVED'], source: 'ANALYSED' })).toEqual([]);
    expect(await listed(auth, { outcomes: ['NOT_RESOLVED'], source: 'ANALYSED' })).toEqual(['rv-analysed', 'rv-both']);
    expect(await listed(auth, { outcomes: ['NOT_RESOLVED'] })).toEqual(['rv-analysed']);
    expect(await listed(auth, { outcomes: ['NOT_RESOLVED'], source: 'REPORTED' })).toEqual([]);
    expect(await listed(auth, { sentiments: ['POSITIVE'] })).toEqual(['rv-both', 'rv-reported']);
    expect(await listed(auth, { sentiments: ['NEGATIVE'], source: 'ANALYSED' })).toEqual(['rv-analysed', 'rv-both']);
    expect(await listed(auth, { sentiments: ['NEGATIVE'], source: 'REPORTED' })).toEqual([]);
    expect(await listed(auth, { topics: ['partner-topic'] })).toEqual(['rv-both', 'rv-reported']);
    expect(await listed(auth, { topics: ['billing', 'nothing-like-it'], source: 'REPORTED' })).toEqual(['rv-reported']);
    expect(await listed(auth, { topics: ['partner-topic'], source: 'ANALYSED' })).toEqual([]);

    await server.graphql(SET_PRECEDENCE, { id: tenant.organizationId, p: 'ANALYSED_FIRST' }, admin());
    expect(await listed(auth, { outcomes: ['RESOLVED'] })).toEqual([]);
    expect(await listed(auth, { outcomes: ['NOT_RESOLVED'] })).toEqual(['rv-analysed', 'rv-both']);
    expect(await listed(auth, { outcomes: ['RESOLVED'], source: 'REPORTED' })).toEqual(['rv-both']);
  });

  it('analyticsOverview aggregates outcomes, sentiment and topics of the filter’s source', async () => {
    const { tenant } = await tenantWithThree();
    const auth = tenant.auth;
    const effective = await overview(auth, null);
    expect(effective.conversations.total).toBe(3);
    expect(effective.outcomes).toEqual([
      { key: 'ESCALATED', count: 1 },
      { key: 'NOT_RESOLVED', count: 1 },
      { key: 'RESOLVED', count: 1 },
    ]);
    expect(effective.sentiment.labels).toEqual([
      { key: 'POSITIVE', count: 2 },
      { key: 'NEGATIVE', count: 1 },
    ]);
    expect(effective.topTopics.find((share: any) => share.key === 'partner-topic')).toEqual({ key: 'partner-topic', count: 2 });

    const reported = await overview(auth, { source: 'REPORTED' });
    expect(reported.conversations.total).toBe(3);
    expect(reported.outcomes).toEqual([
      { key: 'ESCALATED', count: 1 },
      { key: 'RESOLVED', count: 1 },
    ]);
    expect(reported.sentiment).toEqual({ analyzed: 2, labels: [{ key: 'POSITIVE', count: 2 }] });
    expect(reported.topTopics).toEqual([
      { key: 'partner-topic', count: 2 },
      { key: 'billing', count: 1 },
    ]);

    const analysed = await overview(auth, { source: 'ANALYSED' });
    expect(analysed.conversations.total).toBe(3);
    expect(analysed.outcomes).toEqual([{ key: 'NOT_RESOLVED', count: 2 }]); // the ongoing one is not analysed
    expect(analysed.sentiment.analyzed).toBe(2);
    expect(analysed.sentiment.labels).toEqual([{ key: 'NEGATIVE', count: 2 }]);
    expect(analysed.topTopics.some((share: any) => share.key === 'partner-topic')).toBe(false);

    const filtered = await overview(auth, { source: 'ANALYSED', outcomes: ['NOT_RESOLVED'], sentiments: ['NEGATIVE'] });
    expect(filtered.conversations.total).toBe(2);
    const reportedResolved = await overview(auth, { source: 'REPORTED', outcomes: ['RESOLVED'] });
    expect(reportedResolved.conversations.total).toBe(1);
    expect(reportedResolved.outcomes).toEqual([{ key: 'RESOLVED', count: 1 }]);
  });
});

describe('reported and analysed values across organizations', () => {
  it('one organization sees, filters and aggregates nothing of another; its precedence changes only its own conversations', async () => {
    const a = await server.createTenant();
    const b = await server.createTenant();
    const inA = await ingest(a.auth, partnerCall('rv-x', PARTNER_VALUES));
    const inB = await ingest(b.auth, partnerCall('rv-x', PARTNER_VALUES));
    await analyse(a.organizationId);
    await analyse(b.organizationId);

    const foreign = await server.graphql(`query($id: UUID!) { conversation(id: $id) { reported { outcome } analysed { outcome } } }`, { id: inB }, a.auth);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(foreign.data).toBeNull();

    for (const source of ['EFFECTIVE', 'REPORTED', 'ANALYSED']) {
      const list = await server.graphql(
        'query($filter: ConversationFilter) { conversations(filter: $filter) { totalCount edges { node { id reported { outcome } analysed { outcome } } } } }',
        { filter: { source, topics: source === 'ANALYSED' ? null : ['partner-topic'] } },
        a.auth,
      );
      expect(list.data!.conversations.totalCount).toBe(1);
      expect(list.data!.conversations.edges.map((edge: any) => edge.node.id)).toEqual([inA]);
      const overview = await server.graphql(
        `query($filter: ConversationFilter) { analyticsOverview(range: { from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z" }, filter: $filter) { conversations { total } outcomes { key count } } }`,
        { filter: { source } },
        a.auth,
      );
      expect(overview.data!.analyticsOverview.conversations.total).toBe(1);
      expect(overview.data!.analyticsOverview.outcomes.reduce((sum: number, share: any) => sum + share.count, 0)).toBe(1);
    }

    await server.graphql(SET_PRECEDENCE, { id: a.organizationId, p: 'ANALYSED_FIRST' }, admin());
    expect((await read(inA, a.auth)).outcome).toBe('NOT_RESOLVED');
    expect((await read(inB, b.auth)).outcome).toBe('RESOLVED');
    expect((await server.graphql('{ organization { valuePrecedence } }', {}, b.auth)).data!.organization.valuePrecedence).toBe('REPORTED_FIRST');
  });
});
