import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const SET = `mutation($input: SetAnalysisConfigInput!) {
  setAnalysisConfig(input: $input) { version appliesTo agentId summaryPrompt enabledAnalyses dispositionMetrics { identifier prompt type choices } }
}`;
const GET = `query($agentId: UUID) { analysisConfig(agentId: $agentId) { version appliesTo agentId summaryPrompt enabledAnalyses dispositionMetrics { identifier type choices } } }`;

const salesMetrics = [
  { identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM', choices: ['yes', 'no', 'unclear'] },
  { identifier: 'user_name', prompt: "What is the user's name? Return 'unknown' if not mentioned.", type: 'STRING' },
];

async function tenantWithAgents() {
  const tenant = await server.createTenant();
  const agents = await server.graphql(
    'mutation { upsertAgents(agents: [{ externalId: "sales-bot" }, { externalId: "support-bot" }]) { id externalId } }',
    {},
    tenant.auth,
  );
  const [sales, support] = agents.data!.upsertAgents.map((agent: any) => agent.id);
  return { ...tenant, sales, support };
}

describe('analysis config (seed 002)', () => {
  it('starts from the built-in default: every analysis, no metrics, version 0', async () => {
    const tenant = await tenantWithAgents();
    const result = await server.graphql(GET, {}, tenant.auth);
    expect(result.data!.analysisConfig).toEqual({
      version: 0,
      appliesTo: 'DEFAULT',
      agentId: null,
      summaryPrompt: null,
      enabledAnalyses: ['SENTIMENT_ANALYSIS', 'TOPICS_DETECTED', 'SUMMARY', 'OUTCOME', 'DISPOSITION_METRICS', 'EVENT_DETECTION'],
      dispositionMetrics: [],
    });
  });

  it("versions every change; an agent's config overrides the organization's and says which applied", async () => {
    const tenant = await tenantWithAgents();
    const organizationLevel = await server.graphql(SET, { input: { summaryPrompt: ' Summarize briefly. ', dispositionMetrics: salesMetrics, enabledAnalyses: ['SUMMARY', 'DISPOSITION_METRICS'] } }, tenant.auth);
    expect(organizationLevel.data!.setAnalysisConfig).toEqual({
      version: 1,
      appliesTo: 'ORGANIZATION',
      agentId: null,
      summaryPrompt: 'Summarize briefly.',
      enabledAnalyses: ['SUMMARY', 'DISPOSITION_METRICS'],
      dispositionMetrics: [
        { identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM', choices: ['yes', 'no', 'unclear'] },
        { identifier: 'user_name', prompt: "What is the user's name? Return 'unknown' if not mentioned.", type: 'STRING', choices: null },
      ],
    });
    const agentLevel = await server.graphql(SET, { input: { agentId: tenant.sales, dispositionMetrics: [{ identifier: 'meeting_at', prompt: 'When is the meeting?', type: 'DATETIME' }] } }, tenant.auth);
    expect(agentLevel.data!.setAnalysisConfig).toMatchObject({ version: 2, appliesTo: 'AGENT', agentId: tenant.sales });

    expect((await server.graphql(GET, { agentId: tenant.sales }, tenant.auth)).data!.analysisConfig).toMatchObject({
      version: 2,
      appliesTo: 'AGENT',
      dispositionMetrics: [{ identifier: 'meeting_at', type: 'DATETIME', choices: null }],
    });
    expect((await server.graphql(GET, { agentId: tenant.support }, tenant.auth)).data!.analysisConfig).toMatchObject({ version: 1, appliesTo: 'ORGANIZATION' });
    expect((await server.graphql(GET, {}, tenant.auth)).data!.analysisConfig).toMatchObject({ version: 1, appliesTo: 'ORGANIZATION' });

    const changed = await server.graphql(SET, { input: { dispositionMetrics: [] } }, tenant.auth);
    expect(changed.data!.setAnalysisConfig.version).toBe(3);
    const history = await server.graphql('{ analysisConfigHistory { version appliesTo } }', {}, tenant.auth);
    expect(history.data!.analysisConfigHistory).toEqual([
      { version: 3, appliesTo: 'ORGANIZATION' },
      { version: 2, appliesTo: 'AGENT' },
      { version: 1, appliesTo: 'ORGANIZATION' },
    ]);
  });

  it('refuses invalid metrics with BAD_USER_INPUT and stores nothing', async () => {
    const tenant = await tenantWithAgents();
    const invalid: Array<[unknown, RegExp]> = [
      [[{ identifier: 'interest', prompt: 'Interested?', type: 'ENUM' }], /dispositionMetrics\.0\.choices: ENUM metrics need at least two choices/],
      [[{ identifier: 'name', prompt: 'Name?', type: 'STRING', choices: ['a', 'b'] }], /choices are only for ENUM metrics/],
      [[{ identifier: 'x', prompt: 'a', type: 'BOOLEAN' }, { identifier: 'x', prompt: 'b', type: 'BOOLEAN' }], /x is used twice/],
      [[{ identifier: '1bad id', prompt: 'a', type: 'BOOLEAN' }], /identifier: must start with a letter/],
      [[{ identifier: 'empty', prompt: '  ', type: 'INTEGER' }], /prompt: must not be empty/],
      [[{ identifier: 'dup_choice', prompt: 'a', type: 'ENUM', choices: ['yes', 'yes'] }], /choices must be distinct/],
    ];
    for (const [dispositionMetrics, message] of invalid) {
      const result = await server.graphql(SET, { input: { dispositionMetrics } }, tenant.auth);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(dispositionMetrics)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    const unknownAgent = await server.graphql(SET, { input: { agentId: '00000000-0000-4000-8000-000000000000', dispositionMetrics: [] } }, tenant.auth);
    expect(unknownAgent.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await server.graphql('{ analysisConfigHistory { version } }', {}, tenant.auth)).data!.analysisConfigHistory).toEqual([]);
  });

  it('needs MANAGE to change and READ to see', async () => {
    const tenant = await tenantWithAgents();
    const readOnly = await server.graphql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
      { input: { name: 'reader', scopes: ['READ'] } },
      tenant.auth,
    );
    const reader = { apiKey: readOnly.data!.createApiKey.secret };
    expect((await server.graphql(SET, { input: { dispositionMetrics: [] } }, reader)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await server.graphql(GET, {}, reader)).data!.analysisConfig.version).toBe(0);
    const member = await server.graphql(SET, { input: { dispositionMetrics: [] } }, { token: server.memberToken(tenant.organizationId) });
    expect(member.data!.setAnalysisConfig.version).toBe(1);
  });

  it('numbers concurrent changes without gaps or duplicates', async () => {
    const tenant = await tenantWithAgents();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) => server.graphql(SET, { input: { summaryPrompt: `v${index}`, dispositionMetrics: [] } }, tenant.auth)),
    );
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    expect(results.map((result) => result.data!.setAnalysisConfig.version).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
