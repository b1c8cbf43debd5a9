import { orderedUuid } from '../database/ordered-uuid.js';
import type { TenantScope } from '../database/tenant-scope.js';
import { badUserInput, notFound } from '../errors/domain-error.js';
import { conversationWhere } from '../conversations/conversation.service.js';
import type { ConversationFilter } from '../conversations/conversation.types.js';
import type { Conversation } from '../generated/prisma/client.js';
import { isUuid } from '../ingest/ingest.service.js';
import { loadAnalysisInput } from './analysis-input.js';
import { dispositionValueAsWritten, type AnalysisOutput, type AnalysisProvider } from './analysis-provider.js';
import { ANALYZE_CONVERSATION, enqueueAnalysis } from './analysis-queue.js';

export const MAX_REANALYSIS = 1_000;
export const MAX_DRY_RUN = 50;

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ReanalysisResult {
  dryRun: boolean;
  batchId: string | null;
  matched: number;
  queued: number;
  changes: Array<{ conversationId: string; externalId: string | null; changes: FieldChange[] }>;
}

/** Re-running analyses: one conversation, or every conversation a filter matches (optionally as a dry run). */
export class ReanalysisService {
  constructor(
    private readonly scope: TenantScope,
    private readonly provider: AnalysisProvider,
  ) {}

  async reanalyzeConversation(id: string): Promise<Conversation> {
    return this.scope.transaction(async (tx) => {
      const conversation = isUuid(id) ? await tx.db.conversation.findUnique({ where: { organizationId_id: { organizationId: tx.organizationId, id } } }) : null;
      if (!conversation) throw notFound('Conversation');
      const updated = await tx.db.conversation.update({
        where: { organizationId_id: { organizationId: tx.organizationId, id } },
        data: { analysisStatus: 'PENDING', analysisError: null },
      });
      await enqueueAnalysis(tx, id);
      return updated;
    });
  }

  /**
   * A dry run analyses up to 50 matching conversations now and reports, per conversation, what
   * would change against the stored results, writing nothing. A real run queues them all (up to
   * 1000) under one batch id whose progress `reanalysisProgress(batchId)` reports.
   */
  async reanalyzeConversations(filter: ConversationFilter | null | undefined, dryRun: boolean): Promise<ReanalysisResult> {
    const where = conversationWhere(filter);
    const matched = await this.scope.db.conversation.count({ where });
    const limit = dryRun ? MAX_DRY_RUN : MAX_REANALYSIS;
    if (matched > limit) {
      throw badUserInput(`The filter matches ${matched} conversations; ${dryRun ? 'a dry run' : 'one call'} takes at most ${limit}. Narrow the filter.`, { matched, max: limit });
    }
    const conversations = await this.scope.db.conversation.findMany({ where, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] });
    if (dryRun) {
      const changes = [];
      for (const conversation of conversations) {
        const { input } = await loadAnalysisInput(this.scope, conversation);
        const output = await this.provider.analyze(input);
        changes.push({ conversationId: conversation.id, externalId: conversation.externalId, changes: await this.diff(conversation, output, input.timeZone ?? 'UTC') });
      }
      return { dryRun: true, batchId: null, matched, queued: 0, changes };
    }
    const batchId = orderedUuid();
    let queued = 0;
    await this.scope.transaction(
      async (tx) => {
        for (const conversation of conversations) {
          await tx.db.conversation.update({
            where: { organizationId_id: { organizationId: tx.organizationId, id: conversation.id } },
            data: { analysisStatus: 'PENDING', analysisError: null },
          });
          if (await enqueueAnalysis(tx, conversation.id, { batchId })) queued += 1;
        }
      },
      { timeoutMs: 120_000 },
    );
    return { dryRun: false, batchId, matched, queued, changes: [] };
  }

  async progress(batchId: string) {
    if (!isUuid(batchId)) throw notFound('Reanalysis batch');
    const rows = await this.scope.query<{ status: string; count: number }>(
      `SELECT status::text AS status, count(*)::int AS count FROM jobs
       WHERE alma_internal_organization = $1 AND kind = $2 AND payload->>'batchId' = $3 GROUP BY status`,
      [ANALYZE_CONVERSATION, batchId],
    );
    const count = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    if (total === 0) throw notFound('Reanalysis batch');
    return { batchId, total, queued: count('QUEUED'), running: count('RUNNING'), done: count('SUCCEEDED'), failed: count('FAILED') };
  }

  /** Stored current analysed results against a fresh output: summary, outcome, sentiment, topics, metrics, event types. */
  private async diff(conversation: Conversation, output: AnalysisOutput, timeZone: string): Promise<FieldChange[]> {
    const changes: FieldChange[] = [];
    const compare = (field: string, before: unknown, after: unknown) => {
      if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ field, before, after });
    };
    // Against the analysed side: a re-analysis never changes what was reported.
    if (output.summary) compare('summary', conversation.analysedSummary, output.summary.text);
    if (output.outcome) compare('outcome', conversation.analysedOutcome, output.outcome.outcome);
    if (output.sentiment) compare('sentimentLabel', conversation.analysedSentimentLabel, output.sentiment.label);
    if (output.topics) compare('topics', [...conversation.analysedTopics].sort(), [...output.topics.topics].sort());
    if (output.dispositionMetrics) {
      const stored = await this.scope.db.dispositionValue.findMany({ where: { conversationId: conversation.id, supersededAt: null } });
      for (const metric of output.dispositionMetrics) {
        const row = stored.find((value) => value.identifier === metric.identifier);
        const before = row ? (row.valueText ?? row.valueNumber ?? row.valueBoolean ?? row.valueTime?.toISOString() ?? null) : null;
        const after = dispositionValueAsWritten(metric.value, timeZone);
        // A DATETIME is the same value when it is the same instant, whatever offset it was written with.
        const sameInstant = metric.value instanceof Date && row?.valueTime?.getTime() === metric.value.getTime();
        if (!sameInstant) compare(`disposition.${metric.identifier}`, before, after);
      }
    }
    if (output.events) {
      const stored = await this.scope.db.event.findMany({ where: { conversationId: conversation.id, source: 'DETECTED', supersededAt: null } });
      const label = (type: string, subtype: string | null) => (subtype ? `${type}:${subtype}` : type);
      compare('events', stored.map((event) => label(event.eventType, event.eventSubtype)).sort(), output.events.map((event) => label(event.eventType, event.eventSubtype)).sort());
    }
    return changes;
  }
}
