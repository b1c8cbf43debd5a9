import { afterEach, describe, expect, it } from 'vitest';
import {
  PermanentAnalysisError,
  RetryableAnalysisError,
  type AnalysisConfigSnapshot,
  type AnalysisOutput,
} from '../../../src/analysis/analysis-provider.js';
import { OpenAIAnalysisProvider, type OpenAIAnalysisProviderOptions } from '../../../src/analysis/providers/openai/openai-provider.js';
import { fullConfig, goodAnswer, salesCallInput } from './analysis-fixtures.js';
import { startFakeOpenAIServer, type FakeOpenAIServer, type RecordedRequest, type ScriptedReply } from './fake-openai-server.js';

let server: FakeOpenAIServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function providerFor(script: ScriptedReply[], options: Partial<OpenAIAnalysisProviderOptions> = {}) {
  server = await startFakeOpenAIServer(script);
  const provider = new OpenAIAnalysisProvider({
    apiKey: 'sk-test-key',
    baseURL: server.baseURL,
    model: 'gpt-test',
    retryBaseDelayMs: 20,
    pricing: { promptPerMillion: 2.5, completionPerMillion: 10 },
    ...options,
  });
  return { provider, requests: server.requests };
}

const good = (usage = { prompt_tokens: 1200, completion_tokens: 300 }): ScriptedReply => ({
  kind: 'completion',
  content: JSON.stringify(goodAnswer()),
  usage,
});

function answerWith(change: (answer: Record<string, unknown>) => void): ScriptedReply {
  const answer = goodAnswer();
  change(answer);
  return { kind: 'completion', content: JSON.stringify(answer) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the analysis to fail');
}

function schemaOf(request: RecordedRequest): Record<string, unknown> {
  const schema = request.body.response_format?.json_schema?.schema;
  if (!schema) throw new Error('the request has no json_schema');
  return schema;
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  if (!properties) throw new Error('not an object schema');
  return properties;
}

const expectedOutput: AnalysisOutput = {
  provider: 'openai',
  model: 'gpt-test-2025-01-01',
  usage: { promptTokens: 1200, completionTokens: 300, totalTokens: 1500, costUsd: 0.006 },
  summary: {
    text: 'Maria is interested in the medicine prep course; a call-back was set to discuss payment plans.',
    contextStartIndex: 1,
    contextEndIndex: 6,
  },
  sentiment: {
    score: 0.4,
    label: 'POSITIVE',
    perMessage: [
      { sequence: 2, score: 0.6 },
      { sequence: 4, score: -0.2 },
      { sequence: 6, score: 0.7 },
    ],
    contextStartIndex: 1,
    contextEndIndex: 6,
  },
  topics: { topics: ['medicine prep course', 'pricing', 'payment plans'], contextStartIndex: 2, contextEndIndex: 5 },
  outcome: { outcome: 'RESOLVED', reason: 'A call-back was agreed.', endedBy: 'USER', contextStartIndex: 5, contextEndIndex: 6 },
  events: [
    {
      eventType: 'CUSTOMER_INFORMATION_DETECTION',
      eventSubtype: 'NAME',
      payload: { VALUE: 'Maria Silva' },
      confidence: 0.95,
      contextStartIndex: 2,
      contextEndIndex: 2,
    },
    {
      eventType: 'OBJECTION_DETECTION',
      eventSubtype: null,
      payload: { OBJECTION_TYPE: 'PRICE' },
      confidence: 0.8,
      contextStartIndex: 4,
      contextEndIndex: 4,
    },
    {
      eventType: 'FOLLOWUP_DETECTION',
      eventSubtype: null,
      payload: { FOLLOWUP_TIME: '2025-03-11T15:00:00-03:00', FOLLOWUP_TYPE: 'CALL' },
      confidence: 0.9,
      followUp: { score: 80, date: new Date('2025-03-11T18:00:00Z') },
      contextStartIndex: 5,
      contextEndIndex: 6,
    },
  ],
  dispositionMetrics: [
    { identifier: 'user_interested', type: 'ENUM', value: 'yes', confidence: 1, reasoning: 'She said she is interested.', contextStartIndex: 2, contextEndIndex: 2 },
    { identifier: 'user_name', type: 'STRING', value: 'Maria Silva', confidence: 1, reasoning: 'She gave her name.', contextStartIndex: 2, contextEndIndex: 2 },
    {
      identifier: 'callback_time',
      type: 'DATETIME',
      value: new Date('2025-03-11T18:00:00Z'),
      confidence: 0.9,
      reasoning: 'Tomorrow at 3pm.',
      contextStartIndex: 5,
      contextEndIndex: 6,
    },
    { identifier: 'interest_rating', type: 'INTEGER', value: 4, confidence: 0.7, reasoning: 'Interested but price-sensitive.', contextStartIndex: 2, contextEndIndex: 4 },
    {
      identifier: 'wants_payment_plan',
      type: 'BOOLEAN',
      value: true,
      confidence: 0.8,
      reasoning: 'She agreed to discuss payment plans.',
      contextStartIndex: 5,
      contextEndIndex: 6,
    },
    // Null means unknown: the model's 0.6 is capped at 0.2.
    { identifier: 'user_email', type: 'STRING', value: null, confidence: 0.2, reasoning: 'No email was given.', contextStartIndex: null, contextEndIndex: null },
  ],
};

describe('OpenAIAnalysisProvider request', () => {
  it('sends the model, a strict json_schema listing every metric and enabled analysis, and the numbered transcript', async () => {
    const { provider, requests } = await providerFor([good()]);
    await provider.analyze(salesCallInput());

    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.authorization).toBe('Bearer sk-test-key');
    expect(request.body.model).toBe('gpt-test');
    expect(request.body.response_format?.type).toBe('json_schema');
    expect(request.body.response_format?.json_schema?.name).toBe('conversation_analysis');
    expect(request.body.response_format?.json_schema?.strict).toBe(true);

    const schema = schemaOf(request);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(propertiesOf(schema))).toEqual(['summary', 'sentiment', 'topics', 'outcome', 'events', 'dispositionMetrics']);
    expect(schema.required).toEqual(['summary', 'sentiment', 'topics', 'outcome', 'events', 'dispositionMetrics']);

    const metrics = propertiesOf(propertiesOf(schema).dispositionMetrics);
    expect(Object.keys(metrics)).toEqual(['user_interested', 'user_name', 'callback_time', 'interest_rating', 'wants_payment_plan', 'user_email']);
    expect(propertiesOf(metrics.user_interested).value).toEqual({ anyOf: [{ type: 'string', enum: ['yes', 'no', 'unclear'] }, { type: 'null' }] });
    expect(propertiesOf(metrics.interest_rating).value).toEqual({ type: ['integer', 'null'] });
    expect(propertiesOf(metrics.wants_payment_plan).value).toEqual({ type: ['boolean', 'null'] });
    expect(propertiesOf(metrics.user_name).value).toEqual({ type: ['string', 'null'] });
    expect(propertiesOf(metrics.callback_time).value).toMatchObject({ type: ['string', 'null'] });
    expect(Object.keys(propertiesOf(metrics.user_interested))).toEqual(['value', 'confidence', 'reasoning', 'contextStartIndex', 'contextEndIndex']);

    const eventVariants = (propertiesOf(schema).events as { items: { anyOf: Array<{ properties: { eventType: { enum: string[] }; payload: { properties: object } } }> } }).items.anyOf;
    expect(eventVariants.map((variant) => variant.properties.eventType.enum[0])).toEqual([
      'SALES_STAGE_CHANGE',
      'FOLLOWUP_DETECTION',
      'OBJECTION_DETECTION',
      'SALE_MADE',
      'MEETING_SCHEDULED',
      'MEETING_DONE',
      'CUSTOMER_INFORMATION_DETECTION',
    ]);
    expect(Object.keys(eventVariants[1]!.properties.payload.properties)).toEqual(['FOLLOWUP_TRY', 'FOLLOWUP_TIME', 'FOLLOWUP_TYPE']);
    expect(Object.keys(eventVariants[3]!.properties.payload.properties)).toEqual(['PRODUCT', 'PRICE', 'CURRENCY', 'DISCOUNT']);

    const [system, user] = request.body.messages;
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Summarize this sales call briefly.');
    expect(system?.content).toContain('user_interested (ENUM; exactly one of: yes, no, unclear): Was the user interested? yes, no, or unclear');
    expect(system?.content).toContain('callback_time (DATETIME');
    expect(system?.content).toContain('2025-03-10T14:00:00.000Z, which is 2025-03-10T11:00:00-03:00 (Monday) in America/Sao_Paulo');
    expect(user?.role).toBe('user');
    expect(user?.content).toContain('[1] AGENT: Hi, this is Ava from Alma Prep. Am I speaking with Maria?');
    expect(user?.content).toContain("[2] USER: Yes, I'm Maria Silva. I'm interested in your medicine prep course.");
    // A newline inside a message does not open a line of its own.
    expect(user?.content).toContain("[4] USER: In 2026. It's a bit expensive though.");
    expect(user?.content).toContain('lookup_course_price: SUCCESS (at message 3)');
  });

  it('asks only for the enabled analyses', async () => {
    const config: AnalysisConfigSnapshot = { ...fullConfig, enabledAnalyses: ['DISPOSITION_METRICS', 'SUMMARY'] };
    const answer = goodAnswer();
    const { provider, requests } = await providerFor([
      { kind: 'completion', content: JSON.stringify({ summary: answer.summary, dispositionMetrics: answer.dispositionMetrics }) },
    ]);

    const output = await provider.analyze(salesCallInput(config));

    const schema = schemaOf(requests[0]!);
    expect(Object.keys(propertiesOf(schema))).toEqual(['summary', 'dispositionMetrics']);
    expect(requests[0]!.body.messages[0]!.content).not.toContain('"events"');
    expect(requests[0]!.body.messages[0]!.content).not.toContain('"sentiment"');
    expect(Object.keys(output).sort()).toEqual(['dispositionMetrics', 'model', 'provider', 'summary', 'usage']);
    expect(output.dispositionMetrics).toHaveLength(6);
  });

  it('makes no request when nothing is enabled', async () => {
    const { provider, requests } = await providerFor([good()]);
    const output = await provider.analyze(salesCallInput({ ...fullConfig, enabledAnalyses: [] }));
    expect(output).toEqual({ provider: 'openai', model: 'gpt-test', usage: null });
    expect(requests).toHaveLength(0);
  });
});

describe('OpenAIAnalysisProvider answer', () => {
  it('maps a good structured answer to the AnalysisOutput, values typed', async () => {
    const { provider } = await providerFor([good()]);
    const output = await provider.analyze(salesCallInput());

    expect(output).toEqual(expectedOutput);
    const callback = output.dispositionMetrics?.find((metric) => metric.identifier === 'callback_time');
    expect(callback?.value).toBeInstanceOf(Date);
    expect(output.usage?.costUsd).toBeCloseTo(0.006, 10);
  });

  it('reports null cost without pricing, and the configured model when the response names none', async () => {
    const { provider } = await providerFor([{ kind: 'completion', content: JSON.stringify(goodAnswer()), model: '' }], { pricing: undefined });
    const output = await provider.analyze(salesCallInput());
    expect(output.model).toBe('gpt-test');
    expect(output.usage).toEqual({ promptTokens: 100, completionTokens: 50, totalTokens: 150, costUsd: null });
  });

  it('retries malformed JSON, feeding the problem back, and sums the usage of both answers', async () => {
    const { provider, requests } = await providerFor([
      { kind: 'completion', content: '{"summary": {"text": "cut', usage: { prompt_tokens: 1000, completion_tokens: 10 } },
      good(),
    ]);

    const output = await provider.analyze(salesCallInput());

    expect(requests).toHaveLength(2);
    expect(output.summary).toEqual(expectedOutput.summary);
    expect(output.usage).toEqual({ promptTokens: 2200, completionTokens: 310, totalTokens: 2510, costUsd: (2200 * 2.5 + 310 * 10) / 1_000_000 });
    const retry = requests[1]!.body.messages;
    expect(retry.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2]!.content).toBe('{"summary": {"text": "cut');
    expect(retry[3]!.content).toContain('the answer is not JSON');
  });

  it('fails permanently when every answer is malformed, naming the problem', async () => {
    const { provider, requests } = await providerFor([{ kind: 'completion', content: 'Sure! Here is the analysis: positive.' }]);

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    expect(error).toBeInstanceOf(PermanentAnalysisError);
    expect((error as Error).message).toMatch(/^openai: invalid answer after 3 attempts: the answer is not JSON/);
    expect(requests).toHaveLength(3);
  });

  it('fails permanently when a required analysis is missing from the answer', async () => {
    const { provider, requests } = await providerFor([answerWith((answer) => delete answer.outcome)]);
    const error = await rejectionOf(provider.analyze(salesCallInput()));
    expect(error).toBeInstanceOf(PermanentAnalysisError);
    expect((error as Error).message).toContain('outcome: Invalid input: expected object, received undefined');
    expect(requests).toHaveLength(3);
  });

  it('fails permanently when an ENUM value is outside its choices every time, naming metric and choices', async () => {
    const { provider, requests } = await providerFor([
      answerWith((answer) => {
        (answer.dispositionMetrics as Record<string, { value: unknown }>).user_interested!.value = 'maybe';
      }),
    ]);

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    expect(error).toBeInstanceOf(PermanentAnalysisError);
    expect((error as Error).message).toContain("metric user_interested: 'maybe' is not one of yes, no, unclear");
    expect(requests).toHaveLength(3);
  });

  it('accepts the corrected answer after an ENUM slip', async () => {
    const { provider, requests } = await providerFor([
      answerWith((answer) => {
        (answer.dispositionMetrics as Record<string, { value: unknown }>).user_interested!.value = 'Yes!';
      }),
      good(),
    ]);
    const output = await provider.analyze(salesCallInput());
    expect(output.dispositionMetrics?.[0]?.value).toBe('yes');
    expect(requests[1]!.body.messages[3]!.content).toContain("metric user_interested: 'Yes!' is not one of yes, no, unclear");
  });

  it('rejects values of the wrong type for INTEGER, BOOLEAN and DATETIME metrics', async () => {
    const { provider } = await providerFor([
      answerWith((answer) => {
        const metrics = answer.dispositionMetrics as Record<string, { value: unknown }>;
        metrics.interest_rating!.value = 3.5;
        metrics.wants_payment_plan!.value = 'yes';
        metrics.callback_time!.value = 'tomorrow at 3pm';
      }),
    ]);
    const error = await rejectionOf(provider.analyze(salesCallInput()));
    expect(error).toBeInstanceOf(PermanentAnalysisError);
    const message = (error as Error).message;
    expect(message).toContain("metric callback_time: 'tomorrow at 3pm' is not an ISO 8601 date-time");
    expect(message).toContain('metric interest_rating: 3.5 is not an integer');
    expect(message).toContain("metric wants_payment_plan: 'yes' is not a boolean");
  });

  it('rejects an event whose payload fails the seed 001 catalog', async () => {
    const { provider, requests } = await providerFor([
      answerWith((answer) => {
        answer.events = [
          {
            eventType: 'MEETING_SCHEDULED',
            eventSubtype: null,
            payload: { TIME_SCHEDULED: 'next Tuesday', MEETING_CHANNEL: 'VIDEO', LINK: null },
            confidence: 0.7,
            followUpScore: null,
            contextStartIndex: 5,
            contextEndIndex: 5,
          },
        ];
      }),
    ]);

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    expect(error).toBeInstanceOf(PermanentAnalysisError);
    expect((error as Error).message).toContain('events[0].payload.TIME_SCHEDULED');
    expect((error as Error).message).toContain('(payload of MEETING_SCHEDULED)');
    expect(requests).toHaveLength(3);
  });

  it('rejects a context range outside the conversation', async () => {
    const { provider } = await providerFor([
      answerWith((answer) => {
        (answer.summary as { contextEndIndex: number }).contextEndIndex = 9;
      }),
    ]);
    const error = await rejectionOf(provider.analyze(salesCallInput()));
    expect(error).toBeInstanceOf(PermanentAnalysisError);
    expect((error as Error).message).toContain('summary: context range 1..9 is outside the conversation (message sequences are 1..6)');
  });
});

describe('OpenAIAnalysisProvider HTTP failures', () => {
  it('waits for Retry-After after a 429, then succeeds with the usage of the successful answer', async () => {
    const { provider, requests } = await providerFor([
      { kind: 'status', status: 429, headers: { 'retry-after': '1' }, message: 'Rate limit reached' },
      good(),
    ]);

    const output = await provider.analyze(salesCallInput());

    expect(requests).toHaveLength(2);
    expect(requests[1]!.receivedAtMs - requests[0]!.receivedAtMs).toBeGreaterThanOrEqual(950);
    expect(output.usage).toEqual(expectedOutput.usage);
    expect(output.summary).toEqual(expectedOutput.summary);
  });

  it('throws RetryableAnalysisError after three 500s', async () => {
    const { provider, requests } = await providerFor([{ kind: 'status', status: 500, message: 'The server had an error' }]);

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    expect(error).toBeInstanceOf(RetryableAnalysisError);
    expect((error as Error).message).toContain('HTTP 500');
    expect((error as Error).message).toContain('after 3 attempts');
    expect((error as RetryableAnalysisError).retryAfterMs).toBe(80);
    expect(requests).toHaveLength(3);
  });

  it('carries the last Retry-After when 429s outlast the attempts', async () => {
    const { provider, requests } = await providerFor([{ kind: 'status', status: 429, headers: { 'retry-after-ms': '30' } }], { maxAttempts: 2 });
    const error = await rejectionOf(provider.analyze(salesCallInput()));
    expect(error).toBeInstanceOf(RetryableAnalysisError);
    expect((error as RetryableAnalysisError).retryAfterMs).toBe(30);
    expect(requests).toHaveLength(2);
  });

  it('hands a long Retry-After back to the job queue instead of waiting', async () => {
    const retryAt = new Date(Date.now() + 120_000).toUTCString();
    const { provider, requests } = await providerFor([{ kind: 'status', status: 503, headers: { 'retry-after': retryAt } }]);
    const started = Date.now();

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    expect(error).toBeInstanceOf(RetryableAnalysisError);
    const retryAfterMs = (error as RetryableAnalysisError).retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(100_000);
    expect(retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('throws RetryableAnalysisError when the server never answers within timeoutMs', async () => {
    const { provider, requests } = await providerFor([{ kind: 'hang' }], { timeoutMs: 300 });
    const started = Date.now();

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(RetryableAnalysisError);
    expect((error as Error).message).toContain('timed out after 300 ms');
    expect(requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('times out a response whose body stalls after the headers', async () => {
    const { provider, requests } = await providerFor([{ kind: 'stall-body' }], { timeoutMs: 300, maxAttempts: 2 });
    const started = Date.now();

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    expect(error).toBeInstanceOf(RetryableAnalysisError);
    expect((error as Error).message).toContain('timed out after 300 ms');
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.each([
    [401, 'Incorrect API key provided'],
    [400, "Invalid schema for response_format 'conversation_analysis'"],
  ])('fails permanently on HTTP %i without retrying', async (status, message) => {
    const { provider, requests } = await providerFor([{ kind: 'status', status, message }, good()]);

    const error = await rejectionOf(provider.analyze(salesCallInput()));

    expect(error).toBeInstanceOf(PermanentAnalysisError);
    expect((error as Error).message).toContain(`HTTP ${status}`);
    expect((error as Error).message).toContain(message);
    expect(requests).toHaveLength(1);
  });

  it("stops at once when the caller's signal aborts", async () => {
    const { provider, requests } = await providerFor([{ kind: 'hang' }], { timeoutMs: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);

    const error = await rejectionOf(provider.analyze(salesCallInput(), { signal: controller.signal }));

    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requests).toHaveLength(1);
  });

  it('stops waiting for Retry-After when the caller aborts', async () => {
    const { provider, requests } = await providerFor([{ kind: 'status', status: 429, headers: { 'retry-after': '5' } }, good()]);
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('worker shutting down')), 150);

    const error = await rejectionOf(provider.analyze(salesCallInput(), { signal: controller.signal }));

    expect((error as Error).message).toBe('worker shutting down');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requests).toHaveLength(1);
  });
});

describe('OpenAIAnalysisProvider config checks', () => {
  it('refuses an ENUM metric without choices before any request', async () => {
    const { provider, requests } = await providerFor([good()]);
    const config: AnalysisConfigSnapshot = {
      ...fullConfig,
      dispositionMetrics: [{ identifier: 'stage', prompt: 'Which stage?', type: 'ENUM', choices: [] }],
    };
    const error = await rejectionOf(provider.analyze(salesCallInput(config)));
    expect(error).toBeInstanceOf(PermanentAnalysisError);
    expect((error as Error).message).toBe('openai: metric stage is an ENUM without choices');
    expect(requests).toHaveLength(0);
  });
});
