import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { EventSource, EventType } from '../generated/prisma/enums.js';
import { ConnectionType } from '../graphql/connection.js';
import '../graphql/enums.js';
import { DateTimeScalar, JSONScalar, UUIDScalar } from '../graphql/scalars.js';
import { TimeRangeInput } from '../conversations/conversation.types.js';

@ObjectType({ description: 'A business event in a conversation (seed 001 catalog)' })
export class Event {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => UUIDScalar) conversationId!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => EventType) eventType!: EventType;
  @Field(() => String, { nullable: true }) eventSubtype!: string | null;
  @Field(() => JSONScalar, {
    nullable: true,
    description: 'The payload as stored, keys as seed 001 spells them (a key not detected is absent, never null), custom keys included; `details` has the same values typed, with their units',
  })
  payload!: unknown;
  @Field(() => DateTimeScalar, { nullable: true }) scheduledTo!: Date | null;
  @Field(() => EventSource) source!: EventSource;
  @Field(() => Float, { nullable: true }) confidence!: number | null;
  @Field(() => Int, { nullable: true }) contextStartIndex!: number | null;
  @Field(() => Int, { nullable: true }) contextEndIndex!: number | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  agentId!: string | null;
}

@ObjectType({ description: 'A follow-up, one per FOLLOWUP_DETECTION event' })
export class FollowUp {
  @Field(() => UUIDScalar) eventId!: string;
  @Field(() => UUIDScalar) conversationId!: string;
  @Field(() => Int, { description: '0–100' }) score!: number;
  @Field(() => DateTimeScalar, { description: 'The instant (read in UTC); the detecting event\'s payload `FOLLOWUP_TIME` has it with the conversation\'s offset' }) followUpDate!: Date;
  @Field(() => DateTimeScalar) createdAt!: Date;
  agentId!: string | null;
}

export const EventConnection = ConnectionType('Event', Event);
export const FollowUpConnection = ConnectionType('FollowUp', FollowUp);

@InputType()
export class EventFilter {
  @Field(() => [EventType], { nullable: true }) eventTypes?: EventType[] | null;
  @Field(() => String, { nullable: true }) eventSubtype?: string | null;
  @Field(() => UUIDScalar, { nullable: true }) conversationId?: string | null;
  @Field(() => UUIDScalar, { nullable: true }) agentId?: string | null;
  @Field(() => EventSource, { nullable: true }) source?: EventSource | null;
  @Field(() => TimeRangeInput, { nullable: true, description: 'On createdAt' }) createdAt?: TimeRangeInput | null;
}

@InputType()
export class FollowUpFilter {
  @Field(() => TimeRangeInput, { nullable: true, description: 'On followUpDate' }) due?: TimeRangeInput | null;
  @Field(() => UUIDScalar, { nullable: true }) agentId?: string | null;
  @Field(() => UUIDScalar, { nullable: true }) conversationId?: string | null;
  @Field(() => Int, { nullable: true }) minScore?: number | null;
}

@InputType({
  description:
    'An event to record. The payload is validated against its type, in the units `Event.details` states (DISCOUNT a fraction 0–1, PRICE the list price with its CURRENCY, DURATION in seconds, times ISO 8601 with offset); a value in another unit is BAD_USER_INPUT naming the key',
})
export class EventInput {
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => EventType) eventType!: EventType;
  @Field(() => String, { nullable: true, description: 'Required for CUSTOMER_INFORMATION_DETECTION: NAME, AGE, …' }) eventSubtype?: string | null;
  @Field(() => JSONScalar, { nullable: true }) payload?: unknown;
  @Field(() => String, { nullable: true }) agentExternalId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) scheduledTo?: Date | null;
  @Field(() => Float, { nullable: true }) confidence?: number | null;
  @Field(() => Int, { nullable: true }) contextStartIndex?: number | null;
  @Field(() => Int, { nullable: true }) contextEndIndex?: number | null;
  @Field(() => Int, { nullable: true, description: 'FOLLOWUP_DETECTION: the follow-up score 0–100 (default 50)' }) followUpScore?: number | null;
}
