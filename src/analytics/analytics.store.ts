import { conversationFilterSql, SqlParams } from '../conversations/conversation-filter.sql.js';
import { VALUE_COLUMNS, ValueSource } from '../conversations/value-source.js';
import type { TenantScope } from '../database/tenant-scope.js';
import type { DispositionMetricType, EventType, TicketAction } from '../generated/prisma/enums.js';
import { DispositionGroupBy, TimeBucket, type AnalyticsQuery } from './analytics.types.js';

/**
 * The analytics SQL: every aggregate is computed by PostgreSQL (GROUP BY, percentiles, time
 * buckets in the caller's time zone); Node only reshapes the few result rows. Each statement
 * starts from the same set — the organization's conversations that started in [from, to) and
 * match the filter — and joins children through their (organization, conversation) indexes.
 */

const BUCKET_UNIT: Record<TimeBucket, string> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' };

/** Parameters and SQL fragments shared by one query's statement. */
class Statement {
  readonly params = new SqlParams();
  readonly from: string;
  readonly to: string;
  readonly unit: string;

  private tzParam: string | undefined;

  constructor(readonly query: AnalyticsQuery) {
    this.from = this.params.add(query.from.toISOString(), 'timestamptz');
    this.to = this.params.add(query.to.toISOString(), 'timestamptz');
    this.unit = BUCKET_UNIT[query.bucket];
  }

  /** The time zone's placeholder, bound on first use (an unused parameter has no type). */
  get tz(): string {
    this.tzParam ??= this.params.add(this.query.timezone, 'text');
    return this.tzParam;
  }

  /** The bucket (as an instant) that a timestamp falls in, in the query's time zone. */
  bucketOf(column: string): string {
    return `(date_trunc('${this.unit}', ${column} AT TIME ZONE ${this.tz}) AT TIME ZONE ${this.tz})`;
  }

  /** Every bucket start of the range, empty ones included. */
  bucketSeries(): string {
    return `SELECT local_start AT TIME ZONE ${this.tz} AS start
      FROM generate_series(date_trunc('${this.unit}', ${this.from} AT TIME ZONE ${this.tz}),
                           (${this.to} - interval '1 millisecond') AT TIME ZONE ${this.tz},
                           interval '1 ${this.unit}') AS local_start`;
  }

  /**
   * The conversations the query is about, as a CTE body (alias `c` inside). Its columns are all
   * in conversations_org_started_at_analytics_idx, so it is an index-only scan; `topics` (not
   * indexed: arrays can outgrow an index row) only when asked for.
   */
  inRange(options: { topics?: boolean } = {}): string {
    // The side the filter names (default EFFECTIVE), under the effective names the sections use.
    // Only EFFECTIVE's columns are in the index: REPORTED and ANALYSED read the table.
    const values = VALUE_COLUMNS[this.query.filter?.source ?? ValueSource.EFFECTIVE];
    return `SELECT c.alma_internal_organization, c.uuid, c.started_at, c.status, c.${values.outcome} AS outcome, c.ended_by, c.duration_seconds,
             c.${values.sentimentScore} AS sentiment_score, c.${values.sentimentLabel} AS sentiment_label${options.topics ? `, c.${values.topics} AS topics` : ''}
      FROM conversations c
      WHERE c.alma_internal_organization = $1 AND c.started_at >= ${this.from} AND c.started_at < ${this.to}
        AND ${conversationFilterSql(this.query.filter, this.params)}`;
  }

  run<Row>(scope: TenantScope, sql: string): Promise<Row[]> {
    return scope.query<Row>(sql, this.params.values);
  }
}

// ───────────────────────────── overview sections ─────────────────────────────

/**
 * One section of the overview: a SELECT over the CTE `in_range` (the conversations the query is
 * about) and the order of its rows, in terms of its own output columns. Sections are run together
 * (see `overviewSections`), so the in-range set is computed once per statement, not per section.
 */
interface Section {
  select(s: Statement): string;
  order?: string;
  /** Needs `topics` in the in-range set (not in the index: the scan then reads the table). */
  topics?: boolean;
}

export interface SummaryRow {
  total: number;
  completed: number;
  ongoing: number;
  failed: number;
  duration_count: number;
  duration_average: number | null;
  duration_median: number | null;
  duration_p90: number | null;
  duration_min: number | null;
  duration_max: number | null;
  analyzed: number;
  sentiment_average: number | null;
}

export interface BreakdownRow {
  dimension: 'outcome' | 'ended_by' | 'sentiment_label';
  key: string;
  count: number;
  share: number;
}

export interface TrendRow {
  start: Date;
  total: number;
  completed: number;
  average_sentiment: number | null;
  average_duration_seconds: number | null;
}

export interface ShareRow {
  key: string;
  count: number;
  share: number;
}

export interface EventCountRow {
  event_type: EventType;
  event_subtype: string | null;
  count: number;
}

export interface FunnelRow {
  kind: 'stage' | 'transition';
  from_stage: string | null;
  to_stage: string;
  count: number;
}

export interface TicketCountRow {
  action: TicketAction;
  reason: string | null;
  count: number;
}

export interface AgentRow {
  agent_id: string;
  conversations: number;
  resolved: number;
  average_sentiment: number | null;
  average_duration_seconds: number | null;
  function_calls: number;
  function_call_successes: number;
  average_execution_time_ms: number | null;
  p95_execution_time_ms: number | null;
  top_errors: unknown;
}

export interface FollowUpRow {
  kind: 'bucket' | 'type';
  start: Date | null;
  key: string | null;
  count: number;
}

export interface UsageRow {
  runs: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
}

export const TOP_ERRORS_PER_AGENT = 5;
/** Topics are computed to this many; each `topTopics(limit)` takes its first `limit`. */
export const MAX_TOPICS = 100;

const SECTIONS = {
  summary: {
    select: () => `SELECT count(*)::int AS total,
        count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
        count(*) FILTER (WHERE status = 'ONGOING')::int AS ongoing,
        count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
        count(duration_seconds)::int AS duration_count,
        avg(duration_seconds)::float8 AS duration_average,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds)::float8 AS duration_median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_seconds)::float8 AS duration_p90,
        min(duration_seconds)::float8 AS duration_min,
        max(duration_seconds)::float8 AS duration_max,
        count(sentiment_score)::int AS analyzed,
        avg(sentiment_score)::float8 AS sentiment_average
      FROM in_range`,
  },
  /** Outcomes, ended-by and sentiment labels; shares among the conversations that have a value. */
  breakdowns: {
    select: () => `WITH counted AS (
        SELECT 'outcome' AS dimension, outcome::text AS key, count(*)::int AS count FROM in_range WHERE outcome IS NOT NULL GROUP BY outcome
        UNION ALL
        SELECT 'ended_by', ended_by::text, count(*)::int FROM in_range WHERE ended_by IS NOT NULL GROUP BY ended_by
        UNION ALL
        SELECT 'sentiment_label', sentiment_label::text, count(*)::int FROM in_range WHERE sentiment_label IS NOT NULL GROUP BY sentiment_label)
      SELECT dimension, key, count, (count::float8 / sum(count) OVER (PARTITION BY dimension))::float8 AS share FROM counted`,
    order: 'dimension, count DESC, key',
  },
  trend: {
    select: (s) => `WITH per_bucket AS (
        SELECT ${s.bucketOf('started_at')} AS start, count(*)::int AS total,
               count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
               avg(sentiment_score)::float8 AS average_sentiment, avg(duration_seconds)::float8 AS average_duration_seconds
        FROM in_range GROUP BY 1)
      SELECT series.start, coalesce(b.total, 0) AS total, coalesce(b.completed, 0) AS completed,
             b.average_sentiment, b.average_duration_seconds
      FROM (${s.bucketSeries()}) series LEFT JOIN per_bucket b ON b.start = series.start`,
    order: 'start',
  },
  /** Topics by the number of conversations that have them; share of all conversations in range. */
  topics: {
    topics: true,
    select: () => `SELECT topic AS key, count(DISTINCT uuid)::int AS count,
        (count(DISTINCT uuid)::float8 / (SELECT count(*) FROM in_range))::float8 AS share
      FROM in_range, unnest(topics) AS topic
      GROUP BY topic ORDER BY count DESC, key LIMIT ${MAX_TOPICS}`,
    order: 'count DESC, key',
  },
  events: {
    select: () => `SELECT e.event_type, e.event_subtype, count(*)::int AS count
      FROM in_range c JOIN events e ON e.alma_internal_organization = $1 AND e.conversation_uuid = c.uuid
      WHERE e.superseded_at IS NULL
      GROUP BY e.event_type, e.event_subtype`,
    order: 'count DESC, event_type, event_subtype NULLS FIRST',
  },
  /** Stages reached (distinct conversations) and stage-to-stage transitions (events). */
  funnel: {
    select: () => `WITH changes AS MATERIALIZED (
        SELECT e.conversation_uuid, e.json ->> 'OLD_STAGE' AS from_stage, e.json ->> 'NEW_STAGE' AS to_stage
        FROM in_range c JOIN events e ON e.alma_internal_organization = $1 AND e.conversation_uuid = c.uuid
        WHERE e.event_type = 'SALES_STAGE_CHANGE' AND e.superseded_at IS NULL AND e.json ->> 'NEW_STAGE' IS NOT NULL)
      SELECT 'stage' AS kind, NULL AS from_stage, to_stage, count(DISTINCT conversation_uuid)::int AS count FROM changes GROUP BY to_stage
      UNION ALL
      SELECT 'transition', from_stage, to_stage, count(*)::int FROM changes GROUP BY from_stage, to_stage`,
    order: 'kind, count DESC, from_stage NULLS FIRST, to_stage',
  },
  tickets: {
    select: () => `SELECT t.ticket_action AS action, t.creation_reason AS reason, count(*)::int AS count
      FROM in_range c JOIN tickets t ON t.alma_internal_organization = $1 AND t.conversation_uuid = c.uuid
      GROUP BY t.ticket_action, t.creation_reason`,
    order: 'count DESC, action, reason NULLS FIRST',
  },
  /** Per agent: its conversations (via conversation_agents) and its function calls in them. */
  agents: {
    select: () => `WITH by_conversation AS (
        SELECT agent_uuid, count(*)::int AS conversations,
               count(*) FILTER (WHERE outcome = 'RESOLVED')::int AS resolved,
               avg(sentiment_score)::float8 AS average_sentiment, avg(duration_seconds)::float8 AS average_duration_seconds
        FROM (SELECT DISTINCT ca.agent_uuid, c.uuid, c.outcome, c.sentiment_score, c.duration_seconds
              FROM in_range c JOIN conversation_agents ca ON ca.alma_internal_organization = $1 AND ca.conversation_uuid = c.uuid) pairs
        GROUP BY agent_uuid),
      calls AS MATERIALIZED (
        SELECT a.agent_uuid, a.action_status, a.execution_time_ms, a.error_message
        FROM in_range c JOIN agent_actions a ON a.alma_internal_organization = $1 AND a.conversation_uuid = c.uuid
        WHERE a.agent_uuid IS NOT NULL),
      by_calls AS (
        SELECT agent_uuid, count(*)::int AS function_calls,
               count(*) FILTER (WHERE action_status = 'SUCCESS')::int AS function_call_successes,
               avg(execution_time_ms)::float8 AS average_execution_time_ms,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms)::float8 AS p95_execution_time_ms
        FROM calls GROUP BY agent_uuid),
      errors AS (
        SELECT agent_uuid, error_message, count(*)::int AS count,
               row_number() OVER (PARTITION BY agent_uuid ORDER BY count(*) DESC, error_message) AS position
        FROM calls WHERE action_status <> 'SUCCESS' AND error_message IS NOT NULL
        GROUP BY agent_uuid, error_message)
      SELECT coalesce(v.agent_uuid, k.agent_uuid) AS agent_id,
             coalesce(v.conversations, 0) AS conversations, coalesce(v.resolved, 0) AS resolved,
             v.average_sentiment, v.average_duration_seconds,
             coalesce(k.function_calls, 0) AS function_calls, coalesce(k.function_call_successes, 0) AS function_call_successes,
             k.average_execution_time_ms, k.p95_execution_time_ms,
             coalesce((SELECT jsonb_agg(jsonb_build_object('message', e.error_message, 'count', e.count) ORDER BY e.position)
                       FROM errors e WHERE e.agent_uuid = coalesce(v.agent_uuid, k.agent_uuid) AND e.position <= ${TOP_ERRORS_PER_AGENT}),
                      '[]'::jsonb) AS top_errors
      FROM by_conversation v FULL JOIN by_calls k ON k.agent_uuid = v.agent_uuid`,
    order: 'conversations DESC, function_calls DESC, agent_id',
  },
  /**
   * Follow-ups whose due date falls in the range, of conversations matching the filter (whenever
   * those started), per bucket of the due date (empty buckets included) and per FOLLOWUP_TYPE.
   */
  followUps: {
    select: (s) => `WITH due AS MATERIALIZED (
        SELECT f.follow_up_date, e.json ->> 'FOLLOWUP_TYPE' AS followup_type
        FROM follow_ups f
        JOIN events e ON e.alma_internal_organization = f.alma_internal_organization AND e.uuid = f.event_uuid
        JOIN conversations c ON c.alma_internal_organization = f.alma_internal_organization AND c.uuid = f.conversation_uuid
        WHERE f.alma_internal_organization = $1 AND f.follow_up_date >= ${s.from} AND f.follow_up_date < ${s.to}
          AND e.superseded_at IS NULL AND ${conversationFilterSql(s.query.filter, s.params)}),
      per_bucket AS (SELECT ${s.bucketOf('follow_up_date')} AS start, count(*)::int AS count FROM due GROUP BY 1)
      SELECT 'bucket' AS kind, series.start, NULL AS key, coalesce(b.count, 0) AS count
      FROM (${s.bucketSeries()}) series LEFT JOIN per_bucket b ON b.start = series.start
      UNION ALL
      SELECT 'type', NULL, followup_type, count(*)::int FROM due WHERE followup_type IS NOT NULL GROUP BY followup_type`,
    order: 'kind, start, count DESC, key',
  },
  /** Token usage and cost; a run writes one row per analysis type, each carrying the run's usage. */
  usage: {
    select: () => `WITH runs AS (
        SELECT max(a.prompt_tokens) AS prompt_tokens, max(a.completion_tokens) AS completion_tokens,
               max(a.total_tokens) AS total_tokens, max(a.cost_usd) AS cost_usd
        FROM in_range c JOIN analytics a ON a.alma_internal_organization = $1 AND a.conversation_uuid = c.uuid
        GROUP BY coalesce(a.run_uuid, a.uuid))
      SELECT count(*)::int AS runs, coalesce(sum(prompt_tokens), 0)::float8 AS prompt_tokens,
             coalesce(sum(completion_tokens), 0)::float8 AS completion_tokens, coalesce(sum(total_tokens), 0)::float8 AS total_tokens,
             coalesce(sum(cost_usd), 0)::float8 AS cost_usd
      FROM runs`,
  },
} satisfies Record<string, Section>;

export type SectionName = keyof typeof SECTIONS;
export interface SectionRows {
  summary: SummaryRow[];
  breakdowns: BreakdownRow[];
  trend: TrendRow[];
  topics: ShareRow[];
  events: EventCountRow[];
  funnel: FunnelRow[];
  tickets: TicketCountRow[];
  agents: AgentRow[];
  followUps: FollowUpRow[];
  usage: UsageRow[];
}

/** Heaviest first (measured on the bench dataset), for splitting sections over statements. */
export const SECTIONS_BY_WEIGHT: SectionName[] = ['usage', 'agents', 'topics', 'funnel', 'events', 'followUps', 'breakdowns', 'trend', 'tickets', 'summary'];

/**
 * Several sections in ONE statement: the in-range set is materialized once and each section is
 * a sub-select aggregated to a JSON array (rows in the section's order). Returns each section's
 * rows; timestamps arrive as ISO strings and are turned back into Dates.
 */
export async function overviewSections(scope: TenantScope, query: AnalyticsQuery, names: SectionName[]): Promise<Partial<SectionRows>> {
  const s = new Statement(query);
  const sections = names.map((name) => [name, SECTIONS[name] as Section] as const);
  const columns = sections.map(
    ([name, section]) =>
      `(SELECT coalesce(jsonb_agg(to_jsonb(x)${section.order ? ` ORDER BY ${section.order}` : ''}), '[]'::jsonb)
         FROM (${section.select(s)}) x) AS "${name}"`,
  );
  const [row] = await s.run<Record<string, unknown>>(
    scope,
    `WITH in_range AS MATERIALIZED (${s.inRange({ topics: sections.some(([, section]) => section.topics) })})
     SELECT ${columns.join(',\n')}`,
  );
  const result: Partial<Record<SectionName, unknown[]>> = {};
  for (const [name] of sections) {
    const value = row![name];
    const rows = (typeof value === 'string' ? JSON.parse(value) : value) as Array<Record<string, unknown>>;
    result[name] = rows.map((item) => ('start' in item && typeof item.start === 'string' ? { ...item, start: new Date(item.start) } : item));
  }
  return result as Partial<SectionRows>;
}

// ───────────────────────────── disposition metrics ─────────────────────────────

/**
 * The type of a metric as currently configured (the latest config version that defines it),
 * else the type of any current value (a metric written before configs named it). Both lookups
 * stop at their first row.
 */
export async function dispositionMetricType(scope: TenantScope, identifier: string): Promise<DispositionMetricType | null> {
  const [row] = await scope.query<{ metric_type: DispositionMetricType }>(
    `SELECT metric_type FROM (
       (SELECT (metric ->> 'type')::disposition_metric_type AS metric_type, 1 AS rank
        FROM analysis_configs, jsonb_array_elements(disposition_metrics) AS metric
        WHERE alma_internal_organization = $1 AND metric ->> 'identifier' = $2::text ORDER BY version DESC LIMIT 1)
       UNION ALL
       (SELECT metric_type, 2 FROM disposition_values
        WHERE alma_internal_organization = $1 AND identifier = $2::text AND superseded_at IS NULL LIMIT 1)) typed
     ORDER BY rank LIMIT 1`,
    [identifier],
  );
  return row?.metric_type ?? null;
}

export interface DispositionGroupRow {
  overall: boolean;
  agent_id: string | null;
  bucket_start: Date | null;
  count: number;
  true_count: number | null;
  false_count: number | null;
  average: number | null;
  min: number | null;
  max: number | null;
  median: number | null;
  p90: number | null;
  p95: number | null;
  distribution: unknown;
}

const VALUE_COLUMN: Record<DispositionMetricType, string> = {
  STRING: 'value_text',
  ENUM: 'value_text',
  BOOLEAN: 'value_boolean',
  INTEGER: 'value_number',
  DATETIME: 'value_time',
};

export const TOP_STRING_VALUES = 10;

/**
 * One statement: the overall group plus the requested groups. A conversation with several
 * agents counts once for each of them when grouped by agent. `distribution` is, per type:
 * ENUM/STRING [{key, count}] (STRING: the top values), DATETIME [{start, count}] by value bucket.
 */
export function dispositionGroups(
  scope: TenantScope,
  query: AnalyticsQuery,
  identifier: string,
  metricType: DispositionMetricType,
  groupBy: DispositionGroupBy | null,
): Promise<DispositionGroupRow[]> {
  const s = new Statement(query);
  const identifierParam = s.params.add(identifier, 'text');
  const typeParam = s.params.add(metricType, 'disposition_metric_type');
  const byAgent = groupBy === DispositionGroupBy.AGENT || groupBy === DispositionGroupBy.BOTH;
  const byBucket = groupBy === DispositionGroupBy.BUCKET || groupBy === DispositionGroupBy.BOTH;
  const grouped = groupBy
    ? `UNION ALL
       SELECT false, ${byAgent ? 'ca.agent_uuid' : 'NULL::uuid'}, ${byBucket ? s.bucketOf('v.started_at') : 'NULL::timestamptz'}, v.value_text,
              v.value_number, v.value_boolean, v.value_time
       FROM v ${byAgent ? `JOIN (SELECT DISTINCT agent_uuid, conversation_uuid FROM conversation_agents
                               WHERE alma_internal_organization = $1 AND conversation_uuid IN (SELECT conversation_uuid FROM v)) ca
                         ON ca.conversation_uuid = v.conversation_uuid` : ''}`
    : '';
  const distribution =
    metricType === 'ENUM' || metricType === 'STRING'
      ? `SELECT overall, agent_id, bucket_start,
                jsonb_agg(jsonb_build_object('key', value_text, 'count', n) ORDER BY n DESC, value_text) AS distribution
         FROM (SELECT overall, agent_id, bucket_start, value_text, count(*)::int AS n,
                      row_number() OVER (PARTITION BY overall, agent_id, bucket_start ORDER BY count(*) DESC, value_text) AS position
               FROM source GROUP BY overall, agent_id, bucket_start, value_text) counted
         ${metricType === 'STRING' ? `WHERE position <= ${TOP_STRING_VALUES}` : ''}
         GROUP BY overall, agent_id, bucket_start`
      : metricType === 'DATETIME'
        ? `SELECT overall, agent_id, bucket_start,
                  jsonb_agg(jsonb_build_object('start', value_bucket, 'count', n) ORDER BY value_bucket) AS distribution
           FROM (SELECT overall, agent_id, bucket_start, ${s.bucketOf('value_time')} AS value_bucket, count(*)::int AS n
                 FROM source GROUP BY overall, agent_id, bucket_start, value_bucket) counted
           GROUP BY overall, agent_id, bucket_start`
        : `SELECT NULL::boolean AS overall, NULL::uuid AS agent_id, NULL::timestamptz AS bucket_start, NULL::jsonb AS distribution WHERE false`;
  return s.run<DispositionGroupRow>(
    scope,
    `WITH in_range AS (${s.inRange()}),
     v AS MATERIALIZED (
       SELECT d.conversation_uuid, c.started_at, d.value_text, d.value_number, d.value_boolean, d.value_time
       FROM in_range c JOIN disposition_values d ON d.alma_internal_organization = $1 AND d.conversation_uuid = c.uuid
       WHERE d.identifier = ${identifierParam} AND d.metric_type = ${typeParam} AND d.superseded_at IS NULL
         AND d.${VALUE_COLUMN[metricType]} IS NOT NULL),
     source AS MATERIALIZED (
       SELECT true AS overall, NULL::uuid AS agent_id, NULL::timestamptz AS bucket_start, value_text, value_number, value_boolean, value_time
       FROM v
       ${grouped}),
     stats AS (
       SELECT overall, agent_id, bucket_start, count(*)::int AS count,
              count(*) FILTER (WHERE value_boolean)::int AS true_count, count(*) FILTER (WHERE NOT value_boolean)::int AS false_count,
              avg(value_number)::float8 AS average, min(value_number)::float8 AS min, max(value_number)::float8 AS max,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY value_number)::float8 AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY value_number)::float8 AS p90,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY value_number)::float8 AS p95
       FROM source GROUP BY overall, agent_id, bucket_start),
     distributions AS (${distribution})
     SELECT s.*, d.distribution
     FROM stats s LEFT JOIN distributions d
       ON d.overall = s.overall AND d.agent_id IS NOT DISTINCT FROM s.agent_id AND d.bucket_start IS NOT DISTINCT FROM s.bucket_start
     ORDER BY s.overall DESC, s.agent_id NULLS FIRST, s.bucket_start NULLS FIRST`,
  );
}
