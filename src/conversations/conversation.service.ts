import type { GraphQLResolveInfo } from 'graphql';
import type { TenantScope } from '../database/tenant-scope.js';
import { notFound } from '../errors/domain-error.js';
import type { Conversation, Prisma } from '../generated/prisma/client.js';
import type { Connection } from '../graphql/connection.js';
import { afterKey, decodeDate, keysetPage } from '../graphql/keyset.js';
import { readPlanned } from '../read-planner/planned-read.js';
import { planConversation, planConversations } from '../read-planner/read-planner.js';
import { isUuid } from '../ingest/ingest.service.js';
import { ConversationOrder, type ConversationFilter, type DispositionFilterInput } from './conversation.types.js';
import { VALUE_FIELDS, ValueSource } from './value-source.js';
import { escapeLike, searchTextOf } from './conversation-filter.sql.js';

/** Reads of conversations for one organization. */
export class ConversationService {
  constructor(private readonly scope: TenantScope) {}

  /**
   * With the GraphQL selection (`info`), the read planner answers in one statement when it
   * covers the selection; otherwise the row is returned and nested fields load through DataLoaders.
   */
  async get(id: string, info?: GraphQLResolveInfo) {
    const planned = info && isUuid(id) ? planConversation(info, id) : null;
    if (planned) {
      const answer = await readPlanned(this.scope, planned);
      if (!answer) throw notFound('Conversation');
      return answer as Conversation;
    }
    const conversation = isUuid(id)
      ? await this.scope.db.conversation.findUnique({ where: { organizationId_id: { organizationId: this.scope.organizationId, id } } })
      : null;
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }

  async list(filter: ConversationFilter | null | undefined, order: ConversationOrder, first?: number | null, after?: string | null, info?: GraphQLResolveInfo) {
    const planned = info ? planConversations(info, { filter, orderBy: order, first, after }) : null;
    if (planned) return (await readPlanned(this.scope, planned)) as Connection<Conversation>;
    const where = conversationWhere(filter);
    const field = order.startsWith('STARTED_AT') ? 'startedAt' : 'createdAt';
    const direction = order.endsWith('_ASC') ? 'asc' : 'desc';
    return keysetPage<Conversation, Date>({
      first,
      after,
      direction,
      sortValue: (row) => row[field] ?? row.createdAt,
      decode: decodeDate,
      afterWhere: (value, id, dir) => afterKey(field, value, id, dir),
      findPage: (afterWhere, take) =>
        this.scope.db.conversation.findMany({
          where: afterWhere ? { AND: [where, afterWhere] } : where,
          orderBy: [{ [field]: direction }, { id: direction }],
          take,
        }),
      count: () => this.scope.db.conversation.count({ where }),
    });
  }
}

/** The `conversations(filter)` input as a Prisma where (the tenant scope adds the organization). */
export function conversationWhere(filter: ConversationFilter | null | undefined): Prisma.ConversationWhereInput {
  if (!filter) return {};
  const and: Prisma.ConversationWhereInput[] = [];
  if (filter.startedAt?.from) and.push({ startedAt: { gte: filter.startedAt.from } });
  if (filter.startedAt?.to) and.push({ startedAt: { lt: filter.startedAt.to } });
  if (filter.channels?.length) and.push({ channel: { in: filter.channels } });
  if (filter.statuses?.length) and.push({ status: { in: filter.statuses } });
  const values = VALUE_FIELDS[filter.source ?? ValueSource.EFFECTIVE];
  if (filter.outcomes?.length) and.push({ [values.outcome]: { in: filter.outcomes } });
  if (filter.sentiments?.length) and.push({ [values.sentimentLabel]: { in: filter.sentiments } });
  if (filter.topics?.length) and.push({ [values.topics]: { hasSome: filter.topics } });
  if (filter.analysisStatuses?.length) and.push({ analysisStatus: { in: filter.analysisStatuses } });
  if (filter.agentId) and.push({ agentUsages: { some: { agentId: filter.agentId } } });
  if (filter.contactId) and.push({ participants: { some: { contactId: filter.contactId } } });
  if (filter.origin) and.push({ origin: filter.origin });
  if (filter.externalId) and.push({ externalId: filter.externalId });
  if (filter.eventType) and.push({ events: { some: { eventType: filter.eventType, supersededAt: null } } });
  const text = searchTextOf(filter);
  // Prisma sends `content ILIKE ('%' || value || '%')` without escaping LIKE's wildcards: escaped here, as the SQL path does.
  if (text) and.push({ messages: { some: { content: { contains: escapeLike(text), mode: 'insensitive' } } } });
  for (const condition of filter.disposition ?? []) and.push({ dispositionValues: { some: dispositionWhere(condition) } });
  return and.length ? { AND: and } : {};
}

/** One disposition condition, against the current (not superseded) typed value. */
function dispositionWhere(condition: DispositionFilterInput): Prisma.DispositionValueWhereInput {
  return {
    identifier: condition.identifier,
    supersededAt: null,
    ...(condition.equals != null ? { valueText: condition.equals } : {}),
    ...(condition.in?.length ? { valueText: { in: condition.in } } : {}),
    ...(condition.is != null ? { valueBoolean: condition.is } : {}),
    ...(condition.min != null || condition.max != null
      ? { valueNumber: { ...(condition.min != null ? { gte: condition.min } : {}), ...(condition.max != null ? { lte: condition.max } : {}) } }
      : {}),
    ...(condition.after || condition.before
      ? { valueTime: { ...(condition.after ? { gte: condition.after } : {}), ...(condition.before ? { lt: condition.before } : {}) } }
      : {}),
    ...(condition.minConfidence != null ? { confidence: { gte: condition.minConfidence } } : {}),
  };
}
