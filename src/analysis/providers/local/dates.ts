import type { Lang } from './types.js';
import { instantOfWallClock, toZonedIso, wallClockOf } from '../../zoned-time.js';

/**
 * Dates and times as people say them on a call, in English and Portuguese, read as wall-clock
 * times in the conversation's zone against its reference time:
 *
 * - days: today / tomorrow / the day after tomorrow (hoje / amanhã / depois de amanhã), weekdays
 *   ("next Tuesday", "terça que vem"), "the 15th" / "dia 15", "May 15th" / "15 de maio",
 *   "next week" / "semana que vem"; plural weekdays ("on Saturdays", "aos sábados") are a
 *   schedule, not a date;
 * - clock times: digits ("10", "9:30", "15h", "10h30", "4 pm"), words ("four", "half past five",
 *   "quatro", "cinco e meia"), noon; a part of the day ("in the morning", "da tarde") sets am/pm
 *   for every time of its list ("10 or 11 in the morning"); without one, 1–7 o'clock is afternoon
 *   (business hours);
 * - a time said with no day takes the day of its sentence, else `defaultDay` (the proposal it
 *   answers), else today — or tomorrow once today's time has passed.
 *
 * A day without a clock time stays a date (`iso` is `YYYY-MM-DD`).
 */
export interface FoundDate {
  /** The clock time, or the day's local midnight for a date. */
  instant: Date;
  /** ISO 8601 with the zone's offset, or `YYYY-MM-DD` when no clock time was said. */
  iso: string;
  /** The words that gave it. */
  text: string;
  index: number;
  /** 'exact': a clock time; 'part': a part of the day only; 'none': a day only. */
  timePrecision: 'exact' | 'part' | 'none';
  /** Whether a day was said (not only a time). */
  hasDay: boolean;
  /** Whether the day of the month was said ("May 15th", "dia 15"). */
  explicitDate: boolean;
  /** The local day, `YYYY-MM-DD`. */
  day: string;
  /** The local hour and minute when a clock time was said. */
  hour: number | null;
  minute: number | null;
}

export interface DateOptions {
  /** The day of the proposal a time answers (`YYYY-MM-DD`), used when the text says no day. */
  defaultDay?: string | null;
  /** Read a bare leading number as a time ("Four works for me", "Onze."): the message answers a proposal of times. */
  bareTimes?: boolean;
}

const fold = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  uma: 1, um: 1, duas: 2, dois: 2, tres: 3, quatro: 4, cinco: 5, seis: 6, sete: 7, oito: 8, nove: 9, dez: 10, onze: 11, doze: 12,
};
const NUM_WORD = Object.keys(NUMBER_WORDS).join('|');
const NUM = String.raw`(?:\d{1,2}|${NUM_WORD})`;

const WEEKDAYS: Array<[RegExp, number]> = [
  [/^(?:sunday|domingo)$/, 0],
  [/^(?:monday|segunda(?:-feira)?)$/, 1],
  [/^(?:tuesday|terca(?:-feira)?)$/, 2],
  [/^(?:wednesday|quarta(?:-feira)?)$/, 3],
  [/^(?:thursday|quinta(?:-feira)?)$/, 4],
  [/^(?:friday|sexta(?:-feira)?)$/, 5],
  [/^(?:saturday|sabado)$/, 6],
];
const WEEKDAY_WORD = String.raw`(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|domingo|segunda(?:-feira)?|terca(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|sexta(?:-feira)?|sabado)`;
const MONTHS = ['january|janeiro', 'february|fevereiro', 'march|marco', 'april|abril', 'may|maio', 'june|junho', 'july|julho', 'august|agosto', 'september|setembro', 'october|outubro', 'november|novembro', 'december|dezembro'];
const MONTH_WORD = String.raw`(?:${MONTHS.join('|')})`;

export function monthNumber(word: string): number | null {
  const index = MONTHS.findIndex((names) => names.split('|').includes(fold(word)));
  return index >= 0 ? index + 1 : null;
}

interface CivilDay {
  year: number;
  month: number;
  day: number;
}

function addDays(day: CivilDay, days: number): CivilDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

const dayOfWeek = (day: CivilDay): number => new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
const pad = (value: number): string => String(value).padStart(2, '0');
const dayKey = (day: CivilDay): string => `${day.year}-${pad(day.month)}-${pad(day.day)}`;
function parseDayKey(key: string): CivilDay {
  const [year, month, day] = key.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

interface DayMention {
  day: CivilDay;
  index: number;
  end: number;
  text: string;
  explicitDate: boolean;
  part: 'morning' | 'afternoon' | 'evening' | null;
}

interface ClockMention {
  hour: number;
  minute: number;
  meridiem: 'am' | 'pm' | null;
  index: number;
  end: number;
  text: string;
  /** Continues the list of the clock before it ("2 pm or 4 pm", "às 2 ou às 4"). */
  listed: boolean;
}

const PART_OF_DAY = /\b(?:in the (morning|afternoon|evening)|this (morning|afternoon|evening)|tonight|(?:de|da|a|na|pela|à) (manha|tarde|noite)|hoje a noite)\b/g;

function partOf(word: string | undefined): DayMention['part'] {
  if (!word) return null;
  if (/morning|manha/.test(word)) return 'morning';
  if (/afternoon|tarde/.test(word)) return 'afternoon';
  return 'evening';
}

function wordNumber(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw);
  return NUMBER_WORDS[raw] ?? null;
}

/** Every day said in a folded text. */
function findDays(folded: string, today: CivilDay): DayMention[] {
  const found: DayMention[] = [];
  const push = (match: RegExpExecArray, day: CivilDay, explicitDate = false): void => {
    found.push({ day, index: match.index, end: match.index + match[0].length, text: match[0], explicitDate, part: null });
  };
  const patterns: Array<[RegExp, (match: RegExpExecArray) => CivilDay | null, boolean?]> = [
    [/\b(?:the )?day after tomorrow\b|\bdepois de amanha\b/g, () => addDays(today, 2)],
    [/\b(?:tomorrow|amanha)\b/g, () => addDays(today, 1)],
    [/\b(?:today|tonight|this (?:morning|afternoon|evening)|hoje)\b/g, () => today],
    [
      new RegExp(String.raw`\b(?:(next|this|coming|na|no|nesta|neste|nessa|nesse|proxim[ao]) )?(${WEEKDAY_WORD})(s)?\b(?: (que vem))?`, 'g'),
      (match) => {
        if (match[3]) return null; // "Saturdays": a schedule
        const before = folded.slice(Math.max(0, match.index - 4), match.index);
        if (/\bas $|\bos $/.test(before)) return null; // "aos sábados", "às segundas"
        const target = WEEKDAYS.find(([pattern]) => pattern.test(match[2]!))?.[1];
        if (target === undefined) return null;
        const current = dayOfWeek(today);
        let days = (target - current + 7) % 7 || 7;
        const mondayIndex = (dow: number): number => (dow + 6) % 7;
        const next = match[1] === 'next' || /^proxim/.test(match[1] ?? '') || Boolean(match[4]);
        if (next && mondayIndex(target) > mondayIndex(current) && days < 7) days += 7;
        return addDays(today, days);
      },
    ],
    [
      new RegExp(String.raw`\b(${MONTH_WORD}) (\d{1,2})(?:st|nd|rd|th)?\b|\b(\d{1,2})(?:st|nd|rd|th)? (?:of |de )(${MONTH_WORD})\b`, 'g'),
      (match) => {
        const month = monthNumber(match[1] ?? match[4] ?? '');
        const day = Number(match[2] ?? match[3]);
        if (!month || day < 1 || day > 31) return null;
        const thisYear = { year: today.year, month, day };
        return dayKey(thisYear) < dayKey(today) ? { year: today.year + 1, month, day } : thisYear;
      },
      true,
    ],
    [
      /\b(?:the (\d{1,2})(?:st|nd|rd|th)|(?:no )?dia (\d{1,2}))\b(?! de (?:janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro))/g,
      (match) => {
        const day = Number(match[1] ?? match[2]);
        if (day < 1 || day > 31) return null;
        const candidate = { year: today.year, month: today.month, day };
        if (day >= today.day) return candidate;
        return today.month === 12 ? { year: today.year + 1, month: 1, day } : { year: today.year, month: today.month + 1, day };
      },
      true,
    ],
    [/\b(?:next week|(?:na )?semana que vem|(?:na )?proxima semana)\b/g, () => addDays(today, 7)],
  ];
  for (const [pattern, resolve, explicit] of patterns) {
    for (const match of folded.matchAll(pattern)) {
      if (found.some((other) => match.index! >= other.index && match.index! < other.end)) continue;
      const day = resolve(match as RegExpExecArray);
      if (day) push(match as RegExpExecArray, day, Boolean(explicit));
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Every clock time said in a folded text. */
function findClocks(folded: string, bareTimes: boolean): ClockMention[] {
  const found: ClockMention[] = [];
  const add = (index: number, text: string, hour: number, minute: number, meridiem: ClockMention['meridiem'], listed = false): void => {
    if (hour > 23 || minute > 59) return;
    if (found.some((other) => index < other.end && index + text.length > other.index)) return;
    found.push({ hour, minute, meridiem, index, end: index + text.length, text, listed });
  };
  const meridiemOf = (raw: string | undefined): ClockMention['meridiem'] => {
    if (!raw) return null;
    return /^p/.test(raw) ? 'pm' : 'am';
  };
  // "half past five", "quarter past 3", "cinco e meia", "noon", "meio-dia".
  for (const match of folded.matchAll(new RegExp(String.raw`\bhalf past (${NUM})\b|\bquarter past (${NUM})\b|\bquarter to (${NUM})\b`, 'g'))) {
    const base = wordNumber(match[1] ?? match[2] ?? match[3] ?? '');
    if (base === null) continue;
    if (match[3]) add(match.index!, match[0], base - 1, 45, null);
    else add(match.index!, match[0], base, match[1] ? 30 : 15, null);
  }
  for (const match of folded.matchAll(/\b(?:noon|midday|meio-dia|meio dia)\b/g)) add(match.index!, match[0], 12, 0, 'pm');
  // "9:30", "10:00 am", "15h", "10h30", "4 pm", "10 o'clock".
  for (const match of folded.matchAll(/\b(\d{1,2})(?::(\d{2})|h(\d{2})?\b|hs\b)\s*(a\.?m\.?|p\.?m\.?)?(?![\d/])/g)) {
    add(match.index!, match[0].trim(), Number(match[1]), Number(match[2] ?? match[3] ?? 0), meridiemOf(match[4]));
  }
  for (const match of folded.matchAll(new RegExp(String.raw`\b(${NUM})(?: (thirty|fifteen|forty-five))?\s*(a\.?m\.?|p\.?m\.?|o'clock)(?![\p{L}])`, 'gu'))) {
    const hour = wordNumber(match[1]!);
    const minute = match[2] === 'thirty' ? 30 : match[2] === 'fifteen' ? 15 : match[2] ? 45 : 0;
    if (hour !== null) add(match.index!, match[0], hour, minute, match[3] === "o'clock" ? null : meridiemOf(match[3]));
  }
  // A number after a time preposition: "at four", "by 5", "make it 10", "às quatro", "à 1", "até as cinco", "cinco e meia".
  const lead = String.raw`(?:at|by|around|until|till|from|say|make it|about|as_t|a_t|ate as|ate as_t|ate a_t|pelas|por volta das|a partir das|das)`;
  for (const match of folded.matchAll(new RegExp(String.raw`\b${lead} (${NUM})(?: e (meia|quinze))?(?: (horas?))?\b(?![.,]\d|%| ?(?:minutes?|minutos?|hours?|dias?|days?|weeks?|semanas?|meses|months?|years?|anos?|users?|usuarios?|people|pessoas|x\b|vezes))`, 'g'))) {
    const before = folded.slice(Math.max(0, match.index! - 2), match.index!);
    if (/[$€£]\s?$/.test(before)) continue;
    const hour = wordNumber(match[1]!);
    if (hour === null || hour < 1) continue;
    const minute = match[2] === 'meia' ? 30 : match[2] === 'quinze' ? 15 : 0;
    const offset = match[0].lastIndexOf(match[1]!, match[0].length - (match[2] ? match[2].length + 3 : 0) - (match[3] ? match[3].length + 1 : 0));
    add(match.index! + offset, match[0].slice(offset), hour, minute, null);
  }
  // List continuation: "2 pm or 4 pm", "às 2 ou às 4", "10 or 11 in the morning".
  found.sort((a, b) => a.index - b.index);
  for (const clock of [...found]) {
    const rest = folded.slice(clock.end);
    const next = new RegExp(String.raw`^(?: ou| or) (?:at |as_t |a_t )?(${NUM})(?::(\d{2})|h(\d{2})?)?\s*(a\.?m\.?|p\.?m\.?)?\b`).exec(rest);
    if (!next) continue;
    const hour = wordNumber(next[1]!);
    if (hour !== null) add(clock.end + next[0].indexOf(next[1]!), next[0].slice(next[0].indexOf(next[1]!)).trim(), hour, Number(next[2] ?? next[3] ?? 0), meridiemOf(next[4]), true);
  }
  // An answer that is only a time: "Four works for me.", "Onze.", "Eleven is better", "3?".
  if (bareTimes) {
    const bare = new RegExp(String.raw`^(?:(?:ok|okay|yes|yeah|sim|entao|then|hmm|ah)[,.!]? )?(${NUM})(?:(?::|h)(\d{2}))?(?: e meia)?\s*(a\.?m\.?|p\.?m\.?)?(?=[\s.,!?]|$)(?! (?:minutes?|minutos|hours?|horas|dias|days|people|pessoas|users|usuarios|of|de|do|da|dos|das))`).exec(folded);
    if (bare) {
      const hour = wordNumber(bare[1]!);
      const offset = bare[0].indexOf(bare[1]!);
      if (hour !== null && hour >= 1) add(offset, bare[0].slice(offset), hour, / e meia/.test(bare[0]) ? 30 : Number(bare[2] ?? 0), meridiemOf(bare[3]));
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** 24-hour clock: am/pm said, else the part of the day, else 1–7 o'clock in the afternoon. */
function toHour24(clock: ClockMention, part: DayMention['part']): number {
  const { hour } = clock;
  if (hour > 12) return hour;
  const meridiem = clock.meridiem ?? (part === 'morning' ? 'am' : part === 'afternoon' || part === 'evening' ? 'pm' : null);
  if (meridiem === 'am') return hour === 12 ? 0 : hour;
  if (meridiem === 'pm') return hour === 12 ? 12 : hour + 12;
  return hour >= 1 && hour <= 7 ? hour + 12 : hour;
}

function sentenceBounds(folded: string): Array<[number, number]> {
  const bounds: Array<[number, number]> = [];
  let start = 0;
  for (const match of folded.matchAll(/[.!?;](?=\s|$)/g)) {
    // "9 a.m." or "p.m." are not sentence ends.
    if (/\b[ap]\.m$|\b[ap]$/.test(folded.slice(Math.max(0, match.index! - 3), match.index!))) continue;
    bounds.push([start, match.index! + 1]);
    start = match.index! + 1;
  }
  bounds.push([start, folded.length]);
  return bounds;
}

/** The dates and times said in `text`, in text order. */
export function findDates(text: string, _lang: Lang, reference: Date, timeZone: string, options: DateOptions = {}): FoundDate[] {
  // "às"/"à" before a number are time prepositions; the article "as" is not: mark them before folding.
  const folded = fold(text.replace(/[’‘]/g, "'").replace(/(?<!\p{L})([àÀ]s?)(?= )/gu, (word) => (word.length === 2 ? 'as_t' : 'a_t')));
  const refWall = wallClockOf(reference.getTime(), timeZone);
  const today: CivilDay = { year: refWall.year, month: refWall.month, day: refWall.day };
  const days = findDays(folded, today);
  const clocks = findClocks(folded, Boolean(options.bareTimes));
  const parts = [...folded.matchAll(PART_OF_DAY)].map((match) => ({ index: match.index!, end: match.index! + match[0].length, part: partOf(match[1] ?? match[2] ?? match[3] ?? (match[0].includes('night') || match[0].includes('noite') ? 'evening' : undefined)) }));
  const bounds = sentenceBounds(folded);
  const sentenceOf = (index: number): number => bounds.findIndex(([start, end]) => index >= start && index < end);

  const results: FoundDate[] = [];
  const usedDays = new Set<DayMention>();
  let listDay: { day: CivilDay; hasDay: boolean; explicit: boolean; dayText: string } | null = null;
  let listPart: DayMention['part'] = null;
  clocks.forEach((clock, position) => {
    const sentence = sentenceOf(clock.index);
    const sameSentence = days.filter((day) => sentenceOf(day.index) === sentence);
    // The day said before the time in its sentence, else just after it ("at 4 today").
    const before = [...sameSentence].reverse().find((day) => day.end <= clock.index);
    const after = sameSentence.find((day) => day.index >= clock.end && day.index - clock.end <= 12);
    let chosen = before ?? after ?? null;
    if (clock.listed && listDay) chosen = null;
    // The part of the day that follows the clock's list in its sentence ("10 or 11 in the morning").
    let listEnd = position;
    while (clocks[listEnd + 1]?.listed) listEnd++;
    const lastOfList = clocks[listEnd]!;
    const part =
      clock.listed && listPart
        ? listPart
        : (parts.find((entry) => sentenceOf(entry.index) === sentence && entry.index >= lastOfList.end && entry.index - lastOfList.end <= 20)?.part ??
          parts.find((entry) => sentenceOf(entry.index) === sentence && entry.end <= clock.index && clock.index - entry.end <= 12)?.part ??
          null);
    listPart = part;
    let day: CivilDay;
    let hasDay = true;
    let explicit = false;
    let dayText = '';
    if (chosen) {
      usedDays.add(chosen);
      day = chosen.day;
      explicit = chosen.explicitDate;
      dayText = chosen.text;
    } else if (clock.listed && listDay) {
      ({ day, hasDay, explicit, dayText } = listDay);
    } else if (options.defaultDay) {
      day = parseDayKey(options.defaultDay);
      hasDay = false;
    } else {
      day = today;
      hasDay = false;
    }
    const hour = toHour24(clock, part);
    if (!chosen && !(clock.listed && listDay) && !options.defaultDay) {
      // Today's time already past: the next day's.
      const minutesNow = refWall.hour * 60 + refWall.minute;
      if (hour * 60 + clock.minute < minutesNow - 30) day = addDays(today, 1);
    }
    if (!clock.listed) listDay = { day, hasDay, explicit, dayText };
    const instant = instantOfWallClock({ year: day.year, month: day.month, day: day.day, hour, minute: clock.minute, second: 0 }, timeZone);
    results.push({
      instant,
      iso: toZonedIso(instant, timeZone),
      text: dayText ? `${dayText} ${clock.text}` : clock.text,
      index: Math.min(clock.index, chosen?.index ?? clock.index),
      timePrecision: 'exact',
      hasDay,
      explicitDate: explicit,
      day: dayKey(day),
      hour,
      minute: clock.minute,
    });
  });
  for (const day of days) {
    if (usedDays.has(day)) continue;
    const part = parts.find((entry) => Math.abs(entry.index - day.end) <= 4 || (entry.index <= day.index && day.index - entry.end <= 2))?.part ?? null;
    const instant = instantOfWallClock({ year: day.day.year, month: day.day.month, day: day.day.day, hour: 0, minute: 0, second: 0 }, timeZone);
    results.push({
      instant,
      iso: dayKey(day.day),
      text: day.text,
      index: day.index,
      timePrecision: part ? 'part' : 'none',
      hasDay: true,
      explicitDate: day.explicitDate,
      day: dayKey(day.day),
      hour: null,
      minute: null,
    });
  }
  return results.sort((a, b) => a.index - b.index);
}
