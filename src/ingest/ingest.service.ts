import { toDomainError } from '../database/database-errors.js';
import type { TenantScope } from '../database/tenant-scope.js';
import { badUserInput, conflict, DomainError, ErrorCode, notFound } from '../errors/domain-error.js';
import { validateEvent, type ValidatedEvent } from '../events/event-payload.js';
import { enqueueAnalysis } from '../analysis/analysis-queue.js';
import { conversationEventData } from '../webhooks/outbound/webhook-events.js';
import { emitWebhookEvent } from '../webhooks/outbound/webhook-outbox.js';
import { Prisma, type Conversation } from '../generated/prisma/client.js';
import { insertMessages } from '../conversations/message.store.js';
import type { AgentFields, IngestConversationCommand, IngestEvent, IngestMessage } from './ingest.command.js';
import { agentFields, eventRows, isUuid, requireText, toMessageRows, unknownAgentsError, unknownContactsError, validateAgentBounds, validateEventBounds, validateMessages } from './ingest-rows.js';
import { MAX_BULK_CONVERSATIONS, MAX_UPSERT_AGENTS, requireListLength } from '../limits/input-limits.js';
import { IngestWriter } from './ingest-writer.js';

export { isUuid } from './ingest-rows.js';


/** What an ingest did with a conversation: created it, updated what changed, or found nothing to change (a duplicate). */
export type IngestStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface IngestResult {
  conversation: Conversation;
  created: boolean;
  status: IngestStatus;
}

export interface BulkItemResult {
  externalId: string;
  result?: IngestResult;
  error?: DomainError;
}

/**
 * Writes conversations with everything they own, for one organization. A single ingest is a
 * batch of one through the one set-based writer (ingest-writer.ts): the same code path, the same
 * rules. Each conversation is atomic; ingest is idempotent on the conversation's external id.
 */
export class IngestService {
  constructor(private readonly scope: TenantScope) {}

  /** `delivery.eventId`: the Oration delivery it came in; one seen before by the organization is UNCHANGED. */
  async ingestConversation(command: IngestConversationCommand, delivery?: { eventId: string }): Promise<IngestResult> {
    const [item] = await new IngestWriter(this.scope).run([command], [delivery?.eventId]);
    if (item!.error) throw item!.error;
    return item!.result!;
  }

  /** Up to 100 conversations; each item is atomic and one bad item never blocks the others. */
  async ingestConversations(commands: IngestConversationCommand[]): Promise<BulkItemResult[]> {
    if (commands.length > MAX_BULK_CONVERSATIONS) {
      throw badUserInput(`At most ${MAX_BULK_CONVERSATIONS} conversations per call`, { max: MAX_BULK_CONVERSATIONS });
    }
    return new IngestWriter(this.scope).run(commands);
  }

  async upsertAgents(agents: AgentFields[], defaultOrigin = 'api') {
    requireListLength(agents, 'agents', MAX_UPSERT_AGENTS);
    agents.forEach((agent, index) => {
      requireText(agent.externalId, `agents[${index}].externalId`);
      validateAgentBounds(agent, `agents[${index}]`);
    });
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
        // Changed since its last ingest: the next ingest of it is compared with nothing and writes everything.
        data: { updatedAt: new Date(), ingestFingerprint: Prisma.DbNull },
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
          reportedOutcome: input.outcome ?? conversation.reportedOutcome,
          reportedOutcomeReason: input.outcomeReason ?? conversation.reportedOutcomeReason,
          analysisStatus: 'PENDING',
          ingestFingerprint: Prisma.DbNull,
        },
      });
      await enqueueAnalysis(tx, completed.id);
      await emitWebhookEvent(tx, 'conversation.completed', conversationEventData(completed));
      return completed;
    });
  }

  async recordEvents(conversationId: string, events: IngestEvent[]) {
    requireListLength(events, 'events');
    events.forEach((event, index) => validateEventBounds(event, `events[${index}]`));
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

