import type { AnalysisInput, AnalysisOutput, AnalysisProvider } from '../../analysis-provider.js';
import { evaluateDispositionMetrics } from './disposition.js';
import { detectEvents, type Detections } from './event-detection.js';
import { detectLanguage } from './language.js';
import { determineOutcome } from './outcome.js';
import { analyzeSentiment } from './sentiment.js';
import { summarize } from './summary.js';
import { fold } from './text.js';
import { detectTopics } from './topics.js';
import type { AnalysisContext, PreparedMessage } from './types.js';
import { resolveTimeZone } from '../../zoned-time.js';

/**
 * The offline analysis provider: deterministic (the same input gives the same output; no clock,
 * no randomness — relative dates are read against `input.referenceTime` in `input.timeZone`),
 * free, English and Portuguese. Each analysis is produced only when its type is enabled in the
 * config; what one analysis needs from another (the outcome for the summary, events for the
 * outcome) is computed internally either way.
 */
export class LocalAnalysisProvider implements AnalysisProvider {
  readonly name = 'local';

  async analyze(input: AnalysisInput, options?: { signal?: AbortSignal }): Promise<AnalysisOutput> {
    options?.signal?.throwIfAborted();
    const context = prepare(input);
    const enabled = new Set(input.config.enabledAnalyses);
    const output: AnalysisOutput = { provider: this.name, model: null, usage: null };

    let detections: Detections | null = null;
    const events = (): Detections => (detections ??= detectEvents(context));
    let outcome: NonNullable<AnalysisOutput['outcome']> | null = null;
    const outcomeOf = (): NonNullable<AnalysisOutput['outcome']> => (outcome ??= determineOutcome(context, events()));
    let sentiment: NonNullable<AnalysisOutput['sentiment']> | null = null;
    const sentimentOf = (): NonNullable<AnalysisOutput['sentiment']> => (sentiment ??= analyzeSentiment(context));

    if (enabled.has('SENTIMENT_ANALYSIS')) output.sentiment = sentimentOf();
    if (enabled.has('TOPICS_DETECTED')) output.topics = detectTopics(context);
    if (enabled.has('EVENT_DETECTION')) output.events = events().events;
    if (enabled.has('OUTCOME')) output.outcome = outcomeOf();
    if (enabled.has('SUMMARY')) output.summary = summarize(context, events(), outcomeOf());
    if (enabled.has('DISPOSITION_METRICS')) {
      output.dispositionMetrics = evaluateDispositionMetrics(context, { detections: events(), outcome: outcomeOf(), sentiment: sentimentOf() });
    }
    options?.signal?.throwIfAborted();
    return output;
  }
}

function prepare(input: AnalysisInput): AnalysisContext {
  const messages: PreparedMessage[] = [...input.messages]
    .sort((a, b) => a.sequence - b.sequence)
    .map((message) => {
      const text = message.content.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
      return { sequence: message.sequence, role: message.senderRole, text, folded: fold(text) };
    })
    .filter((message) => message.text.length > 0);
  return {
    input,
    messages,
    lang: detectLanguage(messages),
    timeZone: resolveTimeZone(input.timeZone),
    referenceTime: input.referenceTime,
  };
}
