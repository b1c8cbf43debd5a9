import { validTimeZone } from '../analysis/zoned-time.js';
import { badUserInput } from '../errors/domain-error.js';

/** What the schema says a time-zone input takes. */
export const TIME_ZONE_FORMS = 'an IANA time zone (e.g. America/Sao_Paulo) or a UTC offset ±HH:MM (e.g. -03:00)';

/** A time-zone input as it is kept (see validTimeZone); null/undefined pass through; anything else is BAD_USER_INPUT naming `field`. */
export function requireTimeZone<T extends null | undefined>(value: string | T, field: string): string | T {
  if (value === null || value === undefined) return value;
  const zone = validTimeZone(value);
  if (zone === null) throw badUserInput(`${field} '${value}' is not ${TIME_ZONE_FORMS}`, { field });
  return zone;
}
