import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { Conversation, Ticket, TicketConnection } from '../conversations/conversation.types.js';
import type { GraphQLContext } from '../graphql/context.js';
import { TicketService } from './ticket.service.js';
import { TicketFilter } from './ticket.types.js';

@Resolver(() => Ticket)
export class TicketResolver {
  @Query(() => TicketConnection, {
    description: 'Ticket rows, oldest first: one per conversation that used, created, updated or linked a ticket — filter by ticketId to find every conversation that touched it',
  })
  @Authorized('READ')
  tickets(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => TicketFilter, { nullable: true }) filter?: TicketFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Info() info?: GraphQLResolveInfo,
  ) {
    return new TicketService(context.tenant()).list(filter, first, after, context.readPlanner ? info : undefined);
  }

  @FieldResolver(() => Conversation, { description: 'The conversation that touched the ticket' })
  conversation(@Root() ticket: Ticket, @Ctx() context: GraphQLContext) {
    return context.loaders().conversation.load(ticket.conversationId);
  }
}
