/**
 * `npm run seed:demo` — with the server running (`npm start`), creates a demo organization, an
 * API key for it, and ingests realistic conversations through the public GraphQL API; prints the
 * key once the server's worker has analysed them. Options (env): ALMA_URL (default
 * http://localhost:4000), DEMO_CONVERSATIONS (default 200), DEMO_WAIT (default true: wait for the analyses).
 */
import { loadConfig, loadDotEnv } from '../src/config/config.js';
import { mintJwt, resolveJwtSettings } from '../src/auth/jwt.service.js';
import { generateDemoConversations } from '../src/demo/demo-conversations.js';

loadDotEnv();
const baseUrl = process.env.ALMA_URL ?? `http://localhost:${process.env.PORT ?? 4000}`;
const count = Number(process.env.DEMO_CONVERSATIONS ?? 200);
const config = loadConfig();
const adminToken = mintJwt({ role: 'admin', subject: 'seed-demo' }, await resolveJwtSettings(config.auth, config.dataDir), 600);

async function graphql<Data>(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Data> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  return body.data as Data;
}

/** Polls until every completed conversation's analysis has finished (or failed), printing progress. */
async function waitForAnalyses(apiKey: string, timeoutMs = 10 * 60_000) {
  const query = `{
    completed: conversations(first: 1, filter: { statuses: [COMPLETED] }) { totalCount }
    finished: conversations(first: 1, filter: { statuses: [COMPLETED], analysisStatuses: [COMPLETED, FAILED] }) { totalCount }
  }`;
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    const counts = await graphql<{ completed: { totalCount: number }; finished: { totalCount: number } }>(query, {}, { 'x-api-key': apiKey });
    if (counts.finished.totalCount !== last) console.log(`analysed ${counts.finished.totalCount} of ${counts.completed.totalCount} completed conversations`);
    last = counts.finished.totalCount;
    if (counts.finished.totalCount >= counts.completed.totalCount) return;
    if (Date.now() > deadline) {
      console.log('still analysing (is the worker running? WORKER_ENABLED, or npm run worker); not waiting any longer');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

try {
  const admin = { authorization: `Bearer ${adminToken}` };
  const { createOrganization } = await graphql<{ createOrganization: { id: string } }>(
    'mutation($name: String!) { createOrganization(input: { name: $name, metaData: { demo: true } }) { id } }',
    { name: `Demo Org ${new Date().toISOString().slice(0, 16)}` },
    admin,
  );
  const { createApiKey } = await graphql<{ createApiKey: { secret: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
    { input: { organizationId: createOrganization.id, name: 'demo key', scopes: ['READ', 'INGEST', 'MANAGE'] } },
    admin,
  );
  const conversations = generateDemoConversations({ count, now: new Date() });
  let stored = 0;
  for (let start = 0; start < conversations.length; start += 50) {
    const batch = conversations.slice(start, start + 50);
    const { ingestConversations } = await graphql<{ ingestConversations: Array<{ error: { message: string } | null }> }>(
      'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { error { message } } }',
      { inputs: batch },
      { 'x-api-key': createApiKey.secret },
    );
    const failed = ingestConversations.filter((item) => item.error);
    if (failed.length) throw new Error(`ingest failed: ${failed[0]!.error!.message}`);
    stored += batch.length;
  }
  console.log(`Demo organization ${createOrganization.id}: ${stored} conversations.`);
  // The server's worker analyses completed conversations in the background; wait for it, so that
  // the README's first query shows finished analyses (DEMO_WAIT=false skips this).
  if (process.env.DEMO_WAIT !== 'false') await waitForAnalyses(createApiKey.secret);
  console.log(`API key (shown once):\n  ${createApiKey.secret}`);
  console.log(`Member token for a dashboard:\n  ${mintJwt({ role: 'member', organizationId: createOrganization.id, subject: 'demo-user' }, await resolveJwtSettings(config.auth, config.dataDir))}`);
} catch (error) {
  console.error(`seed:demo failed (is the server running at ${baseUrl}?): ${(error as Error).message}`);
  process.exit(1);
}
