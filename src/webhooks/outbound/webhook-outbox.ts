import { randomUUID } from 'node:crypto';
import type { TenantScope } from '../../database/tenant-scope.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { WebhookEventType } from './webhook-events.js';

export const DELIVER_WEBHOOK = 'deliver_webhook';
/**
 * The job's own ceiling; the handler stops earlier, after WEBHOOK_MAX_ATTEMPTS (config), so the
 * limit can change without touching queued jobs.
 */
export const DELIVERY_JOB_MAX_ATTEMPTS = 50;

/**
 * The outbox: inside the caller's transaction, one delivery per active endpoint of the
 * organization subscribed to `eventType`, and one delivery job each. Nothing is sent here: the
 * event and its deliveries commit (or roll back) together with the change they announce.
 */
export async function emitWebhookEvent(scope: TenantScope, eventType: WebhookEventType, data: Record<string, unknown>): Promise<string[]> {
  const endpoints = await scope.db.webhookEndpoint.findMany({
    where: { status: 'ACTIVE', deletedAt: null, eventTypes: { has: eventType } },
    select: { id: true },
  });
  if (endpoints.length === 0) return [];
  const payload = { type: eventType, timestamp: new Date().toISOString(), data } as Prisma.InputJsonValue;
  const deliveries = endpoints.map((endpoint) => ({ id: randomUUID(), endpointId: endpoint.id }));
  await scope.db.webhookDelivery.createMany({
    data: deliveries.map((delivery) => ({ organizationId: scope.organizationId, id: delivery.id, endpointId: delivery.endpointId, eventType, payload })),
  });
  await scope.db.job.createMany({
    data: deliveries.map((delivery) => ({
      organizationId: scope.organizationId,
      kind: DELIVER_WEBHOOK,
      dedupeKey: delivery.id,
      payload: { deliveryId: delivery.id },
      maxAttempts: DELIVERY_JOB_MAX_ATTEMPTS,
    })),
  });
  return deliveries.map((delivery) => delivery.id);
}

/** Queues one more delivery job for an existing delivery (redelivery), unless one is pending. */
export async function enqueueDelivery(scope: TenantScope, deliveryId: string): Promise<boolean> {
  const pending = await scope.db.job.findFirst({
    where: { kind: DELIVER_WEBHOOK, dedupeKey: deliveryId, status: { in: ['QUEUED', 'RUNNING'] } },
    select: { id: true },
  });
  if (pending) return false;
  await scope.db.job.create({
    data: { organizationId: scope.organizationId, kind: DELIVER_WEBHOOK, dedupeKey: deliveryId, payload: { deliveryId }, maxAttempts: DELIVERY_JOB_MAX_ATTEMPTS },
  });
  return true;
}
