import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Conversation, ConversationFilter } from '../conversations/conversation.types.js';
import type { GraphQLContext } from '../graphql/context.js';
import { UUIDScalar } from '../graphql/scalars.js';
import { ReanalysisService } from './reanalysis.service.js';
import { ReanalysisProgress, ReanalysisResult } from './reanalysis.types.js';

@Resolver()
export class ReanalysisResolver {
  @Mutation(() => Conversation, { description: 'Queues a new analysis of one conversation with the config that applies now' })
  @Authorized('MANAGE')
  reanalyzeConversation(@Ctx() context: GraphQLContext, @Arg('id', () => UUIDScalar) id: string) {
    return new ReanalysisService(context.tenant(), context.analysisProvider).reanalyzeConversation(id);
  }

  @Mutation(() => ReanalysisResult, { description: 'Re-analyses every matching conversation; dryRun reports what would change without writing' })
  @Authorized('MANAGE')
  reanalyzeConversations(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => ConversationFilter, { nullable: true }) filter?: ConversationFilter | null,
    @Arg('dryRun', () => Boolean, { defaultValue: false }) dryRun?: boolean,
  ) {
    return new ReanalysisService(context.tenant(), context.analysisProvider).reanalyzeConversations(filter, dryRun ?? false);
  }

  @Query(() => ReanalysisProgress, { description: 'How far a reanalyzeConversations batch has got' })
  @Authorized('READ')
  reanalysisProgress(@Ctx() context: GraphQLContext, @Arg('batchId', () => UUIDScalar) batchId: string) {
    return new ReanalysisService(context.tenant(), context.analysisProvider).progress(batchId);
  }
}
