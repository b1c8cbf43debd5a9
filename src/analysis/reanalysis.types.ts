import { Field, Int, ObjectType } from 'type-graphql';
import { JSONScalar, UUIDScalar } from '../graphql/scalars.js';

@ObjectType()
export class FieldChange {
  @Field(() => String, { description: 'summary, outcome, sentimentLabel, topics, disposition.<identifier>, events' }) field!: string;
  @Field(() => JSONScalar, { nullable: true }) before!: unknown;
  @Field(() => JSONScalar, { nullable: true }) after!: unknown;
}

@ObjectType()
export class ConversationChanges {
  @Field(() => UUIDScalar) conversationId!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field(() => [FieldChange], { description: 'Empty when a new analysis would change nothing' }) changes!: FieldChange[];
}

@ObjectType()
export class ReanalysisResult {
  @Field(() => Boolean) dryRun!: boolean;
  @Field(() => UUIDScalar, { nullable: true, description: 'For reanalysisProgress; null for a dry run' }) batchId!: string | null;
  @Field(() => Int, { description: 'Conversations the filter matched' }) matched!: number;
  @Field(() => Int, { description: 'Analyses queued (one already queued is not queued twice)' }) queued!: number;
  @Field(() => [ConversationChanges], { description: 'Dry run: what would change, per conversation' }) changes!: ConversationChanges[];
}

@ObjectType()
export class ReanalysisProgress {
  @Field(() => UUIDScalar) batchId!: string;
  @Field(() => Int) total!: number;
  @Field(() => Int) queued!: number;
  @Field(() => Int) running!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int) failed!: number;
}
