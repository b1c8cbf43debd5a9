import type { Conversation } from '../../generated/prisma/client.js';
import { dispositionValueAsWritten, type AnalysisOutput } from '../../analysis/analysis-provider.js';

export const WEBHOOK_EVENT_TYPES = ['conversation.completed', 'conversation.analysisCompleted'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (value: string): value is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/** The conversation as webhook payloads carry it. */
export function conversationEventData(conversation: Conversation) {
  return {
    id: conversation.id,
    externalId: conversation.externalId,
    channel: conversation.channel,
    direction: conversation.direction,
    startedAt: conversation.startedAt?.toISOString() ?? null,
    endedAt: conversation.endedAt?.toISOString() ?? null,
    durationSeconds: conversation.durationSeconds,
    endedBy: conversation.endedBy,
    endReason: conversation.endReason,
    outcome: conversation.outcome,
    status: conversation.status,
    origin: conversation.origin,
    metaData: conversation.metaData ?? null,
  };
}

/** `conversation.analysisCompleted`: the conversation with its post-call analytics (seed 003 in spirit). */
export function analysisCompletedEventData(conversation: Conversation, output: AnalysisOutput, configVersion: number, timeZone: string) {
  return {
    ...conversationEventData(conversation),
    postCallAnalytics: {
      summary: conversation.summary,
      outcome: conversation.outcome,
      outcomeReason: conversation.outcomeReason,
      sentiment: conversation.sentimentLabel || conversation.sentimentScore !== null ? { score: conversation.sentimentScore, label: conversation.sentimentLabel } : null,
      topics: conversation.topics,
      dispositionMetrics: (output.dispositionMetrics ?? []).map((metric) => ({
        identifier: metric.identifier,
        value: dispositionValueAsWritten(metric.value, timeZone),
        confidence: metric.confidence,
        reasoning: metric.reasoning,
      })),
      events: (output.events ?? []).map((event) => ({ eventType: event.eventType, eventSubtype: event.eventSubtype, payload: event.payload })),
    },
    configVersion,
    provider: output.provider,
  };
}
