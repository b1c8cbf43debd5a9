import { instantOfWallClock, toZonedIso } from '../../zoned-time.js';
import { parseIsoDateTime } from './zoned-time.js';

/**
 * The event payload contract every provider answers in (the local provider produces it
 * directly; a model's answer is brought to it here): times as ISO 8601 with the conversation
 * zone's offset, or a date alone when no clock time was said; SALE_MADE DISCOUNT a fraction 0..1;
 * keys not detected absent. Returns the payload in contract form, or a problem to feed back.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A time in the conversation's zone: "2026-05-05T17:00:00Z" → "2026-05-05T14:00:00-03:00"; dates stay dates. */
export function zonedTime(value: string, timeZone: string): string | null {
  const trimmed = value.trim();
  if (DATE_ONLY.test(trimmed)) {
    const [year, month, day] = trimmed.split('-').map(Number);
    const check = instantOfWallClock({ year: year!, month: month!, day: day!, hour: 12, minute: 0, second: 0 }, timeZone);
    return Number.isNaN(check.getTime()) ? null : trimmed;
  }
  const instant = parseIsoDateTime(trimmed, timeZone);
  return instant ? toZonedIso(instant, timeZone) : null;
}

/** "10%", 10, "0.1" and 0.1 all mean a tenth off. */
export function discountAsFraction(value: unknown): number | null {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && /^\s*\d+(?:[.,]\d+)?\s*%?\s*$/.test(value)) number = Number(value.replace('%', '').replace(',', '.').trim()) / (value.includes('%') ? 100 : 1);
  else return null;
  if (!Number.isFinite(number) || number < 0) return null;
  if (number > 1) number = number / 100;
  return number > 1 ? null : Math.round(number * 10_000) / 10_000;
}

export function toPayloadContract(eventType: string, payload: Record<string, unknown>, timeZone: string): { payload: Record<string, unknown> } | { key: string; problem: string } {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) if (value !== null && value !== undefined) result[key] = value;
  for (const key of ['FOLLOWUP_TIME', 'TIME_SCHEDULED']) {
    if (typeof result[key] !== 'string') continue;
    const zoned = zonedTime(result[key] as string, timeZone);
    if (!zoned) return { key, problem: `'${String(result[key])}' is not an ISO 8601 date-time or date` };
    result[key] = zoned;
  }
  if (eventType === 'SALE_MADE' && result.DISCOUNT !== undefined) {
    const fraction = discountAsFraction(result.DISCOUNT);
    if (fraction === null) return { key: 'DISCOUNT', problem: `${JSON.stringify(result.DISCOUNT)} is not a fraction between 0 and 1` };
    if (fraction === 0) delete result.DISCOUNT;
    else result.DISCOUNT = fraction;
  }
  if (eventType === 'SALE_MADE' && typeof result.CURRENCY === 'string') result.CURRENCY = result.CURRENCY.trim().toUpperCase();
  return { payload: result };
}
