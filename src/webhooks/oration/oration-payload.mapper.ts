import type {
  Channel,
  ConversationStatus,
  Direction,
  EndedBy,
  Outcome,
  SenderRole,
  SentimentLabel,
} from '../../generated/prisma/enums.js';
import { writtenOffsetZone } from '../../analysis/zoned-time.js';
import type {
  IngestAgent,
  IngestContact,
  IngestConversationCommand,
  IngestMessage,
  IngestTransfer,
} from '../../ingest/ingest.command.js';
import {
  orationConversationSchema,
  type OrationConversation,
  type OrationCustomer,
  type OrationTransfer,
  type OrationWebhook,
} from './oration-payload.schema.js';

export const ORATION_ORIGIN = 'oration';

type Nullable<T> = T | null | undefined;
type AgentUsage = NonNullable<IngestAgent['usages']>[number];
type ContactSession = NonNullable<IngestContact['sessions']>[number];

const CHANNELS: Record<string, Channel> = {
  telephony: 'VOICE',
  chat: 'CHAT',
  web: 'CHAT',
  webchat: 'CHAT',
  whatsapp: 'WHATSAPP',
  sms: 'SMS',
  video: 'VIDEO',
};

const DIRECTIONS: Record<string, Direction> = { inbound: 'INBOUND', outbound: 'OUTBOUND' };

const STATUSES: Record<string, ConversationStatus> = {
  completed: 'COMPLETED',
  failed: 'FAILED',
  error: 'FAILED',
  in_progress: 'ONGOING',
  ongoing: 'ONGOING',
  active: 'ONGOING',
};

const SENTIMENTS: Record<string, { label: SentimentLabel; score: number }> = {
  positive: { label: 'POSITIVE', score: 1 },
  neutral: { label: 'NEUTRAL', score: 0 },
  negative: { label: 'NEGATIVE', score: -1 },
  mixed: { label: 'MIXED', score: 0 },
};

const RESOLUTIONS: Record<string, Outcome> = {
  resolved: 'RESOLVED',
  unresolved: 'NOT_RESOLVED',
  not_resolved: 'NOT_RESOLVED',
  escalated: 'ESCALATED',
  transferred: 'TRANSFERRED',
  abandoned: 'ABANDONED',
};

const SPEAKER_ROLES: Record<string, SenderRole> = {
  agent: 'AGENT',
  assistant: 'AGENT',
  bot: 'AGENT',
  ai: 'AGENT',
  customer: 'USER',
  user: 'USER',
  caller: 'USER',
  human: 'USER',
  system: 'SYSTEM',
};

const END_REASON_PARTIES: Array<{ endedBy: EndedBy; words: string[] }> = [
  { endedBy: 'USER', words: ['user', 'customer', 'caller'] },
  { endedBy: 'AGENT', words: ['agent', 'assistant', 'bot'] },
];

const TRANSFER_CONNECTED = 'transfer_connected';

/** Payload fields with no column of their own; they are kept in the conversation's metaData. */
const META_DATA_FIELDS = [
  'customerId',
  'agentId',
  'userJoinTime',
  'userLeaveTime',
  'agentJoinTime',
  'agentLeaveTime',
  'transferStartTime',
  'transferEndTime',
  'transferUserJoinTime',
  'transferUserLeaveTime',
  'transferStatus',
  'transferDestination',
] as const;

const KNOWN_PAYLOAD_FIELDS: ReadonlySet<string> = new Set(Object.keys(orationConversationSchema.shape));

/** One Oration webhook → the ingest command every ingest path produces. */
export function mapOrationWebhook(webhook: OrationWebhook): IngestConversationCommand {
  const payload = webhook.payload;
  const transfers = mapTransfers(payload);
  const contacts = mapContacts(payload);
  const contactExternalId = contacts[0]?.externalId ?? null;
  return {
    externalId: payload.id,
    origin: ORATION_ORIGIN,
    channel: mapChannel(payload.conversationType),
    conversationType: payload.conversationType ?? null,
    direction: lookup(DIRECTIONS, payload.telephonyType),
    telephonyStatus: payload.telephonyStatus ?? null,
    fromPhoneNumber: payload.fromPhoneNumber ?? null,
    toPhoneNumber: payload.toPhoneNumber ?? null,
    phoneId: payload.phoneId ?? null,
    externalWorkspaceId: payload.workspaceId ?? null,
    startedAt: toDate(payload.callStartTime),
    endedAt: toDate(payload.callEndTime),
    // The payload names no zone (seed 003): only a non-zero offset its timestamps carry is kept.
    timeZone: writtenOffsetZone(payload.callStartTime) ?? writtenOffsetZone(payload.callEndTime),
    durationSeconds: mapDuration(payload.postCallMetadata?.duration),
    status: mapStatus(payload.conversationStatus, payload.callEndTime),
    endReason: payload.endReason ?? null,
    endedBy: mapEndedBy(payload.endReason),
    postCallMetadata: payload.postCallMetadata ?? null,
    transcript: payload.transcript ?? null,
    // Everything as received, so that no field of the payload is dropped (the transcript has its own column).
    sourcePayload: withoutTranscript(payload),
    ...mapSentiment(payload.postCallMetadata?.sentiment),
    ...mapOutcome(payload.postCallMetadata?.resolution, transfers),
    recordingUrl: payload.recordingUrl ?? null,
    recordingStatus: payload.recordingStatus ?? null,
    campaignId: payload.campaignId ?? null,
    campaignRunId: payload.campaignRunId ?? null,
    dynamicVariables: parseDynamicVariables(payload.dynamicVariables),
    metaData: mapMetaData(webhook),
    externalCreatedAt: toDate(payload.createdAt),
    externalUpdatedAt: toDate(payload.updatedAt),
    agents: mapAgents(payload),
    contacts,
    transfers,
    messages: mapTranscript(payload.transcript, {
      agentExternalId: primaryAgentId(payload),
      contactExternalId,
      contactName: payload.customer?.name ?? null,
    }),
  };
}

// ───────────── conversation columns ─────────────

function lookup<T>(table: Record<string, T>, raw: Nullable<string>): T | null {
  const key = raw?.trim().toLowerCase();
  // hasOwn: a raw value such as "constructor" must not hit Object.prototype.
  return key && Object.hasOwn(table, key) ? (table[key] ?? null) : null;
}

function toDate(value: Nullable<string>): Date | null {
  return value ? new Date(value) : null;
}

function mapChannel(conversationType: Nullable<string>): Channel {
  return lookup(CHANNELS, conversationType) ?? 'OTHER';
}

function mapDuration(duration: Nullable<number>): number | null {
  return typeof duration === 'number' && Number.isFinite(duration) && duration >= 0 ? duration : null;
}

function mapStatus(conversationStatus: Nullable<string>, callEndTime: Nullable<string>): ConversationStatus {
  return lookup(STATUSES, conversationStatus) ?? (callEndTime ? 'COMPLETED' : 'ONGOING');
}

export function mapEndedBy(endReason: Nullable<string>): EndedBy | null {
  const reason = endReason?.trim().toLowerCase();
  if (!reason) return null;
  const party = END_REASON_PARTIES.find(({ words }) => words.some((word) => reason.includes(word)));
  return party?.endedBy ?? 'SYSTEM';
}

function mapSentiment(sentiment: Nullable<string>): { sentimentLabel: SentimentLabel | null; sentimentScore: number | null } {
  const known = lookup(SENTIMENTS, sentiment);
  return { sentimentLabel: known?.label ?? null, sentimentScore: known?.score ?? null };
}

/**
 * An explicit provider resolution wins; otherwise a connected transfer means TRANSFERRED
 * (Oration reports plain `completed` for transferred calls too).
 */
function mapOutcome(resolution: Nullable<string>, transfers: IngestTransfer[]): { outcome: Outcome | null; outcomeReason: string | null } {
  const outcomeReason = resolution ? `provider resolution: ${resolution}` : null;
  const explicit = lookup(RESOLUTIONS, resolution);
  if (explicit) return { outcome: explicit, outcomeReason };
  if (transfers.some((transfer) => transfer.status === TRANSFER_CONNECTED)) return { outcome: 'TRANSFERRED', outcomeReason };
  return { outcome: resolution ? 'UNKNOWN' : null, outcomeReason };
}

export function parseDynamicVariables(value: OrationConversation['dynamicVariables']): Record<string, unknown> | null {
  if (value == null) return null;
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return isPlainObject(parsed) ? parsed : { raw: value };
  } catch {
    return { raw: value };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapMetaData(webhook: OrationWebhook): Record<string, unknown> {
  const { payload } = webhook;
  const metaData: Record<string, unknown> = { eventId: webhook.eventId, eventType: webhook.eventType };
  for (const field of META_DATA_FIELDS) {
    if (payload[field] !== undefined) metaData[field] = payload[field];
  }
  const extraFields = unknownPayloadFields(payload);
  if (extraFields) metaData.extraFields = extraFields;
  return metaData;
}

function withoutTranscript(payload: OrationConversation): Record<string, unknown> {
  const { transcript: _transcript, ...rest } = payload;
  return rest;
}

/** Fields Oration may add later (the schema is loose): kept rather than dropped. */
function unknownPayloadFields(payload: OrationConversation): Record<string, unknown> | null {
  const extra = Object.entries(payload).filter(([key]) => !KNOWN_PAYLOAD_FIELDS.has(key));
  return extra.length ? Object.fromEntries(extra) : null;
}

// ───────────── agents ─────────────

function primaryAgentId(payload: OrationConversation): string | null {
  return payload.agentId || payload.agents?.[0]?.agentId || null;
}

/** Transfer agents are listed too: the ingest service rejects agent references it can't resolve. */
function mapAgents(payload: OrationConversation): IngestAgent[] {
  const ids = [payload.agentId, ...(payload.agents ?? []).map((usage) => usage.agentId), ...(payload.transfers ?? []).map((transfer) => transfer.agentId)];
  return distinct(ids).map((externalId) => ({ externalId, origin: ORATION_ORIGIN, usages: agentUsages(payload, externalId) }));
}

function agentUsages(payload: OrationConversation, agentId: string): AgentUsage[] {
  const usages = payload.agents ?? [];
  if (usages.length === 0) return agentId === payload.agentId ? [topLevelAgentUsage(payload)] : [];
  return usages
    .filter((usage) => usage.agentId === agentId)
    .map((usage) => ({ externalId: usage.id, activatedAt: toDate(usage.agentJoinTime), deactivatedAt: toDate(usage.agentLeaveTime) }));
}

function topLevelAgentUsage(payload: OrationConversation): AgentUsage {
  return { externalId: null, activatedAt: toDate(payload.agentJoinTime), deactivatedAt: toDate(payload.agentLeaveTime) };
}

function distinct(values: Array<Nullable<string>>): string[] {
  return [...new Set(values.filter((value): value is string => Boolean(value)))];
}

// ───────────── contacts ─────────────

function mapContacts(payload: OrationConversation): IngestContact[] {
  const sessions = contactSessions(payload);
  if (payload.customer) return [mapCustomer(payload.customer, sessions)];
  if (payload.customerId) return [{ externalId: payload.customerId, sessions }];
  return [];
}

function mapCustomer(customer: OrationCustomer, sessions: ContactSession[]): IngestContact {
  return {
    externalId: customer.id,
    name: customer.name ?? null,
    email: customer.email ?? null,
    phoneNumber: customer.phoneNumber ?? null,
    identifier: customer.identifier ?? null,
    priority: customer.priority ?? null,
    doNotDisturb: customer.isDoNotDisturbEnabled ?? null,
    source: customer.source ?? null,
    sourceFile: customer.sourceFile ?? null,
    metaData: customer.metadata ?? null,
    externalCreatedAt: toDate(customer.createdAt),
    externalUpdatedAt: toDate(customer.updatedAt),
    sessions,
  };
}

function contactSessions(payload: OrationConversation): ContactSession[] {
  const users = payload.users ?? [];
  if (users.length) {
    return users.map((user) => ({ externalId: user.id, joinedAt: toDate(user.userJoinTime), leftAt: toDate(user.userLeaveTime) }));
  }
  if (payload.userJoinTime || payload.userLeaveTime) {
    return [{ externalId: null, joinedAt: toDate(payload.userJoinTime), leftAt: toDate(payload.userLeaveTime) }];
  }
  return [];
}

// ───────────── transfers ─────────────

function mapTransfers(payload: OrationConversation): IngestTransfer[] {
  const transfers = payload.transfers ?? [];
  if (transfers.length) return transfers.map(mapTransfer);
  if (payload.transferStartTime || payload.transferDestination) return [topLevelTransfer(payload)];
  return [];
}

function mapTransfer(transfer: OrationTransfer): IngestTransfer {
  return {
    externalId: transfer.id,
    agentExternalId: transfer.agentId ?? null,
    startedAt: toDate(transfer.transferStartTime),
    endedAt: toDate(transfer.transferEndTime),
    userJoinedAt: toDate(transfer.transferUserJoinTime),
    userLeftAt: toDate(transfer.transferUserLeaveTime),
    destination: transfer.transferDestination ?? null,
    status: transfer.transferStatus ?? null,
  };
}

function topLevelTransfer(payload: OrationConversation): IngestTransfer {
  return {
    externalId: null,
    agentExternalId: payload.agentId ?? null,
    startedAt: toDate(payload.transferStartTime),
    endedAt: toDate(payload.transferEndTime),
    userJoinedAt: toDate(payload.transferUserJoinTime),
    userLeftAt: toDate(payload.transferUserLeaveTime),
    destination: payload.transferDestination ?? null,
    status: payload.transferStatus ?? null,
  };
}

// ───────────── transcript ─────────────

interface TranscriptParties {
  agentExternalId: string | null;
  contactExternalId: string | null;
  contactName: string | null;
}

interface TranscriptTurn {
  speaker: string | null;
  content: string;
}

/**
 * "Name: text" opens a turn. The name is at most three words so that a continuation line
 * such as "Our plans are: basic and pro" isn't taken for a speaker.
 */
const SPEAKER_LINE = /^(\p{L}[\p{L}\p{N} _.'-]{0,39}):(?:\s+(.*))?$/u;
const MAX_SPEAKER_WORDS = 3;

export function mapTranscript(transcript: Nullable<string>, parties: TranscriptParties): IngestMessage[] {
  return splitTurns(transcript ?? '')
    .filter((turn) => turn.content !== '')
    .map((turn, sequence) => toMessage(turn, sequence, parties));
}

function splitTurns(transcript: string): TranscriptTurn[] {
  const turns: TranscriptTurn[] = [];
  for (const rawLine of transcript.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const opened = parseSpeakerLine(line);
    const previous = turns.at(-1);
    if (opened) turns.push(opened);
    else if (previous) previous.content = previous.content ? `${previous.content}\n${line}` : line;
    else turns.push({ speaker: null, content: line });
  }
  return turns;
}

function parseSpeakerLine(line: string): TranscriptTurn | null {
  const match = SPEAKER_LINE.exec(line);
  const speaker = match?.[1]?.trim();
  if (!match || !speaker || speaker.split(/\s+/).length > MAX_SPEAKER_WORDS) return null;
  return { speaker, content: (match[2] ?? '').trim() };
}

function toMessage(turn: TranscriptTurn, sequence: number, parties: TranscriptParties): IngestMessage {
  const senderRole = speakerRole(turn.speaker);
  return {
    sequence,
    senderRole,
    agentExternalId: senderRole === 'AGENT' ? parties.agentExternalId : null,
    contactExternalId: senderRole === 'USER' && speaksForContact(turn.speaker, parties) ? parties.contactExternalId : null,
    content: turn.content,
    type: 'TEXT',
    metaData: { speaker: turn.speaker },
  };
}

function speakerRole(speaker: string | null): SenderRole {
  // A line before any "Name:" prefix (a header or note) belongs to no party.
  if (speaker === null) return 'SYSTEM';
  return lookup(SPEAKER_ROLES, speaker) ?? 'USER';
}

/** Generic customer labels and the customer's own name are the contact; other names are not. */
function speaksForContact(speaker: string | null, parties: TranscriptParties): boolean {
  if (!speaker) return false;
  return lookup(SPEAKER_ROLES, speaker) === 'USER' || speaker.toLowerCase() === parties.contactName?.trim().toLowerCase();
}
