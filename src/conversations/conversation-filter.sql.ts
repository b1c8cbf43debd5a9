import { requireTextLength } from '../limits/input-limits.js';
import type { ConversationFilter, DispositionFilterInput } from './conversation.types.js';
import { VALUE_COLUMNS, ValueSource } from './value-source.js';

/**
 * Positional parameters for tenant SQL: `$1` is always the organization (bound by
 * `TenantScope.query`), so the first value added here is `$2`.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, with a cast when given (`$3::timestamptz`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length + 1}${cast ? `::${cast}` : ''}`;
  }

  /** A list as one JSON parameter, expanded in SQL (works the same on PostgreSQL and PGlite). */
  list(values: readonly unknown[], elementCast: string): string {
    return `ARRAY(SELECT jsonb_array_elements_text(${this.add(JSON.stringify(values))}::jsonb))::${elementCast}[]`;
  }
}

/**
 * The `conversations(filter)` input as SQL conditions on the conversations row aliased `c` —
 * the same meaning as `conversationWhere` (conversation.service.ts), for the analytics queries
 * that aggregate in SQL. Returns `TRUE` for an empty filter. A test holds the two to the same
 * answers.
 */
export function conversationFilterSql(filter: ConversationFilter | null | undefined, params: SqlParams, c = 'c'): string {
  const and: string[] = [];
  const org = `${c}.alma_internal_organization`;
  if (filter?.startedAt?.from) and.push(`${c}.started_at >= ${params.add(filter.startedAt.from.toISOString(), 'timestamptz')}`);
  if (filter?.startedAt?.to) and.push(`${c}.started_at < ${params.add(filter.startedAt.to.toISOString(), 'timestamptz')}`);
  if (filter?.channels?.length) and.push(`${c}.channel = ANY(${params.list(filter.channels, 'channel')})`);
  if (filter?.statuses?.length) and.push(`${c}.status = ANY(${params.list(filter.statuses, 'conversation_status')})`);
  const values = VALUE_COLUMNS[filter?.source ?? ValueSource.EFFECTIVE];
  if (filter?.outcomes?.length) and.push(`${c}.${values.outcome} = ANY(${params.list(filter.outcomes, 'outcome')})`);
  if (filter?.sentiments?.length) and.push(`${c}.${values.sentimentLabel} = ANY(${params.list(filter.sentiments, 'sentiment_label')})`);
  if (filter?.topics?.length) and.push(`${c}.${values.topics} && ${params.list(filter.topics, 'text')}`);
  if (filter?.analysisStatuses?.length) and.push(`${c}.analysis_status = ANY(${params.list(filter.analysisStatuses, 'analysis_status')})`);
  if (filter?.agentId) {
    and.push(`EXISTS (SELECT 1 FROM conversation_agents fa
      WHERE fa.alma_internal_organization = ${org} AND fa.conversation_uuid = ${c}.uuid AND fa.agent_uuid = ${params.add(filter.agentId, 'uuid')})`);
  }
  if (filter?.contactId) {
    and.push(`EXISTS (SELECT 1 FROM conversation_participants fp
      WHERE fp.alma_internal_organization = ${org} AND fp.conversation_uuid = ${c}.uuid AND fp.contact_uuid = ${params.add(filter.contactId, 'uuid')})`);
  }
  if (filter?.origin) and.push(`${c}.origin = ${params.add(filter.origin, 'text')}`);
  if (filter?.externalId) and.push(`${c}.external_id = ${params.add(filter.externalId, 'text')}`);
  if (filter?.eventType) {
    and.push(`EXISTS (SELECT 1 FROM events fe WHERE fe.alma_internal_organization = ${org} AND fe.conversation_uuid = ${c}.uuid
      AND fe.event_type = ${params.add(filter.eventType, 'event_type')} AND fe.superseded_at IS NULL)`);
  }
  const text = searchTextOf(filter);
  if (text) {
    and.push(`EXISTS (SELECT 1 FROM messages fm WHERE fm.alma_internal_organization = ${org} AND fm.conversation_uuid = ${c}.uuid
      AND fm.content ILIKE ${params.add(`%${escapeLike(text)}%`, 'text')})`);
  }
  for (const condition of filter?.disposition ?? []) and.push(dispositionConditionSql(condition, params, c));
  return and.length ? and.join('\n  AND ') : 'TRUE';
}

/** One disposition condition against the conversation's current (not superseded) typed value. */
function dispositionConditionSql(condition: DispositionFilterInput, params: SqlParams, c: string): string {
  const and = [`fd.identifier = ${params.add(condition.identifier, 'text')}`, 'fd.superseded_at IS NULL'];
  if (condition.equals != null) and.push(`fd.value_text = ${params.add(condition.equals, 'text')}`);
  if (condition.in?.length) and.push(`fd.value_text = ANY(${params.list(condition.in, 'text')})`);
  if (condition.is != null) and.push(`fd.value_boolean = ${params.add(condition.is, 'boolean')}`);
  if (condition.min != null) and.push(`fd.value_number >= ${params.add(condition.min, 'float8')}`);
  if (condition.max != null) and.push(`fd.value_number <= ${params.add(condition.max, 'float8')}`);
  if (condition.after) and.push(`fd.value_time >= ${params.add(condition.after.toISOString(), 'timestamptz')}`);
  if (condition.before) and.push(`fd.value_time < ${params.add(condition.before.toISOString(), 'timestamptz')}`);
  if (condition.minConfidence != null) and.push(`fd.confidence >= ${params.add(condition.minConfidence, 'float8')}`);
  return `EXISTS (SELECT 1 FROM disposition_values fd WHERE fd.alma_internal_organization = ${c}.alma_internal_organization
      AND fd.conversation_uuid = ${c}.uuid AND ${and.join(' AND ')})`;
}

/**
 * `text` with LIKE's wildcards (`%`, `_`) and its escape character (`\\`, the default one) escaped, so
 * that `ILIKE '%' || escaped || '%'` matches it literally — the predicate the messages' trigram
 * index (migration `messages_content_trigram`) serves. Prisma's `contains` does not escape them.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Longest `ConversationFilter.text`: a search's cost grows with its length times the messages it scans. */
export const MAX_SEARCH_TEXT_LENGTH = 200;

/** The filter's search text, trimmed (undefined when blank); BAD_USER_INPUT past MAX_SEARCH_TEXT_LENGTH. Both filter paths read it here. */
export function searchTextOf(filter: ConversationFilter | null | undefined): string | undefined {
  const text = filter?.text?.trim();
  requireTextLength(text, 'filter.text', MAX_SEARCH_TEXT_LENGTH);
  return text || undefined;
}
