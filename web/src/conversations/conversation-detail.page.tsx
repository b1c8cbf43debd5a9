import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { executeOperation, type ApiError } from '../api/graphql-client';
import { useApiMutation, useApiQuery } from '../api/use-api';
import type { ConversationDetailQuery, ConversationMessagesQuery } from '../gql/graphql';
import { useScope } from '../scope/scope';
import { useSession } from '../session/session';
import { Badge, Card } from '../ui/card';
import { formatDateTime, formatDuration, formatInteger, formatMilliseconds, formatPercent, humanize, NO_VALUE } from '../ui/format';
import { ErrorState, Loading } from '../ui/states';
import { AnalysisBadge, OutcomeBadge, SentimentValue } from './conversation-labels';
import { ConversationDetailQuery as DetailDocument, ConversationMessagesQuery as MessagesDocument, ReanalyzeConversationMutation } from './conversation.queries';
import { Transcript, type Highlight, type Turn } from './transcript';

type Conversation = ConversationDetailQuery['conversation'];
const MAX_MESSAGE_PAGES = 20;
const ANALYSING: string[] = ['PENDING', 'RUNNING'];

export function ConversationDetailPage() {
  const { id = '' } = useParams();
  const scope = useScope();
  // While an analysis is queued or running, look again every 2 s.
  const detail = useApiQuery(DetailDocument, { id }, { refetchInterval: (data) => (data && ANALYSING.includes(data.conversation.analysisStatus) ? 2000 : false) });
  const messages = useAllMessages(id);
  // A finished analysis rewrites per-turn sentiment: read the turns again.
  const status = detail.data?.conversation.analysisStatus;
  const { refetch: refetchMessages } = messages;
  useEffect(() => {
    if (status === 'COMPLETED' || status === 'FAILED') void refetchMessages();
  }, [status, refetchMessages]);
  const [highlight, setHighlight] = useState<Highlight | null>(null);
  const toggle = useCallback((next: Highlight) => setHighlight((current) => (current?.id === next.id ? null : next)), []);
  // Another conversation (the route changed under the same page): its turns start unhighlighted.
  useEffect(() => setHighlight(null), [id]);

  const back = (
    <Link to={{ pathname: '/conversations', search: scope.search }} className="back-link">
      ← Conversations
    </Link>
  );
  if (detail.error) {
    return (
      <>
        {back}
        <ErrorState error={detail.error} onRetry={() => detail.refetch()} />
      </>
    );
  }
  if (!detail.data) return <Loading label="Loading the conversation…" />;
  const conversation = detail.data.conversation;
  return (
    <>
      {back}
      <ConversationHeader conversation={conversation} timezone={scope.timezone} />
      <div className="detail-layout">
        <Card title="Transcript" subtitle={messages.data ? `${formatInteger(messages.data.totalCount)} turns` : undefined} className="transcript-card" testId="transcript-card">
          {messages.error ? (
            <ErrorState error={messages.error} onRetry={() => messages.refetch()} />
          ) : !messages.data ? (
            <Loading label="Loading the transcript…" />
          ) : (
            <Transcript conversationId={conversation.id} turns={messages.data.turns} actions={conversation.actions} tickets={conversation.tickets} highlight={highlight} timezone={scope.timezone} truncated={messages.data.truncated} />
          )}
        </Card>
        <aside className="detail-sidebar" aria-label="Analysis">
          <AnalysisCard conversation={conversation} timezone={scope.timezone} />
          <EventsCard conversation={conversation} highlight={highlight} onToggle={toggle} timezone={scope.timezone} />
          <MetricsCard conversation={conversation} highlight={highlight} onToggle={toggle} timezone={scope.timezone} />
        </aside>
      </div>
    </>
  );
}

/** Every turn, page after page (100 per page, up to 2,000 turns). */
function useAllMessages(id: string) {
  const { credential } = useSession();
  return useQuery<{ turns: Turn[]; totalCount: number; truncated: boolean }, ApiError>({
    queryKey: ['messages', id],
    queryFn: async ({ signal }) => {
      const turns: Turn[] = [];
      let after: string | null = null;
      let totalCount = 0;
      for (let page = 0; page < MAX_MESSAGE_PAGES; page += 1) {
        const data: ConversationMessagesQuery = await executeOperation(MessagesDocument, { id, after }, credential, signal);
        const connection = data.conversation.messages;
        totalCount = connection.totalCount;
        turns.push(...connection.edges.map((edge) => edge.node));
        if (!connection.pageInfo.hasNextPage) return { turns, totalCount, truncated: false };
        after = connection.pageInfo.endCursor ?? null;
      }
      return { turns, totalCount, truncated: true };
    },
  });
}

function ConversationHeader({ conversation, timezone }: { conversation: Conversation; timezone: string }) {
  const customer = conversation.participants[0]?.contact;
  return (
    <header className="detail-header card">
      <div className="detail-title-row">
        <div>
          <p className="eyebrow">
            {humanize(conversation.channel)}
            {conversation.direction ? ` · ${humanize(conversation.direction)}` : ''} · {humanize(conversation.status)}
          </p>
          <h1 className="detail-title">{conversation.externalId ?? conversation.id}</h1>
          <p className="muted">
            {formatDateTime(conversation.startedAt, timezone)}
            {conversation.durationSeconds != null ? ` · ${formatDuration(conversation.durationSeconds)}` : ''}
            {customer ? ` · ${customer.name ?? customer.phoneNumber ?? customer.email}` : ''}
            {conversation.agents.length ? ` · with ${conversation.agents.map((usage) => usage.agent.name ?? 'Unnamed').join(', ')}` : ''}
          </p>
        </div>
        <div className="detail-badges">
          <OutcomeBadge outcome={conversation.outcome} />
          <SentimentValue score={conversation.sentiment.score} label={conversation.sentiment.label} />
        </div>
      </div>
      <dl className="facts">
        <Fact label="Ended by" value={conversation.endedBy ? `${humanize(conversation.endedBy)}${conversation.endReason ? ` (${conversation.endReason})` : ''}` : conversation.endReason} />
        <Fact label="Turns" value={conversation.metrics ? `${conversation.metrics.totalUserTurns} customer · ${conversation.metrics.totalAgentTurns} agent` : null} />
        <Fact label="Avg response" value={conversation.metrics ? formatMilliseconds(conversation.metrics.avgResponseTimeMs) : null} />
        <Fact label="Function calls" value={formatInteger(conversation.actions.length)} />
        <Fact label="Tickets" value={formatInteger(conversation.tickets.length)} />
      </dl>
      {conversation.outcomeReason ? (
        <p className="summary">
          <span className="summary-label">Outcome reason</span> {conversation.outcomeReason}
        </p>
      ) : null}
      {conversation.summary ? (
        <p className="summary" data-testid="summary">
          <span className="summary-label">Summary</span> {conversation.summary}
        </p>
      ) : null}
      {conversation.topics.length ? (
        <ul className="chips" aria-label="Topics">
          {conversation.topics.map((topic) => (
            <li key={topic} className="chip">
              {topic}
            </li>
          ))}
        </ul>
      ) : null}
    </header>
  );
}

function Fact({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{value || NO_VALUE}</dd>
    </div>
  );
}

function AnalysisCard({ conversation, timezone }: { conversation: Conversation; timezone: string }) {
  const { viewer } = useSession();
  const reanalyze = useApiMutation(ReanalyzeConversationMutation);
  const current = conversation.analyses.filter((analysis) => !analysis.supersededAt);
  const latest = current[0];
  const canManage = viewer.scopes.includes('MANAGE');
  const busy = reanalyze.isPending || ANALYSING.includes(conversation.analysisStatus);
  return (
    <Card
      title="Analysis"
      testId="analysis-card"
      actions={
        canManage ? (
          <button type="button" className="button" disabled={busy} onClick={() => reanalyze.mutate({ id: conversation.id })}>
            {busy ? 'Analysing…' : 'Re-analyse'}
          </button>
        ) : null
      }
    >
      <dl className="facts facts-compact">
        <div className="fact">
          <dt>Status</dt>
          <dd data-testid="analysis-status">
            <AnalysisBadge status={conversation.analysisStatus} />
          </dd>
        </div>
        <Fact label="Provider" value={latest ? [latest.provider, latest.model].filter(Boolean).join(' · ') : null} />
        <Fact label="Config version" value={latest?.configVersion != null ? `v${latest.configVersion}` : null} />
        <Fact label="Analysed" value={conversation.analyzedAt ? formatDateTime(conversation.analyzedAt, timezone) : null} />
      </dl>
      {conversation.analysisError ? <p className="inline-error">{conversation.analysisError}</p> : null}
      {reanalyze.error ? <ErrorState error={reanalyze.error} /> : null}
      {conversation.analyses.length ? (
        <details className="runs">
          <summary>
            {current.length} current runs{conversation.analyses.length > current.length ? `, ${conversation.analyses.length - current.length} earlier` : ''}
          </summary>
          <ul>
            {conversation.analyses.map((analysis) => (
              <li key={analysis.id} className={analysis.supersededAt ? 'superseded' : undefined}>
                <span>{humanize(analysis.analysisType)}</span>
                <span className="muted small">
                  v{analysis.configVersion ?? 0} · {analysis.provider ?? 'unknown'} · {formatDateTime(analysis.createdAt, timezone)}
                  {analysis.supersededAt ? ' · superseded' : ''}
                  {analysis.status === 'FAILED' ? ` · failed: ${analysis.error ?? ''}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Card>
  );
}

function RangeButton({ id, label, start, end, highlight, onToggle, children }: { id: string; label: string; start: number | null; end: number | null; highlight: Highlight | null; onToggle: (next: Highlight) => void; children: React.ReactNode }) {
  if (start == null) {
    return <div className="evidence evidence-static">{children}</div>;
  }
  const to = end ?? start;
  const pressed = highlight?.id === id;
  return (
    <button
      type="button"
      className="evidence"
      aria-pressed={pressed}
      data-range={`${start}-${to}`}
      aria-label={`${label}: ${pressed ? 'stop highlighting' : 'highlight'} turns ${start === to ? start : `${start} to ${to}`}`}
      onClick={() => onToggle({ id, from: start, to, label })}
    >
      {children}
      <span className="evidence-range">{start === to ? `Turn ${start}` : `Turns ${start}–${to}`}</span>
    </button>
  );
}

function EventsCard({ conversation, highlight, onToggle, timezone }: { conversation: Conversation; highlight: Highlight | null; onToggle: (next: Highlight) => void; timezone: string }) {
  return (
    <Card title="Events" subtitle={`${conversation.events.length} detected or ingested`} testId="events-card">
      {conversation.events.length === 0 ? (
        <p className="muted">No events in this conversation.</p>
      ) : (
        <ul className="evidence-list" data-testid="event-list">
          {conversation.events.map((event) => (
            <li key={event.id} data-event-id={event.id}>
              <RangeButton id={event.id} label={humanize(event.eventType)} start={event.contextStartIndex} end={event.contextEndIndex} highlight={highlight} onToggle={onToggle}>
                {event.eventSubtype ? <span className="evidence-kind">{humanize(event.eventType)}</span> : null}
                <span className="evidence-title">{humanize(event.eventSubtype ?? event.eventType)}</span>
                <span className="evidence-body">{describePayload(event.eventType, event.payload, timezone)}</span>
                <span className="evidence-meta">
                  <Badge tone={event.source === 'DETECTED' ? 'accent' : 'neutral'}>{humanize(event.source)}</Badge>
                  {event.confidence != null ? <span className="muted small">{formatPercent(event.confidence)} confidence</span> : null}
                  {event.scheduledTo ? <span className="muted small">for {formatDateTime(event.scheduledTo, timezone)}</span> : null}
                </span>
              </RangeButton>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function MetricsCard({ conversation, highlight, onToggle, timezone }: { conversation: Conversation; highlight: Highlight | null; onToggle: (next: Highlight) => void; timezone: string }) {
  return (
    <Card title="Disposition metrics" subtitle="With confidence and the reasoning behind each value" testId="metrics-card">
      {conversation.dispositionMetrics.length === 0 ? (
        <p className="muted">No disposition metrics: the analysis config defines none, or the analysis has not run.</p>
      ) : (
        <ul className="evidence-list" data-testid="metric-list">
          {conversation.dispositionMetrics.map((metric) => (
            <li key={metric.identifier} data-metric={metric.identifier}>
              <RangeButton id={`metric:${metric.identifier}`} label={metric.identifier} start={metric.contextStartIndex} end={metric.contextEndIndex} highlight={highlight} onToggle={onToggle}>
                <span className="evidence-title">
                  <code>{metric.identifier}</code>
                  <span className="metric-value">{formatMetricValue(metric.type, metric.value, timezone)}</span>
                </span>
                {metric.reasoning ? <span className="evidence-body">{metric.reasoning}</span> : null}
                <span className="evidence-meta">
                  <span className="confidence" title="Confidence">
                    <span className="confidence-track" aria-hidden="true">
                      <span className="confidence-fill" style={{ width: `${(metric.confidence ?? 0) * 100}%` }} />
                    </span>
                    <span className="muted small">{formatPercent(metric.confidence)} confidence</span>
                  </span>
                  <span className="muted small">
                    {humanize(metric.type)} · v{metric.configVersion ?? 0}
                  </span>
                </span>
              </RangeButton>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function formatMetricValue(type: string, value: unknown, timezone: string): string {
  if (value === null || value === undefined) return 'Unknown';
  if (type === 'BOOLEAN') return value ? 'Yes' : 'No';
  if (type === 'DATETIME' && typeof value === 'string') return formatDateTime(value, timezone);
  if (typeof value === 'number') return formatInteger(value);
  return String(value);
}

function describePayload(eventType: string, payload: unknown, timezone: string): string {
  if (!payload || typeof payload !== 'object') return '';
  const values = payload as Record<string, unknown>;
  const text = (key: string) => (values[key] === null || values[key] === undefined ? undefined : String(values[key]));
  switch (eventType) {
    case 'SALES_STAGE_CHANGE':
      return `${text('OLD_STAGE') ? humanize(text('OLD_STAGE')) : 'Start'} → ${humanize(text('NEW_STAGE'))}`;
    case 'SALE_MADE':
      // DISCOUNT is a fraction 0–1 of the list price (PRICE, in CURRENCY).
      return [
        text('PRODUCT'),
        text('PRICE') ? `${text('PRICE')} ${text('CURRENCY') ?? ''}`.trim() : undefined,
        typeof values.DISCOUNT === 'number' ? `${Math.round(values.DISCOUNT * 1000) / 10}% off` : undefined,
      ].filter(Boolean).join(' · ');
    case 'OBJECTION_DETECTION':
      return humanize(text('OBJECTION_TYPE'));
    case 'CUSTOMER_INFORMATION_DETECTION':
      return text('VALUE') ?? '';
    default:
      return Object.entries(values)
        .filter(([, value]) => value !== null && value !== undefined && value !== '')
        .map(([key, value]) => `${humanize(key)}: ${typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? formatDateTime(value, timezone) : String(value)}`)
        .join(' · ');
  }
}
