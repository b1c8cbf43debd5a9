import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Float, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { Agent, Contact } from '../agents/agent.types.js';
import { conversationTimeZone } from '../analysis/zoned-time.js';
import { Event, FollowUp } from '../events/event.types.js';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../graphql/connection.js';
import type { GraphQLContext } from '../graphql/context.js';
import { UUIDScalar } from '../graphql/scalars.js';
import { ConversationService } from './conversation.service.js';
import { derivedSuccessRate, SUCCESS_RATE_DESCRIPTION } from './success-rate.js';
import {
  AgentAction,
  AgentUsage,
  Analysis,
  Conversation,
  ConversationConnection,
  ConversationFilter,
  ConversationMetrics,
  ConversationOrder,
  ConversationValues,
  DispositionMetricValue,
  Message,
  MessageConnection,
  Participant,
  Sentiment,
  Ticket,
  Transfer,
} from './conversation.types.js';

@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => ConversationConnection)
  @Authorized('READ')
  conversations(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => ConversationFilter, { nullable: true }) filter?: ConversationFilter | null,
    @Arg('orderBy', () => ConversationOrder, { nullable: true, defaultValue: ConversationOrder.STARTED_AT_DESC }) orderBy?: ConversationOrder,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ) {
    return new ConversationService(context.tenant()).list(filter, orderBy ?? ConversationOrder.STARTED_AT_DESC, first, after, context.readPlanner ? info : undefined);
  }

  @Query(() => Conversation)
  @Authorized('READ')
  conversation(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar) id: string, @Info() info?: GraphQLResolveInfo) {
    return new ConversationService(context.tenant()).get(id, context.readPlanner ? info : undefined);
  }

  @FieldResolver(() => [AgentUsage], { description: 'The agents that took part, with their usage' })
  agents(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().agentUsages.load(conversation.id);
  }

  @FieldResolver(() => [Participant], { description: 'The contacts that took part' })
  participants(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().participants.load(conversation.id);
  }

  @FieldResolver(() => MessageConnection, { description: 'Messages in turn order' })
  async messages(
    @Root() conversation: Conversation,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 1);
    const afterSequence = cursor ? Number(cursor[0]) : -1;
    const loaders = context.loaders();
    const rows = limit === 0 ? [] : await loaders.messagePage.load(`${conversation.id}:${afterSequence}:${limit + 1}`);
    return toConnection(rows, limit, (row) => encodeCursor([row.sequence]), () => loaders.messageCount.load(conversation.id), cursor !== undefined);
  }

  @FieldResolver(() => [AgentAction], { description: 'Functions the agents called' })
  actions(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().actions.load(conversation.id);
  }

  @FieldResolver(() => [Ticket])
  tickets(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().tickets.load(conversation.id);
  }

  @FieldResolver(() => [Transfer])
  transfers(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().transfers.load(conversation.id);
  }

  @FieldResolver(() => [Event])
  events(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().events.load(conversation.id);
  }

  @FieldResolver(() => [FollowUp])
  followUps(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().followUps.load(conversation.id);
  }

  @FieldResolver(() => [Analysis], { description: 'Every analysis run, newest first (earlier versions included)' })
  analyses(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().analyses.load(conversation.id);
  }

  @FieldResolver(() => [DispositionMetricValue], { description: 'The current analysis’s disposition metrics' })
  async dispositionMetrics(@Root() conversation: Conversation, @Ctx() context: GraphQLContext): Promise<DispositionMetricValue[]> {
    const rows = await context.loaders().dispositionValues.load(conversation.id);
    return rows.map((row) => ({
      identifier: row.identifier,
      type: row.metricType,
      value: row.valueText ?? row.valueNumber ?? row.valueBoolean ?? row.valueTime?.toISOString() ?? null,
      confidence: row.confidence,
      reasoning: row.reasoning,
      contextStartIndex: row.contextStartIndex,
      contextEndIndex: row.contextEndIndex,
      configVersion: row.configVersion,
    }));
  }

  @FieldResolver(() => ConversationMetrics, { nullable: true })
  metrics(@Root() conversation: Conversation, @Ctx() context: GraphQLContext) {
    return context.loaders().metrics.load(conversation.id);
  }

  @FieldResolver(() => String, {
    description:
      "The zone the analysis reads and writes this conversation's local times in (\"tomorrow at 2 pm\" → 2026-05-05T14:00:00-03:00): timeZone, else the organization's timeZone, else UTC. A fixed offset kept from the timestamps stays fixed (no daylight-saving changes): send timeZone for those. The reference time for relative dates is endedAt, else startedAt, else createdAt",
  })
  async effectiveTimeZone(@Root() conversation: Conversation, @Ctx() context: GraphQLContext): Promise<string> {
    return conversationTimeZone(conversation.timeZone, await context.loaders().organizationTimeZone());
  }

  @FieldResolver(() => Sentiment, { description: "The effective sentiment (score and label from one side), by the organization's valuePrecedence" })
  sentiment(@Root() conversation: Conversation): Sentiment {
    return { score: conversation.sentimentScore, label: conversation.sentimentLabel };
  }

  @FieldResolver(() => ConversationValues, { description: 'What the partner or provider reported (ingest, webhook); an analysis never changes it' })
  reported(@Root() conversation: Conversation): ConversationValues {
    return conversationValues(
      conversation.reportedOutcome,
      conversation.reportedOutcomeReason,
      conversation.reportedSummary,
      conversation.reportedSentimentScore,
      conversation.reportedSentimentLabel,
      conversation.reportedTopics,
    );
  }

  @FieldResolver(() => ConversationValues, { description: 'What our analysis found (the latest run); an ingest never changes it' })
  analysed(@Root() conversation: Conversation): ConversationValues {
    return conversationValues(
      conversation.analysedOutcome,
      conversation.analysedOutcomeReason,
      conversation.analysedSummary,
      conversation.analysedSentimentScore,
      conversation.analysedSentimentLabel,
      conversation.analysedTopics,
    );
  }
}

function conversationValues(
  outcome: ConversationValues['outcome'],
  outcomeReason: string | null,
  summary: string | null,
  sentimentScore: number | null,
  sentimentLabel: Sentiment['label'],
  topics: string[] | null,
): ConversationValues {
  const sentiment = sentimentScore === null && sentimentLabel === null ? null : { score: sentimentScore, label: sentimentLabel };
  return { outcome, outcomeReason, summary, sentiment, topics: topics ?? [] };
}

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => Agent, { nullable: true, description: 'The sending agent, for AGENT turns' })
  sender(@Root() message: Message, @Ctx() context: GraphQLContext) {
    return message.senderId ? context.loaders().agent.load(message.senderId) : null;
  }

  @FieldResolver(() => Contact, { nullable: true, description: 'The sending contact, for USER turns' })
  senderContact(@Root() message: Message, @Ctx() context: GraphQLContext) {
    return message.senderContactId ? context.loaders().contact.load(message.senderContactId) : null;
  }
}

@Resolver(() => AgentUsage)
export class AgentUsageResolver {
  @FieldResolver(() => Agent)
  agent(@Root() usage: AgentUsage, @Ctx() context: GraphQLContext) {
    return context.loaders().agent.load(usage.agentId);
  }

  @FieldResolver(() => Float, { nullable: true, description: SUCCESS_RATE_DESCRIPTION })
  async successRate(@Root() usage: AgentUsage, @Ctx() context: GraphQLContext): Promise<number | null> {
    if (usage.successRate !== null) return usage.successRate;
    return derivedSuccessRate(await context.loaders().actions.load(usage.conversationId), usage.agentId);
  }
}

@Resolver(() => Participant)
export class ParticipantResolver {
  @FieldResolver(() => Contact, { nullable: true })
  contact(@Root() participant: Participant, @Ctx() context: GraphQLContext) {
    return participant.contactId ? context.loaders().contact.load(participant.contactId) : null;
  }
}

@Resolver(() => Transfer)
export class TransferResolver {
  @FieldResolver(() => Agent, { nullable: true })
  agent(@Root() transfer: Transfer, @Ctx() context: GraphQLContext) {
    return transfer.agentId ? context.loaders().agent.load(transfer.agentId) : null;
  }
}

@Resolver(() => AgentAction)
export class AgentActionResolver {
  @FieldResolver(() => Agent, { nullable: true })
  agent(@Root() action: AgentAction, @Ctx() context: GraphQLContext) {
    return action.agentId ? context.loaders().agent.load(action.agentId) : null;
  }

  @FieldResolver(() => Conversation)
  conversation(@Root() action: AgentAction, @Ctx() context: GraphQLContext) {
    return context.loaders().conversation.load(action.conversationId);
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The turn the call belongs to (null when the partner sent none)' })
  message(@Root() action: AgentAction, @Ctx() context: GraphQLContext) {
    return action.messageId ? context.loaders().message.load(action.messageId) : null;
  }
}
