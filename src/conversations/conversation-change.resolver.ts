import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { badUserInput, notFound } from '../errors/domain-error.js';
import type { GraphQLContext } from '../graphql/context.js';
import { UUIDScalar } from '../graphql/scalars.js';
import { ConversationChangeService } from './conversation-change.service.js';
import { ConversationActivityFilter, ConversationChangeType, type ConversationChange } from './conversation-change.types.js';
import { ConversationService } from './conversation.service.js';
import { Conversation } from './conversation.types.js';

function changeService(context: GraphQLContext): ConversationChangeService {
  if (!context.conversationChanges) {
    throw badUserInput('Subscriptions are served over WebSocket at /graphql (protocol graphql-transport-ws, as graphql-ws speaks it)');
  }
  return new ConversationChangeService(context.tenant(), context.conversationChanges);
}

type SubscribeData<Args> = SubscribeResolverData<unknown, Args, GraphQLContext>;

@Resolver(() => ConversationChangeType)
export class ConversationChangeResolver {
  @Subscription(() => ConversationChangeType, {
    description:
      'Every change of one conversation of your organization (messages appended, status changed, analysis queued/started/completed/failed), ' +
      'from when the subscription starts. NOT_FOUND when the conversation is not yours. WebSocket only (graphql-transport-ws on /graphql)',
    subscribe: ({ args, context }: SubscribeData<{ id: string }>) => changeService(context).watchConversation(args.id),
  })
  @Authorized('READ')
  conversationUpdated(@Root() change: ConversationChange, @Arg('id', () => UUIDScalar) _id: string): ConversationChange {
    return change;
  }

  @Subscription(() => ConversationChangeType, {
    description:
      "Changes of your organization's conversations (by default: started, status changed — e.g. completed —, analysis completed or failed). WebSocket only",
    subscribe: ({ args, context }: SubscribeData<{ filter?: ConversationActivityFilter | null }>) => changeService(context).watchActivity(args.filter),
  })
  @Authorized('READ')
  conversationActivity(
    @Root() change: ConversationChange,
    @Arg('filter', () => ConversationActivityFilter, { nullable: true }) _filter?: ConversationActivityFilter | null,
  ): ConversationChange {
    return change;
  }

  @FieldResolver(() => Conversation, { description: 'The conversation now, read for your organization when the change is delivered' })
  conversation(@Root() change: ConversationChange, @Ctx() context: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    const scope = context.tenant();
    // The feed only routes an organization's changes to it; checked again where the data is read.
    if (change.organizationId !== scope.organizationId) throw notFound('Conversation');
    return change.loaded ?? new ConversationService(scope).get(change.conversationId, context.readPlanner ? info : undefined);
  }
}
