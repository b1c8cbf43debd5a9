import type { EventType } from '../generated/prisma/enums.js';

/**
 * The one definition of each event type's payload (the `json` column, keys as seed 001 spells
 * them): its keys, their types and units. Ingest validation (event-payload.ts), the typed
 * `Event.details` union (event-details.types.ts) and the read planner's SQL for it
 * (event-details.sql.ts) are all built from this table, so a key or a unit is stated once.
 */

/**
 * How a key's value is written:
 * text     a non-empty string (trimmed on ingest)
 * string   any string
 * time     ISO 8601 date-time with its UTC offset (2026-05-05T14:00:00-03:00), or a date alone (2026-05-12)
 * url      an absolute URL
 * currency a 3-letter ISO 4217 code (upper-cased on ingest)
 * number   a JSON number within `min`..`max`
 * integer  a whole JSON number within `min`..2^31-1
 * boolean  true or false
 * scalar   a string, number or boolean
 */
export type PayloadKind = 'text' | 'string' | 'time' | 'url' | 'currency' | 'number' | 'integer' | 'boolean' | 'scalar';

export interface PayloadKey {
  /** The JSON key, as the seed spells it. */
  key: string;
  /** Its field on the event type's details object. */
  field: string;
  kind: PayloadKind;
  /** What it holds and in which unit (the field's description in the schema, with `choices`). */
  description: string;
  /** The labels detection picks from (the model's enum); ingest takes any label. */
  choices?: readonly string[];
  /** The ingest refusal when the value is not in that unit: "must be …". Defaults from the kind. */
  rule?: string;
  required?: boolean;
  min?: number;
  max?: number;
  /** On an ingested event, these keys must come with it (a PRICE needs its CURRENCY). */
  requiresOnIngest?: string[];
  /** The event's `scheduledTo` is this time. */
  schedules?: boolean;
}

export interface EventPayloadDefinition {
  /** The GraphQL object type of `Event.details` for this event type. */
  detailsType: string;
  description: string;
  keys: PayloadKey[];
}

const TIME =
  'ISO 8601 date-time with the UTC offset it was said in (2026-05-05T14:00:00-03:00), or a date alone (2026-05-12) when no clock time was given';

export const EVENT_PAYLOADS: Record<EventType, EventPayloadDefinition> = {
  SALES_STAGE_CHANGE: {
    detailsType: 'SalesStageChangeDetails',
    description: 'SALES_STAGE_CHANGE: the deal moved from one stage to another',
    keys: [
      { key: 'OLD_STAGE', field: 'oldStage', kind: 'text', description: 'The stage before the change, as stated; null when not stated' },
      {
        key: 'NEW_STAGE',
        field: 'newStage',
        kind: 'text',
        required: true,
        description: 'The stage after the change: QUALIFIED, PROPOSAL, NEGOTIATION, CLOSED_WON, CLOSED_LOST, or the CRM’s own stage in SCREAMING_CASE',
      },
    ],
  },
  FOLLOWUP_DETECTION: {
    detailsType: 'FollowUpDetails',
    description: 'FOLLOWUP_DETECTION: a later contact was agreed',
    keys: [
      { key: 'FOLLOWUP_TRY', field: 'followUpTry', kind: 'integer', min: 0, description: 'Which follow-up attempt this is, a count (1 = the first); null when unknown' },
      { key: 'FOLLOWUP_TIME', field: 'followUpTime', kind: 'time', required: true, schedules: true, description: `When: ${TIME}` },
      { key: 'FOLLOWUP_TYPE', field: 'followUpType', kind: 'text', required: true, description: 'How', choices: ['CALL', 'WHATSAPP', 'EMAIL', 'SMS', 'MEETING'] },
    ],
  },
  OBJECTION_DETECTION: {
    detailsType: 'ObjectionDetails',
    description: 'OBJECTION_DETECTION: the customer raised an objection',
    keys: [
      {
        key: 'OBJECTION_TYPE',
        field: 'objectionType',
        kind: 'text',
        required: true,
        description: 'What the objection is about',
        choices: ['PRICE', 'COMPETITOR', 'TIMING', 'AUTHORITY', 'TRUST', 'NEED'],
      },
      { key: 'COMPETITOR', field: 'competitor', kind: 'text', description: 'The competitor named; null when none was' },
    ],
  },
  SALE_MADE: {
    detailsType: 'SaleMadeDetails',
    description: 'SALE_MADE: the customer bought. The amount paid is price × (1 − discount), in currency',
    keys: [
      { key: 'PRODUCT', field: 'product', kind: 'text', required: true, description: 'What was sold' },
      {
        key: 'PRICE',
        field: 'price',
        kind: 'number',
        min: 0,
        required: true,
        requiresOnIngest: ['CURRENCY'],
        description: 'The list price before any discount, an amount in currency units (1299.9 means 1,299.90 of currency)',
        rule: 'a non-negative number: the list price before discount, in CURRENCY units',
      },
      {
        key: 'CURRENCY',
        field: 'currency',
        kind: 'currency',
        description:
          'The ISO 4217 code of price (USD, BRL, EUR). Always set with price on ingested events; null on a detected sale whose currency was not said',
      },
      {
        key: 'DISCOUNT',
        field: 'discount',
        kind: 'number',
        min: 0,
        max: 1,
        description: 'The discount off price as a fraction from 0 to 1 (15% off is 0.15); null when none was given',
        rule: 'a fraction from 0 to 1 (15% off is 0.15)',
      },
    ],
  },
  MEETING_SCHEDULED: {
    detailsType: 'MeetingScheduledDetails',
    description: 'MEETING_SCHEDULED: a meeting was booked',
    keys: [
      { key: 'TIME_SCHEDULED', field: 'timeScheduled', kind: 'time', required: true, schedules: true, description: `When: ${TIME}` },
      {
        key: 'MEETING_CHANNEL',
        field: 'meetingChannel',
        kind: 'text',
        required: true,
        description: 'Where',
        choices: ['ZOOM', 'GOOGLE_MEET', 'TEAMS', 'WHATSAPP', 'IN_PERSON', 'PHONE', 'UNKNOWN'],
      },
      { key: 'LINK', field: 'link', kind: 'url', description: 'The meeting URL; null when none was given' },
    ],
  },
  MEETING_DONE: {
    detailsType: 'MeetingDoneDetails',
    description: 'MEETING_DONE: a meeting took place (or was missed)',
    keys: [
      { key: 'ATTENDED', field: 'attended', kind: 'boolean', required: true, description: 'Whether the customer attended' },
      {
        key: 'DURATION',
        field: 'durationSeconds',
        kind: 'number',
        min: 0,
        description: 'How long the meeting lasted, in seconds (a 30-minute meeting is 1800); null when unknown',
        rule: 'a non-negative number of seconds (30 minutes is 1800)',
      },
      { key: 'TRANSCRIPTION', field: 'transcription', kind: 'string', description: 'The meeting’s transcription, or a link to it' },
      { key: 'VIDEO', field: 'video', kind: 'string', description: 'The meeting’s recording, or a link to it' },
    ],
  },
  CUSTOMER_INFORMATION_DETECTION: {
    detailsType: 'CustomerInformationDetails',
    description: 'CUSTOMER_INFORMATION_DETECTION: a fact about the customer, of the kind eventSubtype names',
    keys: [
      {
        key: 'VALUE',
        field: 'value',
        kind: 'scalar',
        description: 'The value stated: a string, a number (AGE in years, EXAM_YEAR as a year) or a boolean (EXSTUDENT)',
      },
    ],
  },
};

/** A key's description with its choices: "How: CALL, WHATSAPP, EMAIL, SMS or MEETING". */
export function describeKey(spec: PayloadKey): string {
  if (!spec.choices?.length) return spec.description;
  const choices = spec.choices.length > 1 ? `${spec.choices.slice(0, -1).join(', ')} or ${spec.choices.at(-1)}` : spec.choices[0];
  return `${spec.description}: ${choices}`;
}

/** The largest Int GraphQL can carry. */
export const MAX_INTEGER = 2_147_483_647;

/**
 * A stored value as `Event.details` shows it: the value when it has the key's type and range,
 * else null (it stays in `payload` as stored). event-details.sql.ts is the same rule in SQL.
 */
export function storedValue(spec: PayloadKey, value: unknown): unknown {
  switch (spec.kind) {
    case 'text':
    case 'string':
    case 'time':
    case 'url':
    case 'currency':
      return typeof value === 'string' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'scalar':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= (spec.min ?? -Infinity) && value <= (spec.max ?? Infinity) ? value : null;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= (spec.min ?? -MAX_INTEGER - 1) && value <= Math.min(spec.max ?? MAX_INTEGER, MAX_INTEGER) ? value : null;
  }
}
