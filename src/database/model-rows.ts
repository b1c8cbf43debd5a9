import type { Agent, Analysis, Contact, ConversationAgent, Event, FollowUp, Message } from '../generated/prisma/client.js';

/**
 * Column lists that make raw SQL return rows shaped exactly like Prisma's models (`db_column AS
 * "field"`), for the hot read paths where Prisma's model queries cost twice the Node CPU of a raw
 * query of the same rows (measured on the bench's dashboard: 1,000 messages, 17.6 → 9.3 ms).
 * `test/database/model-rows.test.ts` holds every list to `findMany` of the same rows, on both
 * databases: a column added to the schema and not here fails it.
 */
const MODEL_COLUMNS = {
  Message: {
    organizationId: 'alma_internal_organization',
    id: 'uuid',
    conversationId: 'conversation_uuid',
    senderId: 'sender_uuid',
    senderContactId: 'sender_contact_uuid',
    senderRole: 'sender_role',
    sequence: 'turn_sequence_number',
    content: 'content',
    type: 'type',
    link: 'link',
    channel: 'channel',
    subchannel: 'subchannel',
    sentAt: 'sent_at',
    sentimentScore: 'sentiment_score',
    speechToTextConfidence: 'speech_to_text_confidence',
    metaData: 'meta_data',
    origin: 'origin',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  Analysis: {
    organizationId: 'alma_internal_organization',
    id: 'uuid',
    conversationId: 'conversation_uuid',
    runId: 'run_uuid',
    contextStartIndex: 'context_start_index',
    contextEndIndex: 'context_end_index',
    analysisType: 'analysis_type',
    result: 'result',
    origin: 'origin',
    provider: 'provider',
    model: 'model',
    configId: 'analysis_config_uuid',
    configVersion: 'config_version',
    promptTokens: 'prompt_tokens',
    completionTokens: 'completion_tokens',
    totalTokens: 'total_tokens',
    costUsd: 'cost_usd',
    status: 'status',
    error: 'error',
    supersededAt: 'superseded_at',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  Event: {
    organizationId: 'alma_internal_organization',
    id: 'uuid',
    conversationId: 'conversation_uuid',
    agentId: 'agent_uuid',
    analysisId: 'analytics_uuid',
    externalId: 'external_id',
    eventType: 'event_type',
    eventSubtype: 'event_subtype',
    payload: 'json',
    scheduledTo: 'scheduled_to',
    source: 'source',
    confidence: 'confidence',
    contextStartIndex: 'context_start_index',
    contextEndIndex: 'context_end_index',
    supersededAt: 'superseded_at',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  ConversationAgent: {
    organizationId: 'alma_internal_organization',
    id: 'uuid',
    conversationId: 'conversation_uuid',
    agentId: 'agent_uuid',
    externalId: 'external_id',
    activatedAt: 'activation_timestamp',
    deactivatedAt: 'deactivation_timestamp',
    usageDurationSeconds: 'usage_duration_seconds',
    handoffReason: 'handoff_reason',
    successRate: 'success_rate',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  FollowUp: {
    organizationId: 'alma_internal_organization',
    eventId: 'event_uuid',
    conversationId: 'conversation_uuid',
    agentId: 'agent_uuid',
    score: 'score',
    followUpDate: 'follow_up_date',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  Agent: {
    organizationId: 'alma_internal_organization',
    id: 'uuid',
    name: 'name',
    email: 'email',
    phoneNumber: 'phone_number',
    otherInfo: 'other_info',
    internal: 'internal',
    origin: 'origin',
    externalId: 'external_id',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  Contact: {
    organizationId: 'alma_internal_organization',
    id: 'uuid',
    name: 'name',
    email: 'email',
    phoneNumber: 'phone_number',
    externalId: 'external_id',
    identifier: 'identifier',
    priority: 'priority',
    doNotDisturb: 'do_not_disturb',
    source: 'source',
    sourceFile: 'source_file',
    metaData: 'meta_data',
    origin: 'origin',
    externalCreatedAt: 'external_created_at',
    externalUpdatedAt: 'external_updated_at',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
} as const satisfies {
  Message: Record<keyof Message, string>;
  Analysis: Record<keyof Analysis, string>;
  Event: Record<keyof Event, string>;
  ConversationAgent: Record<keyof ConversationAgent, string>;
  FollowUp: Record<keyof FollowUp, string>;
  Agent: Record<keyof Agent, string>;
  Contact: Record<keyof Contact, string>;
};

export type RowModel = keyof typeof MODEL_COLUMNS;

/** `alias.db_column AS "field", …` for every scalar field of `model`. */
export function modelColumns(model: RowModel, alias: string): string {
  return Object.entries(MODEL_COLUMNS[model])
    .map(([field, column]) => `${alias}.${column} AS "${field}"`)
    .join(', ');
}

/** The Prisma fields of `model` (the keys a row of `modelColumns` has). */
export function modelFields(model: RowModel): string[] {
  return Object.keys(MODEL_COLUMNS[model]);
}
