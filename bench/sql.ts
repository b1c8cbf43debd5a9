import pg from 'pg';
import { ArraySink, TABLE_NAMES, unnestInsert, type TableName } from './tables.js';

/**
 * The hand-written SQL a backend without GraphQL/ORM layers would send for the same answers,
 * on one connection, statement after statement. Each function returns what it read so the
 * runner can compare it with the API's answer.
 */

export interface Timing {
  runs: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return {
    runs: sorted.length,
    p50: at(50),
    p95: at(95),
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    min: sorted[0]!,
  };
}

/** Warm-up runs, then `runs` timed runs (milliseconds, wall clock, sequential). */
export async function timeRuns(warmup: number, runs: number, body: (iteration: number) => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await body(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await body(warmup + i);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

// ───────────── (1) dashboard ─────────────

export const DASHBOARD_STATEMENTS = 7;

/** A page of conversations, the first messages of each (lateral), agents, events, analyses. */
export async function dashboardSql(client: pg.Client, org: string, first: number, messages: number) {
  const page = await client.query(
    `SELECT uuid, external_id, channel, status, outcome, started_at, duration_seconds, sentiment_score, sentiment_label
     FROM conversations WHERE alma_internal_organization = $1
     ORDER BY started_at DESC, uuid DESC LIMIT $2`,
    [org, first + 1],
  );
  const ids = page.rows.slice(0, first).map((row) => row.uuid as string);
  const total = await client.query('SELECT count(*)::int AS n FROM conversations WHERE alma_internal_organization = $1', [org]);
  const firstMessages = await client.query(
    `SELECT m.conversation_uuid, m.turn_sequence_number, m.sender_role, m.content, a.uuid AS agent_id, a.name AS agent_name,
            ct.uuid AS contact_id, ct.name AS contact_name
     FROM unnest($2::uuid[]) AS p(id)
     CROSS JOIN LATERAL (
       SELECT * FROM messages m WHERE m.alma_internal_organization = $1 AND m.conversation_uuid = p.id
       ORDER BY m.turn_sequence_number LIMIT $3) m
     LEFT JOIN agents a ON a.alma_internal_organization = $1 AND a.uuid = m.sender_uuid
     LEFT JOIN contacts ct ON ct.alma_internal_organization = $1 AND ct.uuid = m.sender_contact_uuid`,
    [org, ids, messages],
  );
  const counts = await client.query(
    `SELECT conversation_uuid, count(*)::int AS n FROM messages
     WHERE alma_internal_organization = $1 AND conversation_uuid = ANY($2::uuid[]) GROUP BY conversation_uuid`,
    [org, ids],
  );
  const agents = await client.query(
    `SELECT ca.conversation_uuid, ca.activation_timestamp, a.uuid, a.name
     FROM conversation_agents ca JOIN agents a ON a.alma_internal_organization = ca.alma_internal_organization AND a.uuid = ca.agent_uuid
     WHERE ca.alma_internal_organization = $1 AND ca.conversation_uuid = ANY($2::uuid[])
     ORDER BY ca.conversation_uuid, ca.activation_timestamp, ca.uuid`,
    [org, ids],
  );
  const events = await client.query(
    `SELECT e.conversation_uuid, e.event_type, e.event_subtype, e.json, a.uuid AS agent_id, a.name AS agent_name, f.score, f.follow_up_date
     FROM events e
     LEFT JOIN agents a ON a.alma_internal_organization = e.alma_internal_organization AND a.uuid = e.agent_uuid
     LEFT JOIN follow_ups f ON f.alma_internal_organization = e.alma_internal_organization AND f.event_uuid = e.uuid
     WHERE e.alma_internal_organization = $1 AND e.conversation_uuid = ANY($2::uuid[]) AND e.superseded_at IS NULL
     ORDER BY e.conversation_uuid, e.created_at, e.uuid`,
    [org, ids],
  );
  const analyses = await client.query(
    `SELECT conversation_uuid, analysis_type, result, created_at FROM analytics
     WHERE alma_internal_organization = $1 AND conversation_uuid = ANY($2::uuid[])
     ORDER BY conversation_uuid, created_at DESC, uuid`,
    [org, ids],
  );
  return {
    ids,
    totalCount: total.rows[0].n as number,
    messages: firstMessages.rowCount ?? 0,
    counts: counts.rowCount ?? 0,
    agents: agents.rowCount ?? 0,
    events: events.rowCount ?? 0,
    analyses: analyses.rowCount ?? 0,
  };
}

// ───────────── (2) one conversation in full ─────────────

export const DETAIL_STATEMENTS = 13;

export async function detailSql(client: pg.Client, org: string, id: string) {
  const params = [org, id];
  const where = 'alma_internal_organization = $1 AND conversation_uuid = $2';
  const conversation = await client.query('SELECT * FROM conversations WHERE alma_internal_organization = $1 AND uuid = $2', params);
  const agents = await client.query(
    `SELECT ca.*, a.name, a.external_id AS agent_external_id FROM conversation_agents ca
     JOIN agents a ON a.alma_internal_organization = ca.alma_internal_organization AND a.uuid = ca.agent_uuid
     WHERE ca.alma_internal_organization = $1 AND ca.conversation_uuid = $2 ORDER BY ca.activation_timestamp, ca.uuid`,
    params,
  );
  const participants = await client.query(
    `SELECT p.*, ct.name, ct.email, ct.phone_number FROM conversation_participants p
     LEFT JOIN contacts ct ON ct.alma_internal_organization = p.alma_internal_organization AND ct.uuid = p.contact_uuid
     WHERE p.alma_internal_organization = $1 AND p.conversation_uuid = $2 ORDER BY p.joined_at, p.uuid`,
    params,
  );
  const messages = await client.query(
    `SELECT m.turn_sequence_number, m.sender_role, m.content, m.sent_at, m.sentiment_score, a.name AS sender_name
     FROM messages m LEFT JOIN agents a ON a.alma_internal_organization = m.alma_internal_organization AND a.uuid = m.sender_uuid
     WHERE m.alma_internal_organization = $1 AND m.conversation_uuid = $2 ORDER BY m.turn_sequence_number LIMIT 100`,
    params,
  );
  const count = await client.query(`SELECT count(*)::int AS n FROM messages WHERE ${where}`, params);
  const actions = await client.query(
    `SELECT x.function_name, x.action_status, x.execution_time_ms, x.error_message, x.timestamp, a.name AS agent_name
     FROM agent_actions x LEFT JOIN agents a ON a.alma_internal_organization = x.alma_internal_organization AND a.uuid = x.agent_uuid
     WHERE x.alma_internal_organization = $1 AND x.conversation_uuid = $2 ORDER BY x.timestamp, x.uuid`,
    params,
  );
  const tickets = await client.query(`SELECT * FROM tickets WHERE ${where} ORDER BY timestamp, uuid`, params);
  const transfers = await client.query(
    `SELECT t.*, a.name AS agent_name FROM transfers t
     LEFT JOIN agents a ON a.alma_internal_organization = t.alma_internal_organization AND a.uuid = t.agent_uuid
     WHERE t.alma_internal_organization = $1 AND t.conversation_uuid = $2 ORDER BY t.transfer_start_time, t.uuid`,
    params,
  );
  const events = await client.query(
    `SELECT e.event_type, e.event_subtype, e.json, e.source, e.confidence, f.score, f.follow_up_date
     FROM events e LEFT JOIN follow_ups f ON f.alma_internal_organization = e.alma_internal_organization AND f.event_uuid = e.uuid
     WHERE e.alma_internal_organization = $1 AND e.conversation_uuid = $2 AND e.superseded_at IS NULL ORDER BY e.created_at, e.uuid`,
    params,
  );
  const followUps = await client.query(
    `SELECT f.score, f.follow_up_date, a.name AS agent_name FROM follow_ups f
     JOIN events e ON e.alma_internal_organization = f.alma_internal_organization AND e.uuid = f.event_uuid
     LEFT JOIN agents a ON a.alma_internal_organization = f.alma_internal_organization AND a.uuid = f.agent_uuid
     WHERE f.alma_internal_organization = $1 AND f.conversation_uuid = $2 AND e.superseded_at IS NULL ORDER BY f.follow_up_date, f.event_uuid`,
    params,
  );
  const analyses = await client.query(
    `SELECT analysis_type, result, origin, prompt_tokens, total_tokens, created_at, superseded_at FROM analytics
     WHERE ${where} ORDER BY created_at DESC, uuid`,
    params,
  );
  const disposition = await client.query(
    `SELECT identifier, metric_type, value_text, value_number, value_boolean, value_time, confidence, reasoning FROM disposition_values
     WHERE ${where} AND superseded_at IS NULL ORDER BY identifier, uuid`,
    params,
  );
  const metrics = await client.query(`SELECT * FROM conversation_metrics WHERE ${where}`, params);
  return {
    found: conversation.rowCount === 1,
    agents: agents.rowCount,
    participants: participants.rowCount,
    messages: messages.rowCount,
    messageCount: count.rows[0].n as number,
    actions: actions.rowCount,
    tickets: tickets.rowCount,
    transfers: transfers.rowCount,
    events: events.rowCount,
    followUps: followUps.rowCount,
    analyses: analyses.rowCount,
    dispositionMetrics: disposition.rowCount,
    metrics: metrics.rowCount,
  };
}

// ───────────── (3) analytics overview: one statement ─────────────

/**
 * Every section of analyticsOverview in one statement over one materialized set of in-range
 * conversations (started_at in [from, to), optionally with one agent), buckets by day in UTC.
 * The agent filter is a join from the agent's conversation_agents rows, not an EXISTS on every
 * conversation: the planner then estimates the in-range set well (an EXISTS inside the
 * materialized set made it expect ~5× too many rows and hash-join whole tables: 0.9 s instead
 * of 0.15 s on the 100k dataset).
 */
export const OVERVIEW_SQL = `
WITH in_range AS MATERIALIZED (
  SELECT c.uuid, c.started_at, c.status, c.outcome, c.ended_by, c.duration_seconds, c.sentiment_score, c.sentiment_label, c.topics
  FROM conversations c
  WHERE $4::uuid IS NULL AND c.alma_internal_organization = $1 AND c.started_at >= $2 AND c.started_at < $3
  UNION ALL
  SELECT c.uuid, c.started_at, c.status, c.outcome, c.ended_by, c.duration_seconds, c.sentiment_score, c.sentiment_label, c.topics
  FROM (SELECT DISTINCT conversation_uuid FROM conversation_agents WHERE alma_internal_organization = $1 AND agent_uuid = $4) fa
  JOIN conversations c ON c.alma_internal_organization = $1 AND c.uuid = fa.conversation_uuid
  WHERE c.started_at >= $2 AND c.started_at < $3),
series AS (
  SELECT local_start AT TIME ZONE 'UTC' AS start
  FROM generate_series(date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC'), ($3::timestamptz - interval '1 millisecond') AT TIME ZONE 'UTC', interval '1 day') AS local_start),
counted AS (
  SELECT 'outcomes' AS dimension, outcome::text AS key, count(*)::int AS n FROM in_range WHERE outcome IS NOT NULL GROUP BY outcome
  UNION ALL SELECT 'endedBy', ended_by::text, count(*)::int FROM in_range WHERE ended_by IS NOT NULL GROUP BY ended_by
  UNION ALL SELECT 'labels', sentiment_label::text, count(*)::int FROM in_range WHERE sentiment_label IS NOT NULL GROUP BY sentiment_label),
breakdowns AS (
  SELECT dimension, jsonb_agg(jsonb_build_object('key', key, 'count', n, 'share', share) ORDER BY n DESC, key) AS items
  FROM (SELECT *, n::float8 / sum(n) OVER (PARTITION BY dimension) AS share FROM counted) s GROUP BY dimension),
per_day AS (
  SELECT date_trunc('day', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, count(*)::int AS total,
         count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed, avg(sentiment_score) AS average_sentiment,
         avg(duration_seconds) AS average_duration
  FROM in_range GROUP BY 1),
ev AS MATERIALIZED (
  SELECT e.conversation_uuid, e.event_type, e.event_subtype, e.json
  FROM in_range c JOIN events e ON e.alma_internal_organization = $1 AND e.conversation_uuid = c.uuid
  WHERE e.superseded_at IS NULL),
stage_changes AS (
  SELECT conversation_uuid, json ->> 'OLD_STAGE' AS from_stage, json ->> 'NEW_STAGE' AS to_stage
  FROM ev WHERE event_type = 'SALES_STAGE_CHANGE' AND json ->> 'NEW_STAGE' IS NOT NULL),
agent_conversations AS (
  SELECT DISTINCT ca.agent_uuid, ca.conversation_uuid
  FROM conversation_agents ca JOIN in_range c ON c.uuid = ca.conversation_uuid
  WHERE ca.alma_internal_organization = $1),
by_conversation AS (
  SELECT ca.agent_uuid, count(*)::int AS conversations, count(*) FILTER (WHERE c.outcome = 'RESOLVED')::int AS resolved,
         avg(c.sentiment_score) AS average_sentiment, avg(c.duration_seconds) AS average_duration
  FROM agent_conversations ca JOIN in_range c ON c.uuid = ca.conversation_uuid GROUP BY ca.agent_uuid),
calls AS MATERIALIZED (
  SELECT a.agent_uuid, a.action_status, a.execution_time_ms, a.error_message
  FROM in_range c JOIN agent_actions a ON a.alma_internal_organization = $1 AND a.conversation_uuid = c.uuid
  WHERE a.agent_uuid IS NOT NULL),
by_calls AS (
  SELECT agent_uuid, count(*)::int AS calls, count(*) FILTER (WHERE action_status = 'SUCCESS')::int AS successes,
         avg(execution_time_ms) AS average_ms, percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms) AS p95_ms
  FROM calls GROUP BY agent_uuid),
errors AS (
  SELECT agent_uuid, error_message, count(*)::int AS n,
         row_number() OVER (PARTITION BY agent_uuid ORDER BY count(*) DESC, error_message) AS position
  FROM calls WHERE action_status <> 'SUCCESS' AND error_message IS NOT NULL GROUP BY agent_uuid, error_message),
per_agent AS (
  SELECT coalesce(v.agent_uuid, k.agent_uuid) AS agent_id, coalesce(v.conversations, 0) AS conversations, coalesce(v.resolved, 0) AS resolved,
         v.average_sentiment, v.average_duration, coalesce(k.calls, 0) AS calls, coalesce(k.successes, 0) AS successes, k.average_ms, k.p95_ms
  FROM by_conversation v FULL JOIN by_calls k ON k.agent_uuid = v.agent_uuid),
due AS MATERIALIZED (
  SELECT f.follow_up_date
  FROM follow_ups f
  JOIN events e ON e.alma_internal_organization = f.alma_internal_organization AND e.uuid = f.event_uuid
  WHERE f.alma_internal_organization = $1 AND f.follow_up_date >= $2 AND f.follow_up_date < $3 AND e.superseded_at IS NULL
    AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM conversation_agents fa
         WHERE fa.alma_internal_organization = $1 AND fa.conversation_uuid = f.conversation_uuid AND fa.agent_uuid = $4))),
runs AS (
  SELECT DISTINCT ON (coalesce(a.run_uuid, a.uuid)) a.prompt_tokens, a.completion_tokens, a.total_tokens, a.cost_usd
  FROM in_range c JOIN analytics a ON a.alma_internal_organization = $1 AND a.conversation_uuid = c.uuid
  ORDER BY coalesce(a.run_uuid, a.uuid), a.created_at)
SELECT jsonb_build_object(
  'conversations', (SELECT jsonb_build_object('total', count(*), 'completed', count(*) FILTER (WHERE status = 'COMPLETED'),
                      'ongoing', count(*) FILTER (WHERE status = 'ONGOING'), 'failed', count(*) FILTER (WHERE status = 'FAILED')) FROM in_range),
  'duration', (SELECT jsonb_build_object('count', count(duration_seconds), 'average', avg(duration_seconds),
                 'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds),
                 'p90', percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_seconds),
                 'min', min(duration_seconds), 'max', max(duration_seconds)) FROM in_range),
  'sentiment', (SELECT jsonb_build_object('analyzed', count(sentiment_score), 'average', avg(sentiment_score),
                  'labels', coalesce((SELECT items FROM breakdowns WHERE dimension = 'labels'), '[]')) FROM in_range),
  'outcomes', coalesce((SELECT items FROM breakdowns WHERE dimension = 'outcomes'), '[]'),
  'endedBy', coalesce((SELECT items FROM breakdowns WHERE dimension = 'endedBy'), '[]'),
  'trend', (SELECT jsonb_agg(jsonb_build_object('start', s.start, 'total', coalesce(d.total, 0), 'completed', coalesce(d.completed, 0),
              'averageSentiment', d.average_sentiment, 'averageDurationSeconds', d.average_duration) ORDER BY s.start)
            FROM series s LEFT JOIN per_day d ON d.start = s.start),
  'topTopics', coalesce((SELECT jsonb_agg(jsonb_build_object('key', topic, 'count', n, 'share', n::float8 / (SELECT count(*) FROM in_range)) ORDER BY n DESC, topic)
               FROM (SELECT topic, count(DISTINCT uuid)::int AS n FROM in_range, unnest(topics) AS topic GROUP BY topic ORDER BY n DESC, topic LIMIT 10) t), '[]'),
  'events', coalesce((SELECT jsonb_agg(jsonb_build_object('eventType', event_type, 'eventSubtype', event_subtype, 'count', n)
               ORDER BY n DESC, event_type, event_subtype NULLS FIRST)
             FROM (SELECT event_type, event_subtype, count(*)::int AS n FROM ev GROUP BY event_type, event_subtype) x), '[]'),
  'salesFunnel', jsonb_build_object(
     'stages', coalesce((SELECT jsonb_agg(jsonb_build_object('stage', to_stage, 'conversations', n) ORDER BY n DESC, to_stage)
                FROM (SELECT to_stage, count(DISTINCT conversation_uuid)::int AS n FROM stage_changes GROUP BY to_stage) x), '[]'),
     'transitions', coalesce((SELECT jsonb_agg(jsonb_build_object('fromStage', from_stage, 'toStage', to_stage, 'count', n)
                     ORDER BY n DESC, from_stage NULLS FIRST, to_stage)
                FROM (SELECT from_stage, to_stage, count(*)::int AS n FROM stage_changes GROUP BY from_stage, to_stage) x), '[]')),
  'tickets', coalesce((SELECT jsonb_agg(jsonb_build_object('action', action, 'reason', reason, 'count', n) ORDER BY n DESC, action, reason NULLS FIRST)
              FROM (SELECT t.ticket_action AS action, t.creation_reason AS reason, count(*)::int AS n
                    FROM in_range c JOIN tickets t ON t.alma_internal_organization = $1 AND t.conversation_uuid = c.uuid
                    GROUP BY t.ticket_action, t.creation_reason) x), '[]'),
  'agents', coalesce((SELECT jsonb_agg(jsonb_build_object('agentId', p.agent_id, 'name', ag.name, 'conversations', p.conversations,
                'resolved', p.resolved, 'resolutionRate', p.resolved::float8 / nullif(p.conversations, 0),
                'averageSentiment', p.average_sentiment, 'averageDurationSeconds', p.average_duration, 'functionCalls', p.calls,
                'functionCallSuccesses', p.successes, 'functionCallSuccessRate', p.successes::float8 / nullif(p.calls, 0),
                'averageExecutionTimeMs', p.average_ms, 'p95ExecutionTimeMs', p.p95_ms,
                'topErrors', coalesce((SELECT jsonb_agg(jsonb_build_object('message', e.error_message, 'count', e.n) ORDER BY e.position)
                                       FROM errors e WHERE e.agent_uuid = p.agent_id AND e.position <= 5), '[]'))
              ORDER BY p.conversations DESC, p.calls DESC, p.agent_id)
             FROM per_agent p JOIN agents ag ON ag.alma_internal_organization = $1 AND ag.uuid = p.agent_id), '[]'),
  'followUpsDue', jsonb_build_object(
     'total', (SELECT count(*) FROM due),
     'buckets', (SELECT jsonb_agg(jsonb_build_object('start', s.start, 'count', coalesce(d.n, 0)) ORDER BY s.start)
                 FROM series s LEFT JOIN (SELECT date_trunc('day', follow_up_date AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start, count(*)::int AS n
                                          FROM due GROUP BY 1) d ON d.start = s.start)),
  'analysisUsage', (SELECT jsonb_build_object('runs', count(*), 'promptTokens', coalesce(sum(prompt_tokens), 0),
                      'completionTokens', coalesce(sum(completion_tokens), 0), 'totalTokens', coalesce(sum(total_tokens), 0),
                      'costUsd', coalesce(sum(cost_usd), 0)::float8) FROM runs)
) AS overview`;

export async function overviewSql(client: pg.Client, org: string, from: Date, to: Date, agentId: string | null) {
  const result = await client.query<{ overview: Record<string, any> }>(OVERVIEW_SQL, [org, from, to, agentId]);
  return result.rows[0]!.overview;
}

// ───────────── (4) disposition metric by agent × day ─────────────

export async function dispositionSql(client: pg.Client, org: string, identifier: string, type: 'INTEGER' | 'ENUM', from: Date, to: Date) {
  const column = type === 'INTEGER' ? 'value_number' : 'value_text';
  const stats =
    type === 'INTEGER'
      ? `count(*)::int AS count, avg(value_number) AS average, min(value_number) AS min, max(value_number) AS max,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY value_number) AS median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY value_number) AS p90,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY value_number) AS p95`
      : 'value_text AS key, count(*)::int AS count';
  const groupValue = type === 'INTEGER' ? '' : ', value_text';
  const result = await client.query(
    `WITH v AS MATERIALIZED (
       SELECT d.conversation_uuid, c.started_at, d.${column} AS value_${type === 'INTEGER' ? 'number' : 'text'}
       FROM conversations c JOIN disposition_values d ON d.alma_internal_organization = c.alma_internal_organization AND d.conversation_uuid = c.uuid
       WHERE c.alma_internal_organization = $1 AND c.started_at >= $2 AND c.started_at < $3
         AND d.identifier = $4 AND d.superseded_at IS NULL AND d.${column} IS NOT NULL),
     g AS (
       SELECT ca.agent_uuid, date_trunc('day', v.started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, v.*
       FROM v JOIN (SELECT DISTINCT agent_uuid, conversation_uuid FROM conversation_agents
                    WHERE alma_internal_organization = $1 AND conversation_uuid IN (SELECT conversation_uuid FROM v)) ca
         ON ca.conversation_uuid = v.conversation_uuid)
     SELECT NULL::uuid AS agent_id, NULL::timestamptz AS bucket, ${stats} FROM v ${groupValue ? `GROUP BY value_text` : ''}
     UNION ALL
     SELECT agent_uuid, bucket, ${stats} FROM g GROUP BY agent_uuid, bucket${groupValue}
     ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
    [org, from, to, identifier],
  );
  return result.rows as Array<Record<string, any>>;
}

// ───────────── (5) ingest: plain set-based inserts ─────────────

const INGEST_TABLES: TableName[] = TABLE_NAMES.filter((table) =>
  ['conversations', 'conversation_agents', 'conversation_participants', 'transfers', 'messages', 'agent_actions', 'tickets', 'events', 'follow_ups'].includes(table),
);

/** Inserts prepared rows of one batch in one transaction: one `INSERT … SELECT FROM unnest(…)` per table. */
export async function ingestSql(client: pg.Client, sink: ArraySink, upserts: Array<{ text: string; values: unknown[] }>): Promise<number> {
  let statements = 0;
  await client.query('BEGIN');
  try {
    for (const upsert of upserts) {
      await client.query(upsert.text, upsert.values);
      statements++;
    }
    for (const table of INGEST_TABLES) {
      const rows = sink.rows.get(table);
      if (!rows?.length) continue;
      const insert = unnestInsert(table, rows);
      await client.query(insert.text, insert.values);
      statements++;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return statements + 2;
}

/**
 * The hand-written SQL's throughput at the API scenario's concurrency: `connections` clients,
 * each running `run` back to back for `seconds`. Answers per second, like the API's req/s.
 */
export async function sqlThroughput(
  databaseUrl: string,
  connections: number,
  seconds: number,
  run: (client: pg.Client, iteration: number) => Promise<unknown>,
): Promise<{ connections: number; answers: number; perSecond: number }> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  let answers = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client, index) => {
        for (let iteration = index; performance.now() < deadline; iteration += connections) {
          await run(client, iteration);
          if (performance.now() <= deadline) answers++;
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
  const elapsed = Math.min(performance.now(), deadline) - started;
  return { connections, answers, perSecond: Math.round((answers / (elapsed / 1000)) * 10) / 10 };
}
