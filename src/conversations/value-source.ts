import { registerEnumType } from 'type-graphql';

/** Which side of a conversation's outcome, sentiment and topics a filter or aggregate reads. */
export enum ValueSource {
  /** What the top-level fields show: by the organization's valuePrecedence. */
  EFFECTIVE = 'EFFECTIVE',
  /** What the partner or provider reported. */
  REPORTED = 'REPORTED',
  /** What our analysis found. */
  ANALYSED = 'ANALYSED',
}

registerEnumType(ValueSource, {
  name: 'ValueSource',
  description:
    'Which side of outcome, sentiment and topics to read: EFFECTIVE (what the top-level fields show, by the organization’s valuePrecedence), ' +
    'REPORTED (what the partner or provider sent) or ANALYSED (what our analysis found)',
});

/** The conversations columns of one side (SQL names), for filters and aggregates. */
export const VALUE_COLUMNS: Record<ValueSource, { outcome: string; sentimentScore: string; sentimentLabel: string; topics: string }> = {
  EFFECTIVE: { outcome: 'outcome', sentimentScore: 'sentiment_score', sentimentLabel: 'sentiment_label', topics: 'topics' },
  REPORTED: { outcome: 'reported_outcome', sentimentScore: 'reported_sentiment_score', sentimentLabel: 'reported_sentiment_label', topics: 'reported_topics' },
  ANALYSED: { outcome: 'analysed_outcome', sentimentScore: 'analysed_sentiment_score', sentimentLabel: 'analysed_sentiment_label', topics: 'analysed_topics' },
};

/** The same columns as Prisma fields. */
export const VALUE_FIELDS = {
  EFFECTIVE: { outcome: 'outcome', sentimentLabel: 'sentimentLabel', topics: 'topics' },
  REPORTED: { outcome: 'reportedOutcome', sentimentLabel: 'reportedSentimentLabel', topics: 'reportedTopics' },
  ANALYSED: { outcome: 'analysedOutcome', sentimentLabel: 'analysedSentimentLabel', topics: 'analysedTopics' },
} as const satisfies Record<ValueSource, Record<string, string>>;
