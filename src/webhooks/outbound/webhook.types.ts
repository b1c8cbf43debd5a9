import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { WebhookDeliveryStatus, WebhookEndpointStatus } from '../../generated/prisma/enums.js';
import { ConnectionType } from '../../graphql/connection.js';
import '../../graphql/enums.js';
import { DateTimeScalar, JSONScalar, UUIDScalar } from '../../graphql/scalars.js';

@ObjectType({ description: 'An outbound webhook subscription of the organization (the signing secret is shown only at creation)' })
export class WebhookEndpoint {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String) url!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String], { description: 'conversation.completed, conversation.analysisCompleted' }) eventTypes!: string[];
  @Field(() => WebhookEndpointStatus) status!: WebhookEndpointStatus;
  @Field(() => String, { nullable: true, description: 'Why the endpoint was disabled' }) disabledReason!: string | null;
  @Field(() => Int, { description: 'Deliveries that finally failed in a row (reset by a success)' }) consecutiveFailures!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType({ description: 'A new endpoint and its signing secret' })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field(() => String, { description: 'Standard Webhooks signing secret (whsec_…); shown once, store it now' }) secret!: string;
}

@ObjectType({ description: 'One HTTP attempt of a delivery' })
export class WebhookDeliveryAttempt {
  @Field(() => Int) attemptNumber!: number;
  @Field(() => Int, { nullable: true, description: 'null when no HTTP response was received' }) statusCode!: number | null;
  @Field(() => Int) durationMs!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true, description: 'The start of the response body (at most 1 KB)' }) responseBody!: string | null;
  @Field(() => DateTimeScalar) attemptedAt!: Date;
}

@ObjectType({ description: 'One event for one endpoint, retried until delivered' })
export class WebhookDelivery {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => UUIDScalar, { description: 'The webhook-id header, the same on every attempt (equals id)' }) webhookId!: string;
  @Field(() => UUIDScalar) endpointId!: string;
  @Field(() => String) eventType!: string;
  @Field(() => JSONScalar, { description: 'The body sent: { type, timestamp, data }' }) payload!: unknown;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attemptCount!: number;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => [WebhookDeliveryAttempt], { description: 'Every attempt, oldest first' }) attempts!: WebhookDeliveryAttempt[];
}

export const WebhookDeliveryConnection = ConnectionType('WebhookDelivery', WebhookDelivery);

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'http(s) URL that receives POSTs' }) url!: string;
  @Field(() => [String], { description: 'conversation.completed and/or conversation.analysisCompleted' }) eventTypes!: string[];
  @Field(() => String, { nullable: true }) description?: string | null;
}
