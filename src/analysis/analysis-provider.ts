import type { AnalysisType, Channel, ConversationStatus, DispositionMetricType, EndedBy, EventType, Outcome, SenderRole, SentimentLabel } from '../generated/prisma/enums.js';
import { toZonedIso } from './zoned-time.js';

/**
 * The contract between the analysis pipeline and the providers that compute analyses
 * (`local`: offline and deterministic; `openai`: any OpenAI-compatible endpoint). A provider is a
 * pure computation over one conversation: it reads nothing from the database and writes nothing.
 */

/** Seed 002: one configured disposition metric. */
export interface DispositionMetricDefinition {
  /** Unique within a config, e.g. `user_interested`. */
  identifier: string;
  /** The question to answer, e.g. "Was the user interested? yes, no, or unclear". */
  prompt: string;
  type: DispositionMetricType;
  /** Required for ENUM, absent otherwise. */
  choices?: string[];
}

/**
 * The customer-sentiment labels a provider produces (the stored enum also has MIXED, for values
 * partners report; our analysis never writes it):
 * - NEGATIVE: the customer shows frustration, anger or dissatisfaction (one such turn is enough)
 *   and does not end the conversation clearly pleased;
 * - POSITIVE: the customer shows pleasure, enthusiasm or relief beyond routine politeness and does
 *   not end dissatisfied;
 * - NEUTRAL: anything else — matter-of-fact, politeness only ("thanks, have a great day"), mild
 *   either way.
 */
export const ANALYSED_SENTIMENT_LABELS = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] as const satisfies readonly SentimentLabel[];

export interface AnalysisConfigSnapshot {
  version: number;
  summaryPrompt: string | null;
  dispositionMetrics: DispositionMetricDefinition[];
  enabledAnalyses: AnalysisType[];
}

export interface AnalysisInput {
  conversation: {
    id: string;
    channel: Channel;
    status: ConversationStatus;
    startedAt: Date | null;
    endedAt: Date | null;
    durationSeconds: number | null;
    endedBy: EndedBy | null;
    endReason: string | null;
  };
  /** In turn order; `sequence` is what context ranges refer to. */
  messages: Array<{ sequence: number; senderRole: SenderRole; content: string; sentAt: Date | null }>;
  actions: Array<{ functionName: string; status: 'SUCCESS' | 'FAIL' | 'TIMEOUT' | 'RETRY'; messageSequence: number | null }>;
  tickets: Array<{ ticketId: string; action: 'CREATED' | 'UPDATED' | 'RETRIEVED' | 'LINKED' }>;
  transfers: Array<{ destination: string | null; status: string | null }>;
  config: AnalysisConfigSnapshot;
  /** The reference time for relative dates ("tomorrow at 3pm"): the conversation's end, else its start (else when it was stored). */
  referenceTime: Date;
  /**
   * The zone local times in the text are read in, and detected times are written with (its offset,
   * not Z): an IANA zone or a fixed `±HH:MM` offset (default UTC). The pipeline fills it with the
   * conversation's zone, else the organization's.
   */
  timeZone?: string;
}

/** A message range `[start, end]` (inclusive sequences) that supports a result. */
export interface Evidence {
  contextStartIndex: number | null;
  contextEndIndex: number | null;
}

export interface DetectedEvent extends Evidence {
  eventType: EventType;
  /** CUSTOMER_INFORMATION_DETECTION: NAME, AGE, GRADUATION_INSTITUTION, DESIRED_INSTITUTION, COURSE_INTENDED, EXAM_YEAR, EXSTUDENT. */
  eventSubtype: string | null;
  /** The seed 001 payload of the type, keys as the seed spells them (must pass validateEvent as DETECTED). */
  payload: Record<string, unknown>;
  /** 0..1 */
  confidence: number;
  /** FOLLOWUP_DETECTION: the follow-up's score (0..100) and date. */
  followUp?: { score: number; date: Date };
}

export interface DispositionValue extends Evidence {
  identifier: string;
  type: DispositionMetricType;
  /** STRING/ENUM → string, BOOLEAN → boolean, INTEGER → integer, DATETIME → Date; null when unknown. */
  value: string | number | boolean | Date | null;
  /** 0..1; low when the value is a guess, and for null values. */
  confidence: number;
  reasoning: string;
}

/**
 * A disposition value as it is written and read (run results, the webhook, `DispositionMetricValue.value`):
 * a DATETIME in the conversation's zone with its offset (`2026-05-05T14:00:00-03:00`, `+00:00` in UTC),
 * anything else unchanged.
 */
export function dispositionValueAsWritten(value: DispositionValue['value'], timeZone: string): string | number | boolean | null {
  return value instanceof Date ? toZonedIso(value, timeZone) : value;
}

export interface AnalysisOutput {
  /** `local`, or `openai`. */
  provider: string;
  /** The model name, null for the local provider. */
  model: string | null;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number; costUsd: number | null } | null;
  /** Present for each analysis type enabled in the config. */
  summary?: { text: string } & Evidence;
  sentiment?: { score: number; label: SentimentLabel; perMessage: Array<{ sequence: number; score: number }> } & Evidence;
  topics?: { topics: string[] } & Evidence;
  outcome?: { outcome: Outcome; reason: string; endedBy: EndedBy | null } & Evidence;
  events?: DetectedEvent[];
  dispositionMetrics?: DispositionValue[];
}

export interface AnalysisProvider {
  readonly name: string;
  analyze(input: AnalysisInput, options?: { signal?: AbortSignal }): Promise<AnalysisOutput>;
}

/** A failure the job should not retry (e.g. the model keeps answering outside the schema). */
export class PermanentAnalysisError extends Error {
  override readonly name = 'PermanentAnalysisError';
}

/** A failure worth retrying later, optionally not before `retryAfterMs`. */
export class RetryableAnalysisError extends Error {
  override readonly name = 'RetryableAnalysisError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
