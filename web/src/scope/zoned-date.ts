/**
 * Calendar dates (YYYY-MM-DD) in an IANA time zone ↔ instants. The arithmetic is the server's
 * own (pure `Intl`, no Node), so the dashboard cuts days exactly where the analysis does.
 */
import { instantOfWallClock, resolveTimeZone, wallClockOf } from '../../../src/analysis/zoned-time';

/** The instant a calendar day starts in the zone (midnight wall-clock time, DST included). */
export function startOfDay(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return instantOfWallClock({ year, month, day, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** Today's calendar date in the zone. */
export function todayIn(timeZone: string, now = Date.now()): string {
  const wall = wallClockOf(now, timeZone);
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function isTimeZone(value: string): boolean {
  return resolveTimeZone(value) === value;
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function timeZoneNames(): string[] {
  const names = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return names.includes('UTC') ? names : ['UTC', ...names];
}
