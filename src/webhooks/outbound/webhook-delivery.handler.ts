import type { WebhookSettings } from '../../config/config.js';
import type { Database } from '../../database/database.js';
import type { Job } from '../../database/job-store.js';
import type { JobHandler } from '../../jobs/worker.js';
import type { Logger } from '../../logging/logger.js';
import http from 'node:http';
import https from 'node:https';
import type { Metrics } from '../../observability/metrics.js';
import { withTraceHeaders } from '../../observability/tracing.js';
import { guardedLookup, parseWebhookUrl, UnsafeUrlError, type Resolver, type UrlGuardOptions } from './url-guard.js';
import { signWebhook } from './webhook-signing.js';

export const MAX_RESPONSE_BODY_BYTES = 1024;
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** A failed attempt; `permanent` ones are not retried. */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly options: { permanent?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

interface AttemptResult {
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  retryAfterMs?: number;
}

/**
 * Delivers one outbox row: POSTs the stored payload, signed per Standard Webhooks, records the
 * attempt, and marks the delivery SUCCEEDED on a 2xx. Anything else throws, and the worker
 * retries with exponential backoff (Retry-After is honoured on 429/503). After the last attempt
 * the delivery is FAILED and counts toward disabling its endpoint.
 */
export function webhookDeliveryHandler(
  database: Database,
  settings: WebhookSettings,
  logger: Logger,
  options: { resolve?: Resolver; metrics?: Metrics } = {},
): JobHandler {
  const count = (outcome: 'succeeded' | 'failed' | 'gave_up' | 'skipped') => options.metrics?.webhookDeliveries.inc({ outcome });
  return {
    async run(job: Job, signal: AbortSignal) {
      const { deliveryId } = job.payload as { deliveryId: string };
      const scope = database.forOrganization(job.organizationId);
      const { db, organizationId } = scope;
      const delivery = await db.webhookDelivery.findUnique({
        where: { organizationId_id: { organizationId, id: deliveryId } },
        include: { endpoint: true },
      });
      if (!delivery) throw new WebhookDeliveryError('The delivery no longer exists', { permanent: true });
      const { endpoint } = delivery;
      if (endpoint.deletedAt || endpoint.status !== 'ACTIVE') {
        count('skipped');
        throw new WebhookDeliveryError(endpoint.deletedAt ? 'The endpoint was deleted' : 'The endpoint is disabled', { permanent: true });
      }

      const counted = await db.webhookDelivery.update({
        where: { organizationId_id: { organizationId, id: deliveryId } },
        data: { attemptCount: { increment: 1 }, status: 'PENDING', nextAttemptAt: null },
        select: { attemptCount: true },
      });
      const attemptNumber = counted.attemptCount;
      const attemptedAt = new Date();
      const started = performance.now();
      let result: AttemptResult;
      try {
        const guard = { allowPrivateUrls: settings.allowPrivateUrls, resolve: options.resolve };
        const url = parseWebhookUrl(endpoint.url, guard);
        result = await post(url, guard, endpoint.secret, delivery.id, JSON.stringify(delivery.payload), settings.timeoutMs, signal);
      } catch (error) {
        result = { statusCode: null, responseBody: null, error: describe(error) };
      }
      const durationMs = Math.round(performance.now() - started);
      await db.webhookDeliveryAttempt.create({
        data: {
          organizationId,
          deliveryId,
          attemptNumber,
          statusCode: result.statusCode,
          durationMs,
          error: result.error,
          responseBody: result.responseBody,
          attemptedAt,
        },
      });

      if (result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300) {
        await scope.transaction(async (tx) => {
          await tx.db.webhookDelivery.update({
            where: { organizationId_id: { organizationId, id: deliveryId } },
            data: { status: 'SUCCEEDED', deliveredAt: new Date(), nextAttemptAt: null },
          });
          await tx.db.webhookEndpoint.updateMany({ where: { id: endpoint.id, consecutiveFailures: { not: 0 } }, data: { consecutiveFailures: 0 } });
        });
        logger.debug({ organizationId, deliveryId, attemptNumber, durationMs }, 'webhook delivered');
        count('succeeded');
        return;
      }
      const reason = result.error ?? `HTTP ${result.statusCode}`;
      const last = job.attempts >= settings.maxAttempts;
      count(last ? 'gave_up' : 'failed');
      throw new WebhookDeliveryError(reason, { permanent: last, retryAfterMs: result.retryAfterMs });
    },

    async onFinalFailure(job: Job, reason: string) {
      const { deliveryId } = job.payload as { deliveryId: string };
      const scope = database.forOrganization(job.organizationId);
      await scope.transaction(async (tx) => {
        const { db, organizationId } = tx;
        const delivery = await db.webhookDelivery.findUnique({ where: { organizationId_id: { organizationId, id: deliveryId } }, include: { endpoint: true } });
        if (!delivery || delivery.status === 'SUCCEEDED') return;
        await db.webhookDelivery.update({ where: { organizationId_id: { organizationId, id: deliveryId } }, data: { status: 'FAILED', nextAttemptAt: null } });
        const { endpoint } = delivery;
        // Deliveries stopped because the endpoint was deleted or disabled do not count against it.
        if (endpoint.deletedAt || endpoint.status !== 'ACTIVE') return;
        const updated = await db.webhookEndpoint.update({
          where: { organizationId_id: { organizationId, id: endpoint.id } },
          data: { consecutiveFailures: { increment: 1 } },
        });
        if (updated.consecutiveFailures >= settings.disableAfterFailures) {
          await db.webhookEndpoint.update({
            where: { organizationId_id: { organizationId, id: endpoint.id } },
            data: { status: 'DISABLED', disabledReason: `${updated.consecutiveFailures} consecutive deliveries failed; last: ${reason}` },
          });
          logger.warn({ organizationId, endpointId: endpoint.id, failures: updated.consecutiveFailures }, 'webhook endpoint disabled');
        }
      });
    },

    isPermanent: (error) => error instanceof WebhookDeliveryError && error.options.permanent === true,
    retryAfterMs: (error) => (error instanceof WebhookDeliveryError ? error.options.retryAfterMs : undefined),
  };
}

/**
 * POSTs over node:http(s) with the URL guard as the socket's DNS lookup: the address connected
 * to is the one checked (no second resolution by fetch). Redirects are not followed: a 3xx could
 * lead to an address the guard refuses, so it is a failed attempt.
 */
function post(url: URL, guard: UrlGuardOptions, secret: string, webhookId: string, body: string, timeoutMs: number, signal: AbortSignal): Promise<AttemptResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(timeoutMs);
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<AttemptResult>((resolve, rejectWith) => {
    const reject = (error: unknown) => rejectWith(timeout.aborted ? Object.assign(new Error('timed out'), { name: 'TimeoutError' }) : error);
    const outgoing = request(
      url,
      {
        method: 'POST',
        // `traceparent` of the delivery job's span when tracing is on.
        headers: withTraceHeaders({
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'alma-analytics-webhooks/1',
          'webhook-id': webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, webhookId, timestamp, body),
        }),
        lookup: guardedLookup(guard) as unknown as http.RequestOptions['lookup'],
        agent: false,
        signal: AbortSignal.any([signal, timeout]),
      },
      (response) => {
        readPrefix(response, MAX_RESPONSE_BODY_BYTES).then((responseBody) => {
          const status = response.statusCode ?? 0;
          const retryAfter = response.headers['retry-after'];
          const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0]! : (retryAfter ?? null)) : undefined;
          resolve({ statusCode: status, responseBody, error: null, retryAfterMs });
        }, reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** At most `limit` bytes of the response body (the rest is not read). */
async function readPrefix(response: http.IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= limit) break;
    }
  } finally {
    response.destroy();
  }
  const text = Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  return text === '' ? null : text.replace(/\uFFFD$/, '');
}

export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  const ms = Number.isFinite(seconds) ? seconds * 1000 : new Date(header).getTime() - Date.now();
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

function describe(error: unknown): string {
  if (error instanceof UnsafeUrlError) return error.message;
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timed out';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return `${error.message} (${cause.code})`;
    // A refusal by the guard inside the connection's lookup comes back as the request's error.
    const code = (error as NodeJS.ErrnoException).code;
    if (code && !error.message.includes(code)) return `${error.message} (${code})`;
    return error.message;
  }
  return String(error);
}
