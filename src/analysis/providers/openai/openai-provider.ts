import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  PermanentAnalysisError,
  RetryableAnalysisError,
  type AnalysisConfigSnapshot,
  type AnalysisInput,
  type AnalysisOutput,
  type AnalysisProvider,
} from '../../analysis-provider.js';
import { buildPromptMessages, type TranscriptPart } from './prompt-builder.js';
import { classifyRequestError, type RequestFailure } from './request-failure.js';
import { buildResponseFormat, requestedAnalyses } from './response-schema.js';
import { validateModelAnswer, type AnalysisResults } from './response-validator.js';
import { abortReason, backoffDelayMs, sleep } from './retry-policy.js';
import { mergeResults, splitTranscript } from './transcript-chunks.js';
import { isKnownTimeZone } from './zoned-time.js';

export interface OpenAIPricing {
  /** USD per million prompt tokens. */
  promptPerMillion: number;
  /** USD per million completion tokens. */
  completionPerMillion: number;
}

export interface OpenAIAnalysisProviderOptions {
  apiKey: string;
  /** Any OpenAI-compatible endpoint, e.g. `http://127.0.0.1:8080/v1`; the client's default otherwise. */
  baseURL?: string;
  model: string;
  /** Per attempt, from sending the request to reading the whole answer. Default 60 000. */
  timeoutMs?: number;
  /** Attempts per analysis, covering HTTP failures, timeouts and invalid answers alike. Default 3. */
  maxAttempts?: number;
  /** Without it, `usage.costUsd` is null. */
  pricing?: OpenAIPricing;
  /** Backoff after a failure without Retry-After: base × 2^(attempt-1), at most 30 s. Default 1 000. */
  retryBaseDelayMs?: number;
  /**
   * The longest Retry-After waited for in process. A longer one ends the analysis at once with a
   * RetryableAnalysisError carrying it, so the job queue waits instead of a worker. Default 60 000.
   */
  maxRetryAfterMs?: number;
  /**
   * Transcripts longer than this (characters) are analysed in parts of at most this size, each
   * overlapping the previous by `chunkOverlapMessages` messages, and the parts' answers merged.
   * Default 48 000 (about 12k tokens).
   */
  maxTranscriptChars?: number;
  /** Default 4. */
  chunkOverlapMessages?: number;
}

type Usage = NonNullable<AnalysisOutput['usage']>;

/** How the last attempt failed, which decides the error thrown when attempts run out. */
type LastFailure =
  | { kind: 'transient'; message: string; retryAfterMs: number | undefined }
  | { kind: 'invalid-answer'; problems: string[] };

const MAX_BACKOFF_MS = 30_000;

/**
 * Analyses a conversation with one chat-completions call on an OpenAI-compatible endpoint,
 * asking for Structured Outputs (a strict JSON Schema built from the config) and validating the
 * answer before it is returned. Retries are its own (the client's are off) so that attempts,
 * waits and errors are predictable: HTTP 408/429/5xx, timeouts and network failures are retried
 * honouring Retry-After and end in RetryableAnalysisError; invalid answers are retried with the
 * problems fed back to the model and end in PermanentAnalysisError; other 4xx fail at once.
 */
export class OpenAIAnalysisProvider implements AnalysisProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly pricing: OpenAIPricing | null;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxTranscriptChars: number;
  private readonly chunkOverlapMessages: number;

  constructor(options: OpenAIAnalysisProviderOptions) {
    this.model = options.model;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
    this.pricing = options.pricing ?? null;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 1_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.maxTranscriptChars = Math.max(1_000, options.maxTranscriptChars ?? 48_000);
    this.chunkOverlapMessages = Math.max(0, Math.floor(options.chunkOverlapMessages ?? 4));
    this.client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      timeout: this.timeoutMs,
    });
  }

  async analyze(input: AnalysisInput, options?: { signal?: AbortSignal }): Promise<AnalysisOutput> {
    const signal = options?.signal;
    if (signal?.aborted) throw abortReason(signal);
    assertUsableConfig(input.config);
    const timeZone = input.timeZone ?? 'UTC';
    if (!isKnownTimeZone(timeZone)) throw new PermanentAnalysisError(`openai: unknown time zone '${timeZone}'`);

    if (requestedAnalyses(input.config).length === 0) {
      // Nothing to ask the model: no request, no cost.
      return { provider: this.name, model: this.model, usage: null, ...emptyResults(input.config) };
    }

    const parts = splitTranscript(input.messages, this.maxTranscriptChars, this.chunkOverlapMessages);
    let usage: Usage | null = null;
    let reportedModel: string | null = null;
    const answers: AnalysisResults[] = [];
    // One part at a time: the parts of one conversation share its rate limit and its abort signal.
    for (const [index, messages] of parts.entries()) {
      const part = await this.complete({ ...input, messages }, timeZone, signal, { index, count: parts.length });
      answers.push(part.results);
      if (part.usage) usage = addUsage(usage, part.usage);
      reportedModel = part.model ?? reportedModel;
    }
    return {
      provider: this.name,
      model: reportedModel ?? this.model,
      usage: usage ? { ...usage, costUsd: this.costOf(usage) } : null,
      ...mergeResults(answers),
    };
  }

  /** One request (with its retries) for one part of the conversation. */
  private async complete(
    input: AnalysisInput,
    timeZone: string,
    signal: AbortSignal | undefined,
    part: TranscriptPart,
  ): Promise<{ results: AnalysisResults; usage: Usage | null; model: string | null }> {
    const baseMessages = buildPromptMessages(input, timeZone, part);
    const responseFormat = buildResponseFormat(input.config);
    let messages: ChatCompletionMessageParam[] = baseMessages;
    let usage: Usage | null = null;
    let reportedModel: string | null = null;
    let lastFailure: LastFailure | null = null;

    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const body: ChatCompletionCreateParamsNonStreaming = { model: this.model, messages, response_format: responseFormat };
      const result = await this.attempt(body, signal);

      if (result.kind === 'failed') {
        if (result.failure.kind === 'rejected') {
          throw new PermanentAnalysisError(`openai: ${result.failure.message}`);
        }
        lastFailure = result.failure;
        if (attempt === this.maxAttempts) break;
        const delayMs = result.failure.retryAfterMs ?? backoffDelayMs(attempt, this.retryBaseDelayMs, MAX_BACKOFF_MS);
        if (result.failure.retryAfterMs !== undefined && result.failure.retryAfterMs > this.maxRetryAfterMs) {
          throw new RetryableAnalysisError(
            `openai: ${result.failure.message}; the server asks to wait ${result.failure.retryAfterMs} ms`,
            result.failure.retryAfterMs,
          );
        }
        await sleep(delayMs, signal);
        continue;
      }

      const completion = result.completion;
      reportedModel = completion.model || reportedModel;
      if (completion.usage) usage = addUsage(usage, toUsage(completion.usage));
      const content = completion.choices[0]?.message.content ?? null;
      const answer = this.readAnswer(completion, input, timeZone);
      if (answer.ok) return { results: answer.results, usage, model: reportedModel };
      lastFailure = { kind: 'invalid-answer', problems: answer.problems };
      // The next attempt shows the model its rejected answer and why, which fixes most slips.
      messages =
        content === null
          ? baseMessages
          : [
              ...baseMessages,
              { role: 'assistant', content },
              {
                role: 'user',
                content: `That answer was rejected: ${answer.problems.join('; ')}. Answer again with the complete JSON object, following the schema and the rules.`,
              },
            ];
      if (signal?.aborted) throw abortReason(signal);
    }

    const attempts = `${this.maxAttempts} attempt${this.maxAttempts === 1 ? '' : 's'}`;
    if (lastFailure?.kind === 'invalid-answer') {
      throw new PermanentAnalysisError(`openai: invalid answer after ${attempts}: ${lastFailure.problems.join('; ')}`);
    }
    const message = lastFailure?.message ?? 'no attempt was made';
    const retryAfterMs = lastFailure?.retryAfterMs ?? backoffDelayMs(this.maxAttempts, this.retryBaseDelayMs, MAX_BACKOFF_MS);
    throw new RetryableAnalysisError(`openai: ${message} (after ${attempts})`, retryAfterMs);
  }

  /** One request, bounded by `timeoutMs` including the body, and by the caller's signal. */
  private async attempt(
    body: ChatCompletionCreateParamsNonStreaming,
    callerSignal: AbortSignal | undefined,
  ): Promise<{ kind: 'completed'; completion: ChatCompletion } | { kind: 'failed'; failure: RequestFailure }> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
    try {
      const completion = await this.client.chat.completions.create(body, { signal, timeout: this.timeoutMs, maxRetries: 0 });
      return { kind: 'completed', completion };
    } catch (error) {
      if (callerSignal?.aborted) throw abortReason(callerSignal);
      return { kind: 'failed', failure: classifyRequestError(error, timeout.signal.aborted, this.timeoutMs) };
    } finally {
      clearTimeout(timer);
    }
  }

  private readAnswer(completion: ChatCompletion, input: AnalysisInput, timeZone: string): { ok: true; results: AnalysisResults } | { ok: false; problems: string[] } {
    const choice = completion.choices[0];
    if (!choice) return { ok: false, problems: ['the response has no choices'] };
    if (choice.message.refusal) return { ok: false, problems: [`the model refused: ${choice.message.refusal}`] };
    const validation = validateModelAnswer(choice.message.content, input, timeZone);
    if (!validation.ok && choice.finish_reason === 'length') {
      return { ok: false, problems: ['the answer was cut off at the token limit', ...validation.problems] };
    }
    return validation;
  }

  private costOf(usage: Usage): number | null {
    if (!this.pricing) return null;
    return (usage.promptTokens * this.pricing.promptPerMillion + usage.completionTokens * this.pricing.completionPerMillion) / 1_000_000;
  }
}

function toUsage(reported: NonNullable<ChatCompletion['usage']>): Usage {
  return { promptTokens: reported.prompt_tokens, completionTokens: reported.completion_tokens, totalTokens: reported.total_tokens, costUsd: null };
}

function addUsage(total: Usage | null, more: Usage): Usage {
  return {
    promptTokens: (total?.promptTokens ?? 0) + more.promptTokens,
    completionTokens: (total?.completionTokens ?? 0) + more.completionTokens,
    totalTokens: (total?.totalTokens ?? 0) + more.totalTokens,
    costUsd: null,
  };
}

/** A config the schema cannot express is a permanent failure, found before any request. */
function assertUsableConfig(config: AnalysisConfigSnapshot): void {
  const seen = new Set<string>();
  for (const metric of config.dispositionMetrics) {
    if (seen.has(metric.identifier)) throw new PermanentAnalysisError(`openai: metric ${metric.identifier} is configured twice`);
    seen.add(metric.identifier);
    if (metric.type === 'ENUM' && (metric.choices ?? []).length === 0) {
      throw new PermanentAnalysisError(`openai: metric ${metric.identifier} is an ENUM without choices`);
    }
  }
}

function emptyResults(config: AnalysisConfigSnapshot): AnalysisResults {
  return config.enabledAnalyses.includes('DISPOSITION_METRICS') ? { dispositionMetrics: [] } : {};
}
