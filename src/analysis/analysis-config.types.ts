import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AnalysisType, DispositionMetricType } from '../generated/prisma/enums.js';
import '../graphql/enums.js';
import { DateTimeScalar, UUIDScalar } from '../graphql/scalars.js';

export enum ConfigScope {
  AGENT = 'AGENT',
  ORGANIZATION = 'ORGANIZATION',
  DEFAULT = 'DEFAULT',
}
registerEnumType(ConfigScope, { name: 'ConfigScope', description: "Which config applied: the agent's, the organization's, or the built-in default" });

@ObjectType({ description: 'A disposition metric to extract from every conversation (seed 002)' })
export class DispositionMetric {
  @Field(() => String) identifier!: string;
  @Field(() => String) prompt!: string;
  @Field(() => DispositionMetricType) type!: DispositionMetricType;
  @Field(() => [String], { nullable: true, description: 'The allowed values, for ENUM' }) choices?: string[] | null;
}

@ObjectType({ description: 'Post-call analysis configuration; every change is a new version' })
export class AnalysisConfig {
  @Field(() => UUIDScalar, { nullable: true, description: 'null for the built-in default' }) id!: string | null;
  @Field(() => Int, { description: 'Numbered per organization; results record the version they used (0 = default)' }) version!: number;
  @Field(() => ConfigScope) appliesTo!: ConfigScope;
  @Field(() => UUIDScalar, { nullable: true }) agentId!: string | null;
  @Field(() => String, { nullable: true }) summaryPrompt!: string | null;
  @Field(() => [DispositionMetric]) dispositionMetrics!: DispositionMetric[];
  @Field(() => [AnalysisType]) enabledAnalyses!: AnalysisType[];
  @Field(() => DateTimeScalar, { nullable: true }) createdAt!: Date | null;
}

@InputType()
export class DispositionMetricInput {
  @Field(() => String, { description: 'Unique within the config, e.g. user_interested' }) identifier!: string;
  @Field(() => String, { description: 'The question to answer' }) prompt!: string;
  @Field(() => DispositionMetricType) type!: DispositionMetricType;
  @Field(() => [String], { nullable: true, description: 'Required for ENUM, refused otherwise' }) choices?: string[] | null;
}

@InputType()
export class SetAnalysisConfigInput {
  @Field(() => UUIDScalar, { nullable: true, description: "An agent's own config (overrides the organization's); omit for the organization's" })
  agentId?: string | null;
  @Field(() => String, { nullable: true }) summaryPrompt?: string | null;
  @Field(() => [DispositionMetricInput]) dispositionMetrics!: DispositionMetricInput[];
  @Field(() => [AnalysisType], { nullable: true, description: 'Which analyses run (default: all)' }) enabledAnalyses?: AnalysisType[] | null;
}
