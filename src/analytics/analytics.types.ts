import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DispositionMetricType, EventType, TicketAction } from '../generated/prisma/enums.js';
import type { ConversationFilter } from '../conversations/conversation.types.js';
import '../graphql/enums.js';
import { DateTimeScalar, UUIDScalar } from '../graphql/scalars.js';
import type { SectionName } from './analytics.store.js';

export enum TimeBucket {
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(TimeBucket, { name: 'TimeBucket', description: "Time bucket, in the caller's time zone (weeks start on Monday)" });

export enum DispositionGroupBy {
  AGENT = 'AGENT',
  BUCKET = 'BUCKET',
  BOTH = 'BOTH',
}
registerEnumType(DispositionGroupBy, { name: 'DispositionGroupBy', description: 'How dispositionMetricStats groups its values' });

@InputType({ description: 'A half-open time range [from, to) on conversations.startedAt' })
export class AnalyticsRangeInput {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
}

/** What every analytics query is about: validated range, filter, time zone and bucket. */
export interface AnalyticsQuery {
  from: Date;
  to: Date;
  filter: ConversationFilter | null;
  timezone: string;
  bucket: TimeBucket;
}

@ObjectType({ description: 'A value, how often it occurs and its share of the whole' })
export class Share {
  @Field(() => String) key!: string;
  @Field(() => Int) count!: number;
  @Field(() => Float, { description: 'count ÷ the total it is a part of (0–1)' }) share!: number;
}

@ObjectType()
export class ConversationCounts {
  @Field(() => Int) total!: number;
  @Field(() => Int) completed!: number;
  @Field(() => Int) ongoing!: number;
  @Field(() => Int) failed!: number;
}

@ObjectType({ description: 'Conversation durations in seconds (conversations with a duration)' })
export class DurationStats {
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true }) average!: number | null;
  @Field(() => Float, { nullable: true }) median!: number | null;
  @Field(() => Float, { nullable: true }) p90!: number | null;
  @Field(() => Float, { nullable: true }) min!: number | null;
  @Field(() => Float, { nullable: true }) max!: number | null;
}

@ObjectType({ description: 'Overall sentiment of the analysed conversations' })
export class SentimentOverview {
  @Field(() => Int, { description: 'Conversations with a sentiment score' }) analyzed!: number;
  @Field(() => Float, { nullable: true, description: '-1 … 1' }) average!: number | null;
  @Field(() => [Share], { description: 'Per label; share among conversations with a label' }) labels!: Share[];
}

@ObjectType({ description: 'One time bucket of the range (empty buckets included)' })
export class OverviewBucket {
  @Field(() => DateTimeScalar, { description: "The bucket's start (in the requested time zone)" }) start!: Date;
  @Field(() => Int) total!: number;
  @Field(() => Int) completed!: number;
  @Field(() => Float, { nullable: true }) averageSentiment!: number | null;
  @Field(() => Float, { nullable: true }) averageDurationSeconds!: number | null;
}

@ObjectType()
export class EventTypeCount {
  @Field(() => EventType) eventType!: EventType;
  @Field(() => String, { nullable: true }) eventSubtype!: string | null;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class SalesStage {
  @Field(() => String) stage!: string;
  @Field(() => Int, { description: 'Conversations that reached this stage' }) conversations!: number;
}

@ObjectType()
export class SalesStageTransition {
  @Field(() => String, { nullable: true, description: 'null when the stage before is unknown' }) fromStage!: string | null;
  @Field(() => String) toStage!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'The sales-stage funnel, from SALES_STAGE_CHANGE events' })
export class SalesFunnel {
  @Field(() => [SalesStage], { description: 'Most reached first' }) stages!: SalesStage[];
  @Field(() => [SalesStageTransition]) transitions!: SalesStageTransition[];
}

@ObjectType()
export class TicketCount {
  @Field(() => TicketAction) action!: TicketAction;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int) count!: number;
}

@ObjectType()
export class ErrorCount {
  @Field(() => String) message!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: "One agent's conversations and function calls in the range" })
export class AgentOverview {
  @Field(() => UUIDScalar) agentId!: string;
  @Field(() => Int) conversations!: number;
  @Field(() => Int, { description: 'Conversations with outcome RESOLVED' }) resolved!: number;
  @Field(() => Float, { nullable: true, description: 'resolved ÷ conversations' }) resolutionRate!: number | null;
  @Field(() => Float, { nullable: true }) averageSentiment!: number | null;
  @Field(() => Float, { nullable: true }) averageDurationSeconds!: number | null;
  @Field(() => Int) functionCalls!: number;
  @Field(() => Int, { description: 'Calls with status SUCCESS' }) functionCallSuccesses!: number;
  @Field(() => Float, { nullable: true }) functionCallSuccessRate!: number | null;
  @Field(() => Float, { nullable: true }) averageExecutionTimeMs!: number | null;
  @Field(() => Float, { nullable: true }) p95ExecutionTimeMs!: number | null;
  @Field(() => [ErrorCount], { description: 'The most frequent error messages of failed calls (up to 5)' }) topErrors!: ErrorCount[];
}

@ObjectType()
export class BucketCount {
  @Field(() => DateTimeScalar) start!: Date;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'Follow-ups due in the range (by due date), of conversations matching the filter' })
export class FollowUpsDue {
  @Field(() => Int) total!: number;
  @Field(() => [BucketCount]) buckets!: BucketCount[];
  @Field(() => [Share], { description: 'By FOLLOWUP_TYPE' }) byType!: Share[];
}

@ObjectType({ description: 'Analysis runs of the conversations and what they cost (each run counted once)' })
export class AnalysisUsage {
  @Field(() => Int) runs!: number;
  @Field(() => Int) promptTokens!: number;
  @Field(() => Int) completionTokens!: number;
  @Field(() => Int) totalTokens!: number;
  @Field(() => Float) costUsd!: number;
}

@ObjectType({ description: 'Aggregates over the conversations that started in the range and match the filter' })
export class AnalyticsOverview {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field(() => String) timezone!: string;
  @Field(() => TimeBucket) bucket!: TimeBucket;
  /** The validated query. */
  query!: AnalyticsQuery;
  /** The SQL sections the selected fields need (analytics.store.ts), computed together. */
  sections!: Set<SectionName>;
  /** Sections shared by several fields, computed once per request. */
  memo!: Map<string, Promise<unknown>>;
}

@ObjectType({ description: "A disposition metric's values in one group (or overall); the fields of its type are set" })
export class DispositionMetricGroup {
  @Field(() => UUIDScalar, { nullable: true, description: 'Set when grouped by agent' }) agentId!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Set when grouped by bucket (of the conversation start)' }) bucketStart!: Date | null;
  @Field(() => Int, { description: 'Conversations with a known value' }) count!: number;
  @Field(() => [Share], { nullable: true, description: 'ENUM: count per choice' }) choices!: Share[] | null;
  @Field(() => Int, { nullable: true, description: 'BOOLEAN' }) trueCount!: number | null;
  @Field(() => Int, { nullable: true, description: 'BOOLEAN' }) falseCount!: number | null;
  @Field(() => Float, { nullable: true, description: 'BOOLEAN: true ÷ count' }) trueRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER' }) average!: number | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER' }) min!: number | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER' }) max!: number | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER (continuous percentile)' }) median!: number | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER' }) p90!: number | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER' }) p95!: number | null;
  @Field(() => [BucketCount], { nullable: true, description: 'DATETIME: values per bucket of the value itself' }) dates!: BucketCount[] | null;
  @Field(() => [Share], { nullable: true, description: 'STRING: the most frequent values (up to 10)' }) topValues!: Share[] | null;
}

@ObjectType()
export class DispositionMetricStats {
  @Field(() => String) identifier!: string;
  @Field(() => DispositionMetricType, { nullable: true, description: 'null when the metric has no values yet' }) metricType!: DispositionMetricType | null;
  @Field(() => DispositionMetricGroup) overall!: DispositionMetricGroup;
  @Field(() => [DispositionMetricGroup], { description: 'Empty without groupBy' }) groups!: DispositionMetricGroup[];
}
