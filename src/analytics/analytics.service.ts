import type { ConversationFilter } from '../conversations/conversation.types.js';
import type { TenantScope } from '../database/tenant-scope.js';
import { badUserInput, notFound } from '../errors/domain-error.js';
import type { DispositionMetricType } from '../generated/prisma/enums.js';
import * as store from './analytics.store.js';
import {
  AnalyticsOverview,
  type AgentOverview,
  type AnalyticsQuery,
  type AnalyticsRangeInput,
  type BucketCount,
  type ConversationCounts,
  type DispositionGroupBy,
  type DispositionMetricGroup,
  type DispositionMetricStats,
  type DurationStats,
  type ErrorCount,
  type FollowUpsDue,
  type OverviewBucket,
  type SalesFunnel,
  type SentimentOverview,
  type Share,
  TimeBucket,
} from './analytics.types.js';

/** Upper bound on buckets in one answer (e.g. 41 days by hour, 5 years by day). */
export const MAX_BUCKETS = 2_000;
const APPROX_BUCKET_MS: Record<TimeBucket, number> = {
  HOUR: 3_600_000,
  DAY: 86_400_000,
  WEEK: 7 * 86_400_000,
  MONTH: 28 * 86_400_000,
};

/** Validates what every analytics query takes; errors are BAD_USER_INPUT with the field. */
export function analyticsQuery(
  range: AnalyticsRangeInput,
  filter: ConversationFilter | null | undefined,
  timezone: string,
  bucket: TimeBucket,
): AnalyticsQuery {
  if (!(range.from.getTime() < range.to.getTime())) throw badUserInput('range.from must be before range.to', { field: 'range' });
  if (!isTimeZone(timezone)) {
    throw badUserInput(`Unknown time zone "${timezone}": use an IANA name such as UTC or America/Sao_Paulo`, { field: 'timezone' });
  }
  const buckets = Math.ceil((range.to.getTime() - range.from.getTime()) / APPROX_BUCKET_MS[bucket]);
  if (buckets > MAX_BUCKETS) {
    throw badUserInput(`The range spans about ${buckets} ${bucket} buckets; at most ${MAX_BUCKETS}: use a larger bucket or a shorter range`, {
      field: 'bucket',
      max: MAX_BUCKETS,
    });
  }
  return { from: range.from, to: range.to, filter: filter ?? null, timezone, bucket };
}

/** IANA zone names only (PostgreSQL would also take POSIX strings with inverted offsets). */
function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name) || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Reads the aggregates of one organization; the SQL is in analytics.store.ts. */
export class AnalyticsService {
  constructor(private readonly scope: TenantScope) {}

  /** The overview of `query`; `fields` are the selected fields, whose sections run together. */
  overview(query: AnalyticsQuery, fields: Set<string>): AnalyticsOverview {
    const sections = new Set<store.SectionName>();
    for (const field of fields) for (const section of SECTIONS_OF_FIELD[field] ?? []) sections.add(section);
    return Object.assign(new AnalyticsOverview(), {
      from: query.from,
      to: query.to,
      timezone: query.timezone,
      bucket: query.bucket,
      query,
      sections,
      memo: new Map<string, Promise<unknown>>(),
    });
  }

  async conversations(overview: AnalyticsOverview): Promise<ConversationCounts> {
    const row = await this.summary(overview);
    return { total: row.total, completed: row.completed, ongoing: row.ongoing, failed: row.failed };
  }

  async duration(overview: AnalyticsOverview): Promise<DurationStats> {
    const row = await this.summary(overview);
    return {
      count: row.duration_count,
      average: row.duration_average,
      median: row.duration_median,
      p90: row.duration_p90,
      min: row.duration_min,
      max: row.duration_max,
    };
  }

  async sentiment(overview: AnalyticsOverview): Promise<SentimentOverview> {
    const [row, labels] = await Promise.all([this.summary(overview), this.breakdown(overview, 'sentiment_label')]);
    return { analyzed: row.analyzed, average: row.sentiment_average, labels };
  }

  outcomes(overview: AnalyticsOverview): Promise<Share[]> {
    return this.breakdown(overview, 'outcome');
  }

  endedBy(overview: AnalyticsOverview): Promise<Share[]> {
    return this.breakdown(overview, 'ended_by');
  }

  async trend(overview: AnalyticsOverview): Promise<OverviewBucket[]> {
    return (await this.rows(overview, 'trend')).map((row) => ({
      start: row.start,
      total: row.total,
      completed: row.completed,
      averageSentiment: row.average_sentiment,
      averageDurationSeconds: row.average_duration_seconds,
    }));
  }

  async topTopics(overview: AnalyticsOverview, limit: number): Promise<Share[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > store.MAX_TOPICS) {
      throw badUserInput(`limit must be between 1 and ${store.MAX_TOPICS}`, { field: 'limit' });
    }
    return (await this.rows(overview, 'topics')).slice(0, limit);
  }

  async events(overview: AnalyticsOverview) {
    return (await this.rows(overview, 'events')).map((row) => ({ eventType: row.event_type, eventSubtype: row.event_subtype, count: row.count }));
  }

  async salesFunnel(overview: AnalyticsOverview): Promise<SalesFunnel> {
    const rows = await this.rows(overview, 'funnel');
    return {
      stages: rows.filter((row) => row.kind === 'stage').map((row) => ({ stage: row.to_stage, conversations: row.count })),
      transitions: rows.filter((row) => row.kind === 'transition').map((row) => ({ fromStage: row.from_stage, toStage: row.to_stage, count: row.count })),
    };
  }

  tickets(overview: AnalyticsOverview) {
    return this.rows(overview, 'tickets');
  }

  async agents(overview: AnalyticsOverview): Promise<AgentOverview[]> {
    return (await this.rows(overview, 'agents')).map((row) => ({
      agentId: row.agent_id,
      conversations: row.conversations,
      resolved: row.resolved,
      resolutionRate: rate(row.resolved, row.conversations),
      averageSentiment: row.average_sentiment,
      averageDurationSeconds: row.average_duration_seconds,
      functionCalls: row.function_calls,
      functionCallSuccesses: row.function_call_successes,
      functionCallSuccessRate: rate(row.function_call_successes, row.function_calls),
      averageExecutionTimeMs: row.average_execution_time_ms,
      p95ExecutionTimeMs: row.p95_execution_time_ms,
      topErrors: jsonRows<ErrorCount>(row.top_errors),
    }));
  }

  async followUpsDue(overview: AnalyticsOverview): Promise<FollowUpsDue> {
    const rows = await this.rows(overview, 'followUps');
    const buckets = rows.filter((row) => row.kind === 'bucket').map((row) => ({ start: row.start!, count: row.count }));
    const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
    return {
      total,
      buckets,
      byType: rows.filter((row) => row.kind === 'type').map((row) => ({ key: row.key!, count: row.count, share: rate(row.count, total) ?? 0 })),
    };
  }

  async analysisUsage(overview: AnalyticsOverview) {
    const row = (await this.rows(overview, 'usage'))[0]!;
    return {
      runs: row.runs,
      promptTokens: row.prompt_tokens,
      completionTokens: row.completion_tokens,
      totalTokens: row.total_tokens,
      costUsd: row.cost_usd,
    };
  }

  async dispositionMetricStats(identifier: string, query: AnalyticsQuery, groupBy: DispositionGroupBy | null): Promise<DispositionMetricStats> {
    if (!identifier.trim() || identifier.length > 200) throw badUserInput('identifier must be a non-empty string of at most 200 characters', { field: 'identifier' });
    const metricType = await store.dispositionMetricType(this.scope, identifier);
    if (!metricType) throw notFound('Disposition metric', { identifier });
    const rows = await store.dispositionGroups(this.scope, query, identifier, metricType, groupBy);
    const groups = rows.map((row) => toGroup(row, metricType));
    return {
      identifier,
      metricType,
      overall: groups.find((_, index) => rows[index]!.overall) ?? emptyGroup(metricType),
      groups: groups.filter((_, index) => !rows[index]!.overall),
    };
  }

  // ───────────── the selected sections, computed together once per overview ─────────────

  private async summary(overview: AnalyticsOverview): Promise<store.SummaryRow> {
    return (await this.rows(overview, 'summary'))[0]!;
  }

  /** One dimension of the breakdowns section (outcome, ended-by or sentiment label). */
  private async breakdown(overview: AnalyticsOverview, dimension: store.BreakdownRow['dimension']): Promise<Share[]> {
    return (await this.rows(overview, 'breakdowns')).filter((row) => row.dimension === dimension).map(toShare);
  }

  /**
   * A section's rows. All selected sections run on first use, in two statements when there are
   * more than three (heaviest alternating, so the two can run on two connections at once), each
   * computing the in-range set once.
   */
  private async rows<K extends store.SectionName>(overview: AnalyticsOverview, name: K): Promise<store.SectionRows[K]> {
    const loaded = await memo(overview, 'sections', async () => {
      const names = store.SECTIONS_BY_WEIGHT.filter((section) => overview.sections.has(section));
      const groups = names.length <= 3 ? [names] : [names.filter((_, index) => index % 2 === 0), names.filter((_, index) => index % 2 === 1)];
      const results = await Promise.all(groups.filter((group) => group.length).map((group) => store.overviewSections(this.scope, overview.query, group)));
      return Object.assign({}, ...results) as Partial<store.SectionRows>;
    });
    const rows = loaded[name] ?? (await memo(overview, `section:${name}`, () => store.overviewSections(this.scope, overview.query, [name])))[name];
    return rows as store.SectionRows[K];
  }
}

/** Which sections each field of AnalyticsOverview reads. */
const SECTIONS_OF_FIELD: Record<string, store.SectionName[]> = {
  conversations: ['summary'],
  duration: ['summary'],
  sentiment: ['summary', 'breakdowns'],
  outcomes: ['breakdowns'],
  endedBy: ['breakdowns'],
  trend: ['trend'],
  topTopics: ['topics'],
  events: ['events'],
  salesFunnel: ['funnel'],
  tickets: ['tickets'],
  agents: ['agents'],
  followUpsDue: ['followUps'],
  analysisUsage: ['usage'],
};

function memo<T>(overview: AnalyticsOverview, key: string, compute: () => Promise<T>): Promise<T> {
  let value = overview.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    overview.memo.set(key, value);
  }
  return value;
}

function toShare(row: { key: string; count: number; share: number }): Share {
  return { key: row.key, count: row.count, share: row.share };
}

/** jsonb aggregates arrive parsed (PostgreSQL adapter) or as text, depending on the driver. */
function jsonRows<T>(value: unknown): T[] {
  if (value == null) return [];
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}

function emptyGroup(metricType: DispositionMetricType): DispositionMetricGroup {
  return toGroup(
    {
      overall: true,
      agent_id: null,
      bucket_start: null,
      count: 0,
      true_count: 0,
      false_count: 0,
      average: null,
      min: null,
      max: null,
      median: null,
      p90: null,
      p95: null,
      distribution: [],
    },
    metricType,
  );
}

function toGroup(row: store.DispositionGroupRow, metricType: DispositionMetricType): DispositionMetricGroup {
  const counted = () => jsonRows<{ key: string; count: number }>(row.distribution).map((item) => ({ ...item, share: rate(item.count, row.count) ?? 0 }));
  return {
    agentId: row.agent_id,
    bucketStart: row.bucket_start,
    count: row.count,
    choices: metricType === 'ENUM' ? counted() : null,
    topValues: metricType === 'STRING' ? counted() : null,
    trueCount: metricType === 'BOOLEAN' ? row.true_count : null,
    falseCount: metricType === 'BOOLEAN' ? row.false_count : null,
    trueRate: metricType === 'BOOLEAN' ? rate(row.true_count ?? 0, row.count) : null,
    average: metricType === 'INTEGER' ? row.average : null,
    min: metricType === 'INTEGER' ? row.min : null,
    max: metricType === 'INTEGER' ? row.max : null,
    median: metricType === 'INTEGER' ? row.median : null,
    p90: metricType === 'INTEGER' ? row.p90 : null,
    p95: metricType === 'INTEGER' ? row.p95 : null,
    dates:
      metricType === 'DATETIME'
        ? jsonRows<{ start: string; count: number }>(row.distribution).map((item): BucketCount => ({ start: new Date(item.start), count: item.count }))
        : null,
  };
}
