import type { EventType } from '../generated/prisma/enums.js';
import { EVENT_PAYLOADS, MAX_INTEGER, type PayloadKey } from './event-catalog.js';

/**
 * `Event.details` in SQL, for the read planner: per event type, each field as an expression over
 * the event row's payload (`json`, JSONB) — the value when it has the key's type and range, else
 * NULL, exactly as `storedValue` (event-catalog.ts) reads it. Nested CASEs, so a cast only ever
 * sees a JSON number.
 */

const JSON_TYPES: Record<PayloadKey['kind'], string[]> = {
  text: ['string'],
  string: ['string'],
  time: ['string'],
  url: ['string'],
  currency: ['string'],
  number: ['number'],
  integer: ['number'],
  boolean: ['boolean'],
  scalar: ['string', 'number', 'boolean'],
};

function literal(number: number): string {
  if (!Number.isFinite(number)) throw new Error(`event-catalog: bound ${number} is not finite`);
  return String(number);
}

/** The SQL of one key's typed value on the row aliased `t`. */
export function storedValueSql(spec: PayloadKey, t: string): string {
  if (!/^[A-Z][A-Z_]*$/.test(spec.key)) throw new Error(`event-catalog: key ${spec.key} is not SCREAMING_CASE`);
  const value = `(${t}."json" -> '${spec.key}')`;
  const typed = `jsonb_typeof(${value}) IN (${JSON_TYPES[spec.kind].map((type) => `'${type}'`).join(', ')})`;
  const bounds: string[] = [];
  const number = `${value}::numeric`;
  if (spec.kind === 'integer') {
    bounds.push(`${number} = trunc(${number})`, `${number} >= ${literal(spec.min ?? -MAX_INTEGER - 1)}`, `${number} <= ${literal(Math.min(spec.max ?? MAX_INTEGER, MAX_INTEGER))}`);
  } else if (spec.kind === 'number') {
    if (spec.min !== undefined) bounds.push(`${number} >= ${literal(spec.min)}`);
    if (spec.max !== undefined) bounds.push(`${number} <= ${literal(spec.max)}`);
  }
  return bounds.length ? `CASE WHEN ${typed} THEN CASE WHEN ${bounds.join(' AND ')} THEN ${value} END END` : `CASE WHEN ${typed} THEN ${value} END`;
}

/** The details union as the planner builds it: the event type picks the member, whose fields read the payload. */
export const EVENT_DETAILS_SQL = {
  discriminator: (t: string) => `${t}.event_type`,
  members: Object.fromEntries(
    (Object.keys(EVENT_PAYLOADS) as EventType[]).map((eventType) => {
      const definition = EVENT_PAYLOADS[eventType];
      const fields = Object.fromEntries(definition.keys.map((spec) => [spec.field, (t: string) => storedValueSql(spec, t)]));
      return [definition.detailsType, { value: eventType, fields }];
    }),
  ),
};
