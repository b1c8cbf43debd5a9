import { toDomainError } from '../database/database-errors.js';
import { orderedUuid } from '../database/ordered-uuid.js';
import type { TenantScope } from '../database/tenant-scope.js';
import { badUserInput, conflict, DomainError, ErrorCode, notFound } from '../errors/domain-error.js';
import { validateEvent } from '../events/event-payload.js';
import { enqueueAnalysis } from '../analysis/analysis-queue.js';
import { conversationEventData } from '../webhooks/outbound/webhook-events.js';
import { emitWebhookEvent } from '../webhooks/outbound/webhook-outbox.js';
import type { Conversation, Prisma } from '../generated/prisma/client.js';
import { insertMessages, type MessageRow } from '../conversations/message.store.js';
import { BulkIngest } from './bulk-ingest.service.js';
import type {
  AgentFields,
  IngestAgent,
  IngestContact,
  IngestConversationCommand,
  IngestEvent,
  IngestMessage,
} from './ingest.command.js';
import type { ValidatedEvent } from '../events/event-payload.js';

export const MAX_BULK_CONVERSATIONS = 100;
export const MAX_MESSAGES_PER_CONVERSATION = 10_000;

export interface IngestResult {
  conversation: Conversation;
  created: boolean;
}

export interface BulkItemResult {
  externalId: string;
  result?: IngestResult;
  error?: DomainError;
}

/**
 * Writes conversations with everything they own, for one organization. Every call is one
 * transaction: all of it lands or none of it does. Ingest is idempotent on the conversation's
 * external id: a repeat updates what changed and never duplicates anything.
 */
export class IngestService {
  constructor(private readonly scope: TenantScope) {}

  async ingestConversation(command: IngestConversationCommand): Promise<IngestResult> {
    validateCommand(command);
    try {
      return await this.scope.transaction((tx) => new IngestService(tx).write(command), { timeoutMs: 60_000 });
    } catch (error) {
      // Two first-time ingests of one external id raced: the loser retries as an update.
      if (toDomainError(error)?.code === ErrorCode.CONFLICT) {
        return this.scope.transaction((tx) => new IngestService(tx).write(command), { timeoutMs: 60_000 });
      }
      throw error;
    }
  }

  /**
   * Each item is atomic and one bad item never blocks the others. New conversations go in one
   * set-based transaction for the whole batch; re-ingests, repeats of an external id within the
   * batch, and anything the batch can't take go through `ingestConversation`, one by one.
   */
  async ingestConversations(commands: IngestConversationCommand[]): Promise<BulkItemResult[]> {
    if (commands.length > MAX_BULK_CONVERSATIONS) {
      throw badUserInput(`At most ${MAX_BULK_CONVERSATIONS} conversations per call`, { max: MAX_BULK_CONVERSATIONS });
    }
    return new BulkIngest(this.scope, (command) => this.ingestConversation(command)).run(commands);
  }

  async upsertAgents(agents: AgentFields[], defaultOrigin = 'api') {
    agents.forEach((agent, index) => requireText(agent.externalId, `agents[${index}].externalId`));
    return this.scope.transaction(async (tx) => {
      const service = new IngestService(tx);
      const ids = await service.upsertAgentRows(agents, defaultOrigin);
      return tx.db.agent.findMany({ where: { id: { in: [...ids.values()] } }, orderBy: { createdAt: 'asc' } });
    });
  }

  async appendMessages(conversationId: string, messages: IngestMessage[]) {
    validateMessages(messages, 'messages');
    return this.scope.transaction(async (tx) => {
      const conversation = await new IngestService(tx).requireConversation(conversationId);
      if (conversation.status !== 'ONGOING') {
        throw conflict(`The conversation is ${conversation.status}; messages can only be appended while it is ONGOING`);
      }
      const service = new IngestService(tx);
      const agents = await service.resolveAgents(messages.map((message) => message.agentExternalId), conversation.origin);
      const contacts = await service.resolveContacts(messages.map((message) => message.contactExternalId), conversation.origin);
      try {
        await insertMessages(tx, conversation, toMessageRows(messages, agents, contacts), { replace: false });
      } catch (error) {
        if (toDomainError(error)?.code === ErrorCode.CONFLICT) {
          throw conflict('A message with one of these sequence numbers already exists in the conversation', {
            sequences: messages.map((message) => message.sequence),
          });
        }
        throw error;
      }
      return tx.db.conversation.update({
        where: { organizationId_id: { organizationId: tx.organizationId, id: conversation.id } },
        data: { updatedAt: new Date() },
      });
    });
  }

  async completeConversation(
    conversationId: string,
    input: { endedAt?: Date | null; endedBy?: Conversation['endedBy']; endReason?: string | null; outcome?: Conversation['outcome']; outcomeReason?: string | null },
  ) {
    return this.scope.transaction(async (tx) => {
      const conversation = await new IngestService(tx).requireConversation(conversationId);
      if (conversation.status === 'COMPLETED') return conversation; // completing twice changes nothing
      const endedAt = input.endedAt ?? new Date();
      const startedAt = conversation.startedAt ?? conversation.createdAt;
      if (endedAt.getTime() < startedAt.getTime()) throw badUserInput('endedAt is before the conversation started');
      const completed = await tx.db.conversation.update({
        where: { organizationId_id: { organizationId: tx.organizationId, id: conversation.id } },
        data: {
          status: 'COMPLETED',
          endedAt,
          durationSeconds: conversation.durationSeconds ?? (endedAt.getTime() - startedAt.getTime()) / 1000,
          endedBy: input.endedBy ?? conversation.endedBy,
          endReason: input.endReason ?? conversation.endReason,
          outcome: input.outcome ?? conversation.outcome,
          outcomeReason: input.outcomeReason ?? conversation.outcomeReason,
          analysisStatus: 'PENDING',
        },
      });
      await enqueueAnalysis(tx, completed.id);
      await emitWebhookEvent(tx, 'conversation.completed', conversationEventData(completed));
      return completed;
    });
  }

  async recordEvents(conversationId: string, events: IngestEvent[]) {
    const validated = events.map((event, index) => ({ event, ...validateEvent(event.eventType, event.eventSubtype, event.payload, `events[${index}]`) }));
    return this.scope.transaction(async (tx) => {
      const service = new IngestService(tx);
      const conversation = await service.requireConversation(conversationId);
      const agents = await service.resolveAgents(events.map((event) => event.agentExternalId), conversation.origin);
      const ids = await service.insertEvents(conversation.id, validated, agents);
      const rows = await tx.db.event.findMany({ where: { id: { in: ids } } });
      return rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id)); // in the order given
    });
  }

  // ───────────── inside one transaction ─────────────

  private async write(command: IngestConversationCommand): Promise<IngestResult> {
    const { scope } = this;
    const origin = command.origin;
    const agentIds = await this.upsertAgentRows(command.agents ?? [], origin);
    for (const [externalId, id] of await this.resolveAgents(unlistedAgentRefs(command), origin)) {
      agentIds.set(externalId, id);
    }
    const contactIds = await this.upsertContactRows(command, origin);

    const existing = await scope.db.conversation.findUnique({
      where: { organizationId_externalId: { organizationId: scope.organizationId, externalId: command.externalId } },
    });
    const fields = conversationFields(command, agentIds, contactIds, existing);
    const conversation = existing
      ? await scope.db.conversation.update({
          where: { organizationId_id: { organizationId: scope.organizationId, id: existing.id } },
          data: fields,
        })
      : await scope.db.conversation.create({
          data: { organizationId: scope.organizationId, externalId: command.externalId, ...fields },
        });

    if (fields.analysisStatus === 'PENDING') {
      await enqueueAnalysis(scope, conversation.id);
      await emitWebhookEvent(scope, 'conversation.completed', conversationEventData(conversation));
    }
    if (existing) await this.clearReplaceableChildren(conversation.id);
    const messages = command.messages ?? [];
    await insertMessages(scope, conversation, toMessageRows(messages, agentIds, contactIds), { replace: true });
    if (existing) {
      await scope.db.message.deleteMany({
        where: { conversationId: conversation.id, sequence: { notIn: messages.map((message) => message.sequence) } },
      });
    }
    await this.insertChildren(conversation.id, command, agentIds, contactIds);
    return { conversation, created: !existing };
  }

  /** Children with no natural key of their own are replaced wholesale on a repeat ingest. */
  private async clearReplaceableChildren(conversationId: string) {
    const { db } = this.scope;
    const where = { conversationId };
    await db.agentAction.deleteMany({ where });
    await db.ticket.deleteMany({ where });
    await db.transfer.deleteMany({ where });
    await db.conversationAgent.deleteMany({ where });
    await db.conversationParticipant.deleteMany({ where });
    await db.event.deleteMany({ where: { conversationId, source: 'INGESTED' } }); // follow-ups cascade
  }

  private async insertChildren(
    conversationId: string,
    command: IngestConversationCommand,
    agentIds: Map<string, string>,
    contactIds: Map<string, string>,
  ) {
    const { db, organizationId } = this.scope;
    const owner = { organizationId, conversationId };

    const usages = usageRows(owner, command, agentIds);
    if (usages.length) await db.conversationAgent.createMany({ data: usages });

    const sessions = sessionRows(owner, command, contactIds);
    if (sessions.length) await db.conversationParticipant.createMany({ data: sessions });

    const actions = actionRows(owner, command, agentIds);
    if (actions.length) {
      const sequences = [...new Set(actions.map((action) => action.messageSequence).filter((value): value is number => value != null))];
      const messageIds = new Map(
        (await db.message.findMany({ where: { conversationId, sequence: { in: sequences } }, select: { id: true, sequence: true } })).map(
          (message) => [message.sequence, message.id],
        ),
      );
      await db.agentAction.createMany({
        data: actions.map(({ messageSequence, ...action }, index) => {
          const messageId = messageSequence == null ? null : messageIds.get(messageSequence);
          if (messageId === undefined) throw actionTurnError(index, messageSequence);
          return { ...action, messageId };
        }),
      });
    }

    const tickets = ticketRows(owner, command);
    if (tickets.length) await db.ticket.createMany({ data: tickets });

    const transfers = transferRows(owner, command, agentIds);
    if (transfers.length) await db.transfer.createMany({ data: transfers });

    await this.insertEvents(conversationId, validateEvents(command), agentIds);
  }

  private async insertEvents(
    conversationId: string,
    events: Array<{ event: IngestEvent } & ValidatedEvent>,
    agentIds: Map<string, string>,
  ): Promise<string[]> {
    if (events.length === 0) return [];
    const { db, organizationId } = this.scope;
    const { rows, followUps } = eventRows({ organizationId, conversationId }, events, agentIds);
    await db.event.createMany({ data: rows });
    if (followUps.length) await db.followUp.createMany({ data: followUps });
    return rows.map((row) => row.id);
  }

  private async upsertAgentRows(agents: AgentFields[], defaultOrigin: string): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const { db, organizationId } = this.scope;
    for (const agent of agents) {
      const origin = agent.origin ?? defaultOrigin;
      const fields = agentFields(agent);
      const row = await db.agent.upsert({
        where: { organizationId_origin_externalId: { organizationId, origin, externalId: agent.externalId } },
        create: { organizationId, origin, externalId: agent.externalId, ...fields },
        update: fields,
      });
      ids.set(agent.externalId, row.id);
    }
    return ids;
  }

  private async upsertContactRows(command: IngestConversationCommand, origin: string): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const { db, organizationId } = this.scope;
    for (const contact of command.contacts ?? []) {
      const fields = contactFields(contact);
      const row = await db.contact.upsert({
        where: { organizationId_origin_externalId: { organizationId, origin, externalId: contact.externalId } },
        create: { organizationId, origin, externalId: contact.externalId, ...fields },
        update: fields,
      });
      ids.set(contact.externalId, row.id);
    }
    for (const [externalId, id] of await this.resolveContacts(unlistedContactRefs(command), origin)) {
      ids.set(externalId, id);
    }
    return ids;
  }

  /** Existing agents of this organization by external id; an unknown one is BAD_USER_INPUT. */
  private async resolveAgents(refs: Array<string | null | undefined>, origin: string): Promise<Map<string, string>> {
    const wanted = [...new Set(refs.filter((ref): ref is string => Boolean(ref)))];
    if (wanted.length === 0) return new Map();
    const rows = await this.scope.db.agent.findMany({ where: { origin, externalId: { in: wanted } }, select: { id: true, externalId: true } });
    const found = new Map(rows.map((row) => [row.externalId!, row.id]));
    const missing = wanted.filter((ref) => !found.has(ref));
    if (missing.length) throw unknownAgentsError(missing);
    return found;
  }

  private async resolveContacts(refs: Array<string | null | undefined>, origin: string): Promise<Map<string, string>> {
    const wanted = [...new Set(refs.filter((ref): ref is string => Boolean(ref)))];
    if (wanted.length === 0) return new Map();
    const rows = await this.scope.db.contact.findMany({ where: { origin, externalId: { in: wanted } }, select: { id: true, externalId: true } });
    const found = new Map(rows.map((row) => [row.externalId!, row.id]));
    const missing = wanted.filter((ref) => !found.has(ref));
    if (missing.length) throw unknownContactsError(missing);
    return found;
  }

  private async requireConversation(id: string): Promise<Conversation> {
    const conversation = isUuid(id)
      ? await this.scope.db.conversation.findUnique({ where: { organizationId_id: { organizationId: this.scope.organizationId, id } } })
      : null;
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }
}

// ───────────── shared by the per-item path and the bulk path (bulk-ingest.service.ts) ─────────────

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
    durationSeconds: command.durationSeconds ?? (endedAt ? Math.max(0, (endedAt.getTime() - startedAt.getTime()) / 1000) : null),
    status,
    telephonyStatus: command.telephonyStatus ?? null,
    endedBy: command.endedBy ?? null,
    endReason: command.endReason ?? null,
    outcome: command.outcome ?? null,
    outcomeReason: command.outcomeReason ?? null,
    summary: command.summary ?? null,
    sentimentScore: command.sentimentScore ?? null,
    sentimentLabel: command.sentimentLabel ?? null,
    topics: command.topics ?? [],
    userSatisfactionScore: command.userSatisfactionScore ?? null,
    callQualityScore: command.callQualityScore ?? null,
    audioQualityMetrics: json(command.audioQualityMetrics),
    postCallMetadata: json(command.postCallMetadata),
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
  const events = validateEvents(command);
  if (command.startedAt && command.endedAt && command.endedAt < command.startedAt) throw badUserInput('endedAt is before startedAt');
  for (const [field, value] of [
    ['durationSeconds', command.durationSeconds],
    ['userSatisfactionScore', command.userSatisfactionScore],
    ['callQualityScore', command.callQualityScore],
  ] as const) {
    if (value != null && (!Number.isFinite(value) || value < 0)) throw badUserInput(`${field} must be a non-negative number`, { field });
  }
  return events;
}

function validateMessages(messages: IngestMessage[], path: string): void {
  if (messages.length > MAX_MESSAGES_PER_CONVERSATION) {
    throw badUserInput(`At most ${MAX_MESSAGES_PER_CONVERSATION} messages per conversation`, { field: path });
  }
  const seen = new Set<number>();
  messages.forEach((message, index) => {
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

function requireText(value: string | null | undefined, field: string): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500) {
    throw badUserInput(`${field} must be a non-empty string of at most 500 characters`, { field });
  }
}

function json(value: unknown): Prisma.InputJsonValue | undefined {
  return value === undefined || value === null ? undefined : (value as Prisma.InputJsonValue);
}

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
