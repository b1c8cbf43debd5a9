import { z } from 'zod';
import { badUserInput } from '../errors/domain-error.js';
import type { EventType } from '../generated/prisma/enums.js';

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

const text = z.string().trim().min(1);
// A time with its offset, or a date alone when only the day was said ("next Tuesday").
const isoDateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?%?$/)]);

/** The typed payload (`json` column) of each event type, keys as the seed spells them. */
const payloadSchemas: Record<EventType, z.ZodType<Record<string, unknown>>> = {
  SALES_STAGE_CHANGE: z.object({ OLD_STAGE: text.nullable().optional(), NEW_STAGE: text }).loose(),
  FOLLOWUP_DETECTION: z
    .object({ FOLLOWUP_TRY: z.union([z.number().int().min(0), z.string()]).optional(), FOLLOWUP_TIME: isoDateTime, FOLLOWUP_TYPE: text })
    .loose(),
  OBJECTION_DETECTION: z.object({ OBJECTION_TYPE: text }).loose(),
  SALE_MADE: z.object({ PRODUCT: text, PRICE: amount, DISCOUNT: amount.nullable().optional() }).loose(),
  MEETING_SCHEDULED: z
    .object({ TIME_SCHEDULED: isoDateTime, MEETING_CHANNEL: text, LINK: z.string().url().nullable().optional() })
    .loose(),
  MEETING_DONE: z
    .object({
      ATTENDED: z.boolean(),
      DURATION: z.number().min(0).nullable().optional(),
      TRANSCRIPTION: z.string().nullable().optional(),
      VIDEO: z.string().nullable().optional(),
    })
    .loose(),
  CUSTOMER_INFORMATION_DETECTION: z.object({ VALUE: z.union([z.string(), z.number(), z.boolean()]).optional() }).loose(),
};

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

/** Validates an event's subtype and payload against the catalog; BAD_USER_INPUT names what is wrong. */
export function validateEvent(eventType: EventType, subtype: string | null | undefined, payload: unknown, path: string): ValidatedEvent {
  if (eventType === 'CUSTOMER_INFORMATION_DETECTION') {
    if (!subtype || !(CUSTOMER_INFORMATION_SUBTYPES as readonly string[]).includes(subtype)) {
      throw badUserInput(`${path}.eventSubtype must be one of ${CUSTOMER_INFORMATION_SUBTYPES.join(', ')} for CUSTOMER_INFORMATION_DETECTION`, {
        field: `${path}.eventSubtype`,
      });
    }
  }
  const parsed = payloadSchemas[eventType].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = [path, 'payload', ...issue.path.map(String)].join('.');
    throw badUserInput(`${field}: ${issue.message} (payload of ${eventType})`, { field });
  }
  const when = parsed.data.FOLLOWUP_TIME ?? parsed.data.TIME_SCHEDULED;
  return {
    payload: withoutNulls(parsed.data),
    subtype: subtype ?? null,
    scheduledTo: typeof when === 'string' ? new Date(when) : null,
  };
}
