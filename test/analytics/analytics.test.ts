import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../src/generated/prisma/client.js';
import { startTestServer, type Auth, type TestServer } from '../support/test-server.js';

/**
 * analyticsOverview and dispositionMetricStats against a small fixture whose every answer is
 * computed by hand in the comments below. Range: [2026-11-01T00:00Z, 2026-11-04T00:00Z).
 *
 *        start (UTC)        São Paulo (-3)   status     dur  outcome       endedBy  sentiment        topics            agents
 *  c1    11-01 12:00        11-01 09:00      COMPLETED  100  RESOLVED      USER      0.5 POSITIVE    billing, refund   ana
 *  c2    11-02 02:00        11-01 23:00      COMPLETED  200  NOT_RESOLVED  AGENT    -0.5 NEGATIVE    billing           ana, bruno
 *  c3    11-02 15:00        11-02 12:00      COMPLETED  300  RESOLVED      USER      0.1 NEUTRAL     shipping          bruno
 *  c4    11-03 10:00        11-03 07:00      ONGOING     -   -             -         -               -                 bruno
 *  c6    11-03 20:00 (CHAT) 11-03 17:00      COMPLETED   60  ESCALATED     SYSTEM   -0.2 NEGATIVE    refund            ana
 *  c5    10-30 10:00  (outside the range; its follow-up is due inside it)                              ana
 */

const RANGE = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z' };
const SAO_PAULO = 'America/Sao_Paulo';

let server: TestServer;
let tenant: { organizationId: string; auth: Auth };
let other: { organizationId: string; auth: Auth };
let member: Auth;
const ids: Record<string, string> = {};

const ANA = { externalId: 'ana', name: 'Ana' };
const BRUNO = { externalId: 'bruno', name: 'Bruno' };

function conversation(externalId: string, fields: Record<string, unknown>) {
  return { externalId, channel: 'VOICE', direction: 'INBOUND', ...fields };
}

const stage = (from: string | null, to: string) => ({ eventType: 'SALES_STAGE_CHANGE', payload: from ? { OLD_STAGE: from, NEW_STAGE: to } : { NEW_STAGE: to } });
const followUp = (time: string, type: string) => ({ eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TRY: 1, FOLLOWUP_TIME: time, FOLLOWUP_TYPE: type } });
const call = (agentExternalId: string, functionName: string, status: string, executionTimeMs: number, errorMessage?: string) => ({
  agentExternalId,
  functionName,
  status,
  executionTimeMs,
  errorMessage: errorMessage ?? null,
});

const FIXTURE = [
  conversation('c1', {
    startedAt: '2026-11-01T12:00:00.000Z', endedAt: '2026-11-01T12:01:40.000Z', durationSeconds: 100, outcome: 'RESOLVED', endedBy: 'USER',
    sentimentScore: 0.5, sentimentLabel: 'POSITIVE', topics: ['billing', 'refund'], agents: [ANA],
    actions: [call('ana', 'lookup', 'SUCCESS', 100), call('ana', 'refund', 'FAIL', 300, 'timeout talking to CRM')],
    messages: [{ sequence: 0, senderRole: 'USER', content: 'I want a 100% refund' }],
    tickets: [{ ticketId: 'T1', action: 'CREATED', reason: 'refund' }],
    events: [stage(null, 'LEAD'), stage('LEAD', 'QUALIFIED')],
  }),
  conversation('c2', {
    startedAt: '2026-11-02T02:00:00.000Z', endedAt: '2026-11-02T02:03:20.000Z', durationSeconds: 200, outcome: 'NOT_RESOLVED', endedBy: 'AGENT',
    sentimentScore: -0.5, sentimentLabel: 'NEGATIVE', topics: ['billing'], agents: [ANA, BRUNO],
    messages: [{ sequence: 0, senderRole: 'USER', content: 'A refund, in full' }],
    actions: [
      call('bruno', 'lookup', 'SUCCESS', 200),
      call('bruno', 'lookup', 'TIMEOUT', 1000, 'timeout talking to CRM'),
      call('ana', 'refund', 'FAIL', 500, 'card declined'),
    ],
    tickets: [
      { ticketId: 'T2', action: 'CREATED', reason: 'refund' },
      { ticketId: 'T2', action: 'UPDATED', reason: 'refund' },
    ],
    events: [stage('LEAD', 'QUALIFIED'), { eventType: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'PRICE' } }, followUp('2026-11-03T15:00:00Z', 'CALL')],
  }),
  conversation('c3', {
    startedAt: '2026-11-02T15:00:00.000Z', endedAt: '2026-11-02T15:05:00.000Z', durationSeconds: 300, outcome: 'RESOLVED', endedBy: 'USER',
    sentimentScore: 0.1, sentimentLabel: 'NEUTRAL', topics: ['shipping'], agents: [BRUNO],
    actions: [call('bruno', 'track', 'SUCCESS', 50)],
    events: [stage('QUALIFIED', 'CLOSED_WON'), followUp('2026-11-10T10:00:00Z', 'EMAIL')],
  }),
  conversation('c4', { startedAt: '2026-11-03T10:00:00.000Z', status: 'ONGOING', agents: [BRUNO] }),
  conversation('c6', {
    channel: 'CHAT', startedAt: '2026-11-03T20:00:00.000Z', endedAt: '2026-11-03T20:01:00.000Z', durationSeconds: 60, outcome: 'ESCALATED',
    endedBy: 'SYSTEM', sentimentScore: -0.2, sentimentLabel: 'NEGATIVE', topics: ['refund'], agents: [ANA],
  }),
  conversation('c5', {
    startedAt: '2026-10-30T10:00:00.000Z', endedAt: '2026-10-30T10:16:40.000Z', durationSeconds: 1000, outcome: 'RESOLVED', endedBy: 'USER',
    sentimentScore: 0.9, sentimentLabel: 'POSITIVE', topics: ['billing'], agents: [ANA],
    actions: [call('ana', 'lookup', 'FAIL', 9000, 'outside the range')],
    tickets: [{ ticketId: 'T5', action: 'CREATED', reason: 'outside' }],
    events: [stage('LEAD', 'LOST'), followUp('2026-11-02T13:00:00Z', 'CALL')],
  }),
];

async function ingest(auth: Auth, input: Record<string, unknown>): Promise<string> {
  const result = await server.graphql<{ ingestConversation: { conversation: { id: string } } }>(
    'mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id } } }',
    { input },
    auth,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.ingestConversation.conversation.id;
}

/** Disposition values as an analysis run writes them (one analytics row per conversation). */
async function writeDispositionValues(
  organizationId: string,
  values: Array<{ conversation: string; identifier: string; metricType: Prisma.DispositionValueCreateManyInput['metricType']; value: Record<string, unknown>; superseded?: boolean }>,
) {
  const { db } = server.app.database.forOrganization(organizationId);
  const analysisIds = new Map<string, string>();
  for (const conversationId of new Set(values.map((value) => value.conversation))) {
    const analysis = await db.analysis.create({
      data: { organizationId, conversationId, analysisType: 'DISPOSITION_METRICS', result: {}, origin: 'test' },
    });
    analysisIds.set(conversationId, analysis.id);
  }
  await db.dispositionValue.createMany({
    data: values.map((value) => ({
      organizationId,
      conversationId: value.conversation,
      analysisId: analysisIds.get(value.conversation)!,
      identifier: value.identifier,
      metricType: value.metricType,
      supersededAt: value.superseded ? new Date() : null,
      ...value.value,
    })),
  });
}

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.createTenant();
  other = await server.createTenant();
  member = { token: server.memberToken(tenant.organizationId) };
  for (const input of FIXTURE) ids[input.externalId as string] = await ingest(tenant.auth, input);
  // Another organization with the same agent external ids and metric identifiers, in the same range.
  ids.b1 = await ingest(
    other.auth,
    conversation('b1', {
      startedAt: '2026-11-02T12:00:00.000Z', endedAt: '2026-11-02T12:10:00.000Z', durationSeconds: 600, outcome: 'RESOLVED', endedBy: 'USER',
      sentimentScore: 1, sentimentLabel: 'POSITIVE', topics: ['billing'], agents: [ANA],
      actions: [call('ana', 'lookup', 'FAIL', 7000, 'other tenant error')],
      tickets: [{ ticketId: 'B1', action: 'CREATED', reason: 'refund' }],
      events: [stage('LEAD', 'QUALIFIED'), followUp('2026-11-02T13:00:00Z', 'CALL')],
    }),
  );
  const v = (conversation: string, identifier: string, metricType: any, value: Record<string, unknown>, superseded = false) => ({
    conversation: ids[conversation]!,
    identifier,
    metricType,
    value,
    superseded,
  });
  await writeDispositionValues(tenant.organizationId, [
    v('c1', 'call_reason', 'ENUM', { valueText: 'billing' }),
    v('c2', 'call_reason', 'ENUM', { valueText: 'billing' }),
    v('c3', 'call_reason', 'ENUM', { valueText: 'shipping' }),
    v('c3', 'call_reason', 'ENUM', { valueText: 'billing' }, true), // an earlier run's value: ignored
    v('c6', 'call_reason', 'ENUM', { valueText: 'other' }),
    v('c5', 'call_reason', 'ENUM', { valueText: 'billing' }), // outside the range
    v('c1', 'callback', 'BOOLEAN', { valueBoolean: true }),
    v('c2', 'callback', 'BOOLEAN', { valueBoolean: false }),
    v('c3', 'callback', 'BOOLEAN', { valueBoolean: true }),
    v('c4', 'callback', 'BOOLEAN', { valueBoolean: null }), // unknown: not counted
    v('c1', 'satisfaction', 'INTEGER', { valueNumber: 4 }),
    v('c2', 'satisfaction', 'INTEGER', { valueNumber: 2 }),
    v('c3', 'satisfaction', 'INTEGER', { valueNumber: 5 }),
    v('c6', 'satisfaction', 'INTEGER', { valueNumber: 3 }),
    v('c1', 'callback_time', 'DATETIME', { valueTime: new Date('2026-11-05T10:00:00Z') }),
    v('c2', 'callback_time', 'DATETIME', { valueTime: new Date('2026-11-05T22:00:00Z') }),
    v('c3', 'callback_time', 'DATETIME', { valueTime: new Date('2026-11-06T12:00:00Z') }),
    v('c1', 'product', 'STRING', { valueText: 'Plan A' }),
    v('c2', 'product', 'STRING', { valueText: 'Plan B' }),
    v('c3', 'product', 'STRING', { valueText: 'Plan A' }),
  ]);
  await writeDispositionValues(other.organizationId, [v('b1', 'call_reason', 'ENUM', { valueText: 'other-tenant-reason' })]);
  // Two analysis runs of c1 (one writing two rows with the run's usage) and one of the other tenant.
  const { db } = server.app.database.forOrganization(tenant.organizationId);
  const runId = '0190c0de-0000-7000-8000-000000000001';
  const usage = { promptTokens: 100, completionTokens: 50, totalTokens: 150, costUsd: '0.010000' };
  await db.analysis.createMany({
    data: [
      { organizationId: tenant.organizationId, conversationId: ids.c1!, runId, analysisType: 'SUMMARY', result: {}, origin: 'test', ...usage },
      { organizationId: tenant.organizationId, conversationId: ids.c1!, runId, analysisType: 'OUTCOME', result: {}, origin: 'test', ...usage },
      {
        organizationId: tenant.organizationId, conversationId: ids.c2!, runId: '0190c0de-0000-7000-8000-000000000002', analysisType: 'SUMMARY',
        result: {}, origin: 'test', promptTokens: 10, completionTokens: 5, totalTokens: 15, costUsd: '0.001000',
      },
    ],
  });
});
afterAll(async () => {
  await server?.stop();
});

const OVERVIEW = `query Overview($range: AnalyticsRangeInput!, $filter: ConversationFilter, $timezone: String!, $bucket: TimeBucket!) {
  analyticsOverview(range: $range, filter: $filter, timezone: $timezone, bucket: $bucket) {
    from to timezone bucket
    conversations { total completed ongoing failed }
    duration { count average median p90 min max }
    outcomes { key count share }
    endedBy { key count share }
    sentiment { analyzed average labels { key count share } }
    trend { start total completed averageSentiment averageDurationSeconds }
    topTopics(limit: 10) { key count share }
    events { eventType eventSubtype count }
    salesFunnel { stages { stage conversations } transitions { fromStage toStage count } }
    tickets { action reason count }
    agents { agentId agent { name } conversations resolved resolutionRate averageSentiment averageDurationSeconds
             functionCalls functionCallSuccesses functionCallSuccessRate averageExecutionTimeMs p95ExecutionTimeMs topErrors { message count } }
    followUpsDue { total buckets { start count } byType { key count share } }
    analysisUsage { runs promptTokens completionTokens totalTokens costUsd }
  }
}`;

async function overview(variables: Record<string, unknown>, auth: Auth = member) {
  const result = await server.graphql<{ analyticsOverview: any }>(OVERVIEW, { range: RANGE, timezone: 'UTC', bucket: 'DAY', ...variables }, auth);
  expect(result.errors).toBeUndefined();
  return result.data!.analyticsOverview;
}

describe('analyticsOverview', () => {
  it('answers every section with the hand-computed values (São Paulo days)', async () => {
    const o = await overview({ timezone: SAO_PAULO });
    expect(o.conversations).toEqual({ total: 5, completed: 4, ongoing: 1, failed: 0 });
    // Durations 60, 100, 200, 300: median (100+200)/2; p90 at rank 0.9×3 = 2.7 → 200 + 0.7×100.
    expect(o.duration.count).toBe(4);
    expect(o.duration.average).toBeCloseTo(165, 9);
    expect(o.duration.median).toBeCloseTo(150, 9);
    expect(o.duration.p90).toBeCloseTo(270, 9);
    expect([o.duration.min, o.duration.max]).toEqual([60, 300]);
    expect(o.outcomes).toEqual([
      { key: 'RESOLVED', count: 2, share: 0.5 },
      { key: 'ESCALATED', count: 1, share: 0.25 },
      { key: 'NOT_RESOLVED', count: 1, share: 0.25 },
    ]);
    expect(o.endedBy).toEqual([
      { key: 'USER', count: 2, share: 0.5 },
      { key: 'AGENT', count: 1, share: 0.25 },
      { key: 'SYSTEM', count: 1, share: 0.25 },
    ]);
    // (0.5 − 0.5 + 0.1 − 0.2) / 4
    expect(o.sentiment.analyzed).toBe(4);
    expect(o.sentiment.average).toBeCloseTo(-0.025, 9);
    expect(o.sentiment.labels).toEqual([
      { key: 'NEGATIVE', count: 2, share: 0.5 },
      { key: 'NEUTRAL', count: 1, share: 0.25 },
      { key: 'POSITIVE', count: 1, share: 0.25 },
    ]);
    // São Paulo days covering the range: Oct 31 (empty) … Nov 3; c2 (02:00 UTC) is Nov 1 there.
    expect(o.trend.map((b: any) => [b.start, b.total, b.completed])).toEqual([
      ['2026-10-31T03:00:00.000Z', 0, 0],
      ['2026-11-01T03:00:00.000Z', 2, 2],
      ['2026-11-02T03:00:00.000Z', 1, 1],
      ['2026-11-03T03:00:00.000Z', 2, 1],
    ]);
    expect(o.trend[0].averageSentiment).toBeNull();
    expect(o.trend[1].averageSentiment).toBeCloseTo(0, 9);
    expect(o.trend[1].averageDurationSeconds).toBeCloseTo(150, 9);
    expect(o.trend[2].averageSentiment).toBeCloseTo(0.1, 9);
    expect(o.trend[3].averageSentiment).toBeCloseTo(-0.2, 9);
    expect(o.trend[3].averageDurationSeconds).toBeCloseTo(60, 9);
    expect(o.topTopics).toEqual([
      { key: 'billing', count: 2, share: 0.4 },
      { key: 'refund', count: 2, share: 0.4 },
      { key: 'shipping', count: 1, share: 0.2 },
    ]);
    expect(o.events).toEqual([
      { eventType: 'SALES_STAGE_CHANGE', eventSubtype: null, count: 4 },
      { eventType: 'FOLLOWUP_DETECTION', eventSubtype: null, count: 2 },
      { eventType: 'OBJECTION_DETECTION', eventSubtype: null, count: 1 },
    ]);
    expect(o.salesFunnel).toEqual({
      stages: [
        { stage: 'QUALIFIED', conversations: 2 },
        { stage: 'CLOSED_WON', conversations: 1 },
        { stage: 'LEAD', conversations: 1 },
      ],
      transitions: [
        { fromStage: 'LEAD', toStage: 'QUALIFIED', count: 2 },
        { fromStage: null, toStage: 'LEAD', count: 1 },
        { fromStage: 'QUALIFIED', toStage: 'CLOSED_WON', count: 1 },
      ],
    });
    expect(o.tickets).toEqual([
      { action: 'CREATED', reason: 'refund', count: 2 },
      { action: 'UPDATED', reason: 'refund', count: 1 },
    ]);
    // c5's follow-up (Nov 2 10:00 local) and c2's (Nov 3 12:00 local) are due in the range; c3's is not.
    expect(o.followUpsDue).toEqual({
      total: 2,
      buckets: [
        { start: '2026-10-31T03:00:00.000Z', count: 0 },
        { start: '2026-11-01T03:00:00.000Z', count: 0 },
        { start: '2026-11-02T03:00:00.000Z', count: 1 },
        { start: '2026-11-03T03:00:00.000Z', count: 1 },
      ],
      byType: [{ key: 'CALL', count: 2, share: 1 }],
    });
    // Run 1 wrote two rows carrying its usage once; run 2 one row; the five in-range
    // DISPOSITION_METRICS rows written for the metrics have no run id and no usage: a run each.
    expect(o.analysisUsage.runs).toBe(7);
    expect([o.analysisUsage.promptTokens, o.analysisUsage.completionTokens, o.analysisUsage.totalTokens]).toEqual([110, 55, 165]);
    expect(o.analysisUsage.costUsd).toBeCloseTo(0.011, 9);
  });

  it('computes per-agent conversations, resolution, sentiment, duration and function calls', async () => {
    const o = await overview({});
    const byName = Object.fromEntries(o.agents.map((agent: any) => [agent.agent.name, agent]));
    expect(Object.keys(byName).sort()).toEqual(['Ana', 'Bruno']);
    const ana = byName.Ana;
    // Ana: c1, c2, c6; calls 100 ✓, 300 ✗, 500 ✗ → p95 at rank 1.9 → 300 + 0.9×200.
    expect([ana.conversations, ana.resolved, ana.functionCalls, ana.functionCallSuccesses]).toEqual([3, 1, 3, 1]);
    expect(ana.resolutionRate).toBeCloseTo(1 / 3, 9);
    expect(ana.averageSentiment).toBeCloseTo(-0.2 / 3, 9);
    expect(ana.averageDurationSeconds).toBeCloseTo(120, 9);
    expect(ana.functionCallSuccessRate).toBeCloseTo(1 / 3, 9);
    expect(ana.averageExecutionTimeMs).toBeCloseTo(300, 9);
    expect(ana.p95ExecutionTimeMs).toBeCloseTo(480, 9);
    expect(ana.topErrors).toEqual([
      { message: 'card declined', count: 1 },
      { message: 'timeout talking to CRM', count: 1 },
    ]);
    const bruno = byName.Bruno;
    // Bruno: c2, c3, c4 (no sentiment, no duration); calls 200 ✓, 1000 ✗, 50 ✓ → p95 200 + 0.9×800.
    expect([bruno.conversations, bruno.resolved, bruno.functionCalls, bruno.functionCallSuccesses]).toEqual([3, 1, 3, 2]);
    expect(bruno.averageSentiment).toBeCloseTo(-0.2, 9);
    expect(bruno.averageDurationSeconds).toBeCloseTo(250, 9);
    expect(bruno.functionCallSuccessRate).toBeCloseTo(2 / 3, 9);
    expect(bruno.averageExecutionTimeMs).toBeCloseTo(1250 / 3, 9);
    expect(bruno.p95ExecutionTimeMs).toBeCloseTo(920, 9);
    expect(bruno.topErrors).toEqual([{ message: 'timeout talking to CRM', count: 1 }]);
  });

  it('buckets in UTC by default and by week and month', async () => {
    const utc = await overview({});
    expect(utc.trend.map((b: any) => [b.start, b.total])).toEqual([
      ['2026-11-01T00:00:00.000Z', 1],
      ['2026-11-02T00:00:00.000Z', 2],
      ['2026-11-03T00:00:00.000Z', 2],
    ]);
    const weekly = await overview({ bucket: 'WEEK' });
    // 2026-11-01 is a Sunday: its ISO week starts Monday Oct 26; Nov 2–3 are the next week.
    expect(weekly.trend.map((b: any) => [b.start, b.total])).toEqual([
      ['2026-10-26T00:00:00.000Z', 1],
      ['2026-11-02T00:00:00.000Z', 4],
    ]);
    const monthly = await overview({ bucket: 'MONTH', timezone: 'Asia/Tokyo' });
    expect(monthly.trend.map((b: any) => [b.start, b.total])).toEqual([['2026-10-31T15:00:00.000Z', 5]]);
  });

  it('applies the conversation filter to every section', async () => {
    const bruno = await overview({ filter: { agentId: (await agentId('Bruno'))! } });
    expect(bruno.conversations).toEqual({ total: 3, completed: 2, ongoing: 1, failed: 0 });
    expect(bruno.topTopics.map((t: any) => [t.key, t.count])).toEqual([['billing', 1], ['shipping', 1]]);
    // Bruno's conversations c2, c3 hold one follow-up due in range (c2's).
    expect(bruno.followUpsDue.total).toBe(1);
    const chat = await overview({ filter: { channels: ['CHAT'] } });
    expect(chat.conversations.total).toBe(1);
    expect(chat.outcomes).toEqual([{ key: 'ESCALATED', count: 1, share: 1 }]);
    expect(chat.events).toEqual([]);
    expect(chat.agents.map((a: any) => [a.agent.name, a.conversations, a.functionCalls])).toEqual([['Ana', 1, 0]]);
    const satisfied = await overview({ filter: { disposition: [{ identifier: 'satisfaction', min: 4 }] } });
    expect(satisfied.conversations.total).toBe(2); // c1 (4) and c3 (5)
  });

  it('counts the same conversations as conversations(filter) for every filter', async () => {
    const wide = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
    const filters = [
      {},
      { channels: ['VOICE'] },
      { statuses: ['ONGOING'] },
      { outcomes: ['RESOLVED', 'ESCALATED'] },
      { sentiments: ['NEGATIVE', 'NEUTRAL'] },
      { analysisStatuses: ['COMPLETED'] },
      { agentId: await agentId('Ana') },
      { eventType: 'FOLLOWUP_DETECTION' },
      { text: '100%' },
      { text: 'REFUND' },
      { origin: 'api', externalId: 'c3' },
      { startedAt: { from: '2026-11-02T00:00:00.000Z' } },
      { disposition: [{ identifier: 'call_reason', in: ['billing', 'other'] }] },
      { disposition: [{ identifier: 'callback', is: true }, { identifier: 'product', equals: 'Plan A' }] },
      { disposition: [{ identifier: 'callback_time', after: '2026-11-05T12:00:00Z', before: '2026-11-07T00:00:00Z' }] },
    ];
    for (const filter of filters) {
      const listed = await server.graphql<{ conversations: { totalCount: number } }>(
        'query($filter: ConversationFilter) { conversations(filter: $filter) { totalCount } }',
        { filter },
        member,
      );
      const counted = await server.graphql<{ analyticsOverview: { conversations: { total: number } } }>(
        'query($range: AnalyticsRangeInput!, $filter: ConversationFilter) { analyticsOverview(range: $range, filter: $filter) { conversations { total } } }',
        { range: wide, filter },
        member,
      );
      expect(counted.errors, JSON.stringify(filter)).toBeUndefined();
      expect(counted.data!.analyticsOverview.conversations.total, JSON.stringify(filter)).toBe(listed.data!.conversations.totalCount);
    }
  });

  it('shows one organization nothing of another', async () => {
    const theirs = await overview({}, other.auth);
    expect(theirs.conversations.total).toBe(1);
    expect(theirs.agents.map((a: any) => [a.conversations, a.functionCalls, a.topErrors])).toEqual([[1, 1, [{ message: 'other tenant error', count: 1 }]]]);
    expect(theirs.followUpsDue.total).toBe(1);
    expect(theirs.analysisUsage).toEqual({ runs: 1, promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 });
    // Filtering by the other organization's agent id finds nothing rather than its data.
    const crossed = await overview({ filter: { agentId: await agentId('Ana') } }, other.auth);
    expect(crossed.conversations.total).toBe(0);
    expect(crossed.agents).toEqual([]);
  });

  it('computes the sections selected through fragments, aliases and several limits', async () => {
    const result = await server.graphql(
      `query($range: AnalyticsRangeInput!) { analyticsOverview(range: $range) { ...counts ... on AnalyticsOverview { one: topTopics(limit: 1) { key } } all: topTopics { key count } } }
       fragment counts on AnalyticsOverview { conversations { total } tickets { count } }`,
      { range: RANGE },
      member,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.analyticsOverview).toEqual({
      conversations: { total: 5 },
      tickets: [{ count: 2 }, { count: 1 }],
      one: [{ key: 'billing' }],
      all: [{ key: 'billing', count: 2 }, { key: 'refund', count: 2 }, { key: 'shipping', count: 1 }],
    });
  });

  it('refuses a bad range, time zone, bucket count or limit with BAD_USER_INPUT', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['query { analyticsOverview(range: { from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z" }) { conversations { total } } }', {}],
      ['query { analyticsOverview(range: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" }, timezone: "Mars/Olympus") { conversations { total } } }', {}],
      ['query { analyticsOverview(range: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" }, timezone: "UTC\'; select 1; --") { conversations { total } } }', {}],
      ['query { analyticsOverview(range: { from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }, bucket: HOUR) { conversations { total } } }', {}],
      ['query { analyticsOverview(range: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" }) { topTopics(limit: 0) { key } } }', {}],
    ];
    for (const [query, variables] of cases) {
      const result = await server.graphql(query, variables, member);
      expect(result.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });

  it('needs READ and an organization', async () => {
    const query = `query { analyticsOverview(range: { from: "${RANGE.from}", to: "${RANGE.to}" }) { conversations { total } } }`;
    expect((await server.graphql(query, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await server.graphql(query, {}, { token: server.adminToken })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

const STATS = `query Stats($identifier: String!, $range: AnalyticsRangeInput!, $groupBy: DispositionGroupBy, $timezone: String!, $filter: ConversationFilter) {
  dispositionMetricStats(identifier: $identifier, range: $range, groupBy: $groupBy, timezone: $timezone, filter: $filter) {
    identifier metricType
    overall { ...group }
    groups { ...group }
  }
}
fragment group on DispositionMetricGroup {
  agentId agent { name } bucketStart count choices { key count share } trueCount falseCount trueRate
  average min max median p90 p95 dates { start count } topValues { key count share }
}`;

async function stats(identifier: string, variables: Record<string, unknown> = {}, auth: Auth = member) {
  const result = await server.graphql<{ dispositionMetricStats: any }>(STATS, { identifier, range: RANGE, timezone: 'UTC', ...variables }, auth);
  expect(result.errors).toBeUndefined();
  return result.data!.dispositionMetricStats;
}

async function agentId(name: string): Promise<string | undefined> {
  const result = await server.graphql<{ agents: { edges: Array<{ node: { id: string; name: string } }> } }>('{ agents { edges { node { id name } } } }', {}, member);
  return result.data!.agents.edges.find((edge) => edge.node.name === name)?.node.id;
}

describe('dispositionMetricStats', () => {
  it('ENUM: count per choice, overall and by agent (a conversation counts for each of its agents)', async () => {
    const s = await stats('call_reason', { groupBy: 'AGENT' });
    expect(s.metricType).toBe('ENUM');
    expect(s.overall.count).toBe(4);
    expect(s.overall.choices).toEqual([
      { key: 'billing', count: 2, share: 0.5 },
      { key: 'other', count: 1, share: 0.25 },
      { key: 'shipping', count: 1, share: 0.25 },
    ]);
    expect(s.overall.trueRate).toBeNull();
    const byAgent = Object.fromEntries(s.groups.map((group: any) => [group.agent.name, [group.count, group.choices.map((c: any) => [c.key, c.count])]]));
    expect(byAgent).toEqual({
      Ana: [3, [['billing', 2], ['other', 1]]], // c1, c2, c6
      Bruno: [2, [['billing', 1], ['shipping', 1]]], // c2, c3
    });
  });

  it('BOOLEAN: true rate over known values', async () => {
    const s = await stats('callback');
    expect(s.metricType).toBe('BOOLEAN');
    expect([s.overall.count, s.overall.trueCount, s.overall.falseCount]).toEqual([3, 2, 1]);
    expect(s.overall.trueRate).toBeCloseTo(2 / 3, 9);
    expect(s.groups).toEqual([]);
  });

  it('INTEGER: count, average, min, max and percentiles, by bucket and by agent × day', async () => {
    const s = await stats('satisfaction', { groupBy: 'BUCKET' });
    // 2, 3, 4, 5: median 3.5; p90 at rank 2.7 → 4.7; p95 at 2.85 → 4.85.
    expect(s.overall).toMatchObject({ count: 4, average: 3.5, min: 2, max: 5, median: 3.5 });
    expect(s.overall.p90).toBeCloseTo(4.7, 9);
    expect(s.overall.p95).toBeCloseTo(4.85, 9);
    expect(s.groups.map((g: any) => [g.bucketStart, g.count, g.average])).toEqual([
      ['2026-11-01T00:00:00.000Z', 1, 4],
      ['2026-11-02T00:00:00.000Z', 2, 3.5],
      ['2026-11-03T00:00:00.000Z', 1, 3],
    ]);
    const both = await stats('satisfaction', { groupBy: 'BOTH', timezone: SAO_PAULO });
    const cells = both.groups.map((g: any) => [g.agent.name, g.bucketStart, g.count, g.average]).sort((x: any[], y: any[]) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`));
    expect(cells).toEqual([
      ['Ana', '2026-11-01T03:00:00.000Z', 2, 3], // c1 (4) and c2 (2), both Nov 1 in São Paulo
      ['Ana', '2026-11-03T03:00:00.000Z', 1, 3], // c6
      ['Bruno', '2026-11-01T03:00:00.000Z', 1, 2], // c2
      ['Bruno', '2026-11-02T03:00:00.000Z', 1, 5], // c3
    ]);
  });

  it('DATETIME: values per bucket of the value, in the time zone', async () => {
    const utc = await stats('callback_time');
    expect(utc.overall.dates).toEqual([
      { start: '2026-11-05T00:00:00.000Z', count: 2 },
      { start: '2026-11-06T00:00:00.000Z', count: 1 },
    ]);
    // In Tokyo (+9) the 22:00 UTC value is already Nov 6.
    const tokyo = await stats('callback_time', { timezone: 'Asia/Tokyo' });
    expect(tokyo.overall.dates).toEqual([
      { start: '2026-11-04T15:00:00.000Z', count: 1 },
      { start: '2026-11-05T15:00:00.000Z', count: 2 },
    ]);
  });

  it('STRING: top values', async () => {
    const s = await stats('product');
    expect(s.metricType).toBe('STRING');
    expect(s.overall.count).toBe(3);
    expect(s.overall.topValues.map((v: any) => [v.key, v.count])).toEqual([['Plan A', 2], ['Plan B', 1]]);
    expect(s.overall.topValues[0].share).toBeCloseTo(2 / 3, 9);
  });

  it('filters like conversations, keeps organizations apart, and names unknown metrics', async () => {
    const chat = await stats('call_reason', { filter: { channels: ['CHAT'] } });
    expect(chat.overall.choices).toEqual([{ key: 'other', count: 1, share: 1 }]);
    const theirs = await stats('call_reason', { groupBy: 'BOTH' }, other.auth);
    expect(theirs.overall.choices).toEqual([{ key: 'other-tenant-reason', count: 1, share: 1 }]);
    expect(theirs.groups).toHaveLength(1);
    // A metric the other organization never had is unknown to it, even though this one has it.
    const unknown = await server.graphql(STATS, { identifier: 'satisfaction', range: RANGE, timezone: 'UTC' }, other.auth);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // No values in the range: zero counts, not an error.
    const empty = await stats('satisfaction', { range: { from: '2025-01-01T00:00:00.000Z', to: '2025-02-01T00:00:00.000Z' }, groupBy: 'AGENT' });
    expect(empty.overall).toMatchObject({ count: 0, average: null, median: null });
    expect(empty.groups).toEqual([]);
  });
});
