import { z } from 'zod';
import { DomainError } from '../../../errors/domain-error.js';
import { validateEvent } from '../../../events/event-payload.js';
import { EndedBy, EventType, Outcome } from '../../../generated/prisma/enums.js';
import {
  ANALYSED_SENTIMENT_LABELS,
  type AnalysisInput,
  type AnalysisOutput,
  type DetectedEvent,
  type DispositionMetricDefinition,
  type DispositionValue,
  type Evidence,
} from '../../analysis-provider.js';
import { toPayloadContract } from './payload-contract.js';
import { RESPONSE_KEYS, requestedAnalyses } from './response-schema.js';
import { parseIsoDateTime } from './zoned-time.js';

/**
 * Checks the model's answer against the config (zod for the shape, then each value against its
 * declared type, each event against the seed 001 catalog, each context range against the
 * conversation's messages) and maps it to the analysis fields of `AnalysisOutput`.
 * Every problem is named so that a permanent failure says what the model got wrong.
 */

export type AnalysisResults = Pick<AnalysisOutput, 'summary' | 'sentiment' | 'topics' | 'outcome' | 'events' | 'dispositionMetrics'>;

export type AnswerValidation = { ok: true; results: AnalysisResults } | { ok: false; problems: string[] };

/** Confidence reported for a null (unknown) value is capped here. */
export const NULL_VALUE_MAX_CONFIDENCE = 0.2;

const MAX_REPORTED_PROBLEMS = 5;

const confidence = z.number().min(0).max(1);
const evidenceShape = {
  contextStartIndex: z.number().int().nullish(),
  contextEndIndex: z.number().int().nullish(),
};

const summaryAnswer = z.object({ text: z.string().trim().min(1), ...evidenceShape });
const sentimentAnswer = z.object({
  score: z.number().min(-1).max(1),
  label: z.enum(ANALYSED_SENTIMENT_LABELS),
  perMessage: z.array(z.object({ sequence: z.number().int(), score: z.number().min(-1).max(1) })),
  ...evidenceShape,
});
const topicsAnswer = z.object({ topics: z.array(z.string().trim().min(1)), ...evidenceShape });
const outcomeAnswer = z.object({
  outcome: z.enum(Outcome),
  reason: z.string().trim(),
  endedBy: z.enum(EndedBy).nullable(),
  ...evidenceShape,
});
const eventAnswer = z.object({
  eventType: z.enum(EventType),
  eventSubtype: z.string().nullish(),
  payload: z.record(z.string(), z.unknown()),
  confidence,
  followUpScore: z.number().int().min(0).max(100).nullish(),
  ...evidenceShape,
});
const metricAnswer = z.object({
  // Present but of any JSON type: the declared metric type is checked by hand, with a clearer message.
  value: z.unknown().refine((value) => value !== undefined, { message: 'value is missing' }),
  confidence,
  reasoning: z.string(),
  ...evidenceShape,
});

/** One object per configured metric, each required; unasked keys are ignored. */
function metricsAnswer(metrics: DispositionMetricDefinition[]): z.ZodType<Record<string, z.infer<typeof metricAnswer>>> {
  const shape: Record<string, typeof metricAnswer> = {};
  for (const metric of metrics) shape[metric.identifier] = metricAnswer;
  return z.object(shape);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text || '(root)';
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** `value` parsed by `schema`, or undefined after adding each issue, prefixed with `key`. */
function parsePart<T>(schema: z.ZodType<T>, value: unknown, key: string, problems: string[]): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) problems.push(`${formatPath([key, ...issue.path])}: ${issue.message}`);
  return undefined;
}

class ContextRanges {
  private readonly sequences: Set<number>;
  private readonly first: number | null;
  private readonly last: number | null;

  constructor(input: AnalysisInput) {
    const sequences = input.messages.map((message) => message.sequence);
    this.sequences = new Set(sequences);
    this.first = sequences.length > 0 ? Math.min(...sequences) : null;
    this.last = sequences.length > 0 ? Math.max(...sequences) : null;
  }

  has(sequence: number): boolean {
    return this.sequences.has(sequence);
  }

  describeMessages(): string {
    return this.first === null ? 'the conversation has no messages' : `message sequences are ${this.first}..${this.last}`;
  }

  /** The evidence of one result, or a problem when the range does not lie within the messages. */
  check(
    where: string,
    answer: { contextStartIndex?: number | null | undefined; contextEndIndex?: number | null | undefined },
    problems: string[],
  ): Evidence {
    const start = answer.contextStartIndex ?? null;
    const end = answer.contextEndIndex ?? null;
    if (start === null && end === null) return { contextStartIndex: null, contextEndIndex: null };
    if (start === null || end === null) {
      problems.push(`${where}: contextStartIndex and contextEndIndex must both be set or both be null (got ${start}, ${end})`);
    } else if (start > end) {
      problems.push(`${where}: context range ${start}..${end} ends before it starts`);
    } else if (this.first === null || this.last === null || start < this.first || end > this.last) {
      problems.push(`${where}: context range ${start}..${end} is outside the conversation (${this.describeMessages()})`);
    }
    return { contextStartIndex: start, contextEndIndex: end };
  }
}

type MetricValue = DispositionValue['value'];

/** One metric value checked against its declared type; a string names the problem. */
function typedMetricValue(metric: DispositionMetricDefinition, value: unknown, timeZone: string): { value: MetricValue } | { problem: string } {
  const where = `metric ${metric.identifier}`;
  if (value === null) return { value: null };
  switch (metric.type) {
    case 'STRING':
      return typeof value === 'string' ? { value } : { problem: `${where}: ${describe(value)} is not a string` };
    case 'BOOLEAN':
      return typeof value === 'boolean' ? { value } : { problem: `${where}: ${describe(value)} is not a boolean` };
    case 'INTEGER':
      return typeof value === 'number' && Number.isInteger(value) ? { value } : { problem: `${where}: ${describe(value)} is not an integer` };
    case 'ENUM': {
      const choices = metric.choices ?? [];
      return typeof value === 'string' && choices.includes(value)
        ? { value }
        : { problem: `${where}: ${describe(value)} is not one of ${choices.join(', ')}` };
    }
    case 'DATETIME': {
      const date = typeof value === 'string' ? parseIsoDateTime(value, timeZone) : null;
      return date ? { value: date } : { problem: `${where}: ${describe(value)} is not an ISO 8601 date-time` };
    }
  }
}

function mapDispositionMetrics(
  answers: Record<string, z.infer<typeof metricAnswer>>,
  input: AnalysisInput,
  timeZone: string,
  ranges: ContextRanges,
  problems: string[],
): DispositionValue[] {
  const values: DispositionValue[] = [];
  for (const metric of input.config.dispositionMetrics) {
    const answer = answers[metric.identifier];
    if (!answer) {
      problems.push(`metric ${metric.identifier}: missing from the answer`);
      continue;
    }
    const typed = typedMetricValue(metric, answer.value, timeZone);
    if ('problem' in typed) {
      problems.push(typed.problem);
      continue;
    }
    values.push({
      identifier: metric.identifier,
      type: metric.type,
      value: typed.value,
      confidence: typed.value === null ? Math.min(answer.confidence, NULL_VALUE_MAX_CONFIDENCE) : answer.confidence,
      reasoning: answer.reasoning,
      ...ranges.check(`metric ${metric.identifier}`, answer, problems),
    });
  }
  return values;
}

function mapEvents(answers: Array<z.infer<typeof eventAnswer>>, ranges: ContextRanges, timeZone: string, problems: string[]): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  answers.forEach((answer, index) => {
    const where = `events[${index}]`;
    const subtype = answer.eventType === 'CUSTOMER_INFORMATION_DETECTION' ? (answer.eventSubtype ?? null) : null;
    // Strict schemas say "unknown" with null; the catalog says it by leaving the key out. Times move to the zone's offset, DISCOUNT to a fraction.
    const contract = toPayloadContract(answer.eventType, answer.payload, timeZone);
    if ('problem' in contract) {
      problems.push(`${where}.payload.${contract.key}: ${contract.problem} (payload of ${answer.eventType})`);
      return;
    }
    const payload = contract.payload;
    let validated: ReturnType<typeof validateEvent>;
    try {
      validated = validateEvent(answer.eventType, subtype, payload, where, 'DETECTED');
    } catch (error) {
      problems.push(error instanceof DomainError ? `${error.message}` : `${where}: ${String(error)}`);
      return;
    }
    const event: DetectedEvent = {
      eventType: answer.eventType,
      eventSubtype: validated.subtype,
      payload: validated.payload,
      confidence: answer.confidence,
      ...ranges.check(where, answer, problems),
    };
    if (answer.eventType === 'FOLLOWUP_DETECTION' && validated.scheduledTo) {
      // A date alone is that day's local midnight in the conversation's zone.
      const date = parseIsoDateTime(String(validated.payload.FOLLOWUP_TIME), timeZone) ?? validated.scheduledTo;
      event.followUp = { score: answer.followUpScore ?? Math.round(answer.confidence * 100), date };
    }
    events.push(event);
  });
  return events;
}

function uniqueTopics(topics: string[]): string[] {
  const seen = new Set<string>();
  return topics.filter((topic) => {
    const key = topic.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates the model's message content for `input` and maps it to the analysis results.
 * `timeZone` reads DATETIME values given without an offset.
 */
export function validateModelAnswer(content: string | null | undefined, input: AnalysisInput, timeZone: string): AnswerValidation {
  if (content === null || content === undefined || content.trim() === '') {
    return { ok: false, problems: ['the answer has no content'] };
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    return { ok: false, problems: [`the answer is not JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problems: ['the answer is not a JSON object'] };
  }
  const answer = json as Record<string, unknown>;
  const problems: string[] = [];
  const ranges = new ContextRanges(input);
  const results: AnalysisResults = {};
  for (const type of requestedAnalyses(input.config)) {
    const key = RESPONSE_KEYS[type];
    switch (type) {
      case 'SUMMARY': {
        const summary = parsePart(summaryAnswer, answer[key], key, problems);
        if (summary) results.summary = { text: summary.text, ...ranges.check(key, summary, problems) };
        break;
      }
      case 'SENTIMENT_ANALYSIS': {
        const sentiment = parsePart(sentimentAnswer, answer[key], key, problems);
        if (!sentiment) break;
        for (const entry of sentiment.perMessage) {
          if (!ranges.has(entry.sequence)) {
            problems.push(`${key}.perMessage: sequence ${entry.sequence} is not a message of the conversation (${ranges.describeMessages()})`);
          }
        }
        results.sentiment = {
          score: sentiment.score,
          label: sentiment.label,
          perMessage: sentiment.perMessage.map((entry) => ({ sequence: entry.sequence, score: entry.score })),
          ...ranges.check(key, sentiment, problems),
        };
        break;
      }
      case 'TOPICS_DETECTED': {
        const topics = parsePart(topicsAnswer, answer[key], key, problems);
        if (topics) results.topics = { topics: uniqueTopics(topics.topics), ...ranges.check(key, topics, problems) };
        break;
      }
      case 'OUTCOME': {
        const outcome = parsePart(outcomeAnswer, answer[key], key, problems);
        if (!outcome) break;
        results.outcome = {
          outcome: outcome.outcome,
          reason: outcome.reason,
          endedBy: outcome.endedBy,
          ...ranges.check(key, outcome, problems),
        };
        break;
      }
      case 'EVENT_DETECTION': {
        const events = parsePart(z.array(eventAnswer), answer[key], key, problems);
        if (events) results.events = mapEvents(events, ranges, timeZone, problems);
        break;
      }
      case 'DISPOSITION_METRICS': {
        const metrics = parsePart(metricsAnswer(input.config.dispositionMetrics), answer[key], key, problems);
        if (metrics) results.dispositionMetrics = mapDispositionMetrics(metrics, input, timeZone, ranges, problems);
        break;
      }
    }
  }
  // Enabled with nothing configured: nothing was asked, and the output still says "none".
  if (input.config.enabledAnalyses.includes('DISPOSITION_METRICS') && !results.dispositionMetrics) results.dispositionMetrics = [];

  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_REPORTED_PROBLEMS) };
  return { ok: true, results };
}
