import type { WebhookSettings } from '../../config/config.js';
import type { TenantScope } from '../../database/tenant-scope.js';
import { badUserInput, conflict, notFound } from '../../errors/domain-error.js';
import type { WebhookDelivery as WebhookDeliveryRow, WebhookDeliveryAttempt as AttemptRow, WebhookEndpoint as EndpointRow } from '../../generated/prisma/client.js';
import { createdAtPage } from '../../graphql/keyset.js';
import { isUuid } from '../../ingest/ingest.service.js';
import { requireSafeWebhookUrl, type Resolver } from './url-guard.js';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook-events.js';
import { enqueueDelivery } from './webhook-outbox.js';
import { generateWebhookSecret } from './webhook-signing.js';

export const MAX_ENDPOINTS_PER_ORGANIZATION = 50;

export interface CreateWebhookEndpointCommand {
  url: string;
  eventTypes: string[];
  description?: string | null;
}

export type EndpointView = Omit<EndpointRow, 'secret'>;
export type DeliveryView = WebhookDeliveryRow & { webhookId: string; attempts: AttemptRow[] };

function withoutSecret({ secret: _secret, ...endpoint }: EndpointRow): EndpointView {
  return endpoint;
}

/** An organization's webhook endpoints and their deliveries (MANAGE changes, READ lists). */
export class WebhookEndpointService {
  constructor(
    private readonly scope: TenantScope,
    private readonly settings: Pick<WebhookSettings, 'allowPrivateUrls'>,
    private readonly resolve?: Resolver,
  ) {}

  async create(command: CreateWebhookEndpointCommand): Promise<{ endpoint: EndpointView; secret: string }> {
    const url = command.url.trim();
    if (url.length > 2_000) throw badUserInput('url is longer than 2000 characters', { field: 'url' });
    await requireSafeWebhookUrl(url, { allowPrivateUrls: this.settings.allowPrivateUrls, resolve: this.resolve });
    const eventTypes = [...new Set(command.eventTypes)];
    if (eventTypes.length === 0) throw badUserInput('eventTypes must name at least one event type', { field: 'eventTypes', allowed: [...WEBHOOK_EVENT_TYPES] });
    const unknown = eventTypes.filter((type) => !isWebhookEventType(type));
    if (unknown.length) {
      throw badUserInput(`Unknown event type(s): ${unknown.join(', ')}; allowed: ${WEBHOOK_EVENT_TYPES.join(', ')}`, { field: 'eventTypes', allowed: [...WEBHOOK_EVENT_TYPES] });
    }
    const description = command.description?.trim() || null;
    if (description && description.length > 500) throw badUserInput('description is longer than 500 characters', { field: 'description' });
    const count = await this.scope.db.webhookEndpoint.count({ where: { deletedAt: null } });
    if (count >= MAX_ENDPOINTS_PER_ORGANIZATION) throw conflict(`At most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints per organization`);
    const secret = generateWebhookSecret();
    const row = await this.scope.db.webhookEndpoint.create({
      data: { organizationId: this.scope.organizationId, url, eventTypes, description, secret },
    });
    return { endpoint: withoutSecret(row), secret };
  }

  /** Soft delete: the endpoint gets no new deliveries and its pending ones stop. */
  async delete(id: string): Promise<EndpointView> {
    const endpoint = await this.requireEndpoint(id);
    const row = await this.scope.db.webhookEndpoint.update({
      where: { organizationId_id: { organizationId: this.scope.organizationId, id: endpoint.id } },
      data: { deletedAt: new Date() },
    });
    return withoutSecret(row);
  }

  async list(): Promise<EndpointView[]> {
    const rows = await this.scope.db.webhookEndpoint.findMany({ where: { deletedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(withoutSecret);
  }

  /** An endpoint's deliveries, oldest first, each with every attempt (deleted endpoints keep their history). */
  async deliveries(endpointId: string, first: number | null | undefined, after: string | null | undefined) {
    const endpoint = await this.requireEndpoint(endpointId, { includeDeleted: true });
    const { db } = this.scope;
    return createdAtPage<DeliveryView>({
      first,
      after,
      where: { endpointId: endpoint.id },
      findMany: async (args) =>
        (await db.webhookDelivery.findMany({ ...args, include: { attempts: { orderBy: { attemptNumber: 'asc' } } } })).map((row) => ({ ...row, webhookId: row.id })),
      count: (args) => db.webhookDelivery.count(args),
    });
  }

  /** Sends a delivery again with the same webhook-id. */
  async redeliver(deliveryId: string): Promise<DeliveryView> {
    return this.scope.transaction(async (tx) => {
      const { db, organizationId } = tx;
      const delivery = isUuid(deliveryId)
        ? await db.webhookDelivery.findUnique({ where: { organizationId_id: { organizationId, id: deliveryId } }, include: { endpoint: true } })
        : null;
      if (!delivery || delivery.endpoint.deletedAt) throw notFound('Webhook delivery');
      if (delivery.endpoint.status !== 'ACTIVE') throw conflict('The endpoint is DISABLED; deliveries to it are stopped', { endpointId: delivery.endpointId });
      // Locks the delivery row, so two concurrent redeliveries queue one job.
      const updated = await db.webhookDelivery.update({
        where: { organizationId_id: { organizationId, id: delivery.id } },
        data: { status: 'PENDING', nextAttemptAt: new Date() },
        include: { attempts: { orderBy: { attemptNumber: 'asc' } } },
      });
      await enqueueDelivery(tx, delivery.id);
      return { ...updated, webhookId: updated.id };
    });
  }

  private async requireEndpoint(id: string, options: { includeDeleted?: boolean } = {}): Promise<EndpointRow> {
    const endpoint = isUuid(id) ? await this.scope.db.webhookEndpoint.findUnique({ where: { organizationId_id: { organizationId: this.scope.organizationId, id } } }) : null;
    if (!endpoint || (endpoint.deletedAt && !options.includeDeleted)) throw notFound('Webhook endpoint');
    return endpoint;
  }
}
