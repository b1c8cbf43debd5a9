/**
 * Time-zone arithmetic with `Intl` only (no clock): wall-clock fields of an instant in an IANA
 * zone, the instant of a wall-clock time in a zone, and ISO 8601 with the zone's offset.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** `timeZone` if this runtime knows it, else 'UTC'. */
export function resolveTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

export interface WallClock {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClockOf(instantMs: number, timeZone: string): WallClock {
  const parts = formatter(timeZone).formatToParts(new Date(instantMs));
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value ?? '0');
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour') % 24, minute: field('minute'), second: field('second') };
}

/** The zone's offset from UTC at `instantMs`, in minutes (negative west of Greenwich). */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const wall = wallClockOf(instantMs, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((wallAsUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/** The instant of a wall-clock time in `timeZone` (two passes settle daylight-saving changes). */
export function instantOfWallClock(wall: WallClock, timeZone: string): Date {
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const first = offsetMinutes(wallAsUtc, timeZone);
  let instant = wallAsUtc - first * 60_000;
  const second = offsetMinutes(instant, timeZone);
  if (second !== first) instant = wallAsUtc - second * 60_000;
  return new Date(instant);
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** ISO 8601 in `timeZone` with its offset, e.g. `2026-03-05T15:00:00-03:00` (`+00:00` for UTC). */
export function toZonedIso(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant.getTime(), timeZone);
  const wall = wallClockOf(instant.getTime(), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${String(wall.year).padStart(4, '0')}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
