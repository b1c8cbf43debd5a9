/**
 * Time-zone arithmetic with `Intl` only: the prompt shows the reference time as local wall time,
 * and a model's date without an offset is read in the conversation's time zone. The zone
 * arithmetic itself is shared with the local provider (src/analysis/zoned-time.ts).
 */

import { instantOfWallClock, resolveTimeZone, toZonedIso } from '../../zoned-time.js';

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  return resolveTimeZone(timeZone) === timeZone;
}

/** `instant` as local ISO 8601 in `timeZone`, with its offset, e.g. `2024-05-02T17:00:00+02:00`. */
export const toZonedIsoString = toZonedIso;

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO 8601 date (`2024-05-02`) or date-time (`2024-05-02T15:00`, with or without
 * seconds, fraction and offset). Without an offset, the wall time is read in `timeZone`
 * (a date alone is that day's local midnight). Returns null for anything else, including
 * impossible calendar dates such as February 30.
 */
export function parseIsoDateTime(text: string, timeZone: string): Date | null {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset] = match;
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
  const wallAsUtc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), milliseconds);
  const check = new Date(wallAsUtc);
  const calendarIsValid =
    check.getUTCFullYear() === Number(year) &&
    check.getUTCMonth() === Number(month) - 1 &&
    check.getUTCDate() === Number(day) &&
    check.getUTCHours() === Number(hour) &&
    check.getUTCMinutes() === Number(minute) &&
    check.getUTCSeconds() === Number(second);
  if (!calendarIsValid) return null;

  if (offset !== undefined) {
    if (offset === 'Z' || offset === 'z') return check;
    const digits = offset.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const offsetHours = Number(digits.slice(1, 3));
    const offsetMinutes = Number(digits.slice(3, 5));
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    return new Date(wallAsUtc - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
  }

  // Two passes settle the offset across a daylight-saving transition.
  const wall = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  return new Date(instantOfWallClock(wall, timeZone).getTime() + milliseconds);
}
