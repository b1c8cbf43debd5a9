import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createWorker } from '../../src/jobs/workers.js';
import { silentLogger } from '../support/silent-logger.js';
import { startTestServer, TEST_JWT_SECRET, type Auth, type GraphQLResponse, type TestServer } from '../support/test-server.js';
import { startFakeOpenAIServer } from './openai/fake-openai-server.js';

/**
 * Time zones end to end: what is ingested (a zone, or only an offset), the organization's
 * default, and what both providers detect — "tomorrow at 2pm" resolved in the conversation's zone
 * against its end (else start), written with that zone's offset.
 */

let server: TestServer;
let admin: Auth;
beforeAll(async () => {
  server = await startTestServer();
  admin = { token: server.adminToken };
});
afterAll(async () => {
  await server?.stop();
});

const localConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'local', JOB_LEASE_MS: '500' });

const INGEST = `mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { created conversation { id timeZone effectiveTimeZone analysisStatus } } }`;
const INGEST_MANY = `mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { index externalId conversation { id timeZone } error { code message } } }`;
const READ = `query($id: UUID!) { conversation(id: $id) {
  id timeZone effectiveTimeZone startedAt endedAt analysisStatus analysisError
  events { eventType payload source }
  followUps { followUpDate }
} }`;
const ORGANIZATION = 'id name timeZone';
const CREATE_ORG = `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${ORGANIZATION} } }`;
const UPDATE_ORG = `mutation($id: UUID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { ${ORGANIZATION} } }`;
const GET_ORG = `query($id: UUID) { organization(id: $id) { ${ORGANIZATION} } }`;

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

/** A new organization (optionally with a default zone) and an API key of it. */
async function tenantWithZone(timeZone: string | null): Promise<{ organizationId: string; auth: Auth }> {
  const tenant = await server.createTenant();
  if (timeZone !== null) {
    const updated = await server.graphql(UPDATE_ORG, { id: tenant.organizationId, input: { timeZone } }, admin);
    expect(updated.errors, JSON.stringify(updated.errors)).toBeUndefined();
    expect(updated.data!.updateOrganization.timeZone).toBe(timeZone);
  }
  return { organizationId: tenant.organizationId, auth: tenant.auth };
}

/** A call that books a Zoom demo "tomorrow at 2pm" and ends at `endedAt` (written as given: its offset matters). */
function meetingCall(externalId: string, startedAt: string, endedAt: string, timeZone?: string) {
  return {
    externalId,
    channel: 'VOICE',
    startedAt,
    endedAt,
    ...(timeZone === undefined ? {} : { timeZone }),
    agents: [{ externalId: 'leo', name: 'Leo' }],
    contacts: [{ externalId: 'mark' }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Hi Mark, this is Leo from Acme CRM. You downloaded our pricing guide. Can I help you with anything?' },
      { sequence: 1, senderRole: 'USER', contactExternalId: 'mark', content: "Yes, we're looking for a CRM for our call center, but I need to check with my manager before buying anything." },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Makes sense. How about a 30-minute demo on Zoom with your manager? I have tomorrow at 2pm available.' },
      { sequence: 3, senderRole: 'USER', contactExternalId: 'mark', content: 'Tomorrow at 2pm works for me.' },
      { sequence: 4, senderRole: 'AGENT', agentExternalId: 'leo', content: "You're booked! Here's your Zoom link: https://zoom.us/j/98765432100. I've also sent an invite to your email." },
      { sequence: 5, senderRole: 'USER', contactExternalId: 'mark', content: 'Great, see you then.' },
    ],
  };
}

/** A call where the lead asks to be called back "tomorrow at 10am", and another day with no time. */
function callBackCall(externalId: string, startedAt: string, endedAt: string, timeZone?: string) {
  return {
    externalId,
    channel: 'VOICE',
    startedAt,
    endedAt,
    ...(timeZone === undefined ? {} : { timeZone }),
    agents: [{ externalId: 'leo', name: 'Leo' }],
    contacts: [{ externalId: 'olivia' }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Hi Olivia, this is Leo from Summit Test Prep. Did you have a chance to look at the SAT Prep Premium proposal?' },
      { sequence: 1, senderRole: 'USER', contactExternalId: 'olivia', content: 'I did, but BrightPath Tutoring quoted me a lower price for a similar course.' },
      { sequence: 2, senderRole: 'AGENT', agentExternalId: 'leo', content: 'Good to know. Unlike BrightPath Tutoring, our course includes one-on-one tutoring and a score guarantee.' },
      { sequence: 3, senderRole: 'USER', contactExternalId: 'olivia', content: 'I need to think about it. Can you call me back tomorrow at 10am?' },
      { sequence: 4, senderRole: 'AGENT', agentExternalId: 'leo', content: "Of course. I'll call you tomorrow at 10am." },
      { sequence: 5, senderRole: 'USER', contactExternalId: 'olivia', content: 'Sounds good, talk to you then.' },
    ],
  };
}

async function ingest(auth: Auth, input: Record<string, unknown>) {
  const result = await server.graphql(INGEST, { input }, auth);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.ingestConversation.conversation as { id: string; timeZone: string | null; effectiveTimeZone: string; analysisStatus: string };
}

/** Runs the organization's queued analyses with `config`'s provider; returns the conversation as read afterwards. */
async function analyse(organizationId: string, auth: Auth, id: string, config = localConfig) {
  const worker = createWorker(config, server.app.database, silentLogger, undefined, { organizationIds: [organizationId] });
  expect(await worker.runOnce()).toBe(1);
  const read = await server.graphql(READ, { id }, auth);
  expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
  const conversation = read.data!.conversation;
  expect(conversation.analysisError).toBeNull();
  expect(conversation.analysisStatus).toBe('COMPLETED');
  return conversation as {
    timeZone: string | null;
    effectiveTimeZone: string;
    events: Array<{ eventType: string; payload: Record<string, unknown>; source: string }>;
    followUps: Array<{ followUpDate: string }>;
  };
}

const detected = (conversation: Awaited<ReturnType<typeof analyse>>, eventType: string) =>
  conversation.events.filter((event) => event.eventType === eventType && event.source === 'DETECTED').map((event) => event.payload);

describe('the conversation zone, as ingested', () => {
  it('an explicit IANA zone is kept and read back; "tomorrow at 2pm" is the next day there, with its offset', async () => {
    const { organizationId, auth } = await tenantWithZone(null);
    // 23:30 in São Paulo on May 4 is already May 5 in UTC: read in UTC, "tomorrow" would be May 6.
    const conversation = await ingest(auth, meetingCall('sp-meeting', '2026-05-05T02:20:00Z', '2026-05-05T02:30:00Z', 'America/Sao_Paulo'));
    expect(conversation).toMatchObject({ timeZone: 'America/Sao_Paulo', effectiveTimeZone: 'America/Sao_Paulo', analysisStatus: 'PENDING' });
    const analysed = await analyse(organizationId, auth, conversation.id);
    expect(detected(analysed, 'MEETING_SCHEDULED')).toEqual([{ TIME_SCHEDULED: '2026-05-05T14:00:00-03:00', MEETING_CHANNEL: 'ZOOM', LINK: 'https://zoom.us/j/98765432100' }]);
  });

  it('a follow-up "tomorrow at 10am" in the zone: the payload has the offset, the follow-up date is that instant', async () => {
    const { organizationId, auth } = await tenantWithZone(null);
    const conversation = await ingest(auth, callBackCall('sp-callback', '2026-05-05T02:20:00Z', '2026-05-05T02:30:00Z', 'America/Sao_Paulo'));
    const analysed = await analyse(organizationId, auth, conversation.id);
    expect(detected(analysed, 'FOLLOWUP_DETECTION')).toEqual([{ FOLLOWUP_TRY: 1, FOLLOWUP_TIME: '2026-05-05T10:00:00-03:00', FOLLOWUP_TYPE: 'CALL' }]);
    expect(analysed.followUps.map((followUp) => followUp.followUpDate)).toEqual(['2026-05-05T13:00:00.000Z']);
  });

  it('without a zone, the offset startedAt was written with is kept as a fixed-offset zone', async () => {
    const { organizationId, auth } = await tenantWithZone(null);
    const conversation = await ingest(auth, meetingCall('offset-meeting', '2026-05-04T23:20:00-03:00', '2026-05-04T23:30:00-03:00'));
    expect(conversation).toMatchObject({ timeZone: '-03:00', effectiveTimeZone: '-03:00' });
    const analysed = await analyse(organizationId, auth, conversation.id);
    expect(analysed.timeZone).toBe('-03:00');
    expect(detected(analysed, 'MEETING_SCHEDULED')[0]).toMatchObject({ TIME_SCHEDULED: '2026-05-05T14:00:00-03:00' });
  });

  it('a kept offset wins over the organization zone, and stays fixed', async () => {
    const { organizationId, auth } = await tenantWithZone('America/New_York');
    // Saturday 7 March 2026, 20:30 at -05:00; New York changes to -04:00 the next night, a fixed offset does not.
    const conversation = await ingest(auth, meetingCall('ny-offset', '2026-03-07T20:20:00-05:00', '2026-03-07T20:30:00-05:00'));
    expect(conversation).toMatchObject({ timeZone: '-05:00', effectiveTimeZone: '-05:00' });
    const analysed = await analyse(organizationId, auth, conversation.id);
    expect(detected(analysed, 'MEETING_SCHEDULED')[0]).toMatchObject({ TIME_SCHEDULED: '2026-03-08T14:00:00-05:00' });
  });

  it('the same input twice keeps the same zone; a later ingest with a zone replaces a kept offset', async () => {
    const { auth } = await tenantWithZone(null);
    const input = meetingCall('twice', '2026-05-04T23:20:00-03:00', '2026-05-04T23:30:00-03:00');
    const first = await ingest(auth, input);
    const second = await ingest(auth, input);
    expect(second).toEqual(first);
    const zoned = await ingest(auth, { ...input, timeZone: 'America/Sao_Paulo' });
    expect(zoned).toMatchObject({ id: first.id, timeZone: 'America/Sao_Paulo', effectiveTimeZone: 'America/Sao_Paulo' });
  });

  it('an unknown zone is BAD_USER_INPUT naming the field, and nothing is stored; a bulk item fails alone', async () => {
    const { auth } = await tenantWithZone(null);
    for (const timeZone of ['Mars/Olympus', '', 'GMT+3', '-3', '+19:00', 'UTC+1']) {
      const result = await server.graphql(INGEST, { input: meetingCall('bad-zone', '2026-05-04T12:00:00Z', '2026-05-04T12:10:00Z', timeZone) }, auth);
      expect(codeOf(result), timeZone).toBe('BAD_USER_INPUT');
      expect(result.errors![0]!.message).toContain('timeZone');
      expect(result.errors![0]!.extensions!.field).toBe('timeZone');
    }
    const list = await server.graphql('{ conversations { totalCount } }', {}, auth);
    expect(list.data!.conversations.totalCount).toBe(0);

    const bulk = await server.graphql(
      INGEST_MANY,
      { inputs: [meetingCall('bulk-bad', '2026-05-04T12:00:00Z', '2026-05-04T12:10:00Z', 'Nowhere/City'), meetingCall('bulk-good', '2026-05-04T12:00:00Z', '2026-05-04T12:10:00Z', 'Europe/Lisbon')] },
      auth,
    );
    expect(bulk.errors).toBeUndefined();
    expect(bulk.data!.ingestConversations.map((item: any) => [item.externalId, item.error?.code ?? null, item.conversation?.timeZone ?? null])).toEqual([
      ['bulk-bad', 'BAD_USER_INPUT', null],
      ['bulk-good', null, 'Europe/Lisbon'],
    ]);
  });
});

describe('the organization zone', () => {
  it('is set on create, read back, changed and cleared on update; an unknown zone is refused and changes nothing', async () => {
    const created = await server.graphql(CREATE_ORG, { input: { name: 'Zoned Org', timeZone: 'America/Sao_Paulo' } }, admin);
    expect(created.errors).toBeUndefined();
    const { id } = created.data!.createOrganization;
    expect(created.data!.createOrganization).toMatchObject({ name: 'Zoned Org', timeZone: 'America/Sao_Paulo' });
    expect((await server.graphql(GET_ORG, { id }, admin)).data!.organization.timeZone).toBe('America/Sao_Paulo');

    const refused = await server.graphql(UPDATE_ORG, { id, input: { timeZone: 'Atlantis/Capital' } }, admin);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0]!.message).toContain('timeZone');
    expect((await server.graphql(GET_ORG, { id }, admin)).data!.organization.timeZone).toBe('America/Sao_Paulo');

    expect((await server.graphql(UPDATE_ORG, { id, input: { name: 'Renamed Org' } }, admin)).data!.updateOrganization).toMatchObject({ name: 'Renamed Org', timeZone: 'America/Sao_Paulo' });
    expect((await server.graphql(UPDATE_ORG, { id, input: { timeZone: '-00:00' } }, admin)).data!.updateOrganization.timeZone).toBe('+00:00');
    expect((await server.graphql(UPDATE_ORG, { id, input: { timeZone: null } }, admin)).data!.updateOrganization.timeZone).toBeNull();

    const badCreate = await server.graphql(CREATE_ORG, { input: { name: 'Bad Zone Org', timeZone: 'Nowhere' } }, admin);
    expect(codeOf(badCreate)).toBe('BAD_USER_INPUT');
    expect(badCreate.errors![0]!.message).toContain('timeZone');
  });

  it("is set by the organization's own MANAGE credentials (a member too); READ-only is refused, and no other organization changes", async () => {
    const SETTINGS = `mutation($input: OrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { ${ORGANIZATION} valuePrecedence } }`;
    const own = await server.createTenant(['MANAGE']);
    const other = await tenantWithZone('Europe/Lisbon');
    const byKey = await server.graphql(SETTINGS, { input: { timeZone: 'America/Sao_Paulo' } }, own.auth);
    expect(byKey.errors, JSON.stringify(byKey.errors)).toBeUndefined();
    expect(byKey.data!.updateOrganizationSettings).toMatchObject({ id: own.organizationId, timeZone: 'America/Sao_Paulo', valuePrecedence: 'REPORTED_FIRST' });
    const byMember = await server.graphql(SETTINGS, { input: { valuePrecedence: 'ANALYSED_FIRST' } }, { token: server.memberToken(own.organizationId) });
    expect(byMember.errors, JSON.stringify(byMember.errors)).toBeUndefined();
    // Absent keeps the zone; the precedence changed.
    expect(byMember.data!.updateOrganizationSettings).toMatchObject({ timeZone: 'America/Sao_Paulo', valuePrecedence: 'ANALYSED_FIRST' });
    const unknown = await server.graphql(SETTINGS, { input: { timeZone: 'Mars/Olympus' } }, own.auth);
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    const readOnly = await server.createTenant(['READ']);
    const refused = await server.graphql(SETTINGS, { input: { timeZone: 'Asia/Tokyo' } }, readOnly.auth);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const after = await Promise.all([own.organizationId, other.organizationId, readOnly.organizationId].map((id) => server.graphql(GET_ORG, { id }, admin)));
    expect(after.map((read) => read.data!.organization.timeZone)).toEqual(['America/Sao_Paulo', 'Europe/Lisbon', null]);
  });

  it('applies when the conversation has none, across a daylight-saving change (America/New_York, 8 March 2026)', async () => {
    const { organizationId, auth } = await tenantWithZone('America/New_York');
    // Saturday 7 March, 20:30 EST (-05:00); "tomorrow at 2pm" is Sunday 8 March, after the 2am change: EDT (-04:00).
    const conversation = await ingest(auth, meetingCall('ny-dst', '2026-03-08T01:20:00Z', '2026-03-08T01:30:00Z'));
    expect(conversation).toMatchObject({ timeZone: null, effectiveTimeZone: 'America/New_York' });
    const analysed = await analyse(organizationId, auth, conversation.id);
    expect(detected(analysed, 'MEETING_SCHEDULED')[0]).toMatchObject({ TIME_SCHEDULED: '2026-03-08T14:00:00-04:00' });
  });

  it('a conversation zone wins over the organization zone', async () => {
    const { organizationId, auth } = await tenantWithZone('America/New_York');
    const conversation = await ingest(auth, callBackCall('own-wins', '2026-05-05T02:20:00Z', '2026-05-05T02:30:00Z', 'America/Sao_Paulo'));
    expect(conversation.effectiveTimeZone).toBe('America/Sao_Paulo');
    const analysed = await analyse(organizationId, auth, conversation.id);
    expect(detected(analysed, 'FOLLOWUP_DETECTION')[0]).toMatchObject({ FOLLOWUP_TIME: '2026-05-05T10:00:00-03:00' });
  });

  it('neither: UTC, and times are written +00:00', async () => {
    const { organizationId, auth } = await tenantWithZone(null);
    const conversation = await ingest(auth, meetingCall('utc', '2026-05-05T02:20:00Z', '2026-05-05T02:30:00Z'));
    expect(conversation).toMatchObject({ timeZone: null, effectiveTimeZone: 'UTC' });
    const analysed = await analyse(organizationId, auth, conversation.id);
    expect(detected(analysed, 'MEETING_SCHEDULED')[0]).toMatchObject({ TIME_SCHEDULED: '2026-05-06T14:00:00+00:00' });
  });

  it("each organization's conversations read its own zone; another organization's zone is not readable", async () => {
    const lisbon = await tenantWithZone('Europe/Lisbon');
    const tokyo = await tenantWithZone('Asia/Tokyo');
    const inLisbon = await ingest(lisbon.auth, meetingCall('same-external-id', '2026-05-04T12:00:00Z', '2026-05-04T12:10:00Z'));
    const inTokyo = await ingest(tokyo.auth, meetingCall('same-external-id', '2026-05-04T12:00:00Z', '2026-05-04T12:10:00Z'));
    expect([inLisbon.effectiveTimeZone, inTokyo.effectiveTimeZone]).toEqual(['Europe/Lisbon', 'Asia/Tokyo']);
    const crossRead = await server.graphql(READ, { id: inLisbon.id }, tokyo.auth);
    expect(codeOf(crossRead)).toBe('NOT_FOUND');
    const listed = await server.graphql('{ conversations { edges { node { id effectiveTimeZone } } } }', {}, tokyo.auth);
    expect(listed.data!.conversations.edges.map((edge: any) => edge.node)).toEqual([{ id: inTokyo.id, effectiveTimeZone: 'Asia/Tokyo' }]);
    const otherOrganization = await server.graphql(GET_ORG, { id: lisbon.organizationId }, tokyo.auth);
    expect(codeOf(otherOrganization)).toBe('NOT_FOUND');
    expect((await server.graphql(GET_ORG, {}, tokyo.auth)).data!.organization.timeZone).toBe('Asia/Tokyo');
  });
});

describe('the OpenAI provider', () => {
  it('gets the zone and the reference time in the prompt; its times are normalised to the zone offset, a date alone stays a date', async () => {
    const { organizationId, auth } = await tenantWithZone('America/New_York');
    const config = await server.graphql(
      'mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }',
      { input: { dispositionMetrics: [], enabledAnalyses: ['EVENT_DETECTION'] } },
      auth,
    );
    expect(config.errors).toBeUndefined();
    const answer = {
      events: [
        // The model answers in UTC (Z): stored as São Paulo local time with its offset.
        { eventType: 'MEETING_SCHEDULED', eventSubtype: null, payload: { TIME_SCHEDULED: '2026-05-05T17:00:00Z', MEETING_CHANNEL: 'ZOOM', LINK: null }, confidence: 0.9, followUpScore: null, contextStartIndex: 2, contextEndIndex: 4 },
        // Only a day was said: a date, no time, no offset.
        { eventType: 'FOLLOWUP_DETECTION', eventSubtype: null, payload: { FOLLOWUP_TRY: null, FOLLOWUP_TIME: '2026-05-11', FOLLOWUP_TYPE: 'CALL' }, confidence: 0.8, followUpScore: 60, contextStartIndex: 5, contextEndIndex: 5 },
      ],
    };
    const fake = await startFakeOpenAIServer([{ kind: 'completion', content: JSON.stringify(answer) }]);
    try {
      const conversation = await ingest(auth, meetingCall('openai-zoned', '2026-05-05T02:20:00Z', '2026-05-05T02:30:00Z', 'America/Sao_Paulo'));
      const openaiConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, JOB_LEASE_MS: '500' });
      const analysed = await analyse(organizationId, auth, conversation.id, openaiConfig);

      expect(fake.requests).toHaveLength(1);
      const system = fake.requests[0]!.body.messages.find((message) => message.role === 'system')!.content;
      // The reference time is the end (not the start), shown in the conversation's zone, not the organization's.
      expect(system).toContain('Reference time: 2026-05-05T02:30:00.000Z, which is 2026-05-04T23:30:00-03:00 (Monday) in America/Sao_Paulo.');
      expect(system).toContain("write event times as ISO 8601 with America/Sao_Paulo's offset");
      expect(system).not.toContain('America/New_York');

      expect(detected(analysed, 'MEETING_SCHEDULED')).toEqual([{ TIME_SCHEDULED: '2026-05-05T14:00:00-03:00', MEETING_CHANNEL: 'ZOOM' }]);
      expect(detected(analysed, 'FOLLOWUP_DETECTION')).toEqual([{ FOLLOWUP_TIME: '2026-05-11', FOLLOWUP_TYPE: 'CALL' }]);
    } finally {
      await fake.close();
    }
  });

  it('a fixed-offset zone reaches the prompt as UTC-03:00', async () => {
    const { organizationId, auth } = await tenantWithZone(null);
    await server.graphql('mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }', { input: { dispositionMetrics: [], enabledAnalyses: ['EVENT_DETECTION'] } }, auth);
    const fake = await startFakeOpenAIServer([{ kind: 'completion', content: JSON.stringify({ events: [{ eventType: 'MEETING_SCHEDULED', eventSubtype: null, payload: { TIME_SCHEDULED: '2026-05-05T14:00', MEETING_CHANNEL: 'ZOOM', LINK: null }, confidence: 0.9, followUpScore: null, contextStartIndex: 2, contextEndIndex: 4 }] }) }]);
    try {
      const conversation = await ingest(auth, meetingCall('openai-offset', '2026-05-04T23:20:00-03:00', '2026-05-04T23:30:00-03:00'));
      const openaiConfig = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, ANALYSIS_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL, JOB_LEASE_MS: '500' });
      const analysed = await analyse(organizationId, auth, conversation.id, openaiConfig);
      const system = fake.requests[0]!.body.messages.find((message) => message.role === 'system')!.content;
      expect(system).toContain('which is 2026-05-04T23:30:00-03:00 (Monday) in UTC-03:00.');
      // A local time without an offset is read in the zone.
      expect(detected(analysed, 'MEETING_SCHEDULED')).toEqual([{ TIME_SCHEDULED: '2026-05-05T14:00:00-03:00', MEETING_CHANNEL: 'ZOOM' }]);
    } finally {
      await fake.close();
    }
  });
});

describe('disposition metrics of type DATETIME', () => {
  it('are written and read back with the zone offset, in the run result too, and still filter by their instant', async () => {
    const { organizationId, auth } = await tenantWithZone('America/Sao_Paulo');
    const set = await server.graphql(
      `mutation($input: SetAnalysisConfigInput!) { setAnalysisConfig(input: $input) { version } }`,
      { input: { dispositionMetrics: [{ identifier: 'demo_time', prompt: 'When is the demo meeting scheduled?', type: 'DATETIME' }] } },
      auth,
    );
    expect(set.errors, JSON.stringify(set.errors)).toBeUndefined();
    const conversation = await ingest(auth, meetingCall('sp-demo-metric', '2026-05-05T02:20:00Z', '2026-05-05T02:30:00Z'));
    await analyse(organizationId, auth, conversation.id);
    const read = await server.graphql(
      `query($id: UUID!) { conversation(id: $id) { dispositionMetrics { identifier type value } analyses { analysisType result } } }`,
      { id: conversation.id },
      auth,
    );
    expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    const { dispositionMetrics, analyses } = read.data!.conversation as {
      dispositionMetrics: Array<{ identifier: string; type: string; value: unknown }>;
      analyses: Array<{ analysisType: string; result: { metrics?: Array<{ identifier: string; value: unknown }> } }>;
    };
    expect(dispositionMetrics).toEqual([{ identifier: 'demo_time', type: 'DATETIME', value: '2026-05-05T14:00:00-03:00' }]);
    const run = analyses.find((analysis) => analysis.analysisType === 'DISPOSITION_METRICS');
    expect(run?.result.metrics?.map((metric) => [metric.identifier, metric.value])).toEqual([['demo_time', '2026-05-05T14:00:00-03:00']]);

    const FILTERED = `query($filter: ConversationFilter) { conversations(first: 5, filter: $filter) { edges { node { id } } } }`;
    const within = await server.graphql(FILTERED, { filter: { disposition: [{ identifier: 'demo_time', after: '2026-05-05T17:00:00Z', before: '2026-05-05T17:00:01Z' }] } }, auth);
    expect(within.errors, JSON.stringify(within.errors)).toBeUndefined();
    expect(within.data!.conversations.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([conversation.id]);
    const outside = await server.graphql(FILTERED, { filter: { disposition: [{ identifier: 'demo_time', after: '2026-05-05T17:00:01Z' }] } }, auth);
    expect(outside.data!.conversations.edges).toEqual([]);
  });
});
