import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { Agent } from '../agents/agent.types.js';
import { ConversationFilter } from '../conversations/conversation.types.js';
import type { GraphQLContext } from '../graphql/context.js';
import { selectedFieldNames } from '../graphql/selection.js';
import { analyticsQuery, AnalyticsService } from './analytics.service.js';
import {
  AgentOverview,
  AnalysisUsage,
  AnalyticsOverview,
  AnalyticsRangeInput,
  ConversationCounts,
  DispositionGroupBy,
  DispositionMetricGroup,
  DispositionMetricStats,
  DurationStats,
  EventTypeCount,
  FollowUpsDue,
  OverviewBucket,
  SalesFunnel,
  SentimentOverview,
  Share,
  TicketCount,
  TimeBucket,
} from './analytics.types.js';

const service = (context: GraphQLContext) => new AnalyticsService(context.tenant());

@Resolver(() => AnalyticsOverview)
export class AnalyticsOverviewResolver {
  @Query(() => AnalyticsOverview, { description: 'Aggregates over the conversations that started in the range; the selected fields are computed in SQL' })
  @Authorized('READ')
  analyticsOverview(
    @Ctx() context: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('range', () => AnalyticsRangeInput) range: AnalyticsRangeInput,
    @Arg('filter', () => ConversationFilter, { nullable: true }) filter: ConversationFilter | null,
    @Arg('timezone', () => String, { defaultValue: 'UTC', description: 'IANA time zone of the buckets' }) timezone: string,
    @Arg('bucket', () => TimeBucket, { defaultValue: TimeBucket.DAY }) bucket: TimeBucket,
  ) {
    return service(context).overview(analyticsQuery(range, filter, timezone, bucket), selectedFieldNames(info));
  }

  @FieldResolver(() => ConversationCounts)
  conversations(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).conversations(overview);
  }

  @FieldResolver(() => DurationStats)
  duration(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).duration(overview);
  }

  @FieldResolver(() => [Share], { description: 'Per outcome; share among conversations with an outcome' })
  outcomes(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).outcomes(overview);
  }

  @FieldResolver(() => [Share], { description: 'Who ended the conversation; share among conversations where it is known' })
  endedBy(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).endedBy(overview);
  }

  @FieldResolver(() => SentimentOverview)
  sentiment(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).sentiment(overview);
  }

  @FieldResolver(() => [OverviewBucket], { description: 'Per time bucket of the start: volume, sentiment and duration' })
  trend(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).trend(overview);
  }

  @FieldResolver(() => [Share], { description: 'Topics by conversations that have them; share of all conversations in the range' })
  topTopics(
    @Root() overview: AnalyticsOverview,
    @Ctx() context: GraphQLContext,
    @Arg('limit', () => Int, { defaultValue: 10 }) limit: number,
  ) {
    return service(context).topTopics(overview, limit);
  }

  @FieldResolver(() => [EventTypeCount], { description: 'Current events by type and subtype' })
  events(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).events(overview);
  }

  @FieldResolver(() => SalesFunnel)
  salesFunnel(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).salesFunnel(overview);
  }

  @FieldResolver(() => [TicketCount], { description: 'Tickets by action and reason' })
  tickets(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).tickets(overview);
  }

  @FieldResolver(() => [AgentOverview], { description: 'Per agent, most conversations first' })
  agents(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).agents(overview);
  }

  @FieldResolver(() => FollowUpsDue)
  followUpsDue(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).followUpsDue(overview);
  }

  @FieldResolver(() => AnalysisUsage)
  analysisUsage(@Root() overview: AnalyticsOverview, @Ctx() context: GraphQLContext) {
    return service(context).analysisUsage(overview);
  }
}

@Resolver(() => DispositionMetricStats)
export class DispositionMetricStatsResolver {
  @Query(() => DispositionMetricStats, {
    description: 'The distribution of one disposition metric over the conversations that started in the range, overall and per group',
  })
  @Authorized('READ')
  dispositionMetricStats(
    @Ctx() context: GraphQLContext,
    @Arg('identifier', () => String) identifier: string,
    @Arg('range', () => AnalyticsRangeInput) range: AnalyticsRangeInput,
    @Arg('filter', () => ConversationFilter, { nullable: true }) filter: ConversationFilter | null,
    @Arg('groupBy', () => DispositionGroupBy, { nullable: true }) groupBy: DispositionGroupBy | null,
    @Arg('timezone', () => String, { defaultValue: 'UTC', description: 'IANA time zone of the buckets' }) timezone: string,
    @Arg('bucket', () => TimeBucket, { defaultValue: TimeBucket.DAY }) bucket: TimeBucket,
  ) {
    return service(context).dispositionMetricStats(identifier, analyticsQuery(range, filter, timezone, bucket), groupBy ?? null);
  }
}

@Resolver(() => AgentOverview)
export class AgentOverviewResolver {
  @FieldResolver(() => Agent)
  agent(@Root() row: AgentOverview, @Ctx() context: GraphQLContext) {
    return context.loaders().agent.load(row.agentId);
  }
}

@Resolver(() => DispositionMetricGroup)
export class DispositionMetricGroupResolver {
  @FieldResolver(() => Agent, { nullable: true })
  agent(@Root() group: DispositionMetricGroup, @Ctx() context: GraphQLContext) {
    return group.agentId ? context.loaders().agent.load(group.agentId) : null;
  }
}
