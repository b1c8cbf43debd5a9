import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Agent } from '../agents/agent.types.js';
import { Conversation } from '../conversations/conversation.types.js';
import type { FollowUp as FollowUpRow, Event as EventRow, Prisma } from '../generated/prisma/client.js';
import type { GraphQLContext } from '../graphql/context.js';
import { createdAtPage, decodeDate, keysetPage } from '../graphql/keyset.js';
import { UUIDScalar } from '../graphql/scalars.js';
import { IngestService } from '../ingest/ingest.service.js';
import { EventDetails, eventDetails } from './event-details.types.js';
import { Event, EventConnection, EventFilter, EventInput, FollowUp, FollowUpConnection, FollowUpFilter } from './event.types.js';

function eventWhere(filter: EventFilter | null | undefined): Prisma.EventWhereInput {
  const where: Prisma.EventWhereInput = { supersededAt: null };
  if (!filter) return where;
  return {
    ...where,
    ...(filter.eventTypes?.length ? { eventType: { in: filter.eventTypes } } : {}),
    ...(filter.eventSubtype ? { eventSubtype: filter.eventSubtype } : {}),
    ...(filter.conversationId ? { conversationId: filter.conversationId } : {}),
    ...(filter.agentId ? { agentId: filter.agentId } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.createdAt?.from || filter.createdAt?.to
      ? { createdAt: { ...(filter.createdAt.from ? { gte: filter.createdAt.from } : {}), ...(filter.createdAt.to ? { lt: filter.createdAt.to } : {}) } }
      : {}),
  };
}

function followUpWhere(filter: FollowUpFilter | null | undefined): Prisma.FollowUpWhereInput {
  // Follow-ups of events a later analysis replaced are history, not work to do.
  const current: Prisma.FollowUpWhereInput = { event: { supersededAt: null } };
  if (!filter) return current;
  return {
    ...current,
    ...(filter.agentId ? { agentId: filter.agentId } : {}),
    ...(filter.conversationId ? { conversationId: filter.conversationId } : {}),
    ...(filter.minScore != null ? { score: { gte: filter.minScore } } : {}),
    ...(filter.due?.from || filter.due?.to
      ? { followUpDate: { ...(filter.due.from ? { gte: filter.due.from } : {}), ...(filter.due.to ? { lt: filter.due.to } : {}) } }
      : {}),
  };
}

@Resolver(() => Event)
export class EventResolver {
  @Query(() => EventConnection, { description: 'Events, oldest first' })
  @Authorized('READ')
  events(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => EventFilter, { nullable: true }) filter?: EventFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const { db } = context.tenant();
    const where = eventWhere(filter);
    return createdAtPage<EventRow>({ first, after, where, findMany: (args) => db.event.findMany(args), count: (args) => db.event.count(args) });
  }

  @Query(() => FollowUpConnection, { description: 'Follow-ups, soonest first' })
  @Authorized('READ')
  followUps(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => FollowUpFilter, { nullable: true }) filter?: FollowUpFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const { db } = context.tenant();
    const where = followUpWhere(filter);
    return keysetPage<FollowUpRow & { id: string }, Date>({
      first,
      after,
      direction: 'asc',
      sortValue: (row) => row.followUpDate,
      decode: decodeDate,
      afterWhere: (value, id) => ({ OR: [{ followUpDate: { gt: value } }, { followUpDate: value, eventId: { gt: id } }] }),
      findPage: async (afterWhere, take) =>
        (
          await db.followUp.findMany({
            where: afterWhere ? { AND: [where, afterWhere] } : where,
            orderBy: [{ followUpDate: 'asc' }, { eventId: 'asc' }],
            take,
          })
        ).map((row) => ({ ...row, id: row.eventId })),
      count: () => db.followUp.count({ where }),
    });
  }

  @Mutation(() => [Event], { description: 'Records events on a conversation; each payload is validated against its type' })
  @Authorized('INGEST')
  recordEvents(
    @Ctx() context: GraphQLContext,
    @Arg('conversationId', () => UUIDScalar) conversationId: string,
    @Arg('events', () => [EventInput]) events: EventInput[],
  ) {
    return new IngestService(context.tenant()).recordEvents(conversationId, events);
  }

  @FieldResolver(() => Conversation)
  conversation(@Root() event: Event, @Ctx() context: GraphQLContext) {
    return context.loaders().conversation.load(event.conversationId);
  }

  @FieldResolver(() => Agent, { nullable: true })
  agent(@Root() event: Event, @Ctx() context: GraphQLContext) {
    return event.agentId ? context.loaders().agent.load(event.agentId) : null;
  }

  @FieldResolver(() => EventDetails, { description: 'The payload typed for the event type, each value in the unit its field states (read from payload, no extra query)' })
  details(@Root() event: Event) {
    return eventDetails(event.eventType, event.payload);
  }

  @FieldResolver(() => FollowUp, { nullable: true, description: 'For FOLLOWUP_DETECTION events' })
  followUp(@Root() event: Event, @Ctx() context: GraphQLContext) {
    return event.eventType === 'FOLLOWUP_DETECTION' ? context.loaders().followUpByEvent.load(event.id) : null;
  }
}

@Resolver(() => FollowUp)
export class FollowUpResolver {
  @FieldResolver(() => Event)
  event(@Root() followUp: FollowUp, @Ctx() context: GraphQLContext) {
    return context.loaders().event.load(followUp.eventId);
  }

  @FieldResolver(() => Conversation)
  conversation(@Root() followUp: FollowUp, @Ctx() context: GraphQLContext) {
    return context.loaders().conversation.load(followUp.conversationId);
  }

  @FieldResolver(() => Agent, { nullable: true })
  agent(@Root() followUp: FollowUp, @Ctx() context: GraphQLContext) {
    return followUp.agentId ? context.loaders().agent.load(followUp.agentId) : null;
  }
}
