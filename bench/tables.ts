/**
 * The tenant tables the benchmark writes, with their columns as the migrations define them, in
 * the order rows are produced (parents first). One definition serves COPY (the bulk load) and
 * `INSERT … SELECT FROM unnest(…)` (the hand-written ingest baseline).
 */
export type Column = readonly [name: string, pgType: string];

const org: Column = ['alma_internal_organization', 'uuid'];
const stamps: Column[] = [
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

export const TABLES = {
  organizations: [['uuid', 'uuid'], ['name', 'text'], ['active', 'organization_status'], ['meta_data', 'jsonb'], ...stamps],
  agents: [
    org, ['uuid', 'uuid'], ['name', 'text'], ['email', 'text'], ['phone_number', 'text'], ['other_info', 'jsonb'], ['internal', 'boolean'],
    ['origin', 'text'], ['external_id', 'text'], ...stamps,
  ],
  contacts: [
    org, ['uuid', 'uuid'], ['name', 'text'], ['email', 'text'], ['phone_number', 'text'], ['external_id', 'text'], ['identifier', 'text'],
    ['priority', 'int4'], ['do_not_disturb', 'boolean'], ['source', 'jsonb'], ['source_file', 'text'], ['meta_data', 'jsonb'], ['origin', 'text'],
    ['external_created_at', 'timestamptz'], ['external_updated_at', 'timestamptz'], ...stamps,
  ],
  analysis_configs: [
    org, ['uuid', 'uuid'], ['agent_uuid', 'uuid'], ['version', 'int4'], ['summary_prompt', 'text'], ['disposition_metrics', 'jsonb'],
    ['enabled_analyses', 'analysis_type[]'], ...stamps,
  ],
  conversations: [
    org, ['uuid', 'uuid'], ['external_id', 'text'], ['agents', 'uuid[]'], ['external_participants', 'uuid[]'], ['channel', 'channel'],
    ['direction', 'direction'], ['conversation_type', 'text'], ['from_phone_number', 'text'], ['to_phone_number', 'text'], ['phone_id', 'text'],
    ['external_workspace_id', 'text'], ['started_at', 'timestamptz'], ['ended_at', 'timestamptz'], ['duration_seconds', 'float8'],
    ['status', 'conversation_status'], ['telephony_status', 'text'], ['ended_by', 'ended_by'], ['end_reason', 'text'], ['outcome', 'outcome'],
    ['outcome_reason', 'text'], ['summary', 'text'], ['sentiment_score', 'float8'], ['sentiment_label', 'sentiment_label'], ['topics', 'text[]'],
    ['user_satisfaction_score', 'float8'], ['call_quality_score', 'float8'], ['audio_quality_metrics', 'jsonb'], ['post_call_metadata', 'jsonb'],
    ['recording_url', 'text'], ['recording_status', 'text'], ['campaign_id', 'text'], ['campaign_run_id', 'text'], ['dynamic_variables', 'jsonb'],
    ['analysis_status', 'analysis_status'], ['analysis_attempts', 'int4'], ['analyzed_at', 'timestamptz'], ['meta_data', 'jsonb'],
    ['origin', 'text'], ['external_created_at', 'timestamptz'], ['external_updated_at', 'timestamptz'], ...stamps,
  ],
  conversation_agents: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['agent_uuid', 'uuid'], ['external_id', 'text'], ['activation_timestamp', 'timestamptz'],
    ['deactivation_timestamp', 'timestamptz'], ['usage_duration_seconds', 'float8'], ['handoff_reason', 'text'], ['success_rate', 'float8'], ...stamps,
  ],
  conversation_participants: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['contact_uuid', 'uuid'], ['external_id', 'text'], ['joined_at', 'timestamptz'],
    ['left_at', 'timestamptz'], ...stamps,
  ],
  transfers: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['agent_uuid', 'uuid'], ['external_id', 'text'], ['transfer_start_time', 'timestamptz'],
    ['transfer_end_time', 'timestamptz'], ['transfer_user_join_time', 'timestamptz'], ['transfer_user_leave_time', 'timestamptz'],
    ['transfer_destination', 'text'], ['transfer_status', 'text'], ...stamps,
  ],
  messages: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['sender_uuid', 'uuid'], ['sender_contact_uuid', 'uuid'], ['sender_role', 'sender_role'],
    ['turn_sequence_number', 'int4'], ['content', 'text'], ['type', 'message_type'], ['channel', 'channel'], ['subchannel', 'text'],
    ['sent_at', 'timestamptz'], ['sentiment_score', 'float8'], ['speech_to_text_confidence', 'float8'], ['origin', 'text'], ...stamps,
  ],
  agent_actions: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['message_uuid', 'uuid'], ['agent_uuid', 'uuid'], ['external_id', 'text'],
    ['function_name', 'text'], ['action_status', 'action_status'], ['input_parameters', 'jsonb'], ['output_response', 'jsonb'],
    ['execution_time_ms', 'int4'], ['error_message', 'text'], ['retry_count', 'int4'], ['timestamp', 'timestamptz'], ...stamps,
  ],
  tickets: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['ticket_system', 'text'], ['ticket_id', 'text'], ['ticket_action', 'ticket_action'],
    ['ticket_status', 'text'], ['creation_reason', 'text'], ['timestamp', 'timestamptz'], ...stamps,
  ],
  analytics: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['run_uuid', 'uuid'], ['context_start_index', 'int4'], ['context_end_index', 'int4'],
    ['analysis_type', 'analysis_type'], ['result', 'jsonb'], ['origin', 'text'], ['provider', 'text'], ['model', 'text'],
    ['analysis_config_uuid', 'uuid'], ['config_version', 'int4'], ['prompt_tokens', 'int4'], ['completion_tokens', 'int4'],
    ['total_tokens', 'int4'], ['cost_usd', 'numeric'], ['status', 'analysis_run_status'], ['superseded_at', 'timestamptz'], ...stamps,
  ],
  events: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['agent_uuid', 'uuid'], ['analytics_uuid', 'uuid'], ['external_id', 'text'],
    ['event_type', 'event_type'], ['event_subtype', 'text'], ['json', 'jsonb'], ['scheduled_to', 'timestamptz'], ['source', 'event_source'],
    ['confidence', 'float8'], ['context_start_index', 'int4'], ['context_end_index', 'int4'], ['superseded_at', 'timestamptz'], ...stamps,
  ],
  follow_ups: [
    org, ['event_uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['agent_uuid', 'uuid'], ['score', 'int4'], ['follow_up_date', 'timestamptz'], ...stamps,
  ],
  disposition_values: [
    org, ['uuid', 'uuid'], ['conversation_uuid', 'uuid'], ['analytics_uuid', 'uuid'], ['identifier', 'text'], ['metric_type', 'disposition_metric_type'],
    ['value_text', 'text'], ['value_number', 'float8'], ['value_boolean', 'boolean'], ['value_time', 'timestamptz'], ['confidence', 'float8'],
    ['reasoning', 'text'], ['context_start_index', 'int4'], ['context_end_index', 'int4'], ['config_version', 'int4'], ['superseded_at', 'timestamptz'],
    ...stamps,
  ],
  conversation_metrics: [
    org, ['conversation_uuid', 'uuid'], ['total_user_turns', 'int4'], ['total_agent_turns', 'int4'], ['avg_response_time_ms', 'float8'],
    ['total_functions_called', 'int4'], ['unique_agents_used', 'int4'], ['tickets_created_count', 'int4'], ['overall_success_score', 'float8'],
    ...stamps,
  ],
} as const satisfies Record<string, readonly Column[]>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** Receives rows (values in the table's column order). */
export interface RowSink {
  add(table: TableName, values: unknown[]): void;
}

/** Collects rows per table (small batches: the ingest baseline). */
export class ArraySink implements RowSink {
  readonly rows = new Map<TableName, unknown[][]>();

  add(table: TableName, values: unknown[]): void {
    const list = this.rows.get(table) ?? [];
    list.push(values);
    this.rows.set(table, list);
  }

  count(table?: TableName): number {
    if (table) return this.rows.get(table)?.length ?? 0;
    let total = 0;
    for (const list of this.rows.values()) total += list.length;
    return total;
  }
}

// ───────────── value encodings ─────────────

/** A PostgreSQL array literal (`{"a","b"}`) of text-like items. */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (char) => `\\${char}`)}"`).join(',')}}`;
}

/** A value as PostgreSQL's text input form: JSON for objects, ISO for dates, literals for arrays. */
export function textValue(value: unknown, pgType: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && pgType.endsWith('[]')) return arrayLiteral(value.map(String));
  return JSON.stringify(value);
}

const COPY_SPECIAL = /[\\\t\n\r]/;

/** One field of COPY's text format. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (char) => (char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r'));
}

export function copyLine(table: TableName, values: readonly unknown[]): string {
  const columns = TABLES[table];
  let line = '';
  for (let index = 0; index < columns.length; index++) {
    if (index) line += '\t';
    line += copyField(textValue(values[index], columns[index]![1]));
  }
  return `${line}\n`;
}

export function copySql(table: TableName): string {
  return `COPY "${table}" (${TABLES[table].map(([name]) => `"${name}"`).join(', ')}) FROM STDIN`;
}

/**
 * `INSERT … SELECT FROM unnest($1::t1[], $2::t2[], …)`: one statement for any number of rows.
 * Array-typed columns (uuid[], text[]) can't be unnested from a 2-D array, so they travel as
 * text literals and are cast back.
 */
export function unnestInsert(table: TableName, rows: readonly unknown[][], suffix = ''): { text: string; values: unknown[] } {
  const columns = TABLES[table];
  const values = columns.map(([, pgType], index) => rows.map((row) => textValue(row[index], pgType)));
  const params = columns.map(([, pgType], index) => (pgType.endsWith('[]') ? `$${index + 1}::text[]` : `$${index + 1}::${pgType}[]`));
  const select = columns.map(([name, pgType]) => (pgType.endsWith('[]') ? `u."${name}"::${pgType}` : `u."${name}"`));
  return {
    text: `INSERT INTO "${table}" (${columns.map(([name]) => `"${name}"`).join(', ')})
           SELECT ${select.join(', ')} FROM unnest(${params.join(', ')}) AS u(${columns.map(([name]) => `"${name}"`).join(', ')}) ${suffix}`,
    values,
  };
}
