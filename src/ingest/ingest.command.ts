import type {
  ActionStatus,
  Channel,
  ConversationStatus,
  Direction,
  EndedBy,
  EventType,
  MessageType,
  Outcome,
  SenderRole,
  SentimentLabel,
  TicketAction,
} from '../generated/prisma/enums.js';

/**
 * One conversation with everything it owns, as every ingest path (GraphQL, bulk, the Oration
 * webhook) hands it to the ingest service. Agents and contacts are referred to by their
 * external ids; the service resolves them to rows of the caller's organization.
 */
export interface IngestConversationCommand {
  externalId: string;
  origin: string;
  channel: Channel;
  direction?: Direction | null;
  conversationType?: string | null;
  fromPhoneNumber?: string | null;
  toPhoneNumber?: string | null;
  phoneId?: string | null;
  externalWorkspaceId?: string | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
  /**
   * An IANA zone or a `±HH:MM` offset. The GraphQL and webhook adapters fill it, when none was
   * sent, with the non-zero offset startedAt (else endedAt) was written with.
   */
  timeZone?: string | null;
  durationSeconds?: number | null;
  status?: ConversationStatus | null;
  telephonyStatus?: string | null;
  endedBy?: EndedBy | null;
  endReason?: string | null;
  outcome?: Outcome | null;
  outcomeReason?: string | null;
  summary?: string | null;
  sentimentScore?: number | null;
  sentimentLabel?: SentimentLabel | null;
  topics?: string[] | null;
  userSatisfactionScore?: number | null;
  callQualityScore?: number | null;
  audioQualityMetrics?: unknown;
  postCallMetadata?: unknown;
  /** The transcript text as the source sent it (the messages are what is analysed). */
  transcript?: string | null;
  /** The source system's record as received, kept whole so no field it sent is lost. */
  sourcePayload?: unknown;
  recordingUrl?: string | null;
  recordingStatus?: string | null;
  campaignId?: string | null;
  campaignRunId?: string | null;
  dynamicVariables?: unknown;
  metaData?: unknown;
  externalCreatedAt?: Date | null;
  externalUpdatedAt?: Date | null;
  agents?: IngestAgent[] | null;
  contacts?: IngestContact[] | null;
  messages?: IngestMessage[] | null;
  actions?: IngestAction[] | null;
  tickets?: IngestTicket[] | null;
  transfers?: IngestTransfer[] | null;
  events?: IngestEvent[] | null;
}

export interface AgentFields {
  externalId: string;
  origin?: string | null;
  name?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
  internal?: boolean | null;
  otherInfo?: unknown;
}

/** An agent that took part, with its usage in this conversation (seed 000 Agent Usage). */
export interface IngestAgent extends AgentFields {
  usages?: Array<{
    externalId?: string | null;
    activatedAt?: Date | null;
    deactivatedAt?: Date | null;
    handoffReason?: string | null;
    successRate?: number | null;
  }> | null;
}

export interface IngestContact {
  externalId: string;
  name?: string | null;
  email?: string | null;
  phoneNumber?: string | null;
  identifier?: string | null;
  priority?: number | null;
  doNotDisturb?: boolean | null;
  source?: unknown;
  sourceFile?: string | null;
  metaData?: unknown;
  externalCreatedAt?: Date | null;
  externalUpdatedAt?: Date | null;
  /** Presence in this conversation (seed 003 `users[]`). */
  sessions?: Array<{ externalId?: string | null; joinedAt?: Date | null; leftAt?: Date | null }> | null;
}

export interface IngestMessage {
  sequence: number;
  senderRole: SenderRole;
  agentExternalId?: string | null;
  contactExternalId?: string | null;
  content: string;
  type?: MessageType | null;
  link?: string | null;
  /** The turn's own channel (seed 001 `messages.channel`); absent → the conversation's. */
  channel?: Channel | null;
  /** The turn's own origin (seed 001 `messages.origin`); absent → the conversation's. */
  origin?: string | null;
  subchannel?: string | null;
  sentAt?: Date | null;
  sentimentScore?: number | null;
  speechToTextConfidence?: number | null;
  metaData?: unknown;
}

export interface IngestAction {
  externalId?: string | null;
  agentExternalId?: string | null;
  messageSequence?: number | null;
  functionName: string;
  status: ActionStatus;
  inputParameters?: unknown;
  outputResponse?: unknown;
  executionTimeMs?: number | null;
  errorMessage?: string | null;
  retryCount?: number | null;
  occurredAt?: Date | null;
}

export interface IngestTicket {
  ticketSystem?: string | null;
  ticketId: string;
  action: TicketAction;
  status?: string | null;
  reason?: string | null;
  occurredAt?: Date | null;
}

export interface IngestTransfer {
  externalId?: string | null;
  agentExternalId?: string | null;
  startedAt?: Date | null;
  endedAt?: Date | null;
  userJoinedAt?: Date | null;
  userLeftAt?: Date | null;
  destination?: string | null;
  status?: string | null;
}

export interface IngestEvent {
  externalId?: string | null;
  eventType: EventType;
  eventSubtype?: string | null;
  payload?: unknown;
  agentExternalId?: string | null;
  scheduledTo?: Date | null;
  confidence?: number | null;
  contextStartIndex?: number | null;
  contextEndIndex?: number | null;
  /** For FOLLOWUP_DETECTION: the follow-up's score (0–100, default 50). */
  followUpScore?: number | null;
}
