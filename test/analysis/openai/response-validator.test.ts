import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/analysis/providers/openai/request-failure.js';
import { validateModelAnswer, type AnswerValidation } from '../../../src/analysis/providers/openai/response-validator.js';
import { parseIsoDateTime, toZonedIsoString } from '../../../src/analysis/providers/openai/zoned-time.js';
import { goodAnswer, salesCallInput } from './analysis-fixtures.js';

function validate(change: (answer: Record<string, unknown>) => void): AnswerValidation {
  const answer = goodAnswer();
  change(answer);
  const input = salesCallInput();
  return validateModelAnswer(JSON.stringify(answer), input, input.timeZone ?? 'UTC');
}

function metrics(answer: Record<string, unknown>): Record<string, { value: unknown; confidence: number }> {
  return answer.dispositionMetrics as Record<string, { value: unknown; confidence: number }>;
}

function problemsOf(validation: AnswerValidation): string[] {
  if (validation.ok) throw new Error('expected the answer to be rejected');
  return validation.problems;
}

describe('validateModelAnswer', () => {
  it('reads a DATETIME without offset in the conversation time zone, and a date alone as local midnight', () => {
    const validation = validate((answer) => {
      metrics(answer).callback_time!.value = '2025-03-11T15:00';
    });
    expect(validation.ok && validation.results.dispositionMetrics?.[2]?.value).toEqual(new Date('2025-03-11T18:00:00Z'));

    const dateOnly = validate((answer) => {
      metrics(answer).callback_time!.value = '2025-03-11';
    });
    expect(dateOnly.ok && dateOnly.results.dispositionMetrics?.[2]?.value).toEqual(new Date('2025-03-11T03:00:00Z'));
  });

  it('rejects an impossible calendar date', () => {
    const validation = validate((answer) => {
      metrics(answer).callback_time!.value = '2025-02-30T10:00:00Z';
    });
    expect(problemsOf(validation)).toEqual(["metric callback_time: '2025-02-30T10:00:00Z' is not an ISO 8601 date-time"]);
  });

  it('keeps null for unknown values of every type with confidence at most 0.2', () => {
    const validation = validate((answer) => {
      for (const metric of Object.values(metrics(answer))) {
        metric.value = null;
        metric.confidence = 0.9;
      }
    });
    if (!validation.ok) throw new Error(validation.problems.join('; '));
    expect(validation.results.dispositionMetrics?.map((metric) => [metric.identifier, metric.value, metric.confidence])).toEqual([
      ['user_interested', null, 0.2],
      ['user_name', null, 0.2],
      ['callback_time', null, 0.2],
      ['interest_rating', null, 0.2],
      ['wants_payment_plan', null, 0.2],
      ['user_email', null, 0.2],
    ]);
  });

  it('rejects a missing metric and a confidence above 1', () => {
    const problems = problemsOf(
      validate((answer) => {
        delete metrics(answer).user_name;
        metrics(answer).interest_rating!.confidence = 1.5;
      }),
    );
    expect(problems).toContain('dispositionMetrics.user_name: Invalid input: expected object, received undefined');
    expect(problems).toContain('dispositionMetrics.interest_rating.confidence: Too big: expected number to be <=1');
  });

  it('requires a subtype for customer information, and maps numbers and percentages of a sale', () => {
    const problems = problemsOf(
      validate((answer) => {
        answer.events = [
          { eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: null, payload: { VALUE: 'Maria' }, confidence: 0.9, followUpScore: null, contextStartIndex: 2, contextEndIndex: 2 },
        ];
      }),
    );
    expect(problems[0]).toContain('events[0].eventSubtype must be one of NAME, AGE');

    const sale = validate((answer) => {
      answer.events = [
        { eventType: 'SALE_MADE', eventSubtype: null, payload: { PRODUCT: 'Intensive course', PRICE: 1200, DISCOUNT: '10%' }, confidence: 0.9, followUpScore: null, contextStartIndex: 3, contextEndIndex: 6 },
        { eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'EXAM_YEAR', payload: { VALUE: 2026 }, confidence: 0.9, followUpScore: null, contextStartIndex: 4, contextEndIndex: 4 },
      ];
    });
    if (!sale.ok) throw new Error(sale.problems.join('; '));
    expect(sale.results.events).toEqual([
      // DISCOUNT is held to the contract: a fraction 0..1, whatever the model wrote.
      { eventType: 'SALE_MADE', eventSubtype: null, payload: { PRODUCT: 'Intensive course', PRICE: 1200, DISCOUNT: 0.1 }, confidence: 0.9, contextStartIndex: 3, contextEndIndex: 6 },
      { eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'EXAM_YEAR', payload: { VALUE: 2026 }, confidence: 0.9, contextStartIndex: 4, contextEndIndex: 4 },
    ]);
  });

  it('rejects ranges and per-message sequences that are not in the conversation', () => {
    const problems = problemsOf(
      validate((answer) => {
        (answer.outcome as { contextStartIndex: number | null }).contextStartIndex = null;
        (answer.topics as { contextStartIndex: number }).contextStartIndex = 5;
        (answer.topics as { contextEndIndex: number }).contextEndIndex = 2;
        (answer.sentiment as { perMessage: Array<{ sequence: number; score: number }> }).perMessage.push({ sequence: 0, score: 0 });
      }),
    );
    expect(problems).toEqual([
      'sentiment.perMessage: sequence 0 is not a message of the conversation (message sequences are 1..6)',
      'topics: context range 5..2 ends before it starts',
      'outcome: contextStartIndex and contextEndIndex must both be set or both be null (got null, 6)',
    ]);
  });

  it('rejects a sentiment label outside the enum and a score outside -1..1', () => {
    const problems = problemsOf(
      validate((answer) => {
        (answer.sentiment as { label: string; score: number }).label = 'HAPPY';
        (answer.sentiment as { label: string; score: number }).score = 3;
      }),
    );
    expect(problems).toEqual([
      'sentiment.score: Too big: expected number to be <=1',
      // MIXED is not a label our analysis produces.
      'sentiment.label: Invalid option: expected one of "POSITIVE"|"NEUTRAL"|"NEGATIVE"',
    ]);
  });

  it('names an answer that is not an object', () => {
    const input = salesCallInput();
    expect(problemsOf(validateModelAnswer('[1, 2]', input, 'UTC'))).toEqual(['the answer is not a JSON object']);
    expect(problemsOf(validateModelAnswer('', input, 'UTC'))).toEqual(['the answer has no content']);
  });
});

describe('zoned time', () => {
  it('settles the offset across a daylight-saving change', () => {
    // Madrid moves from +01:00 to +02:00 on 2025-03-30 at 02:00 local.
    expect(parseIsoDateTime('2025-03-29T12:00:00', 'Europe/Madrid')).toEqual(new Date('2025-03-29T11:00:00Z'));
    expect(parseIsoDateTime('2025-03-31T12:00:00', 'Europe/Madrid')).toEqual(new Date('2025-03-31T10:00:00Z'));
    expect(toZonedIsoString(new Date('2025-07-01T10:00:00Z'), 'Europe/Madrid')).toBe('2025-07-01T12:00:00+02:00');
  });

  it('honours explicit offsets and rejects other text', () => {
    expect(parseIsoDateTime('2025-03-11T15:00:00.250+05:30', 'UTC')).toEqual(new Date('2025-03-11T09:30:00.250Z'));
    expect(parseIsoDateTime('tomorrow', 'UTC')).toBeNull();
    expect(parseIsoDateTime('2025-13-01', 'UTC')).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-10T14:00:00Z');

  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '1' }), now)).toBe(1_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 10 Mar 2025 14:00:07 GMT' }), now)).toBe(7_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Mon, 10 Mar 2025 13:00:00 GMT' }), now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});
