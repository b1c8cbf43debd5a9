import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnalysisOutput, DetectedEvent } from '../../../src/analysis/analysis-provider.js';
import { loadEvalSet, toAnalysisInput, type EvalCall, type EvalCallFile } from '../../../src/analysis/evaluation/eval-set.js';
import { sameValue, scoreEvaluation } from '../../../src/analysis/evaluation/scorer.js';

function call(id: string, lang: 'en' | 'pt', expected: EvalCallFile['expected']): EvalCall {
  const file: EvalCallFile = { id, timeZone: 'UTC', referenceTime: '2026-05-04T12:00:00Z', transcript: ['A: Hello', 'U: Hi'], expected };
  return { id, split: 'dev', lang, input: toAnalysisInput(file), expected };
}

function event(eventType: DetectedEvent['eventType'], payload: Record<string, unknown>, eventSubtype: string | null = null): DetectedEvent {
  return { eventType, eventSubtype, payload, confidence: 0.9, contextStartIndex: 0, contextEndIndex: 1 };
}

function output(events: DetectedEvent[], outcome: string, label: string): AnalysisOutput {
  return {
    provider: 'test',
    model: null,
    usage: null,
    events,
    outcome: { outcome: outcome as never, reason: '', endedBy: null, contextStartIndex: 0, contextEndIndex: 1 },
    sentiment: { score: 0, label: label as never, perMessage: [], contextStartIndex: 0, contextEndIndex: 1 },
  };
}

describe('evaluation scorer', () => {
  it('compares values by type: numbers with tolerance, times by wall clock and offset, dates stay dates, free text leniently', () => {
    expect(sameValue('PRICE', 2400, 2400.0000001)).toBe(true);
    expect(sameValue('DISCOUNT', 0.15, '15%')).toBe(false);
    expect(sameValue('DISCOUNT', 0.15, 0.2)).toBe(false);
    expect(sameValue('FOLLOWUP_TIME', '2026-05-07T10:00:00-04:00', '2026-05-07T10:00-04:00')).toBe(true);
    // The same instant in UTC is not what the label says: the offset is part of the contract.
    expect(sameValue('FOLLOWUP_TIME', '2026-05-07T10:00:00-04:00', '2026-05-07T14:00:00Z')).toBe(false);
    expect(sameValue('FOLLOWUP_TIME', '2026-05-12', '2026-05-12')).toBe(true);
    expect(sameValue('FOLLOWUP_TIME', '2026-05-12', '2026-05-12T12:00:00-04:00')).toBe(false);
    expect(sameValue('PRODUCT', 'Business plan', 'the Business Plan')).toBe(true);
    expect(sameValue('PRODUCT', 'Team plan', 'Team plan annual')).toBe(true);
    expect(sameValue('OBJECTION_TYPE', 'PRICE', 'PRICE_HIGH')).toBe(false);
    expect(sameValue('VALUE', 'Colégio Santa Cruz', 'colegio santa cruz')).toBe(true);
    expect(sameValue('ATTENDED', true, 'true')).toBe(false);
  });

  it('counts true and false positives per type and subtype, payload keys on matched events, labels and confusion, per language', () => {
    const calls = [
      call('a', 'en', {
        outcome: 'RESOLVED',
        sentiment: 'NEUTRAL',
        events: [
          { type: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 100, DISCOUNT: 0.1 } },
          { type: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'PRICE' } },
        ],
        customerInfo: { NAME: 'Dana Whitfield', AGE: 17 },
      }),
      call('b', 'pt', {
        outcome: 'NOT_RESOLVED',
        sentiment: 'NEGATIVE',
        events: [{ type: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TIME: '2026-05-05T16:00:00-03:00', FOLLOWUP_TYPE: 'CALL' } }],
        customerInfo: {},
      }),
    ];
    const outputs = [
      output(
        [
          event('SALE_MADE', { PRODUCT: 'Pro', PRICE: 90, DISCOUNT: 0.1 }),
          event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'TIMING' }),
          event('SALES_STAGE_CHANGE', { OLD_STAGE: null, NEW_STAGE: 'PROPOSAL' }),
          event('CUSTOMER_INFORMATION_DETECTION', { VALUE: 'Dana Whitfield' }, 'NAME'),
          event('CUSTOMER_INFORMATION_DETECTION', { VALUE: 18 }, 'AGE'),
        ],
        'RESOLVED',
        'POSITIVE',
      ),
      output([event('FOLLOWUP_DETECTION', { FOLLOWUP_TIME: '2026-05-05T16:00:00-03:00', FOLLOWUP_TYPE: 'CALL' })], 'RESOLVED', 'NEGATIVE'),
    ];
    const report = scoreEvaluation(calls, outputs);
    const { overall } = report;

    expect(overall.calls).toBe(2);
    // SALE_MADE and FOLLOWUP matched; the objection is matched by type (its OBJECTION_TYPE is wrong); a stage change is spurious.
    expect(overall.events.overall).toMatchObject({ tp: 3, fp: 1, fn: 0, precision: 0.75, recall: 1, f1: 0.857 });
    expect(overall.events.byType.SALES_STAGE_CHANGE).toMatchObject({ tp: 0, fp: 1, fn: 0, precision: 0, f1: 0 });
    expect(overall.events.bySubtype['OBJECTION_DETECTION/PRICE']).toMatchObject({ tp: 0, fn: 1 });
    expect(overall.events.bySubtype['OBJECTION_DETECTION/TIMING']).toMatchObject({ tp: 0, fp: 1 });
    expect(overall.payload.byKey['SALE_MADE.PRICE']).toEqual({ correct: 0, total: 1, accuracy: 0 });
    expect(overall.payload.byKey['SALE_MADE.DISCOUNT']).toEqual({ correct: 1, total: 1, accuracy: 1 });
    expect(overall.payload.byKey['OBJECTION_DETECTION.OBJECTION_TYPE']).toEqual({ correct: 0, total: 1, accuracy: 0 });
    // 3 SALE keys + 1 objection key + 2 follow-up keys; 4 right.
    expect(overall.payload.overall).toEqual({ correct: 4, total: 6, accuracy: 0.667 });
    // The wrong age is a miss and a false positive.
    expect(overall.customerInfo.overall).toMatchObject({ tp: 1, fp: 1, fn: 1, recall: 0.5, precision: 0.5 });
    expect(overall.outcome).toMatchObject({ correct: 1, total: 2, accuracy: 0.5, confusion: { RESOLVED: { RESOLVED: 1 }, NOT_RESOLVED: { RESOLVED: 1 } } });
    expect(overall.sentiment).toMatchObject({ correct: 1, total: 2, confusion: { NEUTRAL: { POSITIVE: 1 }, NEGATIVE: { NEGATIVE: 1 } } });

    expect(report.byLanguage.pt?.events.overall).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
    expect(report.byLanguage.en?.outcome.accuracy).toBe(1);
    const a = report.calls.find((entry) => entry.id === 'a')!;
    expect(a.payloadErrors).toEqual([
      { type: 'SALE_MADE', key: 'PRICE', expected: 100, predicted: 90 },
      { type: 'OBJECTION_DETECTION', key: 'OBJECTION_TYPE', expected: 'PRICE', predicted: 'TIMING' },
    ]);
    expect(a.spuriousEvents).toEqual([{ type: 'SALES_STAGE_CHANGE', payload: { OLD_STAGE: null, NEW_STAGE: 'PROPOSAL' } }]);
    expect(a.customerInfo.wrong).toEqual({ AGE: { expected: 17, predicted: 18 } });
  });

  it('pairs two events of one type by payload, not by order', () => {
    const calls = [
      call('c', 'en', {
        outcome: 'NOT_RESOLVED',
        sentiment: 'NEUTRAL',
        events: [
          { type: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'PRICE' } },
          { type: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'AUTHORITY' } },
        ],
        customerInfo: {},
      }),
    ];
    const report = scoreEvaluation(calls, [
      output([event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'AUTHORITY' }), event('OBJECTION_DETECTION', { OBJECTION_TYPE: 'PRICE' })], 'NOT_RESOLVED', 'NEUTRAL'),
    ]);
    expect(report.overall.payload.overall.accuracy).toBe(1);
    expect(report.overall.events.bySubtype['OBJECTION_DETECTION/PRICE']).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it('the repository set loads: unique ids, both splits and languages, labels of the documented kinds', () => {
    const root = fileURLToPath(new URL('../../../eval/', import.meta.url));
    const calls = loadEvalSet(root, ['dev', 'heldout']);
    expect(calls.length).toBeGreaterThanOrEqual(80);
    for (const split of ['dev', 'heldout'] as const) {
      for (const lang of ['en', 'pt'] as const) expect(calls.filter((entry) => entry.split === split && entry.lang === lang).length).toBeGreaterThanOrEqual(15);
    }
    const outcomes = new Set(['RESOLVED', 'NOT_RESOLVED', 'ESCALATED', 'TRANSFERRED', 'ABANDONED', 'UNKNOWN']);
    for (const entry of calls) {
      expect(outcomes.has(entry.expected.outcome), entry.id).toBe(true);
      expect(['POSITIVE', 'NEUTRAL', 'NEGATIVE'], entry.id).toContain(entry.expected.sentiment);
      for (const expected of entry.expected.events) {
        expect(expected.type, entry.id).not.toBe('CUSTOMER_INFORMATION_DETECTION');
        if ('DISCOUNT' in expected.payload) expect(expected.payload.DISCOUNT as number, entry.id).toBeLessThan(1);
        for (const key of ['FOLLOWUP_TIME', 'TIME_SCHEDULED']) {
          const value = expected.payload[key];
          if (value !== undefined) expect(String(value), entry.id).toMatch(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?$/);
        }
      }
      expect(entry.input.messages.length).toBeGreaterThan(0);
    }
  });
});
