import type { TenantScope } from '../database/tenant-scope.js';
import { TABLES, type ModelName } from '../generated/table-metadata.js';
import type { MessageRow } from '../conversations/message.store.js';

/**
 * Set-based statements of the ingest writer (ingest-writer.ts): one statement per table for a
 * whole batch of conversations. The rows of a statement travel as ONE JSON text parameter
 * expanded by `json_to_recordset` (typed columns; enums, arrays and jsonb cast on the way).
 * Measured on PostgreSQL 15 for 2000 messages per statement: the same wall time as one array
 * parameter per column (`unnest`), which costs the Node process almost twice the CPU (Prisma
 * re-serializes array parameters, pg escapes every element), and less server time than
 * `jsonb_to_recordset` (no jsonb document is built). Works alike through the pg and PGlite
 * adapters. The organization is always `$1`. Column names and SQL types come from the table
 * metadata generated from prisma/schema.prisma (`column(model, field)`), never written here.
 */

/** A column of a set-based write: its name, its SQL type, and its value in a row. */
interface Column<Row> {
  name: string;
  type: string;
  value: (row: Row) => unknown;
}

/** A column that is not a table's (a value the statement only reads, such as `changed`). */
const col = <Row>(name: string, type: string, value: (row: Row) => unknown): Column<Row> => ({ name, type, value });

type FieldOf<M extends ModelName> = (typeof TABLES)[M]['columns'][number]['field'];

/**
 * A table column, its name and SQL type read from the generated table metadata (prisma/schema.prisma
 * is the one source): `column('Conversation', 'timeZone')` is `time_zone text`, valued by the row's
 * property of the same name unless `value` says otherwise.
 */
function column<Row, M extends ModelName = ModelName>(model: M, field: FieldOf<M> & keyof Row): Column<Row>;
function column<Row, M extends ModelName = ModelName>(model: M, field: FieldOf<M>, value: (row: Row) => unknown): Column<Row>;
function column<Row>(model: ModelName, field: string, value?: (row: Row) => unknown): Column<Row> {
  const metadata = TABLES[model].columns.find((candidate) => candidate.field === field);
  if (!metadata) throw new Error(`${model}.${field} is not a column of prisma/schema.prisma`);
  return { name: metadata.column, type: metadata.sqlType, value: value ?? ((row) => (row as Record<string, unknown>)[field]) };
}

const quoted = (name: string) => `"${name}"`;
const names = <Row>(columns: Column<Row>[], prefix = '') => columns.map((column) => prefix + quoted(column.name)).join(', ');

/**
 * `json_to_recordset($n::json) AS r(col type, …)` over `rows`, with its one parameter. A null
 * value is left out of its record (an absent key reads as NULL), which keeps the document small.
 */
function recordsetOf<Row>(columns: Column<Row>[], rows: Row[], param: number): { from: string; params: unknown[] } {
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const column of columns) {
      const value = column.value(row);
      if (value !== null && value !== undefined) record[column.name] = value;
    }
    return record;
  });
  return {
    from: `json_to_recordset($${param}::json) AS r(${columns.map((column) => `${quoted(column.name)} ${column.type}`).join(', ')})`,
    params: [JSON.stringify(records)],
  };
}

/** INSERT INTO table (organization, columns…) SELECT $1, columns… FROM json_to_recordset(…): one statement for all rows. */
async function insertRows<Row>(scope: TenantScope, table: string, columns: Column<Row>[], rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const { from, params } = recordsetOf(columns, rows, 2);
  await scope.query(`INSERT INTO ${table} (alma_internal_organization, ${names(columns)}) SELECT $1, ${names(columns, 'r.')} FROM ${from}`, params);
}

// ───────────── lookups ─────────────

export interface Key {
  origin: string;
  externalId: string;
}
export interface KeyedRow extends Key {
  id: string;
}

/** A stored conversation of a batch: what an update keeps of it, and what its last ingest sent (`ingest_fingerprint`). */
export interface StoredConversation {
  id: string;
  externalId: string;
  status: 'ONGOING' | 'COMPLETED' | 'FAILED';
  startedAt: Date | null;
  fingerprint: unknown;
}

/**
 * The stored conversations with these external ids, locked until the transaction ends (in external
 * id order, so concurrent batches re-ingesting the same conversations wait instead of deadlocking).
 */
export async function lockConversations(scope: TenantScope, externalIds: string[]): Promise<StoredConversation[]> {
  if (externalIds.length === 0) return [];
  const rows = await scope.query<Omit<StoredConversation, 'startedAt'> & { startedAt: Date | string | null }>(
    `SELECT uuid AS id, external_id AS "externalId", status::text AS status, started_at AS "startedAt", ingest_fingerprint AS fingerprint
     FROM conversations WHERE alma_internal_organization = $1 AND external_id = ANY($2::text[])
     ORDER BY external_id FOR UPDATE`,
    [externalIds],
  );
  return rows.map((row) => ({ ...row, startedAt: row.startedAt == null ? null : new Date(row.startedAt) }));
}

async function findByKeys(scope: TenantScope, table: 'agents' | 'contacts', keys: Key[]): Promise<KeyedRow[]> {
  if (keys.length === 0) return [];
  return scope.query<KeyedRow>(
    `SELECT t.uuid AS id, t.origin, t.external_id AS "externalId"
     FROM unnest($2::text[], $3::text[]) AS k(origin, external_id)
     JOIN ${table} t ON t.alma_internal_organization = $1 AND t.origin = k.origin AND t.external_id = k.external_id`,
    [keys.map((key) => key.origin), keys.map((key) => key.externalId)],
  );
}

/** The organization's agents with these (origin, external id) keys; unknown keys are simply absent. */
export const findAgents = (scope: TenantScope, keys: Key[]) => findByKeys(scope, 'agents', keys);
/** The organization's contacts with these (origin, external id) keys; unknown keys are simply absent. */
export const findContacts = (scope: TenantScope, keys: Key[]) => findByKeys(scope, 'contacts', keys);

// ───────────── agents and contacts ─────────────

/**
 * Agents and contacts of a batch in two statements, taking a row lock only on rows that change.
 * (`INSERT … ON CONFLICT DO UPDATE` locks every conflicting row until the transaction ends, even
 * when nothing changes: concurrent batches mentioning the same agents then ran one at a time.)
 * Every key must appear once (the caller merges duplicates). A null field leaves the stored value
 * alone; `defaults` are the NOT NULL columns with a default, which a new row gets when the field
 * is absent.
 *
 * 1. `insertMissing`: INSERT … ON CONFLICT DO NOTHING. A key being inserted by a concurrent
 *    transaction waits for it; once that one commits, its row is visible to the next statement.
 * 2. `updateChangedAndRead`: UPDATE only the rows where a given field differs from the stored one
 *    (`IS DISTINCT FROM`), locked in key order (concurrent batches changing the same rows wait on
 *    each other instead of deadlocking), then a plain SELECT (no row lock) of every key's id. A key
 *    whose row is still not visible is simply absent from the result: the caller fails the batch.
 */
async function insertMissing<Row extends Key>(
  scope: TenantScope,
  table: 'agents' | 'contacts',
  columns: Column<Row>[],
  defaults: Record<string, string>,
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const { from, params } = recordsetOf(columns, rows, 2);
  const inserted = columns.map((column) =>
    column.name in defaults ? `COALESCE(r.${quoted(column.name)}, ${defaults[column.name]})` : `r.${quoted(column.name)}`,
  );
  await scope.query(
    `INSERT INTO ${table} (alma_internal_organization, ${names(columns)})
     SELECT $1, ${inserted.join(', ')} FROM ${from}
     ON CONFLICT (alma_internal_organization, origin, external_id) DO NOTHING`,
    params,
  );
}

async function updateChangedAndRead<Row extends Key>(
  scope: TenantScope,
  table: 'agents' | 'contacts',
  columns: Column<Row>[],
  rows: Row[],
): Promise<KeyedRow[]> {
  if (rows.length === 0) return [];
  const { from, params } = recordsetOf(columns, rows, 2);
  const fields = columns.filter((column) => !['uuid', 'origin', 'external_id'].includes(column.name)).map((column) => quoted(column.name));
  const changed = fields.map((name) => `COALESCE(s.${name}, t.${name}) IS DISTINCT FROM t.${name}`).join(' OR ');
  const byKey = `t.alma_internal_organization = $1 AND t.origin = s.origin AND t.external_id = s.external_id`;
  return scope.query<KeyedRow>(
    `WITH src AS MATERIALIZED (SELECT * FROM ${from}),
     locked AS MATERIALIZED (
       SELECT t.uuid FROM ${table} t JOIN src s ON ${byKey}
       WHERE ${changed}
       ORDER BY t.origin, t.external_id
       FOR UPDATE OF t),
     updated AS (
       UPDATE ${table} AS t SET ${fields.map((name) => `${name} = COALESCE(s.${name}, t.${name})`).join(', ')}, updated_at = now()
       FROM locked l, src s
       WHERE t.uuid = l.uuid AND ${byKey} AND (${changed}))
     SELECT t.uuid AS id, t.origin, t.external_id AS "externalId" FROM src s JOIN ${table} t ON ${byKey}`,
    params,
  );
}

/** What an agent and a contact row both have: their key, id and how to reach them. */
interface PersonRow extends Key {
  id: string;
  name?: string;
  email?: string;
  phoneNumber?: string;
}

const personColumns = <Row extends PersonRow>(model: 'Agent' | 'Contact'): Column<Row>[] =>
  (['id', 'origin', 'externalId', 'name', 'email', 'phoneNumber'] as const).map((field) => column<Row>(model, field));

export interface AgentUpsertRow extends PersonRow {
  internal?: boolean;
  otherInfo?: unknown;
}

const AGENT_COLUMNS: Column<AgentUpsertRow>[] = [
  ...personColumns('Agent'),
  column('Agent', 'internal'),
  column('Agent', 'otherInfo'),
];

/** Inserts the agents not stored yet (`id` is their id); existing ones are left alone, unlocked. */
export const insertMissingAgents = (scope: TenantScope, rows: AgentUpsertRow[]) => insertMissing(scope, 'agents', AGENT_COLUMNS, { internal: 'true' }, rows);
/** After `insertMissingAgents`: updates the agents whose given fields differ; returns the stored id of every visible key. */
export const updateChangedAgents = (scope: TenantScope, rows: AgentUpsertRow[]) => updateChangedAndRead(scope, 'agents', AGENT_COLUMNS, rows);

export interface ContactUpsertRow extends PersonRow {
  identifier?: string;
  priority?: number;
  doNotDisturb?: boolean;
  source?: unknown;
  sourceFile?: string;
  metaData?: unknown;
  externalCreatedAt?: Date;
  externalUpdatedAt?: Date;
}

const CONTACT_COLUMNS: Column<ContactUpsertRow>[] = [
  ...personColumns('Contact'),
  column('Contact', 'identifier'),
  column('Contact', 'priority'),
  column('Contact', 'doNotDisturb'),
  column('Contact', 'source'),
  column('Contact', 'sourceFile'),
  column('Contact', 'metaData'),
  column('Contact', 'externalCreatedAt'),
  column('Contact', 'externalUpdatedAt'),
];

/** Inserts the contacts not stored yet (`id` is their id); existing ones are left alone, unlocked. */
export const insertMissingContacts = (scope: TenantScope, rows: ContactUpsertRow[]) =>
  insertMissing(scope, 'contacts', CONTACT_COLUMNS, { do_not_disturb: 'false' }, rows);
/** After `insertMissingContacts`: updates the contacts whose given fields differ; returns the stored id of every visible key. */
export const updateChangedContacts = (scope: TenantScope, rows: ContactUpsertRow[]) => updateChangedAndRead(scope, 'contacts', CONTACT_COLUMNS, rows);

// ───────────── conversations ─────────────

export interface ConversationInsertRow {
  id: string;
  externalId: string;
  origin: string;
  channel: string;
  direction: string | null;
  conversationType: string | null;
  fromPhoneNumber: string | null;
  toPhoneNumber: string | null;
  phoneId: string | null;
  externalWorkspaceId: string | null;
  agents: string[];
  externalParticipants: string[];
  startedAt: Date;
  endedAt: Date | null;
  timeZone: string | null;
  durationSeconds: number | null;
  status: string;
  telephonyStatus: string | null;
  endedBy: string | null;
  endReason: string | null;
  reportedOutcome: string | null;
  reportedOutcomeReason: string | null;
  reportedSummary: string | null;
  reportedSentimentScore: number | null;
  reportedSentimentLabel: string | null;
  reportedTopics: string[];
  userSatisfactionScore: number | null;
  callQualityScore: number | null;
  audioQualityMetrics: unknown;
  postCallMetadata: unknown;
  transcript: string | null;
  sourcePayload: unknown;
  recordingUrl: string | null;
  recordingStatus: string | null;
  campaignId: string | null;
  campaignRunId: string | null;
  dynamicVariables: unknown;
  metaData: unknown;
  externalCreatedAt: Date | null;
  externalUpdatedAt: Date | null;
  analysisStatus: string;
  /** What this ingest sent (ingest-fingerprint.ts), kept to compare the next one with. */
  fingerprint: unknown;
}

const CONVERSATION_COLUMNS: Column<ConversationInsertRow>[] = [
  column('Conversation', 'id'),
  column('Conversation', 'externalId'),
  column('Conversation', 'origin'),
  column('Conversation', 'channel'),
  column('Conversation', 'direction'),
  column('Conversation', 'conversationType'),
  column('Conversation', 'fromPhoneNumber'),
  column('Conversation', 'toPhoneNumber'),
  column('Conversation', 'phoneId'),
  column('Conversation', 'externalWorkspaceId'),
  column('Conversation', 'agents'),
  column('Conversation', 'externalParticipants'),
  column('Conversation', 'startedAt'),
  column('Conversation', 'endedAt'),
  column('Conversation', 'timeZone'),
  column('Conversation', 'durationSeconds'),
  column('Conversation', 'status'),
  column('Conversation', 'telephonyStatus'),
  column('Conversation', 'endedBy'),
  column('Conversation', 'endReason'),
  // Only the reported side: ingest never writes the analysed values (nor the top-level ones, which follow both).
  column('Conversation', 'reportedOutcome'),
  column('Conversation', 'reportedOutcomeReason'),
  column('Conversation', 'reportedSummary'),
  column('Conversation', 'reportedSentimentScore'),
  column('Conversation', 'reportedSentimentLabel'),
  column('Conversation', 'reportedTopics'),
  column('Conversation', 'userSatisfactionScore'),
  column('Conversation', 'callQualityScore'),
  column('Conversation', 'audioQualityMetrics'),
  column('Conversation', 'postCallMetadata'),
  column('Conversation', 'transcript'),
  column('Conversation', 'sourcePayload'),
  column('Conversation', 'recordingUrl'),
  column('Conversation', 'recordingStatus'),
  column('Conversation', 'campaignId'),
  column('Conversation', 'campaignRunId'),
  column('Conversation', 'dynamicVariables'),
  column('Conversation', 'metaData'),
  column('Conversation', 'externalCreatedAt'),
  column('Conversation', 'externalUpdatedAt'),
  column('Conversation', 'analysisStatus'),
  column('Conversation', 'ingestFingerprint', (row) => row.fingerprint),
];

/** The columns an ingest sets from its payload (not the keys, the analysis status or the fingerprint). */
const PAYLOAD_COLUMNS = CONVERSATION_COLUMNS.filter((column) => !['uuid', 'external_id', 'analysis_status', 'ingest_fingerprint'].includes(column.name));

/** A conversation row's payload columns by column name: what `updateConversations` compares column by column. */
export function payloadColumnValues(row: Omit<ConversationInsertRow, 'id' | 'externalId' | 'analysisStatus' | 'fingerprint'>): Record<string, unknown> {
  return Object.fromEntries(PAYLOAD_COLUMNS.map((column) => [column.name, column.value(row as ConversationInsertRow)]));
}

/**
 * Columns our analysis writes too (src/analysis/analysis-writer.ts fills ended_by when none was
 * sent): an ingest that doesn't carry a value for one leaves the stored value alone instead of
 * erasing it. Outcome, summary, sentiment and topics are not among them: ingest writes only their
 * reported_* columns, the analysis only their analysed_* ones.
 */
const ANALYSED_COLUMNS = new Set(['ended_by']);

/**
 * Inserts conversations that don't exist yet. Returns the ones inserted: a row whose external id
 * was taken meanwhile (a concurrent ingest) is left out, untouched.
 */
export async function insertNewConversations(scope: TenantScope, rows: ConversationInsertRow[]): Promise<Array<{ id: string; externalId: string }>> {
  if (rows.length === 0) return [];
  const { from, params } = recordsetOf(CONVERSATION_COLUMNS, rows, 2);
  return scope.query<{ id: string; externalId: string }>(
    `INSERT INTO conversations (alma_internal_organization, ${names(CONVERSATION_COLUMNS)})
     SELECT $1, ${names(CONVERSATION_COLUMNS, 'r.')} FROM ${from}
     ON CONFLICT (alma_internal_organization, external_id) DO NOTHING
     RETURNING uuid AS id, external_id AS "externalId"`,
    params,
  );
}

/**
 * A stored conversation's new fields: only the payload columns named in `changed` are written (the
 * others keep their stored value, whatever wrote it); a null `analysisStatus` keeps the stored one.
 */
export type ConversationUpdateRow = Omit<ConversationInsertRow, 'analysisStatus'> & { analysisStatus: string | null; changed: string[] };

/** Rewrites the changed columns of stored conversations (locked by `lockConversations`), in one statement. */
export async function updateConversations(scope: TenantScope, rows: ConversationUpdateRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...CONVERSATION_COLUMNS, col<ConversationInsertRow>('changed', 'text[]', (row) => (row as unknown as ConversationUpdateRow).changed)];
  const { from, params } = recordsetOf(columns, rows as unknown as ConversationInsertRow[], 2);
  const assigned = PAYLOAD_COLUMNS.map(({ name }) => {
    const given = `r.${quoted(name)}`;
    const stored = `c.${quoted(name)}`;
    const value = !ANALYSED_COLUMNS.has(name) ? given : name === 'topics' ? `CASE WHEN cardinality(${given}) > 0 THEN ${given} ELSE ${stored} END` : `COALESCE(${given}, ${stored})`;
    return `${quoted(name)} = CASE WHEN '${name}' = ANY(r.changed) THEN ${value} ELSE ${stored} END`;
  });
  await scope.query(
    `UPDATE conversations AS c SET ${assigned.join(', ')}, analysis_status = COALESCE(r.analysis_status, c.analysis_status),
       ingest_fingerprint = r.ingest_fingerprint, updated_at = now()
     FROM ${from}
     WHERE c.alma_internal_organization = $1 AND c.uuid = r.uuid`,
    params,
  );
}

// ───────────── Oration deliveries ─────────────

/** The deliveries among these Oration event ids already seen by the organization, with the conversation each was written to. */
export async function findDeliveries(scope: TenantScope, eventIds: string[]): Promise<Array<{ eventId: string; conversationId: string }>> {
  if (eventIds.length === 0) return [];
  return scope.query<{ eventId: string; conversationId: string }>(
    `SELECT event_id AS "eventId", conversation_uuid AS "conversationId" FROM oration_deliveries
     WHERE alma_internal_organization = $1 AND event_id = ANY($2::text[])`,
    [eventIds],
  );
}

/** Remembers deliveries (an event id seen again, e.g. written by a concurrent delivery meanwhile, keeps its first row). */
type DeliveryRow = { eventId: string; conversationId: string };
const DELIVERY_COLUMNS: Column<DeliveryRow>[] = [column('OrationDelivery', 'eventId'), column('OrationDelivery', 'conversationId')];

export async function recordDeliveries(scope: TenantScope, rows: DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = DELIVERY_COLUMNS;
  const { from, params } = recordsetOf(columns, rows, 2);
  await scope.query(
    `INSERT INTO oration_deliveries (alma_internal_organization, ${names(columns)}) SELECT $1, ${names(columns, 'r.')} FROM ${from}
     ON CONFLICT (alma_internal_organization, event_id) DO NOTHING`,
    params,
  );
}

// ───────────── what a conversation owns ─────────────

/** A message of a new conversation (the conversation is referenced, not copied into every row). */
export interface MessageInsertRow {
  conversation: { id: string; channel: string; origin: string };
  message: MessageRow;
}

const MESSAGE_COLUMNS: Column<MessageInsertRow>[] = [
  column('Message', 'conversationId', (row) => row.conversation.id),
  // A turn without a channel or origin of its own has the conversation's.
  column('Message', 'channel', (row) => row.message.channel ?? row.conversation.channel),
  column('Message', 'origin', (row) => row.message.origin ?? row.conversation.origin),
  // The rest is the turn's own, field for field.
  ...(['sequence', 'senderRole', 'senderId', 'senderContactId', 'content', 'type', 'link', 'subchannel', 'sentAt', 'sentimentScore', 'speechToTextConfidence', 'metaData'] as const).map(
    (field) => column<MessageInsertRow>('Message', field, (row) => row.message[field]),
  ),
];

const MESSAGE_FIELDS = MESSAGE_COLUMNS.filter((column) => !['conversation_uuid', 'turn_sequence_number'].includes(column.name)).map((column) => quoted(column.name));

/**
 * The messages of a batch, all conversations in one statement (ids from the column default). With
 * `replace` (the batch has stored conversations), a taken sequence number is overwritten — only
 * when something differs, so an unchanged turn keeps its row as it was.
 */
export async function writeMessages(scope: TenantScope, rows: MessageInsertRow[], mode: { replace: boolean }): Promise<void> {
  if (rows.length === 0) return;
  if (!mode.replace) return insertRows(scope, 'messages', MESSAGE_COLUMNS, rows);
  const { from, params } = recordsetOf(MESSAGE_COLUMNS, rows, 2);
  await scope.query(
    `INSERT INTO messages AS m (alma_internal_organization, ${names(MESSAGE_COLUMNS)})
     SELECT $1, ${names(MESSAGE_COLUMNS, 'r.')} FROM ${from}
     ON CONFLICT (alma_internal_organization, conversation_uuid, turn_sequence_number) DO UPDATE
       SET ${MESSAGE_FIELDS.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}, updated_at = now()
       WHERE (${MESSAGE_FIELDS.map((name) => `m.${name}`).join(', ')}) IS DISTINCT FROM (${MESSAGE_FIELDS.map((name) => `EXCLUDED.${name}`).join(', ')})`,
    params,
  );
}

/** Deletes the messages of these stored conversations whose sequence is not among `kept` (the turns as last sent). */
export async function deleteMessagesNotIn(scope: TenantScope, conversationIds: string[], kept: MessageInsertRow[]): Promise<void> {
  if (conversationIds.length === 0) return;
  const { from, params } = recordsetOf(MESSAGE_COLUMNS.filter((column) => ['conversation_uuid', 'turn_sequence_number'].includes(column.name)), kept, 3);
  await scope.query(
    `DELETE FROM messages m
     WHERE m.alma_internal_organization = $1 AND m.conversation_uuid = ANY($2::uuid[])
       AND NOT EXISTS (SELECT 1 FROM ${from} WHERE r.conversation_uuid = m.conversation_uuid AND r.turn_sequence_number = m.turn_sequence_number)`,
    [conversationIds, ...params],
  );
}

/**
 * What stored conversations own with no natural key of their own (usage, presence, actions,
 * tickets, transfers, ingested events with their follow-ups), deleted to be written again as sent.
 */
export async function deleteReplaceableChildren(scope: TenantScope, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  for (const table of ['agent_actions', 'tickets', 'transfers', 'conversation_agents', 'conversation_participants']) {
    await scope.query(`DELETE FROM ${table} WHERE alma_internal_organization = $1 AND conversation_uuid = ANY($2::uuid[])`, [conversationIds]);
  }
  await scope.query(`DELETE FROM events WHERE alma_internal_organization = $1 AND conversation_uuid = ANY($2::uuid[]) AND source = 'INGESTED'`, [conversationIds]);
}

interface Owned {
  id: string;
  conversationId: string;
}

/** The first columns of every row a conversation owns: its own uuid and its conversation's. */
const ownedColumns = <Row extends Owned>(model: OwnedModel): Column<Row>[] => [column<Row>(model, 'id'), column<Row>(model, 'conversationId')];
type OwnedModel = 'ConversationAgent' | 'ConversationParticipant' | 'AgentAction' | 'Ticket' | 'Transfer' | 'Event';

export interface UsageInsertRow extends Owned {
  agentId: string;
  externalId: string | null;
  activatedAt: Date | null;
  deactivatedAt: Date | null;
  usageDurationSeconds: number | null;
  handoffReason: string | null;
  successRate: number | null;
}

const CONVERSATION_AGENTS_COLUMNS: Column<UsageInsertRow>[] = [
  ...ownedColumns('ConversationAgent'),
  column('ConversationAgent', 'agentId'),
  column('ConversationAgent', 'externalId'),
  column('ConversationAgent', 'activatedAt'),
  column('ConversationAgent', 'deactivatedAt'),
  column('ConversationAgent', 'usageDurationSeconds'),
  column('ConversationAgent', 'handoffReason'),
  column('ConversationAgent', 'successRate'),
];

export const insertConversationAgents = (scope: TenantScope, rows: UsageInsertRow[]) => insertRows(scope, 'conversation_agents', CONVERSATION_AGENTS_COLUMNS, rows);

export interface SessionInsertRow extends Owned {
  contactId: string;
  externalId: string | null;
  joinedAt: Date | null;
  leftAt: Date | null;
}

const CONVERSATION_PARTICIPANTS_COLUMNS: Column<SessionInsertRow>[] = [
  ...ownedColumns('ConversationParticipant'),
  column('ConversationParticipant', 'contactId'),
  column('ConversationParticipant', 'externalId'),
  column('ConversationParticipant', 'joinedAt'),
  column('ConversationParticipant', 'leftAt'),
];

export const insertConversationParticipants = (scope: TenantScope, rows: SessionInsertRow[]) => insertRows(scope, 'conversation_participants', CONVERSATION_PARTICIPANTS_COLUMNS, rows);

export interface ActionInsertRow extends Owned {
  messageSequence: number | null;
  agentId: string | null;
  externalId: string | null;
  functionName: string;
  status: string;
  inputParameters: unknown;
  outputResponse: unknown;
  executionTimeMs: number | null;
  errorMessage: string | null;
  retryCount: number;
  occurredAt: Date | null;
}

const ACTION_COLUMNS: Column<ActionInsertRow>[] = [
  ...ownedColumns('AgentAction'),
  column('AgentAction', 'agentId'),
  column('AgentAction', 'externalId'),
  column('AgentAction', 'functionName'),
  column('AgentAction', 'status'),
  column('AgentAction', 'inputParameters'),
  column('AgentAction', 'outputResponse'),
  column('AgentAction', 'executionTimeMs'),
  column('AgentAction', 'errorMessage'),
  column('AgentAction', 'retryCount'),
  column('AgentAction', 'occurredAt'),
];

/**
 * Agent actions, each linked to its turn by joining the (already written) messages on
 * (conversation, sequence). The caller has checked that every sequence is a message of the
 * conversation.
 */
export async function insertAgentActions(scope: TenantScope, rows: ActionInsertRow[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...ACTION_COLUMNS, col<ActionInsertRow>('message_sequence', 'int', (row) => row.messageSequence)];
  const { from, params } = recordsetOf(columns, rows, 2);
  await scope.query(
    `INSERT INTO agent_actions (alma_internal_organization, message_uuid, ${names(ACTION_COLUMNS)})
     SELECT $1, m.uuid, ${names(ACTION_COLUMNS, 'r.')}
     FROM ${from}
     LEFT JOIN messages m ON m.alma_internal_organization = $1 AND m.conversation_uuid = r.conversation_uuid
       AND m.turn_sequence_number = r.message_sequence`,
    params,
  );
}

export interface TicketInsertRow extends Owned {
  ticketSystem: string;
  ticketId: string;
  action: string;
  status: string | null;
  reason: string | null;
  occurredAt: Date | null;
}

const TICKETS_COLUMNS: Column<TicketInsertRow>[] = [
  ...ownedColumns('Ticket'),
  column('Ticket', 'ticketSystem'),
  column('Ticket', 'ticketId'),
  column('Ticket', 'action'),
  column('Ticket', 'status'),
  column('Ticket', 'reason'),
  column('Ticket', 'occurredAt'),
];

export const insertTickets = (scope: TenantScope, rows: TicketInsertRow[]) => insertRows(scope, 'tickets', TICKETS_COLUMNS, rows);

export interface TransferInsertRow extends Owned {
  agentId: string | null;
  externalId: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  userJoinedAt: Date | null;
  userLeftAt: Date | null;
  destination: string | null;
  status: string | null;
}

const TRANSFERS_COLUMNS: Column<TransferInsertRow>[] = [
  ...ownedColumns('Transfer'),
  column('Transfer', 'agentId'),
  column('Transfer', 'externalId'),
  column('Transfer', 'startedAt'),
  column('Transfer', 'endedAt'),
  column('Transfer', 'userJoinedAt'),
  column('Transfer', 'userLeftAt'),
  column('Transfer', 'destination'),
  column('Transfer', 'status'),
];

export const insertTransfers = (scope: TenantScope, rows: TransferInsertRow[]) => insertRows(scope, 'transfers', TRANSFERS_COLUMNS, rows);

export interface EventInsertRow extends Owned {
  agentId: string | null;
  externalId: string | null;
  eventType: string;
  eventSubtype: string | null;
  payload: unknown;
  scheduledTo: Date | null;
  source: string;
  confidence: number | null;
  contextStartIndex: number | null;
  contextEndIndex: number | null;
}

const EVENTS_COLUMNS: Column<EventInsertRow>[] = [
  ...ownedColumns('Event'),
  column('Event', 'agentId'),
  column('Event', 'externalId'),
  column('Event', 'eventType'),
  column('Event', 'eventSubtype'),
  column('Event', 'payload'),
  column('Event', 'scheduledTo'),
  column('Event', 'source'),
  column('Event', 'confidence'),
  column('Event', 'contextStartIndex'),
  column('Event', 'contextEndIndex'),
];

export const insertEvents = (scope: TenantScope, rows: EventInsertRow[]) => insertRows(scope, 'events', EVENTS_COLUMNS, rows);

export interface FollowUpInsertRow {
  eventId: string;
  conversationId: string;
  agentId: string | null;
  score: number;
  followUpDate: Date;
}

const FOLLOW_UPS_COLUMNS: Column<FollowUpInsertRow>[] = [
  column('FollowUp', 'eventId'),
  column('FollowUp', 'conversationId'),
  column('FollowUp', 'agentId'),
  column('FollowUp', 'score'),
  column('FollowUp', 'followUpDate'),
];

export const insertFollowUps = (scope: TenantScope, rows: FollowUpInsertRow[]) => insertRows(scope, 'follow_ups', FOLLOW_UPS_COLUMNS, rows);
