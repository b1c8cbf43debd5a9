import { withoutNulls } from '../events/event-payload.js';
import { orderedUuid } from '../database/ordered-uuid.js';
import type { TenantScope } from '../database/tenant-scope.js';
import type { Conversation, Prisma } from '../generated/prisma/client.js';
import type { AnalysisType } from '../generated/prisma/enums.js';
import type { EffectiveConfig } from './analysis-config.service.js';
import { dispositionValueAsWritten, type AnalysisInput, type AnalysisOutput, type DispositionValue } from './analysis-provider.js';
import { computeConversationMetrics } from './conversation-metrics.js';
import { loadAgentAttribution } from './event-attribution.js';
import { analysisCompletedEventData } from '../webhooks/outbound/webhook-events.js';
import { emitWebhookEvent } from '../webhooks/outbound/webhook-outbox.js';

/**
 * Writes one analysis run in one transaction: the earlier run's rows are marked superseded (and
 * stay readable), the new rows are inserted, and the conversation's analysed summary, outcome,
 * sentiment, topics (never the reported ones), metrics and analysis status are updated — all or nothing.
 */
export async function writeAnalysis(
  scope: TenantScope,
  conversation: Conversation,
  input: AnalysisInput,
  config: EffectiveConfig,
  output: AnalysisOutput,
  agentCount: number,
): Promise<{ runId: string }> {
  const runId = orderedUuid();
  const now = new Date();
  const firstSequence = input.messages[0]?.sequence ?? null;
  const lastSequence = input.messages.at(-1)?.sequence ?? null;
  const origin = output.model ? `${output.provider}:${output.model}` : output.provider;
  // Detected times are written with the conversation's offset, as the providers resolved them.
  const timeZone = input.timeZone ?? 'UTC';

  await scope.transaction(async (tx) => {
    const { db, organizationId } = tx;
    const conversationId = conversation.id;
    await db.analysis.updateMany({ where: { conversationId, supersededAt: null }, data: { supersededAt: now } });
    await db.dispositionValue.updateMany({ where: { conversationId, supersededAt: null }, data: { supersededAt: now } });
    await db.event.updateMany({ where: { conversationId, source: 'DETECTED', supersededAt: null }, data: { supersededAt: now } });

    const rows: Array<{ id: string; type: AnalysisType; result: unknown; start: number | null; end: number | null }> = [];
    const add = (type: AnalysisType, result: unknown, evidence?: { contextStartIndex: number | null; contextEndIndex: number | null }) => {
      const row = { id: orderedUuid(), type, result, start: evidence?.contextStartIndex ?? firstSequence, end: evidence?.contextEndIndex ?? lastSequence };
      rows.push(row);
      return row.id;
    };
    if (output.sentiment) add('SENTIMENT_ANALYSIS', { score: output.sentiment.score, label: output.sentiment.label, perMessage: output.sentiment.perMessage }, output.sentiment);
    if (output.topics) add('TOPICS_DETECTED', { topics: output.topics.topics }, output.topics);
    if (output.summary) add('SUMMARY', { summary: output.summary.text }, output.summary);
    if (output.outcome) add('OUTCOME', { outcome: output.outcome.outcome, reason: output.outcome.reason, endedBy: output.outcome.endedBy }, output.outcome);
    const dispositionAnalysisId = output.dispositionMetrics
      ? add('DISPOSITION_METRICS', { metrics: output.dispositionMetrics.map((metric) => ({ ...metric, value: dispositionValueAsWritten(metric.value, timeZone) })) })
      : null;
    const eventAnalysisId = output.events ? add('EVENT_DETECTION', { events: output.events.map((event) => ({ ...event, followUp: event.followUp ? { score: event.followUp.score, date: event.followUp.date.toISOString() } : undefined })) }) : null;

    if (rows.length) {
      await db.analysis.createMany({
        data: rows.map((row) => ({
          id: row.id,
          organizationId,
          conversationId,
          runId,
          analysisType: row.type,
          result: row.result as Prisma.InputJsonValue,
          contextStartIndex: row.start,
          contextEndIndex: row.end,
          origin,
          provider: output.provider,
          model: output.model,
          configId: config.id,
          configVersion: config.version,
          // Token usage is the run's (one model call produces every type): sum it once per run_uuid.
          promptTokens: output.usage?.promptTokens ?? null,
          completionTokens: output.usage?.completionTokens ?? null,
          totalTokens: output.usage?.totalTokens ?? null,
          costUsd: output.usage?.costUsd ?? null,
        })),
      });
    }
    if (dispositionAnalysisId && output.dispositionMetrics?.length) {
      await db.dispositionValue.createMany({
        data: output.dispositionMetrics.map((metric) => ({
          id: orderedUuid(),
          organizationId,
          conversationId,
          analysisId: dispositionAnalysisId,
          identifier: metric.identifier,
          metricType: metric.type,
          ...typedValue(metric, timeZone),
          confidence: metric.confidence,
          reasoning: metric.reasoning,
          contextStartIndex: metric.contextStartIndex,
          contextEndIndex: metric.contextEndIndex,
          configVersion: config.version,
        })),
      });
    }
    if (eventAnalysisId && output.events?.length) {
      const agentOf = await loadAgentAttribution(tx, conversation);
      const events = output.events.map((event) => ({ id: orderedUuid(), event, agentId: agentOf(event) }));
      await db.event.createMany({
        data: events.map(({ id, event, agentId }) => ({
          id,
          organizationId,
          conversationId,
          agentId,
          analysisId: eventAnalysisId,
          eventType: event.eventType,
          eventSubtype: event.eventSubtype,
          payload: withoutNulls(event.payload) as Prisma.InputJsonValue,
          scheduledTo: event.followUp?.date ?? scheduledFrom(event.payload),
          source: 'DETECTED',
          confidence: event.confidence,
          contextStartIndex: event.contextStartIndex,
          contextEndIndex: event.contextEndIndex,
        })),
      });
      const followUps = events.filter(({ event }) => event.eventType === 'FOLLOWUP_DETECTION' && event.followUp);
      if (followUps.length) {
        await db.followUp.createMany({
          data: followUps.map(({ id, event, agentId }) => ({
            organizationId,
            eventId: id,
            conversationId,
            agentId,
            score: Math.round(event.followUp!.score),
            followUpDate: event.followUp!.date,
          })),
        });
      }
    }
    if (output.sentiment?.perMessage.length) {
      await tx.query(
        `UPDATE messages m SET sentiment_score = r.score, updated_at = now()
         FROM jsonb_to_recordset($3::jsonb) AS r(sequence int, score float8)
         WHERE m.alma_internal_organization = $1 AND m.conversation_uuid = $2::uuid AND m.turn_sequence_number = r.sequence
         RETURNING 1`,
        [conversationId, JSON.stringify(output.sentiment.perMessage)],
      );
    }
    const outcome = output.outcome?.outcome ?? conversation.outcome;
    const metrics = computeConversationMetrics(input, agentCount, outcome);
    await db.conversationMetrics.upsert({
      where: { organizationId_conversationId: { organizationId, conversationId } },
      create: { organizationId, conversationId, ...metrics },
      update: metrics,
    });
    const analysed = await db.conversation.update({
      where: { organizationId_id: { organizationId, id: conversationId } },
      data: {
        // Only the analysed side: what the partner reported stays as sent, and the top-level
        // values follow both by the organization's precedence (the conversations_effective_values trigger).
        ...(output.summary ? { analysedSummary: output.summary.text } : {}),
        ...(output.outcome
          ? { analysedOutcome: output.outcome.outcome, analysedOutcomeReason: output.outcome.reason, endedBy: conversation.endedBy ?? output.outcome.endedBy }
          : {}),
        ...(output.sentiment ? { analysedSentimentScore: output.sentiment.score, analysedSentimentLabel: output.sentiment.label } : {}),
        ...(output.topics ? { analysedTopics: output.topics.topics } : {}),
        analysisStatus: 'COMPLETED',
        analysisError: null,
        analyzedAt: now,
      },
    });
    await emitWebhookEvent(tx, 'conversation.analysisCompleted', analysisCompletedEventData(analysed, output, config.version, timeZone));
  });
  return { runId };
}

/** The typed column of a value; a DATETIME keeps its instant (filters, buckets) and the offset form it was written with. */
function typedValue(metric: DispositionValue, timeZone: string) {
  const { value } = metric;
  switch (metric.type) {
    case 'BOOLEAN':
      return { valueBoolean: typeof value === 'boolean' ? value : null };
    case 'INTEGER':
      return { valueNumber: typeof value === 'number' ? value : null };
    case 'DATETIME':
      return value instanceof Date ? { valueTime: value, valueText: dispositionValueAsWritten(value, timeZone) as string } : { valueTime: null };
    default:
      return { valueText: typeof value === 'string' ? value : null };
  }
}

function scheduledFrom(payload: Record<string, unknown>): Date | null {
  const when = payload.FOLLOWUP_TIME ?? payload.TIME_SCHEDULED;
  if (typeof when !== 'string') return null;
  const date = new Date(when);
  return Number.isNaN(date.getTime()) ? null : date;
}
