import { z } from 'zod';
import { badUserInput } from '../errors/domain-error.js';
import type { EventSource, EventType } from '../generated/prisma/enums.js';
import { EVENT_PAYLOADS, MAX_INTEGER, type PayloadKey } from './event-catalog.js';

/** Seed 001 CUSTOMER_INFORMATION_DETECTION subtypes. */
export const CUSTOMER_INFORMATION_SUBTYPES = [
  'NAME',
  'AGE',
  'GRADUATION_INSTITUTION',
  'DESIRED_INSTITUTION',
  'COURSE_INTENDED',
  'EXAM_YEAR',
  'EXSTUDENT',
] as const;

/** ISO 4217 codes, as the runtime's ICU knows them. */
const CURRENCY_CODES = new Set(Intl.supportedValuesOf('currency'));

function describeRange(spec: PayloadKey, what: string): string {
  if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${spec.min} to ${spec.max}`;
  if (spec.min === 0) return `a non-negative ${what}`;
  if (spec.min !== undefined) return `${what} of at least ${spec.min}`;
  return what;
}

/** "must be …": what a key's value has to be, as the refusal says it. */
function ruleOf(spec: PayloadKey): string {
  if (spec.rule) return spec.rule;
  switch (spec.kind) {
    case 'text':
      return 'a non-empty string';
    case 'string':
      return 'a string';
    case 'time':
      return 'an ISO 8601 date-time with its UTC offset (2026-05-05T14:00:00-03:00), or a date alone (2026-05-12)';
    case 'url':
      return 'an absolute URL';
    case 'currency':
      return 'a 3-letter ISO 4217 currency code (USD, BRL, EUR)';
    case 'number':
      return describeRange(spec, 'number');
    case 'integer':
      return describeRange(spec, 'whole number');
    case 'boolean':
      return 'true or false';
    case 'scalar':
      return 'a string, a number or a boolean';
  }
}

/** The ingest schema of one key, from its kind and range; every refusal says the unit. */
function keySchema(spec: PayloadKey): z.ZodType {
  const rule = `must be ${ruleOf(spec)}`;
  const error = (issue: { input?: unknown }) => (issue.input == null ? 'is required' : rule);
  switch (spec.kind) {
    case 'text':
      return z.string({ error }).trim().min(1, { error });
    case 'string':
      return z.string({ error });
    case 'time':
      return z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error });
    case 'url':
      return z.url({ error });
    case 'currency':
      return z
        .string({ error })
        .trim()
        .toUpperCase()
        .refine((code) => CURRENCY_CODES.has(code), { error });
    case 'number': {
      let number = z.number({ error });
      if (spec.min !== undefined) number = number.min(spec.min, { error });
      if (spec.max !== undefined) number = number.max(spec.max, { error });
      return number;
    }
    case 'integer':
      return z
        .number({ error })
        .int({ error })
        .min(spec.min ?? -MAX_INTEGER - 1, { error })
        .max(Math.min(spec.max ?? MAX_INTEGER, MAX_INTEGER), { error });
    case 'boolean':
      return z.boolean({ error });
    case 'scalar':
      return z.union([z.string(), z.number(), z.boolean()], { error });
  }
}

type PayloadSchema = z.ZodType<Record<string, unknown>>;

/** An event type's payload schema: its keys typed, other keys kept; on ingest, the keys a key needs. */
function payloadSchema(eventType: EventType, source: EventSource): PayloadSchema {
  const shape: Record<string, z.ZodType> = {};
  const keys = EVENT_PAYLOADS[eventType].keys;
  for (const spec of keys) {
    const schema = keySchema(spec);
    shape[spec.key] = spec.required ? schema : schema.nullish();
  }
  const object = z.object(shape, { error: 'must be a JSON object' }).loose();
  const needs = source === 'INGESTED' ? keys.filter((spec) => spec.requiresOnIngest?.length) : [];
  if (needs.length === 0) return object;
  return object.superRefine((payload, context) => {
    for (const spec of needs) {
      if (payload[spec.key] == null) continue;
      for (const needed of spec.requiresOnIngest!) {
        if (payload[needed] == null) context.addIssue({ code: 'custom', path: [needed], message: `is required with ${spec.key}` });
      }
    }
  });
}

const schemas = new Map<string, PayloadSchema>();
function schemaFor(eventType: EventType, source: EventSource): PayloadSchema {
  const name = `${eventType}:${source}`;
  let schema = schemas.get(name);
  if (!schema) schemas.set(name, (schema = payloadSchema(eventType, source)));
  return schema;
}

/** A key that was not detected (or not sent) is absent from a stored payload, never null. */
export function withoutNulls(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([, value]) => value != null));
}

export interface ValidatedEvent {
  payload: Record<string, unknown>;
  subtype: string | null;
  /** FOLLOWUP_TIME / TIME_SCHEDULED, as the event's `scheduled_to`. */
  scheduledTo: Date | null;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Validates an event's subtype and payload against the catalog (event-catalog.ts): each key's
 * type and unit; an ingested (`source`) PRICE also needs its CURRENCY. BAD_USER_INPUT names the
 * path (`extensions.field`, e.g. `events[0].payload.DISCOUNT`) and the unit expected.
 */
export function validateEvent(
  eventType: EventType,
  subtype: string | null | undefined,
  payload: unknown,
  path: string,
  source: EventSource = 'INGESTED',
): ValidatedEvent {
  if (eventType === 'CUSTOMER_INFORMATION_DETECTION') {
    if (!subtype || !(CUSTOMER_INFORMATION_SUBTYPES as readonly string[]).includes(subtype)) {
      throw badUserInput(`${path}.eventSubtype must be one of ${CUSTOMER_INFORMATION_SUBTYPES.join(', ')} for CUSTOMER_INFORMATION_DETECTION`, {
        field: `${path}.eventSubtype`,
      });
    }
  }
  const given = payload ?? {};
  const parsed = schemaFor(eventType, source).safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = [path, 'payload', ...issue.path.map(String)].join('.');
    const value = issue.path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined), given);
    const got = issue.path.length > 0 && value !== undefined ? `; got ${shown(value)}` : '';
    throw badUserInput(`${field} ${issue.message}${got} (payload of ${eventType})`, { field });
  }
  const stored = withoutNulls(parsed.data);
  const when = EVENT_PAYLOADS[eventType].keys.filter((spec) => spec.schedules).map((spec) => stored[spec.key]).find((value) => typeof value === 'string');
  return {
    payload: stored,
    subtype: subtype ?? null,
    scheduledTo: typeof when === 'string' ? new Date(when) : null,
  };
}
