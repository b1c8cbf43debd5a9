import type { AnalysisStatus, ConversationStatus } from '../generated/prisma/enums.js';
import type { Conversation as ConversationRow } from '../generated/prisma/client.js';

/** What happened to a conversation (the GraphQL enum ConversationChangeKind, registered in conversation-change.types.ts). */
export enum ConversationChangeKind {
  STARTED = 'STARTED',
  MESSAGES_APPENDED = 'MESSAGES_APPENDED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  ANALYSIS_QUEUED = 'ANALYSIS_QUEUED',
  ANALYSIS_STARTED = 'ANALYSIS_STARTED',
  ANALYSIS_COMPLETED = 'ANALYSIS_COMPLETED',
  ANALYSIS_FAILED = 'ANALYSIS_FAILED',
}

/** A change as announced: a reference to the conversation, with the statuses the change left. */
export interface ConversationChange {
  organizationId: string;
  conversationId: string;
  kind: ConversationChangeKind;
  status: ConversationStatus | null;
  analysisStatus: AnalysisStatus | null;
  /** The conversation, when a filter already loaded it for this subscriber. */
  loaded?: ConversationRow;
}
