import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  ActionStatus,
  Channel,
  ConversationStatus,
  Direction,
  EndedBy,
  MessageType,
  Outcome,
  SenderRole,
  SentimentLabel,
  TicketAction,
} from '../generated/prisma/enums.js';
import '../graphql/enums.js';
import { DateTimeScalar, JSONScalar } from '../graphql/scalars.js';
import { AgentInput } from '../agents/agent.types.js';
import { Conversation } from '../conversations/conversation.types.js';
import { EventInput } from '../events/event.types.js';

@InputType()
export class AgentUsageInput {
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) activatedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) deactivatedAt?: Date | null;
  @Field(() => String, { nullable: true }) handoffReason?: string | null;
  @Field(() => Float, { nullable: true }) successRate?: number | null;
}

@InputType({ description: 'An agent that took part, upserted by externalId, with its usage in this conversation' })
export class ConversationAgentInput extends AgentInput {
  @Field(() => [AgentUsageInput], { nullable: true }) usages?: AgentUsageInput[] | null;
}

@InputType()
export class ParticipantSessionInput {
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) joinedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) leftAt?: Date | null;
}

@InputType({ description: 'An external participant (customer), upserted by externalId' })
export class ContactInput {
  @Field(() => String) externalId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phoneNumber?: string | null;
  @Field(() => String, { nullable: true }) identifier?: string | null;
  @Field(() => Int, { nullable: true }) priority?: number | null;
  @Field(() => Boolean, { nullable: true }) doNotDisturb?: boolean | null;
  @Field(() => JSONScalar, { nullable: true }) source?: unknown;
  @Field(() => String, { nullable: true }) sourceFile?: string | null;
  @Field(() => JSONScalar, { nullable: true }) metaData?: unknown;
  @Field(() => DateTimeScalar, { nullable: true }) externalCreatedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) externalUpdatedAt?: Date | null;
  @Field(() => [ParticipantSessionInput], { nullable: true }) sessions?: ParticipantSessionInput[] | null;
}

@InputType()
export class MessageInput {
  @Field(() => Int, { description: 'Turn order, unique within the conversation' }) sequence!: number;
  @Field(() => SenderRole) senderRole!: SenderRole;
  @Field(() => String, { nullable: true, description: 'The sending agent (AGENT turns)' }) agentExternalId?: string | null;
  @Field(() => String, { nullable: true, description: 'The sending contact (USER turns)' }) contactExternalId?: string | null;
  @Field(() => String) content!: string;
  @Field(() => MessageType, { nullable: true }) type?: MessageType | null;
  @Field(() => String, { nullable: true }) link?: string | null;
  @Field(() => Channel, { nullable: true, description: "The turn's own channel (a conversation can move from VOICE to WHATSAPP); absent: the conversation's" })
  channel?: Channel | null;
  @Field(() => String, { nullable: true, description: "The system the turn came from; absent: the conversation's origin" }) origin?: string | null;
  @Field(() => String, { nullable: true }) subchannel?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) sentAt?: Date | null;
  @Field(() => Float, { nullable: true }) sentimentScore?: number | null;
  @Field(() => Float, { nullable: true }) speechToTextConfidence?: number | null;
  @Field(() => JSONScalar, { nullable: true }) metaData?: unknown;
}

@InputType({ description: 'A function an agent called' })
export class AgentActionInput {
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => String, { nullable: true }) agentExternalId?: string | null;
  @Field(() => Int, { nullable: true, description: 'The sequence of the turn it belongs to' }) messageSequence?: number | null;
  @Field(() => String) functionName!: string;
  @Field(() => ActionStatus) status!: ActionStatus;
  @Field(() => JSONScalar, { nullable: true }) inputParameters?: unknown;
  @Field(() => JSONScalar, { nullable: true }) outputResponse?: unknown;
  @Field(() => Int, { nullable: true }) executionTimeMs?: number | null;
  @Field(() => String, { nullable: true }) errorMessage?: string | null;
  @Field(() => Int, { nullable: true }) retryCount?: number | null;
  @Field(() => DateTimeScalar, { nullable: true }) occurredAt?: Date | null;
}

@InputType()
export class TicketInput {
  @Field(() => String, { nullable: true, description: 'Default SERVICENOW' }) ticketSystem?: string | null;
  @Field(() => String) ticketId!: string;
  @Field(() => TicketAction) action!: TicketAction;
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) occurredAt?: Date | null;
}

@InputType()
export class TransferInput {
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => String, { nullable: true }) agentExternalId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) endedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) userJoinedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) userLeftAt?: Date | null;
  @Field(() => String, { nullable: true }) destination?: string | null;
  @Field(() => String, { nullable: true }) status?: string | null;
}

@InputType({ description: 'One conversation with everything it owns; idempotent on externalId' })
export class IngestConversationInput {
  @Field(() => String) externalId!: string;
  @Field(() => String, { nullable: true, description: "Where it came from (default 'api')" }) origin?: string | null;
  @Field(() => Channel) channel!: Channel;
  @Field(() => Direction, { nullable: true }) direction?: Direction | null;
  @Field(() => String, { nullable: true }) conversationType?: string | null;
  @Field(() => String, { nullable: true }) fromPhoneNumber?: string | null;
  @Field(() => String, { nullable: true }) toPhoneNumber?: string | null;
  @Field(() => String, { nullable: true }) phoneId?: string | null;
  @Field(() => String, { nullable: true }) externalWorkspaceId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) endedAt?: Date | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The conversation's time zone: an IANA zone (America/Sao_Paulo) or a ±HH:MM offset (-03:00); anything else is BAD_USER_INPUT. Absent: the non-zero offset startedAt (else endedAt) is written with is kept as a fixed-offset zone (2026-05-04T09:30:00-03:00 → -03:00); with a Z or +00:00 timestamp, nothing is kept and the organization's zone, else UTC, applies. Relative dates (\"tomorrow at 2 pm\") are read in it against endedAt, else startedAt",
  })
  timeZone?: string | null;
  @Field(() => Float, { nullable: true }) durationSeconds?: number | null;
  @Field(() => ConversationStatus, { nullable: true, description: 'Default: COMPLETED when endedAt is given, else ONGOING' }) status?: ConversationStatus | null;
  @Field(() => String, { nullable: true, description: "The provider's raw call status" }) telephonyStatus?: string | null;
  @Field(() => EndedBy, { nullable: true }) endedBy?: EndedBy | null;
  @Field(() => String, { nullable: true }) endReason?: string | null;
  @Field(() => Outcome, { nullable: true }) outcome?: Outcome | null;
  @Field(() => String, { nullable: true }) outcomeReason?: string | null;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => Float, { nullable: true }) sentimentScore?: number | null;
  @Field(() => SentimentLabel, { nullable: true }) sentimentLabel?: SentimentLabel | null;
  @Field(() => [String], { nullable: true }) topics?: string[] | null;
  @Field(() => Float, { nullable: true }) userSatisfactionScore?: number | null;
  @Field(() => Float, { nullable: true }) callQualityScore?: number | null;
  @Field(() => JSONScalar, { nullable: true }) audioQualityMetrics?: unknown;
  @Field(() => JSONScalar, { nullable: true, description: "The provider's own post-call metadata, kept as sent" }) postCallMetadata?: unknown;
  @Field(() => String, { nullable: true, description: 'The transcript text as your system has it, kept as sent (at most 1,000,000 characters); what is analysed are the messages' })
  transcript?: string | null;
  @Field(() => JSONScalar, { nullable: true, description: "Your system's own record of the conversation, kept as sent (readable as Conversation.sourcePayload)" })
  sourcePayload?: unknown;
  @Field(() => String, { nullable: true }) recordingUrl?: string | null;
  @Field(() => String, { nullable: true }) recordingStatus?: string | null;
  @Field(() => String, { nullable: true }) campaignId?: string | null;
  @Field(() => String, { nullable: true }) campaignRunId?: string | null;
  @Field(() => JSONScalar, { nullable: true }) dynamicVariables?: unknown;
  @Field(() => JSONScalar, { nullable: true }) metaData?: unknown;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the source system created it' }) externalCreatedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) externalUpdatedAt?: Date | null;
  @Field(() => [ConversationAgentInput], { nullable: true }) agents?: ConversationAgentInput[] | null;
  @Field(() => [ContactInput], { nullable: true }) contacts?: ContactInput[] | null;
  @Field(() => [MessageInput], { nullable: true }) messages?: MessageInput[] | null;
  @Field(() => [AgentActionInput], { nullable: true }) actions?: AgentActionInput[] | null;
  @Field(() => [TicketInput], { nullable: true }) tickets?: TicketInput[] | null;
  @Field(() => [TransferInput], { nullable: true }) transfers?: TransferInput[] | null;
  @Field(() => [EventInput], { nullable: true }) events?: EventInput[] | null;
}

@InputType()
export class CompleteConversationInput {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Default: now' }) endedAt?: Date | null;
  @Field(() => EndedBy, { nullable: true }) endedBy?: EndedBy | null;
  @Field(() => String, { nullable: true }) endReason?: string | null;
  @Field(() => Outcome, { nullable: true }) outcome?: Outcome | null;
  @Field(() => String, { nullable: true }) outcomeReason?: string | null;
}

@ObjectType()
export class IngestError {
  @Field(() => String, { description: 'An error code: BAD_USER_INPUT, CONFLICT, NOT_FOUND…' }) code!: string;
  @Field(() => String) message!: string;
  @Field(() => String, { nullable: true, description: 'The input path at fault, as extensions.field names it for a single ingest (events[0].payload.DISCOUNT)' })
  field!: string | null;
}

export const IngestStatus = { CREATED: 'CREATED', UPDATED: 'UPDATED', UNCHANGED: 'UNCHANGED' } as const;
registerEnumType(IngestStatus, {
  name: 'IngestStatus',
  description:
    'What an ingest did with a conversation. Sending the same payload again is safe: it changes nothing (UNCHANGED).',
  valuesConfig: {
    CREATED: { description: 'The externalId was new: the conversation was stored' },
    UPDATED: {
      description:
        'The externalId was known and the payload differed from the last one: only what changed was written; ' +
        'its analysis is queued again only when its messages changed. Fields our analysis fills (summary, topics, ' +
        'outcome, outcomeReason, sentiment, endedBy) are never cleared by a payload that leaves them out',
    },
    UNCHANGED: {
      description:
        'A duplicate: the payload equals the last one received for this externalId (or, for the Oration webhook, ' +
        'its eventId was seen before). Nothing was written, no analysis queued, no webhook event emitted',
    },
  },
});

@ObjectType()
export class IngestConversationPayload {
  @Field(() => Conversation) conversation!: Conversation;
  @Field(() => Boolean, { description: 'false when the externalId was already known (status UPDATED or UNCHANGED)' }) created!: boolean;
  @Field(() => IngestStatus, { description: 'CREATED, UPDATED, or UNCHANGED for a duplicate that changed nothing' }) status!: keyof typeof IngestStatus;
}

@ObjectType({ description: 'The outcome of one item of a bulk ingest' })
export class IngestConversationsItem {
  @Field(() => Int) index!: number;
  @Field(() => String) externalId!: string;
  @Field(() => Conversation, { nullable: true }) conversation!: Conversation | null;
  @Field(() => Boolean, { nullable: true }) created!: boolean | null;
  @Field(() => IngestStatus, { nullable: true, description: 'As ingestConversation answers it; null when the item failed' }) status!: keyof typeof IngestStatus | null;
  @Field(() => IngestError, { nullable: true }) error!: IngestError | null;
}
