import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { UUIDScalar } from '../../graphql/scalars.js';
import { WebhookEndpointService } from './webhook-endpoint.service.js';
import { CreatedWebhookEndpoint, CreateWebhookEndpointInput, WebhookDelivery, WebhookDeliveryConnection, WebhookEndpoint } from './webhook.types.js';

const service = (context: GraphQLContext) => new WebhookEndpointService(context.tenant(), context.webhooks);

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Query(() => [WebhookEndpoint], { description: "The organization's webhook endpoints (deleted ones are not listed)" })
  @Authorized('READ')
  webhookEndpoints(@Ctx() context: GraphQLContext) {
    return service(context).list();
  }

  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, oldest first, with every attempt" })
  @Authorized('READ')
  webhookDeliveries(
    @Ctx() context: GraphQLContext,
    @Arg('endpointId', () => UUIDScalar) endpointId: string,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return service(context).deliveries(endpointId, first, after);
  }

  @Mutation(() => CreatedWebhookEndpoint, { description: 'Subscribes a URL to events; the signing secret is returned only here' })
  @Authorized('MANAGE')
  createWebhookEndpoint(@Ctx() context: GraphQLContext, @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput) {
    return service(context).create(input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Deletes an endpoint: no more deliveries, pending ones stop' })
  @Authorized('MANAGE')
  deleteWebhookEndpoint(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar) id: string) {
    return service(context).delete(id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Queues a delivery again (same webhook-id)' })
  @Authorized('MANAGE')
  redeliverWebhook(@Ctx() context: GraphQLContext, @Arg('deliveryId', () => UUIDScalar) deliveryId: string) {
    return service(context).redeliver(deliveryId);
  }
}
