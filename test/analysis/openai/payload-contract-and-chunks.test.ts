import { afterEach, describe, expect, it } from 'vitest';
import type { AnalysisConfigSnapshot, AnalysisInput } from '../../../src/analysis/analysis-provider.js';
import { OpenAIAnalysisProvider } from '../../../src/analysis/providers/openai/openai-provider.js';
import { splitTranscript } from '../../../src/analysis/providers/openai/transcript-chunks.js';
import { goodAnswer, salesCallInput } from './analysis-fixtures.js';
import { startFakeOpenAIServer, type FakeOpenAIServer, type ScriptedReply } from './fake-openai-server.js';

let server: FakeOpenAIServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function providerFor(script: ScriptedReply[], options: { maxTranscriptChars?: number } = {}) {
  server = await startFakeOpenAIServer(script);
  const provider = new OpenAIAnalysisProvider({ apiKey: 'sk-test', baseURL: server.baseURL, model: 'gpt-test', retryBaseDelayMs: 10, ...options });
  return { provider, requests: server.requests };
}

const completion = (answer: unknown): ScriptedReply => ({ kind: 'completion', content: JSON.stringify(answer), usage: { prompt_tokens: 1000, completion_tokens: 100 } });

describe('OpenAI-compatible provider: the payload contract', () => {
  it('the prompt states the zone, the reference time and the units; the schema has three sentiment labels and typed payload keys', async () => {
    const { provider, requests } = await providerFor([completion(goodAnswer())]);
    await provider.analyze(salesCallInput());
    const system = requests[0]!.body.messages[0]!.content;
    expect(system).toContain('2025-03-10T14:00:00.000Z, which is 2025-03-10T11:00:00-03:00 (Monday) in America/Sao_Paulo');
    expect(system).toContain("with America/Sao_Paulo's offset (e.g. 2025-03-10T11:00:00-03:00), not Z");
    expect(system).toContain('write the date alone (YYYY-MM-DD)');
    expect(system).toContain('PRICE = the list price before any discount');
    expect(system).toContain('DISCOUNT = a fraction from 0 to 1');
    expect(system).toContain('DURATION in seconds');
    expect(system).toContain('only when a stage change is stated');
    expect(system).toContain('SYSTEM lines are facts');
    const schema = JSON.stringify(requests[0]!.body.response_format?.json_schema?.schema);
    expect(schema).toContain('"enum":["POSITIVE","NEUTRAL","NEGATIVE"]');
    expect(schema).not.toContain('MIXED');
    expect(schema).toContain('"enum":["PRICE","COMPETITOR","TIMING","AUTHORITY","TRUST","NEED"]');
  });

  it('brings the answer to the contract: times in the zone’s offset, dates stay dates, DISCOUNT as a fraction, nulls left out', async () => {
    const answer = goodAnswer();
    answer.events = [
      { eventType: 'FOLLOWUP_DETECTION', eventSubtype: null, payload: { FOLLOWUP_TRY: null, FOLLOWUP_TIME: '2025-03-11T18:00:00Z', FOLLOWUP_TYPE: 'CALL' }, confidence: 0.9, followUpScore: 80, contextStartIndex: 5, contextEndIndex: 6 },
      { eventType: 'MEETING_SCHEDULED', eventSubtype: null, payload: { TIME_SCHEDULED: '2025-03-18', MEETING_CHANNEL: 'ZOOM', LINK: null }, confidence: 0.8, followUpScore: null, contextStartIndex: 5, contextEndIndex: 6 },
      { eventType: 'SALE_MADE', eventSubtype: null, payload: { PRODUCT: 'Intensive course', PRICE: 1200, CURRENCY: 'usd', DISCOUNT: 15 }, confidence: 0.9, followUpScore: null, contextStartIndex: 3, contextEndIndex: 6 },
    ];
    const { provider } = await providerFor([completion(answer)]);
    const output = await provider.analyze(salesCallInput());
    expect(output.events?.map((event) => event.payload)).toEqual([
      { FOLLOWUP_TIME: '2025-03-11T15:00:00-03:00', FOLLOWUP_TYPE: 'CALL' },
      { TIME_SCHEDULED: '2025-03-18', MEETING_CHANNEL: 'ZOOM' },
      { PRODUCT: 'Intensive course', PRICE: 1200, CURRENCY: 'USD', DISCOUNT: 0.15 },
    ]);
    expect(output.events?.[0]?.followUp?.date).toEqual(new Date('2025-03-11T18:00:00Z'));
  });

  it('an answer outside the contract (MIXED, a discount over 100 %) is sent back to the model with the problem', async () => {
    const bad = goodAnswer();
    (bad.sentiment as { label: string }).label = 'MIXED';
    bad.events = [{ eventType: 'SALE_MADE', eventSubtype: null, payload: { PRODUCT: 'Course', PRICE: 1200, CURRENCY: 'USD', DISCOUNT: 250 }, confidence: 0.9, followUpScore: null, contextStartIndex: 3, contextEndIndex: 6 }];
    const { provider, requests } = await providerFor([completion(bad), completion(goodAnswer())]);
    const output = await provider.analyze(salesCallInput());
    expect(output.sentiment?.label).toBe('POSITIVE');
    expect(requests).toHaveLength(2);
    const feedback = requests[1]!.body.messages.at(-1)!.content;
    expect(feedback).toContain('sentiment.label');
    expect(feedback).toContain('events[0].payload.DISCOUNT: 250 is not a fraction between 0 and 1');
  });
});

describe('OpenAI-compatible provider: long transcripts in parts', () => {
  const config: AnalysisConfigSnapshot = { version: 1, summaryPrompt: 'One line per part.', dispositionMetrics: [], enabledAnalyses: ['SUMMARY', 'SENTIMENT_ANALYSIS', 'OUTCOME', 'EVENT_DETECTION'] };

  function longInput(): AnalysisInput {
    const base = salesCallInput(config);
    const messages = Array.from({ length: 30 }, (_, index) => ({
      sequence: index + 1,
      senderRole: index % 2 === 0 ? ('AGENT' as const) : ('USER' as const),
      content: `${index % 2 === 0 ? 'Agent' : 'Customer'} turn ${index + 1}: ${'we talk about the course schedule and the price. '.repeat(3)}`,
      sentAt: null,
    }));
    return { ...base, messages };
  }

  function answerFor(part: AnalysisInput['messages'], index: number, count: number): unknown {
    const first = part[0]!.sequence;
    const last = part.at(-1)!.sequence;
    // The same price objection is seen by every part (it sits in the overlap); each part adds its own summary.
    const events: unknown[] = [{ eventType: 'OBJECTION_DETECTION', eventSubtype: null, payload: { OBJECTION_TYPE: 'PRICE', COMPETITOR: null }, confidence: 0.6 + index * 0.1, followUpScore: null, contextStartIndex: last - 1, contextEndIndex: last }];
    if (index === count - 1) {
      events.push({ eventType: 'FOLLOWUP_DETECTION', eventSubtype: null, payload: { FOLLOWUP_TRY: 1, FOLLOWUP_TIME: '2025-03-11T15:00:00-03:00', FOLLOWUP_TYPE: 'CALL' }, confidence: 0.9, followUpScore: 85, contextStartIndex: last, contextEndIndex: last });
    }
    return {
      summary: { text: `Part ${index + 1}.`, contextStartIndex: first, contextEndIndex: last },
      sentiment: { score: index === 0 ? -0.6 : 0.1, label: index === 0 ? 'NEGATIVE' : 'NEUTRAL', perMessage: part.filter((message) => message.senderRole === 'USER').map((message) => ({ sequence: message.sequence, score: 0 })), contextStartIndex: first, contextEndIndex: last },
      outcome: { outcome: index === count - 1 ? 'NOT_RESOLVED' : 'UNKNOWN', reason: `part ${index + 1}`, endedBy: null, contextStartIndex: first, contextEndIndex: last },
      events,
    };
  }

  it('splits within the budget with overlapping parts, one request per part, events de-duplicated, the end deciding the outcome', async () => {
    const input = longInput();
    const parts = splitTranscript(input.messages, 2_000, 4);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    // Consecutive parts overlap and together cover every message.
    for (let i = 1; i < parts.length; i++) expect(parts[i]![0]!.sequence).toBeLessThanOrEqual(parts[i - 1]!.at(-1)!.sequence);
    expect(new Set(parts.flat().map((message) => message.sequence)).size).toBe(30);

    const { provider, requests } = await providerFor(parts.map((part, index) => completion(answerFor(part, index, parts.length))), { maxTranscriptChars: 2_000 });
    const output = await provider.analyze(input);

    expect(requests).toHaveLength(parts.length);
    requests.forEach((request, index) => {
      const [system, user] = request.body.messages;
      expect(system!.content).toContain(`This is part ${index + 1} of ${parts.length}`);
      expect(user!.content).toContain(`[${parts[index]![0]!.sequence}] `);
      expect(user!.content).not.toContain(`[${parts[index]!.at(-1)!.sequence + 1}] `);
    });
    // One price objection, the most confident part's, its evidence spanning the parts that saw it.
    const objections = output.events?.filter((event) => event.eventType === 'OBJECTION_DETECTION') ?? [];
    expect(objections).toHaveLength(1);
    expect(objections[0]!.confidence).toBeCloseTo(0.6 + (parts.length - 1) * 0.1);
    expect(objections[0]!.contextEndIndex).toBe(30);
    expect(output.events?.filter((event) => event.eventType === 'FOLLOWUP_DETECTION')).toHaveLength(1);
    expect(output.summary?.text).toBe(parts.map((_, index) => `Part ${index + 1}.`).join(' '));
    expect(output.outcome?.outcome).toBe('NOT_RESOLVED');
    // The first part's anger is not followed by a pleased part.
    expect(output.sentiment?.label).toBe('NEGATIVE');
    expect(output.usage).toMatchObject({ promptTokens: 1000 * parts.length, completionTokens: 100 * parts.length });
  });

  it('a transcript within the budget is one request', async () => {
    const input = longInput();
    const { provider, requests } = await providerFor([completion(answerFor(input.messages, 0, 1))], { maxTranscriptChars: 100_000 });
    await provider.analyze(input);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.messages[0]!.content).not.toContain('This is part');
  });
});
