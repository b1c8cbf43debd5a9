import { EVENT_PAYLOADS, type PayloadKey } from '../../../events/event-catalog.js';
import { CUSTOMER_INFORMATION_SUBTYPES } from '../../../events/event-payload.js';
import { EndedBy, EventType, Outcome } from '../../../generated/prisma/enums.js';
import type { AnalysisType } from '../../../generated/prisma/enums.js';
import { ANALYSED_SENTIMENT_LABELS, type AnalysisConfigSnapshot, type DispositionMetricDefinition } from '../../analysis-provider.js';

/**
 * The JSON Schema sent as `response_format` (OpenAI Structured Outputs, `strict: true`). Strict
 * mode wants every object closed (`additionalProperties: false`) with every property required, so
 * "unknown" is expressed as a nullable type. Ranges live in descriptions rather than
 * `minimum`/`maximum`, which not every OpenAI-compatible endpoint accepts; the validator enforces them.
 */

type JsonSchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export type JsonSchema = {
  type?: JsonSchemaType | JsonSchemaType[];
  description?: string;
  enum?: Array<string | null>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};

export const RESPONSE_SCHEMA_NAME = 'conversation_analysis';

/** The top-level keys of the answer, one per analysis type. */
export const RESPONSE_KEYS: Record<AnalysisType, string> = {
  SUMMARY: 'summary',
  SENTIMENT_ANALYSIS: 'sentiment',
  TOPICS_DETECTED: 'topics',
  OUTCOME: 'outcome',
  EVENT_DETECTION: 'events',
  DISPOSITION_METRICS: 'dispositionMetrics',
};

/** Analysis types in the order the schema and the prompt present them. */
export const ANALYSIS_ORDER: readonly AnalysisType[] = [
  'SUMMARY',
  'SENTIMENT_ANALYSIS',
  'TOPICS_DETECTED',
  'OUTCOME',
  'EVENT_DETECTION',
  'DISPOSITION_METRICS',
];

function closedObject(properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

const nullableString = (description?: string): JsonSchema => ({ type: ['string', 'null'], ...(description ? { description } : {}) });
const confidence: JsonSchema = { type: 'number', description: 'Confidence from 0 to 1.' };
const evidence: Record<string, JsonSchema> = {
  contextStartIndex: { type: ['integer', 'null'], description: 'Sequence number of the first supporting message, or null.' },
  contextEndIndex: { type: ['integer', 'null'], description: 'Sequence number of the last supporting message (inclusive), or null.' },
};
const ISO_WITH_OFFSET = 'ISO 8601 date-time with UTC offset, e.g. 2024-05-02T15:00:00+02:00.';
const EVENT_TIME =
  "When: ISO 8601 date-time with the conversation time zone's offset (e.g. 2026-05-05T14:00:00-03:00), or a date alone (2026-05-12) when no clock time was said.";

function summarySchema(): JsonSchema {
  return closedObject({ text: { type: 'string' }, ...evidence });
}

function sentimentSchema(): JsonSchema {
  return closedObject({
    score: { type: 'number', description: 'Overall sentiment from -1 (very negative) to 1 (very positive).' },
    label: { type: 'string', enum: [...ANALYSED_SENTIMENT_LABELS], description: 'The customer: NEGATIVE (frustration or anger, one such turn is enough, not ending clearly pleased), POSITIVE (pleasure or relief beyond politeness), NEUTRAL (anything else, politeness only).' },
    perMessage: {
      type: 'array',
      items: closedObject({
        sequence: { type: 'integer', description: 'Sequence number of the message.' },
        score: { type: 'number', description: 'Sentiment of that message from -1 to 1.' },
      }),
    },
    ...evidence,
  });
}

function topicsSchema(): JsonSchema {
  return closedObject({ topics: { type: 'array', items: { type: 'string' } }, ...evidence });
}

function outcomeSchema(): JsonSchema {
  return closedObject({
    outcome: { type: 'string', enum: Object.values(Outcome) },
    reason: { type: 'string' },
    endedBy: { anyOf: [{ type: 'string', enum: Object.values(EndedBy) }, { type: 'null' }] },
    ...evidence,
  });
}

/** One payload key as the model answers it: its catalog kind as a JSON type, nullable unless required. */
function payloadKeySchema(spec: PayloadKey): JsonSchema {
  const nullable = !spec.required;
  const description = spec.kind === 'time' ? EVENT_TIME : `${spec.description}.`;
  if (spec.choices?.length) {
    const choices: JsonSchema = { type: 'string', enum: [...spec.choices] };
    return nullable ? { anyOf: [choices, { type: 'null' }] } : choices;
  }
  // A customer fact without its value is no detection: the model always gives one.
  if (spec.kind === 'scalar') return { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };
  const type: JsonSchemaType = spec.kind === 'number' ? 'number' : spec.kind === 'integer' ? 'integer' : spec.kind === 'boolean' ? 'boolean' : 'string';
  return { type: nullable ? [type, 'null'] : type, description };
}

/** The seed 001 payload of each event type, from the catalog (event-catalog.ts): its keys, types and units. */
function eventPayloadSchema(eventType: EventType): JsonSchema {
  return closedObject(Object.fromEntries(EVENT_PAYLOADS[eventType].keys.map((spec) => [spec.key, payloadKeySchema(spec)])));
}

function eventSchema(eventType: EventType): JsonSchema {
  const isCustomerInformation = eventType === 'CUSTOMER_INFORMATION_DETECTION';
  return closedObject({
    eventType: { type: 'string', enum: [eventType] },
    eventSubtype: isCustomerInformation
      ? { type: 'string', enum: [...CUSTOMER_INFORMATION_SUBTYPES] }
      : { type: 'null' },
    payload: eventPayloadSchema(eventType),
    confidence,
    followUpScore:
      eventType === 'FOLLOWUP_DETECTION'
        ? { type: ['integer', 'null'], description: 'How likely the follow-up is to happen, 0 to 100.' }
        : { type: 'null' },
    ...evidence,
  });
}

function eventsSchema(): JsonSchema {
  return { type: 'array', items: { anyOf: Object.values(EventType).map(eventSchema) } };
}

/** The JSON Schema of one metric's value: the metric's type, or null when unknown. */
export function metricValueSchema(metric: DispositionMetricDefinition): JsonSchema {
  switch (metric.type) {
    case 'STRING':
      return { type: ['string', 'null'] };
    case 'BOOLEAN':
      return { type: ['boolean', 'null'] };
    case 'INTEGER':
      return { type: ['integer', 'null'] };
    case 'DATETIME':
      return { type: ['string', 'null'], description: ISO_WITH_OFFSET };
    case 'ENUM':
      return { anyOf: [{ type: 'string', enum: [...(metric.choices ?? [])] }, { type: 'null' }] };
  }
}

function dispositionMetricsSchema(metrics: DispositionMetricDefinition[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const metric of metrics) {
    properties[metric.identifier] = closedObject(
      {
        value: metricValueSchema(metric),
        confidence: { type: 'number', description: 'Confidence from 0 to 1; at most 0.2 when value is null.' },
        reasoning: { type: 'string' },
        ...evidence,
      },
      metric.prompt,
    );
  }
  return closedObject(properties);
}

/** Whether the answer has a `dispositionMetrics` key: the analysis is enabled and has metrics to fill. */
export function asksForDispositionMetrics(config: AnalysisConfigSnapshot): boolean {
  return config.enabledAnalyses.includes('DISPOSITION_METRICS') && config.dispositionMetrics.length > 0;
}

/** The analysis types this config asks the model for, in presentation order. */
export function requestedAnalyses(config: AnalysisConfigSnapshot): AnalysisType[] {
  return ANALYSIS_ORDER.filter(
    (type) => config.enabledAnalyses.includes(type) && (type !== 'DISPOSITION_METRICS' || asksForDispositionMetrics(config)),
  );
}

/** The root schema: one key per enabled analysis, nothing else. */
export function buildResponseSchema(config: AnalysisConfigSnapshot): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const type of requestedAnalyses(config)) {
    const key = RESPONSE_KEYS[type];
    switch (type) {
      case 'SUMMARY':
        properties[key] = summarySchema();
        break;
      case 'SENTIMENT_ANALYSIS':
        properties[key] = sentimentSchema();
        break;
      case 'TOPICS_DETECTED':
        properties[key] = topicsSchema();
        break;
      case 'OUTCOME':
        properties[key] = outcomeSchema();
        break;
      case 'EVENT_DETECTION':
        properties[key] = eventsSchema();
        break;
      case 'DISPOSITION_METRICS':
        properties[key] = dispositionMetricsSchema(config.dispositionMetrics);
        break;
    }
  }
  return closedObject(properties);
}

/** The `response_format` of the chat-completions request. */
export function buildResponseFormat(config: AnalysisConfigSnapshot): {
  type: 'json_schema';
  json_schema: { name: string; strict: true; schema: JsonSchema };
} {
  return { type: 'json_schema', json_schema: { name: RESPONSE_SCHEMA_NAME, strict: true, schema: buildResponseSchema(config) } };
}
