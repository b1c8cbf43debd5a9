/**
 * The load generator: autocannon, in a child process of its own (started by load.ts), so the
 * client's event loop and CPU never share the server's event loop. Receives one LoadJob over IPC,
 * answers with one LoadResult and exits.
 */
import autocannon from 'autocannon';
import { ingestBatches, ingestBody, RUN_PLACEHOLDER } from './ingest-bodies.js';
import type { LoadJob, LoadResult } from './load.js';

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** GraphQL answers errors with HTTP 200 and an `errors` list: count those as failures too. */
function graphqlOk(body: string): boolean {
  return body.startsWith('{"data":') && !body.includes('"errors":[');
}

/** ingestConversations answers per item; an item with an error is a failure. */
function ingestOk(body: string): boolean {
  return graphqlOk(body) && !body.includes('"error":{');
}

async function run(job: LoadJob): Promise<LoadResult> {
  let bodies: string[];
  let messagesPerBody: number[] = [];
  if (job.bodies.kind === 'fixed') {
    bodies = job.bodies.bodies;
  } else {
    const batches = ingestBatches(job.bodies.seed, job.bodies.pool, job.bodies.conversationsPerRequest);
    bodies = batches.map(ingestBody);
    messagesPerBody = batches.map((batch) => batch.messages);
  }
  let counter = 0;
  let messagesSent = 0;
  const nextBody = (): string => {
    const index = counter % bodies.length;
    counter++;
    if (job.bodies.kind === 'fixed') return bodies[index]!;
    messagesSent += messagesPerBody[index]!;
    return bodies[index]!.replaceAll(RUN_PLACEHOLDER, `${job.bodies.runTag}-${counter}`);
  };
  const latencies: number[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const options = {
      url: job.url,
      connections: job.connections,
      ...(job.amount ? { amount: job.amount } : { duration: job.durationSeconds }),
      timeout: job.timeoutSeconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...job.headers },
      requests: [{ method: 'POST', setupRequest: (request: any) => ({ ...request, body: nextBody() }) }],
      verifyBody: job.bodies.kind === 'fixed' ? graphqlOk : ingestOk,
    } as autocannon.Options;
    const instance = autocannon(options, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    connections: job.connections,
    durationSeconds: elapsed,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / elapsed,
    autocannonAverageRps: result.requests.average,
    latency: {
      p50: result.latency.p50,
      p95: percentile(latencies, 95),
      p99: result.latency.p99,
      mean: result.latency.mean,
      max: result.latency.max,
      samples: latencies.length,
      ownP50: percentile(latencies, 50),
      ownP99: percentile(latencies, 99),
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: (result as unknown as { mismatches?: number }).mismatches ?? 0,
    bytesPerSecond: result.throughput.average,
    sent: counter,
    messagesSent,
  };
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: (error as Error).stack ?? String(error) }, () => process.exit(1)),
  );
});
