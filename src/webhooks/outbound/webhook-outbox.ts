import type { TenantScope } from '../../database/tenant-scope.js';
import { orderedUuid } from '../../database/ordered-uuid.js';
import type { WebhookEventType } from './webhook-events.js';

export const DELIVER_WEBHOOK = 'deliver_webhook';
/**
 * The job's own ceiling; the handler stops earlier, after WEBHOOK_MAX_ATTEMPTS (config), so the
 * limit can change without touching queued jobs.
 */
export const DELIVERY_JOB_MAX_ATTEMPTS = 50;

const deliveryJob = (deliveryId: string) => ({
  kind: DELIVER_WEBHOOK,
  dedupeKey: deliveryId,
  payload: { deliveryId },
  maxAttempts: DELIVERY_JOB_MAX_ATTEMPTS,
});

/**
 * The outbox: inside the caller's transaction, one delivery per active endpoint of the
 * organization subscribed to `eventType`, and one delivery job each. Nothing is sent here: the
 * event and its deliveries commit (or roll back) together with the change they announce.
 */
export async function emitWebhookEvent(scope: TenantScope, eventType: WebhookEventType, data: Record<string, unknown>): Promise<string[]> {
  return emitWebhookEvents(scope, eventType, [data]);
}

/**
 * Several events of one type (e.g. a batch of conversations completed together): one query for
 * the subscribed endpoints, then every delivery and its job in one statement. Delivery ids are
 * ordered, so deliveries of one batch list in the order of `events`.
 */
export async function emitWebhookEvents(scope: TenantScope, eventType: WebhookEventType, events: Array<Record<string, unknown>>): Promise<string[]> {
  if (events.length === 0) return [];
  const endpoints = await scope.db.webhookEndpoint.findMany({
    where: { status: 'ACTIVE', deletedAt: null, eventTypes: { has: eventType } },
    select: { id: true },
  });
  if (endpoints.length === 0) return [];
  const timestamp = new Date().toISOString();
  const deliveries = events.flatMap((data) => {
    const payload = { type: eventType, timestamp, data };
    return endpoints.map((endpoint) => {
      const id = orderedUuid();
      return { id, endpointId: endpoint.id, payload, job: deliveryJob(id) };
    });
  });
  await scope.query(
    `WITH src AS (
       SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, "endpointId" uuid, payload jsonb, job jsonb)),
     deliveries AS (
       INSERT INTO webhook_deliveries (alma_internal_organization, uuid, endpoint_uuid, event_type, payload)
       SELECT $1, id, "endpointId", $2::text, payload FROM src)
     INSERT INTO jobs (alma_internal_organization, kind, dedupe_key, payload, max_attempts)
     SELECT $1, job->>'kind', job->>'dedupeKey', job->'payload', (job->>'maxAttempts')::int FROM src`,
    [eventType, JSON.stringify(deliveries)],
  );
  return deliveries.map((delivery) => delivery.id);
}

/** Queues one more delivery job for an existing delivery (redelivery), unless one is pending. */
export async function enqueueDelivery(scope: TenantScope, deliveryId: string): Promise<boolean> {
  const pending = await scope.db.job.findFirst({
    where: { kind: DELIVER_WEBHOOK, dedupeKey: deliveryId, status: { in: ['QUEUED', 'RUNNING'] } },
    select: { id: true },
  });
  if (pending) return false;
  await scope.db.job.create({ data: { organizationId: scope.organizationId, ...deliveryJob(deliveryId) } });
  return true;
}
