import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
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

let schema: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({ resolvers: [...resolvers], authChecker, validate: false }).then(acceptPlannedValues);
  return schema;
}

/** The SDL committed as schema.graphql (sorted, so diffs show only real changes). */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
