import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { AnalysisStatus, Channel, ConversationFilter, ConversationStatus, DispositionFilterInput, EventType, Outcome, SentimentLabel, TimeBucket } from '../gql/graphql';
import { addDays, browserTimeZone, isTimeZone, startOfDay, todayIn } from './zoned-date';

export const CHANNELS: Channel[] = ['VOICE', 'CHAT', 'WHATSAPP', 'EMAIL', 'SMS', 'VIDEO', 'OTHER'];
export const OUTCOMES: Outcome[] = ['RESOLVED', 'NOT_RESOLVED', 'ESCALATED', 'TRANSFERRED', 'ABANDONED', 'UNKNOWN'];
export const STATUSES: ConversationStatus[] = ['COMPLETED', 'ONGOING', 'FAILED'];
export const SENTIMENTS: SentimentLabel[] = ['POSITIVE', 'NEUTRAL', 'NEGATIVE', 'MIXED'];
export const ANALYSIS_STATUSES: AnalysisStatus[] = ['COMPLETED', 'PENDING', 'RUNNING', 'FAILED', 'NOT_REQUESTED'];
export const EVENT_TYPES: EventType[] = [
  'SALES_STAGE_CHANGE',
  'SALE_MADE',
  'OBJECTION_DETECTION',
  'FOLLOWUP_DETECTION',
  'MEETING_SCHEDULED',
  'MEETING_DONE',
  'CUSTOMER_INFORMATION_DETECTION',
];
export const BUCKETS: TimeBucket[] = ['HOUR', 'DAY', 'WEEK', 'MONTH'];
const DEFAULT_DAYS = 30;

/** The parameters that narrow the conversations (what "Clear filters" removes). */
export const FILTER_PARAMS = ['channel', 'outcome', 'sentiment', 'status', 'analysis', 'agent', 'event', 'q', 'dm', 'dmv', 'dmin', 'dmax'] as const;
/** The parameters every page shares, kept in the URL so that links and reloads keep them. */
export const SCOPE_PARAMS = ['from', 'to', 'tz', 'bucket', ...FILTER_PARAMS] as const;
export type ScopeParam = (typeof SCOPE_PARAMS)[number];

export interface Scope {
  /** Calendar dates, both included */
  fromDate: string;
  toDate: string;
  timezone: string;
  bucket: TimeBucket;
  /** [from, to) as instants for the API */
  range: { from: string; to: string };
  filter: ConversationFilter;
  /** How many filters narrow the conversations (the date range aside) */
  activeFilters: number;
  get(param: ScopeParam): string;
  set(changes: Partial<Record<ScopeParam, string | null>>): void;
  /** `?…` of the current scope, to keep it across links */
  search: string;
}

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

const isDate = (value: string | null): value is string => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

export function useScope(): Scope {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (changes: Partial<Record<ScopeParam, string | null>>) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return useMemo(() => {
    const tzParam = params.get('tz');
    const timezone = tzParam && isTimeZone(tzParam) ? tzParam : browserTimeZone();
    const today = todayIn(timezone);
    const toDate = isDate(params.get('to')) ? params.get('to')! : today;
    const fromParam = params.get('from');
    const fromDate = isDate(fromParam) && fromParam <= toDate ? fromParam : addDays(toDate, -(DEFAULT_DAYS - 1));
    const range = { from: startOfDay(fromDate, timezone).toISOString(), to: startOfDay(addDays(toDate, 1), timezone).toISOString() };
    const bucket = pick(params.get('bucket'), BUCKETS) ?? 'DAY';

    const filter: ConversationFilter = {};
    const channel = pick(params.get('channel'), CHANNELS);
    if (channel) filter.channels = [channel];
    const outcome = pick(params.get('outcome'), OUTCOMES);
    if (outcome) filter.outcomes = [outcome];
    const sentiment = pick(params.get('sentiment'), SENTIMENTS);
    if (sentiment) filter.sentiments = [sentiment];
    const status = pick(params.get('status'), STATUSES);
    if (status) filter.statuses = [status];
    const analysis = pick(params.get('analysis'), ANALYSIS_STATUSES);
    if (analysis) filter.analysisStatuses = [analysis];
    const eventType = pick(params.get('event'), EVENT_TYPES);
    if (eventType) filter.eventType = eventType;
    const agent = params.get('agent');
    if (agent) filter.agentId = agent;
    const text = params.get('q')?.trim();
    if (text) filter.text = text;
    const disposition = dispositionCondition(params, timezone);
    if (disposition) filter.disposition = [disposition];
    const activeFilters = Object.keys(filter).length;

    const shared = new URLSearchParams();
    for (const key of SCOPE_PARAMS) {
      const value = params.get(key);
      if (value) shared.set(key, value);
    }
    const search = shared.size ? `?${shared.toString()}` : '';
    return { fromDate, toDate, timezone, bucket, range, filter, activeFilters, get: (param: ScopeParam) => params.get(param) ?? '', set, search };
  }, [params, set]);
}

/**
 * `dm` names a disposition metric; `dmv` is the value it must have (text or choice, or
 * `true`/`false`), `dmin`/`dmax` bound a number or a date.
 */
function dispositionCondition(params: URLSearchParams, timezone: string): DispositionFilterInput | undefined {
  const identifier = params.get('dm');
  if (!identifier) return undefined;
  const condition: DispositionFilterInput = { identifier };
  const value = params.get('dmv');
  if (value === 'true' || value === 'false') condition.is = value === 'true';
  else if (value) condition.equals = value;
  const min = params.get('dmin');
  const max = params.get('dmax');
  if (min && isDate(min)) condition.after = startOfDay(min, timezone).toISOString();
  else if (min && Number.isFinite(Number(min))) condition.min = Number(min);
  if (max && isDate(max)) condition.before = startOfDay(addDays(max, 1), timezone).toISOString();
  else if (max && Number.isFinite(Number(max))) condition.max = Number(max);
  return condition;
}
