import type { AnalysisOutput, DetectedEvent } from '../analysis-provider.js';
import type { EvalCall, EvalLanguage, ExpectedEvent } from './eval-set.js';

/**
 * Scores a provider's outputs against the labels. Events (every type but customer information)
 * are matched per call and type, pairing each expected event with the predicted one whose payload
 * agrees most; unmatched predictions are false positives, unmatched labels false negatives.
 * Payload accuracy is over the labelled keys of matched events. Customer information is scored
 * per (subtype, value): a value that differs counts as a miss and a false positive.
 */

export interface PRF {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Accuracy {
  correct: number;
  total: number;
  accuracy: number;
}

/** expected label → predicted label → count. */
export type Confusion = Record<string, Record<string, number>>;

export interface Scores {
  calls: number;
  events: { overall: PRF; byType: Record<string, PRF>; bySubtype: Record<string, PRF> };
  payload: { overall: Accuracy; byKey: Record<string, Accuracy> };
  customerInfo: { overall: PRF; bySubtype: Record<string, PRF> };
  outcome: Accuracy & { confusion: Confusion };
  sentiment: Accuracy & { confusion: Confusion };
}

export interface CallResult {
  id: string;
  lang: EvalLanguage;
  outcome: { expected: string; predicted: string | null };
  sentiment: { expected: string; predicted: string | null };
  missedEvents: ExpectedEvent[];
  spuriousEvents: Array<{ type: string; payload: Record<string, unknown> }>;
  payloadErrors: Array<{ type: string; key: string; expected: unknown; predicted: unknown }>;
  customerInfo: { missed: Record<string, unknown>; wrong: Record<string, { expected: unknown; predicted: unknown }>; spurious: Record<string, unknown> };
}

export interface EvalReport {
  overall: Scores;
  byLanguage: Partial<Record<EvalLanguage, Scores>>;
  calls: CallResult[];
}

interface Tally {
  calls: number;
  byType: Map<string, { tp: number; fp: number; fn: number }>;
  bySubtype: Map<string, { tp: number; fp: number; fn: number }>;
  byKey: Map<string, { correct: number; total: number }>;
  info: Map<string, { tp: number; fp: number; fn: number }>;
  outcome: { correct: number; total: number; confusion: Confusion };
  sentiment: { correct: number; total: number; confusion: Confusion };
}

function newTally(): Tally {
  return {
    calls: 0,
    byType: new Map(),
    bySubtype: new Map(),
    byKey: new Map(),
    info: new Map(),
    outcome: { correct: 0, total: 0, confusion: {} },
    sentiment: { correct: 0, total: 0, confusion: {} },
  };
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^(?:the|o|a)\s+/, '')
    .replace(/[^\p{L}\d%]+/gu, ' ')
    .trim();
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** "2026-05-05T14:00:00-03:00" → "2026-05-05T14:00-03:00"; a date stays a date; null if not ISO. */
function normalizeIso(value: string): string | null {
  const match = ISO.exec(value.trim());
  if (!match) return null;
  const [, date, hour, minute, offset] = match;
  if (hour === undefined) return date!;
  const zone = offset === 'Z' ? '+00:00' : offset!.length === 5 ? `${offset!.slice(0, 3)}:${offset!.slice(3)}` : offset!;
  return `${date}T${hour}:${minute}${zone}`;
}

/** Keys whose free-text values are compared by containment (a label cannot foresee every wording). */
const LENIENT_KEYS = new Set(['PRODUCT', 'COMPETITOR', 'VALUE']);

/** Whether a predicted payload value is what the label says. */
export function sameValue(key: string, expected: unknown, predicted: unknown): boolean {
  if (expected === null) return predicted === null || predicted === undefined;
  if (typeof expected === 'number') {
    return typeof predicted === 'number' && Math.abs(predicted - expected) <= Math.max(0.001, Math.abs(expected) * 0.001);
  }
  if (typeof expected === 'boolean') return predicted === expected;
  if (typeof expected === 'string') {
    if (typeof predicted !== 'string') return false;
    const expectedIso = normalizeIso(expected);
    if (expectedIso) return normalizeIso(predicted) === expectedIso;
    const a = fold(expected);
    const b = fold(predicted);
    if (a === b) return true;
    return LENIENT_KEYS.has(key) && b.length >= 3 && (a.includes(b) || b.includes(a));
  }
  return JSON.stringify(expected) === JSON.stringify(predicted);
}

function payloadAgreement(expected: ExpectedEvent, predicted: DetectedEvent): number {
  const keys = Object.keys(expected.payload);
  if (keys.length === 0) return 1;
  return keys.filter((key) => sameValue(key, expected.payload[key], predicted.payload[key])).length / keys.length;
}

function bump(map: Map<string, { tp: number; fp: number; fn: number }>, key: string, field: 'tp' | 'fp' | 'fn'): void {
  const entry = map.get(key) ?? { tp: 0, fp: 0, fn: 0 };
  entry[field]++;
  map.set(key, entry);
}

/** The finer class of an event where the catalog has one: the objection's type. */
function subtypeOf(type: string, payload: Record<string, unknown>): string | null {
  if (type === 'OBJECTION_DETECTION' && typeof payload.OBJECTION_TYPE === 'string') return `${type}/${payload.OBJECTION_TYPE}`;
  return null;
}

function scoreCall(call: EvalCall, output: AnalysisOutput, tallies: Tally[]): CallResult {
  const predictedEvents = (output.events ?? []).filter((event) => event.eventType !== 'CUSTOMER_INFORMATION_DETECTION');
  const result: CallResult = {
    id: call.id,
    lang: call.lang,
    outcome: { expected: call.expected.outcome, predicted: output.outcome?.outcome ?? null },
    sentiment: { expected: call.expected.sentiment, predicted: output.sentiment?.label ?? null },
    missedEvents: [],
    spuriousEvents: [],
    payloadErrors: [],
    customerInfo: { missed: {}, wrong: {}, spurious: {} },
  };
  const each = (fn: (tally: Tally) => void): void => tallies.forEach(fn);
  each((tally) => tally.calls++);

  const types = new Set<string>([...call.expected.events.map((event) => event.type), ...predictedEvents.map((event) => event.eventType)]);
  for (const type of types) {
    const expected = call.expected.events.filter((event) => event.type === type);
    const predicted = predictedEvents.filter((event) => event.eventType === type);
    const pairs: Array<{ e: number; p: number; score: number }> = [];
    expected.forEach((e, ei) => predicted.forEach((p, pi) => pairs.push({ e: ei, p: pi, score: payloadAgreement(e, p) })));
    pairs.sort((a, b) => b.score - a.score || a.e - b.e || a.p - b.p);
    const usedE = new Set<number>();
    const usedP = new Set<number>();
    for (const pair of pairs) {
      if (usedE.has(pair.e) || usedP.has(pair.p)) continue;
      usedE.add(pair.e);
      usedP.add(pair.p);
      const e = expected[pair.e]!;
      const p = predicted[pair.p]!;
      each((tally) => bump(tally.byType, type, 'tp'));
      const eSub = subtypeOf(type, e.payload);
      const pSub = subtypeOf(type, p.payload);
      if (eSub && eSub === pSub) each((tally) => bump(tally.bySubtype, eSub, 'tp'));
      else {
        if (eSub) each((tally) => bump(tally.bySubtype, eSub, 'fn'));
        if (pSub) each((tally) => bump(tally.bySubtype, pSub, 'fp'));
      }
      for (const [key, value] of Object.entries(e.payload)) {
        const ok = sameValue(key, value, p.payload[key]);
        each((tally) => {
          const entry = tally.byKey.get(`${type}.${key}`) ?? { correct: 0, total: 0 };
          entry.total++;
          if (ok) entry.correct++;
          tally.byKey.set(`${type}.${key}`, entry);
        });
        if (!ok) result.payloadErrors.push({ type, key, expected: value, predicted: p.payload[key] });
      }
    }
    expected.forEach((e, index) => {
      if (usedE.has(index)) return;
      each((tally) => bump(tally.byType, type, 'fn'));
      const sub = subtypeOf(type, e.payload);
      if (sub) each((tally) => bump(tally.bySubtype, sub, 'fn'));
      result.missedEvents.push(e);
    });
    predicted.forEach((p, index) => {
      if (usedP.has(index)) return;
      each((tally) => bump(tally.byType, type, 'fp'));
      const sub = subtypeOf(type, p.payload);
      if (sub) each((tally) => bump(tally.bySubtype, sub, 'fp'));
      result.spuriousEvents.push({ type, payload: p.payload });
    });
  }

  // Customer information: (subtype, value) pairs.
  const predictedInfo = (output.events ?? []).filter((event) => event.eventType === 'CUSTOMER_INFORMATION_DETECTION');
  const matched = new Set<DetectedEvent>();
  for (const [subtype, value] of Object.entries(call.expected.customerInfo)) {
    const candidates = predictedInfo.filter((event) => event.eventSubtype === subtype && !matched.has(event));
    const hit = candidates.find((event) => sameValue('VALUE', value, event.payload.VALUE));
    if (hit) {
      matched.add(hit);
      each((tally) => bump(tally.info, subtype, 'tp'));
    } else {
      each((tally) => bump(tally.info, subtype, 'fn'));
      if (candidates[0]) result.customerInfo.wrong[subtype] = { expected: value, predicted: candidates[0].payload.VALUE };
      else result.customerInfo.missed[subtype] = value;
    }
  }
  for (const event of predictedInfo) {
    if (matched.has(event)) continue;
    const subtype = event.eventSubtype ?? '?';
    each((tally) => bump(tally.info, subtype, 'fp'));
    if (!(subtype in result.customerInfo.wrong)) result.customerInfo.spurious[subtype] = event.payload.VALUE;
  }

  for (const [field, labels] of [
    ['outcome', result.outcome],
    ['sentiment', result.sentiment],
  ] as const) {
    const predicted = labels.predicted ?? '(none)';
    each((tally) => {
      const entry = tally[field];
      entry.total++;
      if (predicted === labels.expected) entry.correct++;
      const row = (entry.confusion[labels.expected] ??= {});
      row[predicted] = (row[predicted] ?? 0) + 1;
    });
  }
  return result;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000);

function prf(counts: { tp: number; fp: number; fn: number }): PRF {
  const precision = counts.tp + counts.fp === 0 ? (counts.fn === 0 ? 1 : 0) : counts.tp / (counts.tp + counts.fp);
  const recall = counts.tp + counts.fn === 0 ? (counts.fp === 0 ? 1 : 0) : counts.tp / (counts.tp + counts.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return { ...counts, precision: round(precision), recall: round(recall), f1: round(f1) };
}

function sum(map: Map<string, { tp: number; fp: number; fn: number }>): { tp: number; fp: number; fn: number } {
  const total = { tp: 0, fp: 0, fn: 0 };
  for (const entry of map.values()) {
    total.tp += entry.tp;
    total.fp += entry.fp;
    total.fn += entry.fn;
  }
  return total;
}

function sorted<T>(map: Map<string, T>, fn: (value: T) => unknown): Record<string, never> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, fn(value)])) as Record<string, never>;
}

function finish(tally: Tally): Scores {
  let correct = 0;
  let total = 0;
  for (const entry of tally.byKey.values()) {
    correct += entry.correct;
    total += entry.total;
  }
  const accuracy = (entry: { correct: number; total: number }): Accuracy => ({ ...entry, accuracy: ratio(entry.correct, entry.total) });
  return {
    calls: tally.calls,
    events: { overall: prf(sum(tally.byType)), byType: sorted(tally.byType, prf), bySubtype: sorted(tally.bySubtype, prf) },
    payload: { overall: accuracy({ correct, total }), byKey: sorted(tally.byKey, accuracy) },
    customerInfo: { overall: prf(sum(tally.info)), bySubtype: sorted(tally.info, prf) },
    outcome: { ...accuracy(tally.outcome), confusion: tally.outcome.confusion },
    sentiment: { ...accuracy(tally.sentiment), confusion: tally.sentiment.confusion },
  };
}

/** Scores each call's output; `outputs[i]` belongs to `calls[i]`. */
export function scoreEvaluation(calls: readonly EvalCall[], outputs: readonly AnalysisOutput[]): EvalReport {
  if (calls.length !== outputs.length) throw new Error(`${calls.length} calls but ${outputs.length} outputs`);
  const overall = newTally();
  const byLanguage = new Map<EvalLanguage, Tally>();
  const results = calls.map((call, index) => {
    const language = byLanguage.get(call.lang) ?? newTally();
    byLanguage.set(call.lang, language);
    return scoreCall(call, outputs[index]!, [overall, language]);
  });
  return {
    overall: finish(overall),
    byLanguage: Object.fromEntries([...byLanguage.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([lang, tally]) => [lang, finish(tally)])),
    calls: results,
  };
}
