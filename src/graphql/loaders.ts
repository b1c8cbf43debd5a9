import DataLoader from 'dataloader';
import { modelColumns, type RowModel } from '../database/model-rows.js';
import type { TenantScope } from '../database/tenant-scope.js';
import type {
  Agent,
  AgentAction,
  Analysis,
  Contact,
  Conversation,
  ConversationAgent,
  ConversationMetrics,
  ConversationParticipant,
  DispositionValue,
  Event,
  FollowUp,
  Message,
  Ticket,
  Transfer,
} from '../generated/prisma/client.js';

/**
 * Page keys are `${parentId}${separator}${shape…}`: the parents asking for each page shape (cursor
 * and limit), so that one query serves every parent of a shape.
 */
function parentsByShape(keys: readonly string[], separator: string): Map<string, string[]> {
  const shapes = new Map<string, string[]>();
  for (const key of keys) {
    const at = key.indexOf(separator);
    const shape = key.slice(at + separator.length);
    const parents = shapes.get(shape);
    if (parents) parents.push(key.slice(0, at));
    else shapes.set(shape, [key.slice(0, at)]);
  }
  return shapes;
}

/**
 * Per-request DataLoaders bound to one organization: every nested list or lookup is one query
 * per batch (`IN (...)`), never one per parent row.
 */
export function createLoaders(scope: TenantScope) {
  const { db } = scope;
  const byId = <Row extends { id: string }>(load: (ids: string[]) => Promise<Row[]>) =>
    new DataLoader<string, Row | null>(async (ids) => {
      const rows = new Map((await load([...ids])).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    });
  const byConversation = <Row extends { conversationId: string }>(load: (ids: string[]) => Promise<Row[]>) =>
    new DataLoader<string, Row[]>(async (ids) => {
      const groups = new Map<string, Row[]>();
      for (const row of await load([...ids])) {
        const list = groups.get(row.conversationId) ?? [];
        list.push(row);
        groups.set(row.conversationId, list);
      }
      return ids.map((id) => groups.get(id) ?? []);
    });

  /**
   * Pages of a child list for many parents at once: `numberedSql` numbers each parent's rows
   * (row_number() OVER (PARTITION BY parent …)); rows are then loaded by id through Prisma.
   * Keys are `${parentId}|${cursorValue}|${cursorId}|${limit}`; one pair of queries per page shape.
   */
  const windowPage = <Row extends { id: string }>(
    numberedSql: string,
    loadRows: (ids: string[]) => Promise<Row[]>,
  ) =>
    new DataLoader<string, Row[]>(async (keys) => {
      const pages = new Map<string, Row[]>();
      for (const [shapeKey, parentIds] of parentsByShape(keys, '|')) {
        const [cursorValue, cursorId, limit] = shapeKey.split('|') as [string, string, string];
        const numbered = await scope.query<{ parent: string; uuid: string }>(
          `SELECT parent, uuid FROM (${numberedSql}) numbered WHERE position <= $5 ORDER BY position`,
          [JSON.stringify(parentIds), cursorValue || null, cursorId || null, Number(limit)],
        );
        const rows = new Map((numbered.length ? await loadRows([...new Set(numbered.map((row) => row.uuid))]) : []).map((row) => [row.id, row]));
        for (const parentId of parentIds) pages.set(`${parentId}|${shapeKey}`, []);
        for (const { parent, uuid } of numbered) pages.get(`${parent}|${shapeKey}`)!.push(rows.get(uuid)!);
      }
      return keys.map((key) => pages.get(key) ?? []);
    });
  /**
   * Rows of `table` whose `column` is one of the keys, as Prisma model objects, in raw SQL: the
   * hot loaders of the dashboard's page (Prisma's model queries cost twice the CPU of these).
   * `where` and `orderBy` are SQL over the alias `t`.
   */
  const rowsWhereIn =
    <Row>(model: RowModel, table: string, column: string, options: { where?: string; orderBy?: string; join?: string } = {}) =>
    (ids: string[]) =>
      scope.query<Row>(
        `SELECT ${modelColumns(model, 't')} FROM ${table} t ${options.join ?? ''}
         WHERE t.alma_internal_organization = $1 AND t.${column} IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid)
           ${options.where ? `AND ${options.where}` : ''}
         ${options.orderBy ? `ORDER BY ${options.orderBy}` : ''}`,
        [JSON.stringify(ids)],
      );
  const countBy = (sql: string) =>
    new DataLoader<string, number>(async (ids) => {
      const rows = await scope.query<{ parent: string; count: number }>(sql, [JSON.stringify(ids)]);
      const counts = new Map(rows.map((row) => [row.parent, row.count]));
      return ids.map((id) => counts.get(id) ?? 0);
    });

  let organizationTimeZone: Promise<string | null> | undefined;

  return {
    /** The organization's default time zone (null: UTC), read once per request. */
    organizationTimeZone: (): Promise<string | null> =>
      (organizationTimeZone ??= db.organization.findUnique({ where: { id: scope.organizationId }, select: { timeZone: true } }).then((row) => row?.timeZone ?? null)),
    /** An agent's conversations, newest first. */
    agentConversationPage: windowPage<Conversation>(
      `SELECT ca.agent_uuid AS parent, c.uuid,
              row_number() OVER (PARTITION BY ca.agent_uuid ORDER BY c.started_at DESC NULLS LAST, c.uuid DESC) AS position
       FROM (SELECT DISTINCT agent_uuid, conversation_uuid FROM conversation_agents
             WHERE alma_internal_organization = $1 AND agent_uuid IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid)) ca
       JOIN conversations c ON c.alma_internal_organization = $1 AND c.uuid = ca.conversation_uuid
       WHERE $3::timestamptz IS NULL OR (c.started_at, c.uuid) < ($3::timestamptz, $4::uuid)`,
      (ids) => db.conversation.findMany({ where: { id: { in: ids } } }),
    ),
    agentConversationCount: countBy(
      `SELECT agent_uuid AS parent, count(DISTINCT conversation_uuid)::int AS count FROM conversation_agents
       WHERE alma_internal_organization = $1 AND agent_uuid IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid) GROUP BY agent_uuid`,
    ),
    /** An agent's function calls, newest first. */
    agentActionPage: windowPage<AgentAction>(
      `SELECT agent_uuid AS parent, uuid,
              row_number() OVER (PARTITION BY agent_uuid ORDER BY created_at DESC, uuid DESC) AS position
       FROM agent_actions
       WHERE alma_internal_organization = $1 AND agent_uuid IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid)
         AND ($3::timestamptz IS NULL OR (created_at, uuid) < ($3::timestamptz, $4::uuid))`,
      (ids) => db.agentAction.findMany({ where: { id: { in: ids } } }),
    ),
    agentActionCount: countBy(
      `SELECT agent_uuid AS parent, count(*)::int AS count FROM agent_actions
       WHERE alma_internal_organization = $1 AND agent_uuid IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid) GROUP BY agent_uuid`,
    ),
    agent: byId<Agent>(rowsWhereIn('Agent', 'agents', 'uuid')),
    contact: byId<Contact>(rowsWhereIn('Contact', 'contacts', 'uuid')),
    conversation: byId<Conversation>((ids) => db.conversation.findMany({ where: { id: { in: ids } } })),
    message: byId<Message>(rowsWhereIn('Message', 'messages', 'uuid')),
    event: byId<Event>((ids) => db.event.findMany({ where: { id: { in: ids } } })),
    followUpByEvent: new DataLoader<string, FollowUp | null>(async (eventIds) => {
      const rows = new Map((await rowsWhereIn<FollowUp>('FollowUp', 'follow_ups', 'event_uuid')([...eventIds])).map((row) => [row.eventId, row]));
      return eventIds.map((id) => rows.get(id) ?? null);
    }),
    agentUsages: byConversation<ConversationAgent>(
      rowsWhereIn('ConversationAgent', 'conversation_agents', 'conversation_uuid', { orderBy: 't.activation_timestamp, t.uuid' }),
    ),
    participants: byConversation<ConversationParticipant>((ids) =>
      db.conversationParticipant.findMany({ where: { conversationId: { in: ids } }, orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }] }),
    ),
    transfers: byConversation<Transfer>((ids) =>
      db.transfer.findMany({ where: { conversationId: { in: ids } }, orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] }),
    ),
    actions: byConversation<AgentAction>((ids) =>
      db.agentAction.findMany({ where: { conversationId: { in: ids } }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] }),
    ),
    tickets: byConversation<Ticket>((ids) =>
      db.ticket.findMany({ where: { conversationId: { in: ids } }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] }),
    ),
    analyses: byConversation<Analysis>(rowsWhereIn('Analysis', 'analytics', 'conversation_uuid', { orderBy: 't.created_at DESC, t.uuid' })),
    events: byConversation<Event>(
      rowsWhereIn('Event', 'events', 'conversation_uuid', { where: 't.superseded_at IS NULL', orderBy: 't.created_at, t.uuid' }),
    ),
    followUps: byConversation<FollowUp>(
      rowsWhereIn('FollowUp', 'follow_ups', 'conversation_uuid', {
        join: 'JOIN events e ON e.alma_internal_organization = t.alma_internal_organization AND e.uuid = t.event_uuid',
        where: 'e.superseded_at IS NULL',
        orderBy: 't.follow_up_date, t.event_uuid',
      }),
    ),
    dispositionValues: byConversation<DispositionValue>((ids) =>
      db.dispositionValue.findMany({ where: { conversationId: { in: ids }, supersededAt: null }, orderBy: [{ identifier: 'asc' }, { id: 'asc' }] }),
    ),
    metrics: new DataLoader<string, ConversationMetrics | null>(async (ids) => {
      const rows = new Map((await db.conversationMetrics.findMany({ where: { conversationId: { in: [...ids] } } })).map((row) => [row.conversationId, row]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    messageCount: countBy(
      `SELECT conversation_uuid AS parent, count(*)::int AS count FROM messages
       WHERE alma_internal_organization = $1 AND conversation_uuid IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid)
       GROUP BY conversation_uuid`,
    ),
    /** Key: `${conversationId}:${afterSequence}:${limit}`; one window query per distinct page shape. */
    messagePage: new DataLoader<string, Message[]>(async (keys) => {
      const pages = new Map<string, Message[]>();
      for (const [shape, conversationIds] of parentsByShape(keys, ':')) {
        const [after, limit] = shape.split(':').map(Number) as [number, number];
        // Window over each conversation, so a page of N parents costs one query, not N.
        const rows = await scope.query<Message>(
          `SELECT ${modelColumns('Message', 't')} FROM (
             SELECT m.*, row_number() OVER (PARTITION BY m.conversation_uuid ORDER BY m.turn_sequence_number) AS position
             FROM messages m
             WHERE m.alma_internal_organization = $1 AND m.conversation_uuid IN (SELECT jsonb_array_elements_text($2::jsonb)::uuid)
               AND m.turn_sequence_number > $3
           ) t WHERE t.position <= $4
           ORDER BY t.turn_sequence_number`,
          [JSON.stringify(conversationIds), after, limit],
        );
        for (const conversationId of conversationIds) pages.set(`${conversationId}:${shape}`, []);
        for (const row of rows) pages.get(`${row.conversationId}:${shape}`)!.push(row);
      }
      return keys.map((key) => pages.get(key) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
