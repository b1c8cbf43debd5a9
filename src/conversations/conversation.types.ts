import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  ActionStatus,
  AnalysisRunStatus,
  AnalysisStatus,
  AnalysisType,
  Channel,
  DispositionMetricType,
  ConversationStatus,
  Direction,
  EndedBy,
  EventType,
  MessageType,
  Outcome,
  SenderRole,
  SentimentLabel,
  TicketAction,
} from '../generated/prisma/enums.js';
import { ValueSource } from './value-source.js';
import { ConnectionType } from '../graphql/connection.js';
import '../graphql/enums.js';
import { DateTimeScalar, JSONScalar, UUIDScalar } from '../graphql/scalars.js';

/** The description shared by the top-level (effective) values of a conversation. */
const EFFECTIVE_VALUE =
  "The effective value: the reported one or the analysed one (see `reported` and `analysed`), by the organization's valuePrecedence " +
  '(REPORTED_FIRST by default: the reported value, else the analysed one).';

@ObjectType({ description: 'Overall sentiment of a conversation' })
export class Sentiment {
  @Field(() => Float, { nullable: true, description: '-1 (negative) to 1 (positive)' }) score!: number | null;
  @Field(() => SentimentLabel, { nullable: true }) label!: SentimentLabel | null;
}

@ObjectType({ description: 'A call or chat with everything it owns' })
export class Conversation {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { nullable: true, description: "The source system's id; ingest is idempotent on it" }) externalId!: string | null;
  @Field(() => String) origin!: string;
  @Field(() => Channel) channel!: Channel;
  @Field(() => Direction, { nullable: true }) direction!: Direction | null;
  @Field(() => String, { nullable: true }) conversationType!: string | null;
  @Field(() => String, { nullable: true }) fromPhoneNumber!: string | null;
  @Field(() => String, { nullable: true }) toPhoneNumber!: string | null;
  @Field(() => String, { nullable: true }) phoneId!: string | null;
  @Field(() => String, { nullable: true }) externalWorkspaceId!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) endedAt!: Date | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The conversation's own time zone: IngestConversationInput.timeZone as sent (an IANA zone or a ±HH:MM offset); when none was sent, the non-zero offset startedAt (else endedAt) was written with, e.g. `-03:00` for 2026-05-04T09:30:00-03:00 (a `Z` or `+00:00` timestamp keeps nothing). Null: effectiveTimeZone falls back to the organization's zone, else UTC",
  })
  timeZone!: string | null;
  @Field(() => Float, { nullable: true }) durationSeconds!: number | null;
  @Field(() => ConversationStatus) status!: ConversationStatus;
  @Field(() => String, { nullable: true }) telephonyStatus!: string | null;
  @Field(() => EndedBy, { nullable: true }) endedBy!: EndedBy | null;
  @Field(() => String, { nullable: true, description: 'Raw provider end reason, e.g. user_hangup' }) endReason!: string | null;
  @Field(() => Outcome, { nullable: true, description: EFFECTIVE_VALUE }) outcome!: Outcome | null;
  @Field(() => String, { nullable: true, description: `${EFFECTIVE_VALUE} Taken from the same side as outcome.` }) outcomeReason!: string | null;
  @Field(() => String, { nullable: true, description: EFFECTIVE_VALUE }) summary!: string | null;
  @Field(() => [String], { description: `${EFFECTIVE_VALUE} A side with no topics counts as absent.` }) topics!: string[];
  @Field(() => Float, { nullable: true }) userSatisfactionScore!: number | null;
  @Field(() => Float, { nullable: true }) callQualityScore!: number | null;
  @Field(() => JSONScalar, { nullable: true }) audioQualityMetrics!: unknown;
  @Field(() => JSONScalar, { nullable: true }) postCallMetadata!: unknown;
  @Field(() => String, { nullable: true, description: 'The transcript text exactly as the source sent it (the Oration webhook, or IngestConversationInput.transcript); `messages` are the turns parsed from it' })
  transcript!: string | null;
  @Field(() => JSONScalar, {
    nullable: true,
    description: "The source system's record as received, every field it sent (the Oration webhook: its `payload`, without the transcript, which is in `transcript`); null for GraphQL ingests that send none",
  })
  sourcePayload!: unknown;
  @Field(() => String, { nullable: true }) recordingUrl!: string | null;
  @Field(() => String, { nullable: true }) recordingStatus!: string | null;
  @Field(() => String, { nullable: true }) campaignId!: string | null;
  @Field(() => String, { nullable: true }) campaignRunId!: string | null;
  @Field(() => JSONScalar, { nullable: true }) dynamicVariables!: unknown;
  @Field(() => AnalysisStatus) analysisStatus!: AnalysisStatus;
  @Field(() => String, { nullable: true }) analysisError!: string | null;
  @Field(() => Int) analysisAttempts!: number;
  @Field(() => DateTimeScalar, { nullable: true }) analyzedAt!: Date | null;
  @Field(() => JSONScalar, { nullable: true }) metaData!: unknown;
  @Field(() => DateTimeScalar, { nullable: true }) externalCreatedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) externalUpdatedAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
  // Also on the row, resolved by field resolvers:
  sentimentScore!: number | null;
  sentimentLabel!: SentimentLabel | null;
  reportedOutcome!: Outcome | null;
  reportedOutcomeReason!: string | null;
  reportedSummary!: string | null;
  reportedSentimentScore!: number | null;
  reportedSentimentLabel!: SentimentLabel | null;
  reportedTopics!: string[];
  analysedOutcome!: Outcome | null;
  analysedOutcomeReason!: string | null;
  analysedSummary!: string | null;
  analysedSentimentScore!: number | null;
  analysedSentimentLabel!: SentimentLabel | null;
  analysedTopics!: string[];
}

@ObjectType({
  description:
    "One side of a conversation's outcome, summary, sentiment and topics: what the partner or provider reported (`reported`), " +
    'or what our analysis found (`analysed`). A part nobody gave is null (topics: empty).',
})
export class ConversationValues {
  @Field(() => Outcome, { nullable: true }) outcome!: Outcome | null;
  @Field(() => String, { nullable: true }) outcomeReason!: string | null;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => Sentiment, { nullable: true, description: 'Null when neither a score nor a label was given' }) sentiment!: Sentiment | null;
  @Field(() => [String]) topics!: string[];
}

@ObjectType({ description: 'One turn of a conversation' })
export class Message {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => UUIDScalar) conversationId!: string;
  @Field(() => Int, { description: 'Turn order; analyses refer to message ranges by it' }) sequence!: number;
  @Field(() => SenderRole) senderRole!: SenderRole;
  @Field(() => String) content!: string;
  @Field(() => MessageType) type!: MessageType;
  @Field(() => String, { nullable: true }) link!: string | null;
  @Field(() => Channel) channel!: Channel;
  @Field(() => String, { nullable: true }) subchannel!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) sentAt!: Date | null;
  @Field(() => Float, { nullable: true }) sentimentScore!: number | null;
  @Field(() => Float, { nullable: true }) speechToTextConfidence!: number | null;
  @Field(() => JSONScalar, { nullable: true }) metaData!: unknown;
  @Field(() => String) origin!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
  senderId!: string | null;
  senderContactId!: string | null;
}

@ObjectType({ description: 'An agent taking part in a conversation, with its usage (seed 000 Agent Usage)' })
export class AgentUsage {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) activatedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) deactivatedAt!: Date | null;
  @Field(() => Float, { nullable: true }) usageDurationSeconds!: number | null;
  @Field(() => String, { nullable: true }) handoffReason!: string | null;
  agentId!: string;
  conversationId!: string;
  /** As reported; the `successRate` field falls back to the one derived from the agent's function calls. */
  successRate!: number | null;
}

@ObjectType({ description: "A contact's presence in a conversation" })
export class Participant {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) joinedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) leftAt!: Date | null;
  contactId!: string | null;
}

@ObjectType()
export class Transfer {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) endedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) userJoinedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) userLeftAt!: Date | null;
  @Field(() => String, { nullable: true }) destination!: string | null;
  @Field(() => String, { nullable: true, description: 'Raw provider status, e.g. transfer_connected' }) status!: string | null;
  agentId!: string | null;
}

@ObjectType({ description: 'A function an agent called (seed 000 Action)' })
export class AgentAction {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => UUIDScalar) conversationId!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => String) functionName!: string;
  @Field(() => ActionStatus) status!: ActionStatus;
  @Field(() => JSONScalar, { nullable: true }) inputParameters!: unknown;
  @Field(() => JSONScalar, { nullable: true }) outputResponse!: unknown;
  @Field(() => Int, { nullable: true }) executionTimeMs!: number | null;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
  @Field(() => Int) retryCount!: number;
  @Field(() => DateTimeScalar, { nullable: true }) occurredAt!: Date | null;
  agentId!: string | null;
  /** The turn it belongs to (seed 000 `Action.conversation_id`), resolved as `message`. */
  messageId!: string | null;
}

@ObjectType({ description: 'A ticket the conversation used or created (seed 000 Snow): one row per conversation that touched it' })
export class Ticket {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => UUIDScalar) conversationId!: string;
  @Field(() => String) ticketSystem!: string;
  @Field(() => String) ticketId!: string;
  @Field(() => TicketAction) action!: TicketAction;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) occurredAt!: Date | null;
}

@ObjectType({ description: 'One analysis run of one type over a message range' })
export class Analysis {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => AnalysisType) analysisType!: AnalysisType;
  @Field(() => Int, { nullable: true }) contextStartIndex!: number | null;
  @Field(() => Int, { nullable: true }) contextEndIndex!: number | null;
  @Field(() => JSONScalar) result!: unknown;
  @Field(() => String) origin!: string;
  @Field(() => String, { nullable: true }) provider!: string | null;
  @Field(() => String, { nullable: true }) model!: string | null;
  @Field(() => Int, { nullable: true }) configVersion!: number | null;
  @Field(() => Int, { nullable: true }) promptTokens!: number | null;
  @Field(() => Int, { nullable: true }) completionTokens!: number | null;
  @Field(() => Int, { nullable: true }) totalTokens!: number | null;
  @Field(() => AnalysisRunStatus) status!: AnalysisRunStatus;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) supersededAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType({ description: 'One extracted disposition metric (seed 002), typed, with its evidence' })
export class DispositionMetricValue {
  @Field(() => String) identifier!: string;
  @Field(() => DispositionMetricType) type!: DispositionMetricType;
  @Field(() => JSONScalar, { nullable: true, description: 'string (STRING, ENUM), boolean, integer, or (DATETIME) ISO 8601 with the offset of the conversation\'s zone it was analysed in, e.g. `2026-05-05T14:00:00-03:00` (values written before time zones existed read in UTC, `Z`); null when unknown. The `after`/`before` filters compare instants.' })
  value!: unknown;
  @Field(() => Float, { nullable: true }) confidence!: number | null;
  @Field(() => String, { nullable: true }) reasoning!: string | null;
  @Field(() => Int, { nullable: true }) contextStartIndex!: number | null;
  @Field(() => Int, { nullable: true }) contextEndIndex!: number | null;
  @Field(() => Int, { nullable: true, description: 'The analysis config version that produced it' }) configVersion!: number | null;
}

@ObjectType({ description: 'Seed 000 Call Metric' })
export class ConversationMetrics {
  @Field(() => Int) totalUserTurns!: number;
  @Field(() => Int) totalAgentTurns!: number;
  @Field(() => Float, { nullable: true }) avgResponseTimeMs!: number | null;
  @Field(() => Int) totalFunctionsCalled!: number;
  @Field(() => Int) uniqueAgentsUsed!: number;
  @Field(() => Int) ticketsCreatedCount!: number;
  @Field(() => Float, { nullable: true }) overallSuccessScore!: number | null;
}

export const ConversationConnection = ConnectionType('Conversation', Conversation);
export const MessageConnection = ConnectionType('Message', Message);
export const AgentActionConnection = ConnectionType('AgentAction', AgentAction);
export const TicketConnection = ConnectionType('Ticket', Ticket);

@InputType({ description: 'A time range; either end may be open' })
export class TimeRangeInput {
  @Field(() => DateTimeScalar, { nullable: true }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: Date | null;
}

@InputType({ description: "A condition on one disposition metric of the conversation's current analysis" })
export class DispositionFilterInput {
  @Field(() => String) identifier!: string;
  @Field(() => String, { nullable: true, description: 'STRING / ENUM value equals' }) equals?: string | null;
  @Field(() => [String], { nullable: true, description: 'STRING / ENUM value is one of' }) in?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'BOOLEAN value is' }) is?: boolean | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER value ≥' }) min?: number | null;
  @Field(() => Float, { nullable: true, description: 'INTEGER value ≤' }) max?: number | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'DATETIME value ≥' }) after?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'DATETIME value <' }) before?: Date | null;
  @Field(() => Float, { nullable: true, description: 'Confidence ≥' }) minConfidence?: number | null;
}

@InputType()
export class ConversationFilter {
  @Field(() => TimeRangeInput, { nullable: true, description: 'On startedAt' }) startedAt?: TimeRangeInput | null;
  @Field(() => [Channel], { nullable: true }) channels?: Channel[] | null;
  @Field(() => [ConversationStatus], { nullable: true }) statuses?: ConversationStatus[] | null;
  @Field(() => [Outcome], { nullable: true }) outcomes?: Outcome[] | null;
  @Field(() => [SentimentLabel], { nullable: true, description: "The conversation's sentiment label is one of" })
  sentiments?: SentimentLabel[] | null;
  @Field(() => [String], { nullable: true, description: 'The conversation has at least one of these topics (exact text)' })
  topics?: string[] | null;
  @Field(() => ValueSource, {
    nullable: true,
    description:
      'Which side outcomes, sentiments and topics are read from (default EFFECTIVE, what the top-level fields show); ' +
      'analyticsOverview aggregates outcomes, sentiment and topics from the same side',
  })
  source?: ValueSource | null;
  @Field(() => [AnalysisStatus], { nullable: true, description: 'Where the analysis stands: e.g. [PENDING, RUNNING] or [FAILED]' })
  analysisStatuses?: AnalysisStatus[] | null;
  @Field(() => UUIDScalar, { nullable: true, description: 'Conversations this agent took part in' }) agentId?: string | null;
  @Field(() => UUIDScalar, { nullable: true, description: 'Conversations this contact took part in' }) contactId?: string | null;
  @Field(() => String, { nullable: true }) origin?: string | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => EventType, { nullable: true, description: 'Conversations with at least one event of this type' }) eventType?: EventType | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive text in any message (at most 200 characters, else BAD_USER_INPUT)' }) text?: string | null;
  @Field(() => [DispositionFilterInput], { nullable: true, description: 'Every condition must hold' }) disposition?: DispositionFilterInput[] | null;
}

export enum ConversationOrder {
  STARTED_AT_DESC = 'STARTED_AT_DESC',
  STARTED_AT_ASC = 'STARTED_AT_ASC',
  CREATED_AT_DESC = 'CREATED_AT_DESC',
  CREATED_AT_ASC = 'CREATED_AT_ASC',
}

registerEnumType(ConversationOrder, { name: 'ConversationOrder' });
