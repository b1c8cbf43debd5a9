import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { AgentResolver, ContactResolver } from '../agents/agent.resolver.js';
import {
  AgentOverviewResolver,
  AnalyticsOverviewResolver,
  DispositionMetricGroupResolver,
  DispositionMetricStatsResolver,
} from '../analytics/analytics.resolver.js';
import { AnalysisConfigResolver } from '../analysis/analysis-config.resolver.js';
import { ReanalysisResolver } from '../analysis/reanalysis.resolver.js';
import {
  AgentActionResolver,
  AgentUsageResolver,
  ConversationResolver,
  MessageResolver,
  ParticipantResolver,
  TransferResolver,
} from '../conversations/conversation.resolver.js';
import { ConversationChangeResolver } from '../conversations/conversation-change.resolver.js';
import { EventResolver, FollowUpResolver } from '../events/event.resolver.js';
import { IngestResolver } from '../ingest/ingest.resolver.js';
import { OrganizationResolver } from '../organizations/organization.resolver.js';
import { TicketResolver } from '../tickets/ticket.resolver.js';
import { WebhookResolver } from '../webhooks/outbound/webhook.resolver.js';
import { acceptPlannedValues } from '../read-planner/planned-resolvers.js';
import { authChecker } from './auth-checker.js';
import './enums.js';

export const resolvers = [
  OrganizationResolver,
  ConversationResolver,
  ConversationChangeResolver,
  MessageResolver,
  AgentUsageResolver,
  ParticipantResolver,
  TransferResolver,
  AgentActionResolver,
  AgentResolver,
  ContactResolver,
  EventResolver,
  FollowUpResolver,
  TicketResolver,
  IngestResolver,
  AnalysisConfigResolver,
  ReanalysisResolver,
  WebhookResolver,
  AnalyticsOverviewResolver,
  AgentOverviewResolver,
  DispositionMetricStatsResolver,
  DispositionMetricGroupResolver,
] as const;

/**
 * type-graphql insists on a PubSub once there are subscriptions, but ours bring their own
 * `subscribe` (the conversation change feed, fed by LISTEN/NOTIFY); no topic-based one exists.
 */
const noTopicPubSub: PubSub = {
  publish() {
    throw new Error('subscriptions use their own subscribe functions; there is no topic PubSub');
  },
  subscribe() {
    throw new Error('subscriptions use their own subscribe functions; there is no topic PubSub');
  },
};

let schema: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({ resolvers: [...resolvers], authChecker, validate: false, pubSub: noTopicPubSub }).then(acceptPlannedValues);
  return schema;
}

/** The SDL committed as schema.graphql (sorted, so diffs show only real changes). */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
