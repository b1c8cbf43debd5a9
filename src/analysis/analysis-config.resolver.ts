import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { UUIDScalar } from '../graphql/scalars.js';
import { AnalysisConfigService } from './analysis-config.service.js';
import { AnalysisConfig, SetAnalysisConfigInput } from './analysis-config.types.js';

@Resolver(() => AnalysisConfig)
export class AnalysisConfigResolver {
  @Query(() => AnalysisConfig, { description: "The config that applies to an agent's conversations (or the organization's, without agentId)" })
  @Authorized('READ')
  analysisConfig(@Ctx() context: GraphQLContext, @Arg('agentId', () => UUIDScalar, { nullable: true }) agentId?: string | null) {
    return new AnalysisConfigService(context.tenant()).effective(agentId);
  }

  @Query(() => [AnalysisConfig], { description: 'Every version, newest first (at most 100)' })
  @Authorized('READ')
  analysisConfigHistory(@Ctx() context: GraphQLContext, @Arg('agentId', () => UUIDScalar, { nullable: true }) agentId?: string | null) {
    return new AnalysisConfigService(context.tenant()).history(agentId ?? undefined);
  }

  @Mutation(() => AnalysisConfig, { description: 'Saves a new version; new conversations use it, stored results keep theirs until re-analysed' })
  @Authorized('MANAGE')
  setAnalysisConfig(@Ctx() context: GraphQLContext, @Arg('input', () => SetAnalysisConfigInput) input: SetAnalysisConfigInput) {
    return new AnalysisConfigService(context.tenant()).set(input);
  }
}
