import type { AnalysisInput, DetectedEvent, DispositionValue } from '../../analysis-provider.js';
import type { AnalysisResults } from './response-validator.js';

/**
 * Long transcripts are analysed in parts: consecutive runs of messages within a character budget,
 * each overlapping the previous one by a few messages so that an offer and its answer are never
 * cut apart. The parts' answers are merged back into one result: events de-duplicated across
 * parts, the summaries in order, the outcome of the last part (the end decides), sentiment by the
 * same rule as one answer (a negative part not followed by a positive one makes it negative).
 */

export function splitTranscript(messages: AnalysisInput['messages'], maxChars: number, overlapMessages: number): Array<AnalysisInput['messages']> {
  const total = messages.reduce((sum, message) => sum + message.content.length + 16, 0);
  if (total <= maxChars || messages.length <= 1) return [messages];
  const parts: Array<AnalysisInput['messages']> = [];
  let start = 0;
  while (start < messages.length) {
    let end = start;
    let size = 0;
    while (end < messages.length && (end === start || size + messages[end]!.content.length + 16 <= maxChars)) {
      size += messages[end]!.content.length + 16;
      end++;
    }
    parts.push(messages.slice(start, end));
    if (end >= messages.length) break;
    // Overlap, but always move forward.
    start = Math.max(start + 1, end - overlapMessages);
  }
  return parts;
}

const fold = (value: unknown): string =>
  String(value ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();

/** What makes two events the same event, whichever part reported it. */
function eventKey(event: DetectedEvent): string {
  const p = event.payload;
  switch (event.eventType) {
    case 'CUSTOMER_INFORMATION_DETECTION':
      return `${event.eventType}:${event.eventSubtype}:${fold(p.VALUE)}`;
    case 'OBJECTION_DETECTION':
      return `${event.eventType}:${fold(p.OBJECTION_TYPE)}`;
    case 'SALE_MADE':
      return `${event.eventType}:${fold(p.PRODUCT)}:${String(p.PRICE)}`;
    case 'MEETING_SCHEDULED':
      return `${event.eventType}:${String(p.TIME_SCHEDULED)}`;
    case 'FOLLOWUP_DETECTION':
      return `${event.eventType}:${String(p.FOLLOWUP_TIME)}:${fold(p.FOLLOWUP_TYPE)}`;
    case 'MEETING_DONE':
      return `${event.eventType}:${String(p.ATTENDED)}`;
    case 'SALES_STAGE_CHANGE':
      return `${event.eventType}:${fold(p.OLD_STAGE)}:${fold(p.NEW_STAGE)}`;
  }
}

export function mergeEvents(lists: ReadonlyArray<readonly DetectedEvent[]>): DetectedEvent[] {
  const merged = new Map<string, DetectedEvent>();
  for (const event of lists.flat()) {
    const key = eventKey(event);
    const known = merged.get(key);
    if (!known) {
      merged.set(key, { ...event });
      continue;
    }
    const start = [known.contextStartIndex, event.contextStartIndex].filter((value): value is number => value !== null);
    const end = [known.contextEndIndex, event.contextEndIndex].filter((value): value is number => value !== null);
    const better = event.confidence > known.confidence ? event : known;
    merged.set(key, {
      ...better,
      contextStartIndex: start.length ? Math.min(...start) : null,
      contextEndIndex: end.length ? Math.max(...end) : null,
    });
  }
  return [...merged.values()].sort((a, b) => (a.contextEndIndex ?? 0) - (b.contextEndIndex ?? 0));
}

function range(items: ReadonlyArray<{ contextStartIndex: number | null; contextEndIndex: number | null } | undefined>) {
  const starts = items.map((item) => item?.contextStartIndex).filter((value): value is number => typeof value === 'number');
  const ends = items.map((item) => item?.contextEndIndex).filter((value): value is number => typeof value === 'number');
  return { contextStartIndex: starts.length ? Math.min(...starts) : null, contextEndIndex: ends.length ? Math.max(...ends) : null };
}

export function mergeResults(parts: readonly AnalysisResults[]): AnalysisResults {
  if (parts.length === 1) return parts[0]!;
  const merged: AnalysisResults = {};
  const summaries = parts.map((part) => part.summary).filter((summary) => summary !== undefined);
  if (summaries.length) merged.summary = { text: summaries.map((summary) => summary.text.trim()).join(' '), ...range(summaries) };

  const sentiments = parts.map((part) => part.sentiment).filter((sentiment) => sentiment !== undefined);
  if (sentiments.length) {
    const lastNegative = sentiments.map((sentiment) => sentiment.label).lastIndexOf('NEGATIVE');
    const lastPositive = sentiments.map((sentiment) => sentiment.label).lastIndexOf('POSITIVE');
    const label = lastNegative >= 0 && lastPositive < lastNegative ? 'NEGATIVE' : lastPositive >= 0 ? 'POSITIVE' : 'NEUTRAL';
    const perMessage = new Map<number, number>();
    for (const sentiment of sentiments) for (const entry of sentiment.perMessage) perMessage.set(entry.sequence, entry.score);
    const score = sentiments.reduce((sum, sentiment) => sum + sentiment.score, 0) / sentiments.length;
    merged.sentiment = {
      score: Math.round(score * 1000) / 1000,
      label,
      perMessage: [...perMessage.entries()].sort(([a], [b]) => a - b).map(([sequence, value]) => ({ sequence, score: value })),
      ...range(sentiments),
    };
  }

  const topicLists = parts.map((part) => part.topics).filter((topics) => topics !== undefined);
  if (topicLists.length) {
    const seen = new Set<string>();
    const topics = topicLists.flatMap((list) => list.topics).filter((topic) => !seen.has(fold(topic)) && Boolean(seen.add(fold(topic))));
    merged.topics = { topics: topics.slice(0, 8), ...range(topicLists) };
  }

  const outcomes = parts.map((part) => part.outcome).filter((outcome) => outcome !== undefined);
  if (outcomes.length) merged.outcome = outcomes[outcomes.length - 1]!;

  const eventLists = parts.map((part) => part.events).filter((events) => events !== undefined);
  if (eventLists.length) merged.events = mergeEvents(eventLists);

  const metricLists = parts.map((part) => part.dispositionMetrics).filter((metrics) => metrics !== undefined);
  if (metricLists.length) {
    const byIdentifier = new Map<string, DispositionValue>();
    for (const metric of metricLists.flat()) {
      const known = byIdentifier.get(metric.identifier);
      // A value beats "unknown"; a later value beats an earlier one (the end of the conversation decides).
      if (!known || metric.value !== null || known.value === null) byIdentifier.set(metric.identifier, metric);
    }
    merged.dispositionMetrics = [...byIdentifier.values()];
  }
  return merged;
}
