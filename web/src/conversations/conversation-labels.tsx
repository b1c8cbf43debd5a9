import type { AnalysisStatus, Outcome, SentimentLabel } from '../gql/graphql';
import { Badge } from '../ui/card';
import { formatSentiment, humanize } from '../ui/format';
import { sentimentColor } from '../ui/palette';

const OUTCOME_TONE: Record<Outcome, 'positive' | 'negative' | 'warning' | 'accent' | 'neutral'> = {
  RESOLVED: 'positive',
  NOT_RESOLVED: 'negative',
  ESCALATED: 'warning',
  TRANSFERRED: 'accent',
  ABANDONED: 'neutral',
  UNKNOWN: 'neutral',
};

export function OutcomeBadge({ outcome }: { outcome: Outcome | null }) {
  if (!outcome) return <span className="muted">—</span>;
  return <Badge tone={OUTCOME_TONE[outcome]}>{humanize(outcome)}</Badge>;
}

const ANALYSIS_TONE: Record<AnalysisStatus, 'positive' | 'negative' | 'warning' | 'accent' | 'neutral'> = {
  COMPLETED: 'positive',
  FAILED: 'negative',
  PENDING: 'warning',
  RUNNING: 'accent',
  NOT_REQUESTED: 'neutral',
};

export function AnalysisBadge({ status }: { status: AnalysisStatus }) {
  return <Badge tone={ANALYSIS_TONE[status]}>{humanize(status)}</Badge>;
}

/** A dot in the score's colour, the score, and the label. */
export function SentimentValue({ score, label }: { score: number | null; label?: SentimentLabel | null }) {
  if (score == null && !label) return <span className="muted">—</span>;
  return (
    <span className="sentiment" title={label ? humanize(label) : undefined}>
      <span className="sentiment-dot" style={{ background: sentimentColor(score) }} aria-hidden="true" />
      <span className="sentiment-score">{formatSentiment(score)}</span>
      {label ? <span className="muted small"> {humanize(label)}</span> : null}
    </span>
  );
}
