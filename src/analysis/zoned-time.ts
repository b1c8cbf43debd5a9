/**
 * Time-zone arithmetic with `Intl` only (no clock): wall-clock fields of an instant in a zone, the
 * instant of a wall-clock time in a zone, and ISO 8601 with the zone's offset. A zone is an IANA
 * name (`America/Sao_Paulo`, `UTC`) or a fixed UTC offset `±HH:MM` (`-03:00`), which this
 * runtime's `Intl` does not take: offsets are computed here.
 */

const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;
/** The widest offsets in use (Kiribati +14:00, Baker Island -12:00), with room. */
const MAX_OFFSET_MINUTES = 18 * 60;

/** The minutes of a fixed-offset zone (`-03:00` → -180), null for anything else. */
function fixedOffsetMinutes(timeZone: string): number | null {
  const match = FIXED_OFFSET.exec(timeZone);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (Number(match[3]) >= 60 || minutes > MAX_OFFSET_MINUTES) return null;
  return match[1] === '-' ? -minutes : minutes;
}

const pad = (value: number): string => String(value).padStart(2, '0');

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

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

/**
 * The zone as it is kept: an IANA name this runtime knows, as given (trimmed), or a `±HH:MM`
 * offset up to 18:00 (`-00:00` is written `+00:00`); null for anything else.
 */
export function validTimeZone(timeZone: string): string | null {
  const trimmed = timeZone.trim();
  const fixed = fixedOffsetMinutes(trimmed);
  if (fixed !== null) return formatOffset(fixed);
  if (trimmed === '' || /^[+-]?\d/.test(trimmed)) return null;
  try {
    formatter(trimmed);
    return trimmed;
  } catch {
    return null;
  }
}

/** `timeZone` if this runtime knows it (an IANA zone or a fixed offset), else 'UTC'. */
export function resolveTimeZone(timeZone: string | undefined | null): string {
  if (!timeZone) return 'UTC';
  if (fixedOffsetMinutes(timeZone) !== null) return timeZone;
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * The fixed-offset zone an ISO 8601 timestamp was written with (`2026-05-04T09:30:00-03:00` →
 * `-03:00`); null for `Z`, a zero offset (what serializers write for any instant, so it says
 * nothing of where the conversation happened) or no offset.
 */
export function writtenOffsetZone(timestamp: string | null | undefined): string | null {
  const match = /T.*([+-])(\d{2}):?(\d{2})$/.exec(timestamp?.trim() ?? '');
  if (!match) return null;
  const zone = validTimeZone(`${match[1]}${match[2]}:${match[3]}`);
  return zone && fixedOffsetMinutes(zone) !== 0 ? zone : null;
}

/**
 * The zone a conversation's local times are read in: its own (as sent, or the offset kept from its
 * timestamps), else the organization's, else UTC. A zone this runtime does not know is skipped.
 */
export function conversationTimeZone(conversationZone: string | null | undefined, organizationZone: string | null | undefined): string {
  return (conversationZone && validTimeZone(conversationZone)) || (organizationZone && validTimeZone(organizationZone)) || 'UTC';
}

/** The weekday's English name (`Tuesday`) of `instant` in `timeZone`. */
export function weekdayOf(instant: Date, timeZone: string): string {
  const wall = wallClockOf(instant.getTime(), timeZone);
  return WEEKDAYS[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()]!;
}
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** How a prompt names the zone: the IANA name, or `UTC-03:00` for a fixed offset. */
export function describeTimeZone(timeZone: string): string {
  return fixedOffsetMinutes(timeZone) === null ? timeZone : `UTC${timeZone}`;
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
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== null) {
    const shifted = new Date(instantMs + fixed * 60_000);
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
    };
  }
  const parts = formatter(timeZone).formatToParts(new Date(instantMs));
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value ?? '0');
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour') % 24, minute: field('minute'), second: field('second') };
}

/** The zone's offset from UTC at `instantMs`, in minutes (negative west of Greenwich). */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== null) return fixed;
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

/** ISO 8601 in `timeZone` with its offset, e.g. `2026-03-05T15:00:00-03:00` (`+00:00` for UTC). */
export function toZonedIso(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant.getTime(), timeZone);
  const wall = wallClockOf(instant.getTime(), timeZone);
  return `${String(wall.year).padStart(4, '0')}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${formatOffset(offset)}`;
}
