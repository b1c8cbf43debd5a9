import { derivedSuccessRateSql } from '../conversations/success-rate.js';
import { EVENT_DETAILS_SQL } from '../events/event-details.sql.js';
import { TABLES, type ModelName } from '../generated/table-metadata.js';

/**
 * The read planner's vocabulary: which GraphQL object types it can build in SQL, the table each
 * one reads (columns from the generated table metadata), and the relations it may follow. Every
 * relation joins on the parent's organization column — children reference parents through
 * composite keys that include it — so a planned read never leaves the caller's organization.
 */

type Direction = 'asc' | 'desc';

export interface Relation {
  /** The GraphQL type of the related object(s). */
  type: string;
  /** `many`: a list in `orderBy` order; `one`: an object or null. */
  cardinality: 'many' | 'one';
  /** The child's model (its table), and the pairs (child field = parent field) of the join. */
  model: ModelName;
  on: Array<[childField: string, parentField: string]>;
  /** Extra condition on the child (`c` is its alias), e.g. current rows only. */
  where?: (c: string) => string;
  orderBy?: Array<[field: string, direction: Direction]>;
  /** The relation is null unless this holds on the parent (`p`), as its field resolver decides. */
  when?: (p: string) => string;
}

/** An object built from its parent's row: each field an SQL expression over the row, or an object of them. */
export interface ComputedObject {
  [field: string]: ((t: string) => string) | ComputedObject;
}

/** A union field built from the row: the discriminator's value picks the member; its fields are SQL expressions. */
export interface PlannedUnion {
  discriminator: (t: string) => string;
  /** By member type name: the discriminator's value for it (a constant), and its fields. */
  members: Record<string, { value: string; fields: Record<string, (t: string) => string> }>;
}

export interface NodeType {
  model: ModelName;
  /** Fields computed from the row (`t` is its alias): the SQL of their JSON value. */
  computed?: Record<string, (t: string) => string>;
  /** Computed object fields built from the row; their own fields are SQL expressions (or objects of them). */
  objects?: Record<string, ComputedObject>;
  /** Union fields built from the row (`Event.details`). */
  unions?: Record<string, PlannedUnion>;
  relations?: Record<string, Relation>;
}

/** `t.column` of a model's field (throws for a field the schema doesn't have: a bug here). */
export function column(model: ModelName, field: string, alias: string): string {
  const found = TABLES[model].columns.find((candidate) => candidate.field === field);
  if (!found) throw new Error(`${model} has no field ${field}`);
  return `${alias}.${quoteIdentifier(found.column)}`;
}

export function tableName(model: ModelName): string {
  return quoteIdentifier(TABLES[model].table);
}

export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replaceAll('"', '""')}"`;
}
const RESERVED = new Set(['timestamp', 'authorization', 'user', 'order', 'group', 'json', 'type', 'action']);

/** A timestamp as JavaScript's `toISOString()` writes it (what a Date serializes to). */
export function isoTimestamp(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const current = (c: string) => `${c}.superseded_at IS NULL`;
const byConversation: Relation['on'] = [['conversationId', 'id']];
const agentBy = (field: string): Relation => ({ type: 'Agent', cardinality: 'one', model: 'Agent', on: [['id', field]] });

/** `reported` / `analysed` of a conversation, as their resolver builds them (sentiment null when neither part is set). */
function conversationValues(side: 'reported' | 'analysed'): ComputedObject {
  return {
    outcome: (t) => `${t}.${side}_outcome`,
    outcomeReason: (t) => `${t}.${side}_outcome_reason`,
    summary: (t) => `${t}.${side}_summary`,
    topics: (t) => `coalesce(${t}.${side}_topics, '{}')`,
    sentiment: {
      [NULL_UNLESS]: (t) => `${t}.${side}_sentiment_score IS NOT NULL OR ${t}.${side}_sentiment_label IS NOT NULL`,
      score: (t) => `${t}.${side}_sentiment_score`,
      label: (t) => `${t}.${side}_sentiment_label`,
    },
  };
}

/** A computed object's key for its SQL condition: the object is null unless it holds. */
export const NULL_UNLESS = '__nullUnless';

export const NODE_TYPES: Record<string, NodeType> = {
  Conversation: {
    model: 'Conversation',
    computed: {
      // As the resolver picks it (conversationTimeZone): the conversation's, the organization's, UTC.
      effectiveTimeZone: (t) =>
        `coalesce(${t}.time_zone, (SELECT o.time_zone FROM organizations o WHERE o.uuid = ${t}.alma_internal_organization), 'UTC')`,
    },
    objects: {
      sentiment: { score: (t) => `${t}.sentiment_score`, label: (t) => `${t}.sentiment_label` },
      reported: conversationValues('reported'),
      analysed: conversationValues('analysed'),
    },
    relations: {
      agents: { type: 'AgentUsage', cardinality: 'many', model: 'ConversationAgent', on: byConversation, orderBy: [['activatedAt', 'asc'], ['id', 'asc']] },
      participants: { type: 'Participant', cardinality: 'many', model: 'ConversationParticipant', on: byConversation, orderBy: [['joinedAt', 'asc'], ['id', 'asc']] },
      actions: { type: 'AgentAction', cardinality: 'many', model: 'AgentAction', on: byConversation, orderBy: [['occurredAt', 'asc'], ['id', 'asc']] },
      tickets: { type: 'Ticket', cardinality: 'many', model: 'Ticket', on: byConversation, orderBy: [['occurredAt', 'asc'], ['id', 'asc']] },
      transfers: { type: 'Transfer', cardinality: 'many', model: 'Transfer', on: byConversation, orderBy: [['startedAt', 'asc'], ['id', 'asc']] },
      events: { type: 'Event', cardinality: 'many', model: 'Event', on: byConversation, where: current, orderBy: [['createdAt', 'asc'], ['id', 'asc']] },
      followUps: {
        type: 'FollowUp', cardinality: 'many', model: 'FollowUp', on: byConversation,
        // Follow-ups of superseded events are history (as the followUps loader reads them).
        where: (c) => `EXISTS (SELECT 1 FROM events e WHERE e.alma_internal_organization = ${c}.alma_internal_organization AND e.uuid = ${c}.event_uuid AND e.superseded_at IS NULL)`,
        orderBy: [['followUpDate', 'asc'], ['eventId', 'asc']],
      },
      analyses: { type: 'Analysis', cardinality: 'many', model: 'Analysis', on: byConversation, orderBy: [['createdAt', 'desc'], ['id', 'asc']] },
      dispositionMetrics: {
        type: 'DispositionMetricValue', cardinality: 'many', model: 'DispositionValue', on: byConversation, where: current,
        orderBy: [['identifier', 'asc'], ['id', 'asc']],
      },
      metrics: { type: 'ConversationMetrics', cardinality: 'one', model: 'ConversationMetrics', on: byConversation },
    },
  },
  Message: { model: 'Message', relations: { sender: agentBy('senderId'), senderContact: { type: 'Contact', cardinality: 'one', model: 'Contact', on: [['id', 'senderContactId']] } } },
  AgentUsage: { model: 'ConversationAgent', computed: { successRate: derivedSuccessRateSql }, relations: { agent: agentBy('agentId') } },
  Participant: { model: 'ConversationParticipant', relations: { contact: { type: 'Contact', cardinality: 'one', model: 'Contact', on: [['id', 'contactId']] } } },
  Transfer: { model: 'Transfer', relations: { agent: agentBy('agentId') } },
  AgentAction: {
    model: 'AgentAction',
    relations: { agent: agentBy('agentId'), message: { type: 'Message', cardinality: 'one', model: 'Message', on: [['id', 'messageId']] } },
  },
  Ticket: { model: 'Ticket', relations: { conversation: { type: 'Conversation', cardinality: 'one', model: 'Conversation', on: [['id', 'conversationId']] } } },
  Agent: { model: 'Agent' },
  Contact: { model: 'Contact' },
  Analysis: { model: 'Analysis' },
  ConversationMetrics: { model: 'ConversationMetrics' },
  Event: {
    model: 'Event',
    // From the payload column, as eventDetails reads it (event-details.sql.ts).
    unions: { details: EVENT_DETAILS_SQL },
    relations: {
      agent: agentBy('agentId'),
      followUp: { type: 'FollowUp', cardinality: 'one', model: 'FollowUp', on: [['eventId', 'id']], when: (p) => `${p}.event_type = 'FOLLOWUP_DETECTION'` },
    },
  },
  FollowUp: { model: 'FollowUp', relations: { agent: agentBy('agentId'), event: { type: 'Event', cardinality: 'one', model: 'Event', on: [['id', 'eventId']] } } },
  DispositionMetricValue: {
    model: 'DispositionValue',
    computed: {
      type: (t) => `${t}.metric_type`,
      // The first typed value that is set, as the resolver picks it (text, number, boolean, time).
      value: (t) => `coalesce(to_json(${t}.value_text), to_json(${t}.value_number), to_json(${t}.value_boolean), to_json(${isoTimestamp(`${t}.value_time`)}))`,
    },
  },
};
