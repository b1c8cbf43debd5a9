import { orderedUuid } from '../database/ordered-uuid.js';
import { badUserInput } from '../errors/domain-error.js';
import { INPUT_LIMITS, MAX_MESSAGES_PER_CONVERSATION, MAX_TRANSCRIPT_LENGTH, requireFieldsWithinBounds, requireIdentifierLength, requireListLength, requireTextLength } from '../limits/input-limits.js';
import { validateEvent, type ValidatedEvent } from '../events/event-payload.js';
import type { Conversation, Prisma } from '../generated/prisma/client.js';
import type { MessageRow } from '../conversations/message.store.js';
import { requireTimeZone } from '../conversations/time-zone.js';
import type { AgentFields, IngestAgent, IngestContact, IngestConversationCommand, IngestEvent, IngestMessage } from './ingest.command.js';

/**
 * An ingest command → the rows it writes, and the checks a command must pass on its own. Used by
 * the one ingest writer (ingest-writer.ts) and by the live-conversation mutations (ingest.service.ts).
 */

type ConversationRef = { organizationId: string; conversationId: string };

/** Agents a command refers to (messages, actions, transfers, events) without listing them: they must exist already. */
export function unlistedAgentRefs(command: IngestConversationCommand): string[] {
  const listed = new Set((command.agents ?? []).map((agent) => agent.externalId));
  const refs = [
    ...(command.messages ?? []).map((message) => message.agentExternalId),
    ...(command.actions ?? []).map((action) => action.agentExternalId),
    ...(command.transfers ?? []).map((transfer) => transfer.agentExternalId),
    ...(command.events ?? []).map((event) => event.agentExternalId),
  ];
  return [...new Set(refs.filter((ref): ref is string => Boolean(ref) && !listed.has(ref!)))];
}

/** Contacts a command's messages refer to without listing them. */
export function unlistedContactRefs(command: IngestConversationCommand): string[] {
  const listed = new Set((command.contacts ?? []).map((contact) => contact.externalId));
  const refs = (command.messages ?? []).map((message) => message.contactExternalId);
  return [...new Set(refs.filter((ref): ref is string => Boolean(ref) && !listed.has(ref!)))];
}

export const unknownAgentsError = (missing: string[]) =>
  badUserInput(`Unknown agent external id(s): ${missing.join(', ')} — list them under agents`, { agents: missing });

export const unknownContactsError = (missing: string[]) =>
  badUserInput(`Unknown contact external id(s): ${missing.join(', ')} — list them under contacts`, { contacts: missing });

export const actionTurnError = (index: number, sequence: number | null | undefined) =>
  badUserInput(`actions[${index}].messageSequence ${sequence} is not a message of this conversation`);

/** An agent's upsert fields; an absent (null) field leaves the stored value alone. */
export function agentFields(agent: AgentFields) {
  return {
    name: agent.name ?? undefined,
    email: agent.email ?? undefined,
    phoneNumber: agent.phoneNumber ?? undefined,
    internal: agent.internal ?? undefined,
    otherInfo: agent.otherInfo == null ? undefined : (agent.otherInfo as Prisma.InputJsonValue),
  };
}

/** A contact's upsert fields; an absent (null) field leaves the stored value alone. */
export function contactFields(contact: IngestContact) {
  return {
    name: contact.name ?? undefined,
    email: contact.email ?? undefined,
    phoneNumber: contact.phoneNumber ?? undefined,
    identifier: contact.identifier ?? undefined,
    priority: contact.priority ?? undefined,
    doNotDisturb: contact.doNotDisturb ?? undefined,
    source: contact.source == null ? undefined : (contact.source as Prisma.InputJsonValue),
    sourceFile: contact.sourceFile ?? undefined,
    metaData: contact.metaData == null ? undefined : (contact.metaData as Prisma.InputJsonValue),
    externalCreatedAt: contact.externalCreatedAt ?? undefined,
    externalUpdatedAt: contact.externalUpdatedAt ?? undefined,
  };
}

/** The conversation row's own fields, for a new conversation (`existing` null) or an update. */
export function conversationFields(
  command: IngestConversationCommand,
  agentIds: Map<string, string>,
  contactIds: Map<string, string>,
  existing: Pick<Conversation, 'startedAt' | 'status'> | null,
) {
  const status = command.status ?? (command.endedAt ? 'COMPLETED' : 'ONGOING');
  const startedAt = command.startedAt ?? existing?.startedAt ?? new Date();
  const endedAt = command.endedAt ?? null;
  return {
    origin: command.origin,
    channel: command.channel,
    direction: command.direction ?? null,
    conversationType: command.conversationType ?? null,
    fromPhoneNumber: command.fromPhoneNumber ?? null,
    toPhoneNumber: command.toPhoneNumber ?? null,
    phoneId: command.phoneId ?? null,
    externalWorkspaceId: command.externalWorkspaceId ?? null,
    agents: [...new Set(agentIds.values())],
    externalParticipants: [...new Set(contactIds.values())],
    startedAt,
    endedAt,
    timeZone: requireTimeZone(command.timeZone, 'timeZone') ?? null,
    durationSeconds: command.durationSeconds ?? (endedAt ? Math.max(0, (endedAt.getTime() - startedAt.getTime()) / 1000) : null),
    status,
    telephonyStatus: command.telephonyStatus ?? null,
    endedBy: command.endedBy ?? null,
    endReason: command.endReason ?? null,
    // What the partner sends is reported; the analysis writes its own columns beside these, and
    // the top-level values follow both (the conversations_effective_values trigger).
    reportedOutcome: command.outcome ?? null,
    reportedOutcomeReason: command.outcomeReason ?? null,
    reportedSummary: command.summary ?? null,
    reportedSentimentScore: command.sentimentScore ?? null,
    reportedSentimentLabel: command.sentimentLabel ?? null,
    reportedTopics: command.topics ?? [],
    userSatisfactionScore: command.userSatisfactionScore ?? null,
    callQualityScore: command.callQualityScore ?? null,
    audioQualityMetrics: json(command.audioQualityMetrics),
    postCallMetadata: json(command.postCallMetadata),
    transcript: command.transcript ?? null,
    sourcePayload: json(command.sourcePayload),
    recordingUrl: command.recordingUrl ?? null,
    recordingStatus: command.recordingStatus ?? null,
    campaignId: command.campaignId ?? null,
    campaignRunId: command.campaignRunId ?? null,
    dynamicVariables: json(command.dynamicVariables),
    metaData: json(command.metaData),
    externalCreatedAt: command.externalCreatedAt ?? null,
    externalUpdatedAt: command.externalUpdatedAt ?? null,
    // A newly completed conversation is queued for analysis; an already analysed one keeps its state.
    ...(status === 'COMPLETED' && existing?.status !== 'COMPLETED' ? { analysisStatus: 'PENDING' as const } : {}),
  };
}

/** conversation_agents: every listed agent gets at least one usage row (that row is what links agents to conversations). */
export function usageRows(owner: ConversationRef, command: IngestConversationCommand, agentIds: Map<string, string>) {
  return (command.agents ?? []).flatMap((agent) =>
    (agent.usages?.length ? agent.usages : [{}]).map((usage: NonNullable<IngestAgent['usages']>[number]) => ({
      id: orderedUuid(),
      organizationId: owner.organizationId,
      conversationId: owner.conversationId,
      agentId: agentIds.get(agent.externalId)!,
      externalId: usage.externalId ?? null,
      activatedAt: usage.activatedAt ?? null,
      deactivatedAt: usage.deactivatedAt ?? null,
      usageDurationSeconds:
        usage.activatedAt && usage.deactivatedAt ? (usage.deactivatedAt.getTime() - usage.activatedAt.getTime()) / 1000 : null,
      handoffReason: usage.handoffReason ?? null,
      successRate: usage.successRate ?? null,
    })),
  );
}

/** conversation_participants: every listed contact gets at least one session row. */
export function sessionRows(owner: ConversationRef, command: IngestConversationCommand, contactIds: Map<string, string>) {
  return (command.contacts ?? []).flatMap((contact) =>
    (contact.sessions?.length ? contact.sessions : [{}]).map((session: NonNullable<IngestContact['sessions']>[number]) => ({
      id: orderedUuid(),
      organizationId: owner.organizationId,
      conversationId: owner.conversationId,
      contactId: contactIds.get(contact.externalId)!,
      externalId: session.externalId ?? null,
      joinedAt: session.joinedAt ?? null,
      leftAt: session.leftAt ?? null,
    })),
  );
}

/** agent_actions, each with the sequence of its turn (resolved to the message's id by the writer). */
export function actionRows(owner: ConversationRef, command: IngestConversationCommand, agentIds: Map<string, string>) {
  return (command.actions ?? []).map((action) => ({
    id: orderedUuid(),
    organizationId: owner.organizationId,
    conversationId: owner.conversationId,
    messageSequence: action.messageSequence ?? null,
    agentId: action.agentExternalId ? agentIds.get(action.agentExternalId)! : null,
    externalId: action.externalId ?? null,
    functionName: action.functionName,
    status: action.status,
    inputParameters: json(action.inputParameters),
    outputResponse: json(action.outputResponse),
    executionTimeMs: action.executionTimeMs ?? null,
    errorMessage: action.errorMessage ?? null,
    retryCount: action.retryCount ?? 0,
    occurredAt: action.occurredAt ?? null,
  }));
}

/** For a new conversation: every action's turn must be one of the command's messages (what the writer would find). */
export function validateActionTurns(command: IngestConversationCommand): void {
  const sequences = new Set((command.messages ?? []).map((message) => message.sequence));
  (command.actions ?? []).forEach((action, index) => {
    if (action.messageSequence != null && !sequences.has(action.messageSequence)) throw actionTurnError(index, action.messageSequence);
  });
}

export function ticketRows(owner: ConversationRef, command: IngestConversationCommand) {
  return (command.tickets ?? []).map((ticket) => ({
    id: orderedUuid(),
    organizationId: owner.organizationId,
    conversationId: owner.conversationId,
    ticketSystem: ticket.ticketSystem ?? 'SERVICENOW',
    ticketId: ticket.ticketId,
    action: ticket.action,
    status: ticket.status ?? null,
    reason: ticket.reason ?? null,
    occurredAt: ticket.occurredAt ?? null,
  }));
}

export function transferRows(owner: ConversationRef, command: IngestConversationCommand, agentIds: Map<string, string>) {
  return (command.transfers ?? []).map((transfer) => ({
    id: orderedUuid(),
    organizationId: owner.organizationId,
    conversationId: owner.conversationId,
    agentId: transfer.agentExternalId ? agentIds.get(transfer.agentExternalId)! : null,
    externalId: transfer.externalId ?? null,
    startedAt: transfer.startedAt ?? null,
    endedAt: transfer.endedAt ?? null,
    userJoinedAt: transfer.userJoinedAt ?? null,
    userLeftAt: transfer.userLeftAt ?? null,
    destination: transfer.destination ?? null,
    status: transfer.status ?? null,
  }));
}

export function validateEvents(command: IngestConversationCommand): Array<{ event: IngestEvent } & ValidatedEvent> {
  return (command.events ?? []).map((event, index) => ({
    event,
    ...validateEvent(event.eventType, event.eventSubtype, event.payload, `events[${index}]`),
  }));
}

/** Ingested events, and the follow-up row of each FOLLOWUP_DETECTION. */
export function eventRows(owner: ConversationRef, events: Array<{ event: IngestEvent } & ValidatedEvent>, agentIds: Map<string, string>) {
  const rows = events.map(({ event, payload, subtype, scheduledTo }) => ({
    id: orderedUuid(),
    organizationId: owner.organizationId,
    conversationId: owner.conversationId,
    agentId: event.agentExternalId ? (agentIds.get(event.agentExternalId) ?? null) : null,
    externalId: event.externalId ?? null,
    eventType: event.eventType,
    eventSubtype: subtype,
    payload: payload as Prisma.InputJsonValue,
    scheduledTo: event.scheduledTo ?? scheduledTo,
    source: 'INGESTED' as const,
    confidence: event.confidence ?? null,
    contextStartIndex: event.contextStartIndex ?? null,
    contextEndIndex: event.contextEndIndex ?? null,
  }));
  const followUps = rows.flatMap((row, index) =>
    row.eventType === 'FOLLOWUP_DETECTION'
      ? [
          {
            organizationId: owner.organizationId,
            eventId: row.id,
            conversationId: owner.conversationId,
            agentId: row.agentId,
            score: events[index]!.event.followUpScore ?? 50,
            followUpDate: row.scheduledTo!,
          },
        ]
      : [],
  );
  return { rows, followUps };
}

export function toMessageRows(messages: IngestMessage[], agents: Map<string, string>, contacts: Map<string, string>): MessageRow[] {
  return messages.map((message) => ({
    sequence: message.sequence,
    senderRole: message.senderRole,
    senderId: message.agentExternalId ? agents.get(message.agentExternalId)! : null,
    senderContactId: message.contactExternalId ? contacts.get(message.contactExternalId)! : null,
    content: message.content,
    type: message.type ?? 'TEXT',
    link: message.link ?? null,
    channel: message.channel ?? null,
    origin: message.origin ?? null,
    subchannel: message.subchannel ?? null,
    sentAt: message.sentAt ?? null,
    sentimentScore: message.sentimentScore ?? null,
    speechToTextConfidence: message.speechToTextConfidence ?? null,
    metaData: message.metaData ?? null,
  }));
}

/** Throws BAD_USER_INPUT for what is wrong with a command on its own; returns its events, validated. */
export function validateCommand(command: IngestConversationCommand): Array<{ event: IngestEvent } & ValidatedEvent> {
  requireText(command.externalId, 'externalId');
  requireText(command.origin, 'origin');
  (command.agents ?? []).forEach((agent, index) => requireText(agent.externalId, `agents[${index}].externalId`));
  (command.contacts ?? []).forEach((contact, index) => requireText(contact.externalId, `contacts[${index}].externalId`));
  validateMessages(command.messages ?? [], 'messages');
  validateCommandBounds(command);
  const events = validateEvents(command);
  const eventIds = new Set<string>();
  (command.events ?? []).forEach((event, index) => {
    if (event.externalId == null) return;
    if (eventIds.has(event.externalId)) throw badUserInput(`events[${index}].externalId ${event.externalId} appears twice`, { field: `events[${index}].externalId` });
    eventIds.add(event.externalId);
  });
  if (command.startedAt && command.endedAt && command.endedAt < command.startedAt) throw badUserInput('endedAt is before startedAt');
  requireTimeZone(command.timeZone, 'timeZone');
  for (const [field, value] of [
    ['durationSeconds', command.durationSeconds],
    ['userSatisfactionScore', command.userSatisfactionScore],
    ['callQualityScore', command.callQualityScore],
  ] as const) {
    if (value != null && (!Number.isFinite(value) || value < 0)) throw badUserInput(`${field} must be a non-negative number`, { field });
  }
  return events;
}

/** Lengths, list sizes and JSON bounds of everything a conversation carries (src/limits). */
function validateCommandBounds(command: IngestConversationCommand): void {
  requireFieldsWithinBounds(command, '', {
    identifiers: ['conversationType', 'fromPhoneNumber', 'toPhoneNumber', 'phoneId', 'externalWorkspaceId', 'telephonyStatus', 'endReason', 'recordingStatus', 'campaignId', 'campaignRunId'],
    texts: ['outcomeReason', 'summary', 'recordingUrl'],
    json: ['audioQualityMetrics', 'postCallMetadata', 'dynamicVariables', 'metaData', 'sourcePayload'],
  });
  requireTextLength(command.transcript, 'transcript', MAX_TRANSCRIPT_LENGTH);
  requireListLength(command.topics, 'topics');
  (command.topics ?? []).forEach((topic, index) => requireIdentifierLength(topic, `topics[${index}]`));
  requireListLength(command.agents, 'agents');
  (command.agents ?? []).forEach((agent, index) => {
    validateAgentBounds(agent, `agents[${index}]`);
    requireListLength(agent.usages, `agents[${index}].usages`);
    (agent.usages ?? []).forEach((usage, usageIndex) =>
      requireFieldsWithinBounds(usage, `agents[${index}].usages[${usageIndex}]`, { identifiers: ['externalId'], texts: ['handoffReason'] }),
    );
  });
  requireListLength(command.contacts, 'contacts');
  (command.contacts ?? []).forEach((contact, index) => {
    requireFieldsWithinBounds(contact, `contacts[${index}]`, { identifiers: ['name', 'email', 'phoneNumber', 'identifier', 'sourceFile'], json: ['source', 'metaData'] });
    requireListLength(contact.sessions, `contacts[${index}].sessions`);
    (contact.sessions ?? []).forEach((session, sessionIndex) => requireFieldsWithinBounds(session, `contacts[${index}].sessions[${sessionIndex}]`, { identifiers: ['externalId'] }));
  });
  requireListLength(command.actions, 'actions', MAX_MESSAGES_PER_CONVERSATION);
  (command.actions ?? []).forEach((action, index) =>
    requireFieldsWithinBounds(action, `actions[${index}]`, {
      identifiers: ['externalId', 'agentExternalId', 'functionName'],
      texts: ['errorMessage'],
      json: ['inputParameters', 'outputResponse'],
    }),
  );
  requireListLength(command.tickets, 'tickets');
  (command.tickets ?? []).forEach((ticket, index) => requireFieldsWithinBounds(ticket, `tickets[${index}]`, { identifiers: ['ticketSystem', 'ticketId', 'status'], texts: ['reason'] }));
  requireListLength(command.transfers, 'transfers');
  (command.transfers ?? []).forEach((transfer, index) =>
    requireFieldsWithinBounds(transfer, `transfers[${index}]`, { identifiers: ['externalId', 'agentExternalId', 'status'], texts: ['destination'] }),
  );
  requireListLength(command.events, 'events');
  (command.events ?? []).forEach((event, index) => validateEventBounds(event, `events[${index}]`));
}

export function validateAgentBounds(agent: AgentFields, path: string): void {
  requireFieldsWithinBounds(agent, path, { identifiers: ['origin', 'name', 'email', 'phoneNumber'], json: ['otherInfo'] });
}

export function validateEventBounds(event: IngestEvent, path: string): void {
  requireFieldsWithinBounds(event, path, { identifiers: ['externalId', 'eventSubtype', 'agentExternalId'], json: ['payload'] });
}

export function validateMessages(messages: IngestMessage[], path: string): void {
  if (messages.length > MAX_MESSAGES_PER_CONVERSATION) {
    throw badUserInput(`At most ${MAX_MESSAGES_PER_CONVERSATION} messages per conversation`, { field: path });
  }
  const seen = new Set<number>();
  messages.forEach((message, index) => {
    requireFieldsWithinBounds(message, `${path}[${index}]`, {
      identifiers: ['agentExternalId', 'contactExternalId', 'subchannel', 'origin'],
      texts: ['content', 'link'],
      json: ['metaData'],
    });
    if (!Number.isInteger(message.sequence) || message.sequence < 0) {
      throw badUserInput(`${path}[${index}].sequence must be a non-negative integer`, { field: `${path}[${index}].sequence` });
    }
    if (seen.has(message.sequence)) throw badUserInput(`${path}[${index}].sequence ${message.sequence} appears twice`, { field: `${path}[${index}].sequence` });
    seen.add(message.sequence);
    if (message.sentimentScore != null && (message.sentimentScore < -1 || message.sentimentScore > 1)) {
      throw badUserInput(`${path}[${index}].sentimentScore must be between -1 and 1`);
    }
    if (message.speechToTextConfidence != null && (message.speechToTextConfidence < 0 || message.speechToTextConfidence > 1)) {
      throw badUserInput(`${path}[${index}].speechToTextConfidence must be between 0 and 1`);
    }
  });
}

export function requireText(value: string | null | undefined, field: string): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > INPUT_LIMITS.identifierLength) {
    throw badUserInput(`${field} must be a non-empty string of at most ${INPUT_LIMITS.identifierLength} characters`, { field });
  }
}

function json(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null ? undefined : (value as Prisma.InputJsonValue);
}

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
