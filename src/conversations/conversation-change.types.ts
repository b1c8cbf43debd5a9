import { Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { AnalysisStatus, Channel, ConversationStatus } from '../generated/prisma/enums.js';
import '../graphql/enums.js';
import { UUIDScalar } from '../graphql/scalars.js';
import { ConversationChangeKind } from './conversation-change.js';

export { ConversationChangeKind, type ConversationChange } from './conversation-change.js';

registerEnumType(ConversationChangeKind, {
  name: 'ConversationChangeKind',
  description: 'What happened to a conversation (announced when the writing transaction commits)',
  valuesConfig: {
    STARTED: { description: 'The conversation was created (ingest)' },
    MESSAGES_APPENDED: { description: 'Messages were added: one change per write (appendMessages, ingest), however many messages it added' },
    STATUS_CHANGED: {
      description: 'status changed (e.g. to COMPLETED); when the same write also changed analysisStatus (completion queues the analysis) it is this one change, with both statuses',
    },
    ANALYSIS_QUEUED: { description: 'analysisStatus became PENDING (queued, re-analysis, or a retry)' },
    ANALYSIS_STARTED: { description: 'analysisStatus became RUNNING' },
    ANALYSIS_COMPLETED: { description: 'analysisStatus became COMPLETED: the new analysis is readable' },
    ANALYSIS_FAILED: { description: 'analysisStatus became FAILED (analysisError says why)' },
  },
});

@ObjectType('ConversationChange', {
  description:
    'One change of a conversation. `conversation` is read when the change is delivered, through your organization, so it shows the conversation as it is then (possibly already past this change)',
})
export class ConversationChangeType {
  @Field(() => ConversationChangeKind) kind!: ConversationChangeKind;
  @Field(() => UUIDScalar) conversationId!: string;
  @Field(() => ConversationStatus, { nullable: true, description: 'The status this change left (absent on MESSAGES_APPENDED)' })
  status!: ConversationStatus | null;
  @Field(() => AnalysisStatus, { nullable: true, description: 'The analysis status this change left (absent on MESSAGES_APPENDED)' })
  analysisStatus!: AnalysisStatus | null;
}

export const DEFAULT_ACTIVITY_KINDS = [
  ConversationChangeKind.STARTED,
  ConversationChangeKind.STATUS_CHANGED,
  ConversationChangeKind.ANALYSIS_COMPLETED,
  ConversationChangeKind.ANALYSIS_FAILED,
];

@InputType({ description: 'Which changes of your organization’s conversations conversationActivity delivers; every given condition must hold' })
export class ConversationActivityFilter {
  @Field(() => [ConversationChangeKind], {
    nullable: true,
    description: 'Default [STARTED, STATUS_CHANGED, ANALYSIS_COMPLETED, ANALYSIS_FAILED]: conversations started, ended, analysed',
  })
  kinds?: ConversationChangeKind[] | null;
  @Field(() => [ConversationStatus], { nullable: true, description: 'The status the change left is one of (e.g. [COMPLETED] for completed conversations)' })
  statuses?: ConversationStatus[] | null;
  @Field(() => [Channel], { nullable: true, description: 'The conversation’s channel is one of' }) channels?: Channel[] | null;
  @Field(() => String, { nullable: true, description: 'The conversation’s origin is' }) origin?: string | null;
}
