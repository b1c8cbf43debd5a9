import * as chrono from 'chrono-node';
import type { Chrono, ParsedResult, Parser, ParsingContext } from 'chrono-node';
import type { Lang } from './types.js';
import { instantOfWallClock, offsetMinutes, toZonedIso, wallClockOf } from '../../zoned-time.js';

/** A date/time found in a text, resolved against the reference time in the conversation's zone. */
export interface FoundDate {
  instant: Date;
  /** ISO 8601 with the zone's offset. */
  iso: string;
  /** The words that gave it, e.g. "amanhã às 15h". */
  text: string;
  index: number;
  /** 'exact': an hour was said; 'part': a part of the day ("afternoon"); 'none': the hour is implied. */
  timePrecision: 'exact' | 'part' | 'none';
  /** Whether a day was said (a date, a weekday, "tomorrow", "next week"), not only a time. */
  hasDay: boolean;
  /** Whether the day of the month was said ("October 12", "12/10"), not only a weekday or a relative day. */
  explicitDate: boolean;
}

const PART_OF_DAY_TAGS = ['casualReference/morning', 'casualReference/afternoon', 'casualReference/evening', 'casualReference/noon', 'casualReference/midnight'];

/** Words just before a number that make it a duration ("within 4 hours", "em até 24h"), not a time. */
const DURATION_BEFORE = /(?:\bwithin|\bup to|\bem ate|\bate|\bdentro de|\bpor|\bdurante|\bem|\bin|\bfor|\bnext)\s*$/i;

function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** chrono runs patterns on the rest of the text, so look-behinds cannot see what came before: check here. */
function glued(context: ParsingContext, match: RegExpMatchArray): boolean {
  const index = match.index ?? 0;
  return index > 0 && /[\p{L}\d]/u.test(context.text.charAt(index - 1));
}

function toHour24(hour: number, partOfDay: string | undefined): number {
  if (!partOfDay) return hour;
  const part = fold(partOfDay);
  if ((part === 'tarde' || part === 'noite') && hour < 12) return hour + 12;
  if (part === 'manha' && hour === 12) return 0;
  return hour;
}

/** "às 15h", "às 15h30", "as 9 horas", "às 3 da tarde", "às 19:30". */
const ptPrefixedHour: Parser = {
  pattern: () =>
    /(às|as|a partir das|por volta das|pelas)\s+(\d{1,2})(?:(?::|h)(\d{2}))?\s*(h|hs|horas?)?(?:\s+da\s+(manhã|manha|tarde|noite))?(?=[^\p{L}\d]|$)/iu,
  extract: (context: ParsingContext, match: RegExpMatchArray) => {
    if (glued(context, match)) return null;
    const prefix = fold(match[1] ?? '');
    const hasUnit = Boolean(match[3] ?? match[4] ?? match[5]);
    // "as 3 opções": the plain article "as" needs a unit to be read as a time.
    if (prefix === 'as' && !(match[1] ?? '').includes('à') && !hasUnit) return null;
    const hour = toHour24(Number(match[2]), match[5]);
    const minute = match[3] ? Number(match[3]) : 0;
    if (hour > 23 || minute > 59) return null;
    return { hour, minute };
  },
};

/** "15h", "15h30", "19hs" (the h glued to the number). */
const ptBareHour: Parser = {
  pattern: () => /(\d{1,2})hs?(\d{2})?(?:\s+da\s+(manhã|manha|tarde|noite))?(?=[^\p{L}\d]|$)/iu,
  extract: (context: ParsingContext, match: RegExpMatchArray) => {
    if (glued(context, match)) return null;
    const before = fold(context.text.slice(Math.max(0, (match.index ?? 0) - 12), match.index ?? 0));
    if (DURATION_BEFORE.test(before)) return null;
    const hour = toHour24(Number(match[1]), match[3]);
    const minute = match[2] ? Number(match[2]) : 0;
    if (hour > 23 || minute > 59) return null;
    return { hour, minute };
  },
};

/** "semana que vem", "próxima semana", "mês que vem", "próximo mês". */
const ptRelativePeriod: Parser = {
  pattern: () => /(?:(?:na\s+)?semana que vem|(?:na\s+)?pr[oó]xima semana|(?:no\s+)?m[eê]s que vem|(?:no\s+)?pr[oó]ximo m[eê]s)(?![\p{L}])/iu,
  extract: (context: ParsingContext, match: RegExpMatchArray) => {
    if (glued(context, match)) return null;
    const week = /semana/i.test(match[0]);
    return chrono.ParsingComponents.createRelativeFromReference(context.reference, week ? { day: 7 } : { month: 1 });
  },
};

/** "dia 10": the next 10th of a month. */
const ptDayOfMonth: Parser = {
  pattern: () => /dia\s+(\d{1,2})(?!\s*(?:\/|de\s+\p{L}|\d))/iu,
  extract: (context: ParsingContext, match: RegExpMatchArray) => {
    if (glued(context, match)) return null;
    const day = Number(match[1]);
    if (day < 1 || day > 31) return null;
    const ref = context.reference.getDateWithAdjustedTimezone();
    let year = ref.getFullYear();
    let month = ref.getMonth() + 1;
    if (day < ref.getDate()) {
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
    }
    const components = context.createParsingComponents({ day, month, year });
    components.imply('hour', 12);
    return components;
  },
};

let ptParser: Chrono | null = null;

function parserFor(lang: Lang): Chrono {
  if (lang === 'en') return chrono.en.casual;
  if (!ptParser) {
    const custom = chrono.pt.casual.clone();
    custom.parsers.push(ptPrefixedHour, ptBareHour, ptRelativePeriod, ptDayOfMonth);
    ptParser = custom;
  }
  return ptParser;
}

function precisionOf(result: ParsedResult): FoundDate['timePrecision'] {
  if (result.start.isCertain('hour')) return 'exact';
  const tags = result.tags();
  return PART_OF_DAY_TAGS.some((tag) => tags.has(tag)) ? 'part' : 'none';
}

/**
 * Dates and times in `text` (chrono-node; `chrono.pt` plus parsers for "15h", "às 15h",
 * "semana que vem" and "dia 10"), read as wall-clock times in `timeZone` relative to `reference`,
 * preferring future readings ("Monday" is the next Monday). Durations ("within 4 hours") and bare
 * numbers are not dates.
 */
export function findDates(text: string, lang: Lang, reference: Date, timeZone: string): FoundDate[] {
  const ref = { instant: reference, timezone: offsetMinutes(reference.getTime(), timeZone) };
  const results = parserFor(lang).parse(text, ref, { forwardDate: true });
  const found: FoundDate[] = [];
  for (const result of results) {
    if (!/[\p{L}:/]/u.test(result.text)) continue;
    // "SAT", "MON" in capitals are acronyms (the SAT exam), not weekdays.
    if (/^(?:on\s+)?(?:SUN|MON|TUE|TUES|WED|THU|THUR|THURS|FRI|SAT)$/.test(result.text.trim())) continue;
    const before = fold(text.slice(Math.max(0, result.index - 12), result.index));
    if (/^(within|em ate|dentro de)\b/i.test(fold(result.text)) || /(?:\bwithin|\bem ate|\bdentro de)\s*$/.test(before)) continue;
    const start = result.start;
    const refWall = wallClockOf(reference.getTime(), timeZone);
    const wall = {
      year: start.get('year') ?? refWall.year,
      month: start.get('month') ?? refWall.month,
      day: start.get('day') ?? refWall.day,
      hour: start.get('hour') ?? 12,
      minute: start.get('minute') ?? 0,
      second: start.isCertain('second') ? (start.get('second') ?? 0) : 0,
    };
    const precision = precisionOf(result);
    if (precision === 'none') {
      // An implied hour is the reference's own clock time: round it to the hour so equal inputs read alike.
      wall.minute = 0;
      wall.second = 0;
    }
    const instant = instantOfWallClock(wall, timeZone);
    found.push({
      instant,
      iso: toZonedIso(instant, timeZone),
      text: result.text,
      index: result.index,
      timePrecision: precision,
      explicitDate: start.isCertain('day') && start.isCertain('month'),
      hasDay: start.isCertain('day') || start.isCertain('weekday') || /\b(tomorrow|today|tonight|week|month|amanha|hoje|semana|mes)\b/.test(fold(result.text)),
    });
  }
  return found;
}
