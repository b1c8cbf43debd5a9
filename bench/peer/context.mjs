// Prepares the benchmark context: the organization under test (the biggest, as bench/run.ts picks it),
// the 50 conversation ids of the detail scenario (the bench's selection), and an API key with READ
// scope created through our API with an admin JWT. Writes CONTEXT (default ./context.json).
// Run from the checkout with `node --import tsx` (imports the app's JWT helper).
//   OURS_URL (http://127.0.0.1:4731)  PERF_JWT_SECRET (as start-ours.sh)  BENCH_DATABASE_URL
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const almaDir = process.env.ALMA_DIR || process.cwd();
const pg = createRequire(path.join(almaDir, 'package.json'))('pg'); // the checkout's pg driver
const { mintJwt } = await import(path.join(almaDir, 'src/auth/jwt.service.ts'));
const oursUrl = process.env.OURS_URL || 'http://127.0.0.1:4731';
const secret = process.env.PERF_JWT_SECRET || 'perf-harness-secret-0123456789abcdef0123456789';
const out = process.env.CONTEXT || 'context.json';
const db = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/alma_bench' });
await db.connect();
const orgRow = (
  await db.query(`SELECT o.uuid, o.name, count(c.uuid)::int AS n FROM organizations o JOIN conversations c ON c.alma_internal_organization = o.uuid
                  WHERE coalesce(o.meta_data ->> 'benchScratch', '') <> 'true' GROUP BY o.uuid, o.name ORDER BY n DESC LIMIT 1`)
).rows[0];
const detailIds = (await db.query(`SELECT uuid FROM conversations WHERE alma_internal_organization = $1 ORDER BY md5(uuid::text) LIMIT 50`, [orgRow.uuid])).rows.map((r) => r.uuid);
const dbSize = (await db.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size, pg_database_size(current_database())::bigint AS bytes`)).rows[0];
await db.end();

const admin = mintJwt({ role: 'admin', subject: 'perf-admin' }, { secret }, 6 * 3600);
const response = await fetch(`${oursUrl}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
  body: JSON.stringify({
    query: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id scopes } } }',
    variables: { input: { organizationId: orgRow.uuid, name: `perf-read-${Date.now()}`, scopes: ['READ'] } },
  }),
});
const json = await response.json();
if (json.errors) throw new Error(JSON.stringify(json.errors));
const context = {
  org: orgRow.uuid, orgName: orgRow.name, orgConversations: orgRow.n, detailIds,
  apiKey: json.data.createApiKey.secret, apiKeyId: json.data.createApiKey.apiKey.id, scopes: json.data.createApiKey.apiKey.scopes,
  database: dbSize,
};
writeFileSync(out, `${JSON.stringify(context, null, 2)}\n`);
console.log(`org ${context.orgName} (${context.org}, ${context.orgConversations} conversations); API key ${context.apiKeyId} scopes ${context.scopes}; ${detailIds.length} detail ids; database ${dbSize.size} → ${out}`);
