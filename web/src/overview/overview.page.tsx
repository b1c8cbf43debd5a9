import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApiQuery } from '../api/use-api';
import type { OverviewQuery as OverviewData } from '../gql/graphql';
import { FilterBar } from '../scope/filter-bar';
import { useScope } from '../scope/scope';
import { Card, Kpi, PageHeader } from '../ui/card';
import { formatBucket, formatDuration, formatInteger, formatPercent, formatSentiment, formatUsd, humanize } from '../ui/format';
import { ACCENT, ACCENT_SOFT, ANIMATE_CHARTS, CHART_MARGIN, GRID, X_AXIS_PROPS, Y_AXIS_PROPS } from '../ui/palette';
import { ShareBars } from '../ui/share-bars';
import { Empty, ErrorState, Loading } from '../ui/states';
import { OverviewQuery } from './overview.queries';

type Overview = OverviewData['analyticsOverview'];

export function OverviewPage() {
  const scope = useScope();
  const query = useApiQuery(OverviewQuery, { range: scope.range, filter: scope.filter, timezone: scope.timezone, bucket: scope.bucket });
  return (
    <>
      <PageHeader title="Overview" description="Conversations that started in the range and match the filters." />
      <FilterBar showBucket />
      {query.error ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data ? (
        <Loading label="Computing the overview…" />
      ) : query.data.analyticsOverview.conversations.total === 0 ? (
        <Empty title="No conversations in this range">Widen the date range or clear the filters.</Empty>
      ) : (
        <OverviewSections overview={query.data.analyticsOverview} refreshing={query.isFetching} />
      )}
    </>
  );
}

function OverviewSections({ overview, refreshing }: { overview: Overview; refreshing: boolean }) {
  const { conversations, duration, sentiment, followUpsDue } = overview;
  const tz = overview.timezone;
  const trend = overview.trend.map((bucket) => ({
    label: formatBucket(bucket.start, overview.bucket, tz),
    completed: bucket.completed,
    other: bucket.total - bucket.completed,
    total: bucket.total,
    sentiment: bucket.averageSentiment,
  }));
  return (
    <div className="overview" aria-busy={refreshing}>
      <dl className="kpi-grid" data-testid="overview-kpis">
        <Kpi label="Conversations" value={formatInteger(conversations.total)} testId="kpi-total" detail={`${formatInteger(conversations.ongoing)} ongoing · ${formatInteger(conversations.failed)} failed`} />
        <Kpi
          label="Completed"
          value={formatInteger(conversations.completed)}
          testId="kpi-completed"
          detail={<span data-testid="kpi-completion-rate">{formatPercent(conversations.total ? conversations.completed / conversations.total : null)} completion</span>}
        />
        <Kpi label="Median duration" value={formatDuration(duration.median)} testId="kpi-median-duration" detail={`average ${formatDuration(duration.average)}`} />
        <Kpi label="P90 duration" value={formatDuration(duration.p90)} testId="kpi-p90-duration" detail={`over ${formatInteger(duration.count)} with a duration`} />
        <Kpi label="Average sentiment" value={formatSentiment(sentiment.average)} testId="kpi-sentiment" detail={`${formatInteger(sentiment.analyzed)} analysed`} />
        <Kpi label="Follow-ups due" value={formatInteger(followUpsDue.total)} testId="kpi-followups" detail="due in the range" />
      </dl>

      <div className="grid grid-2-1">
        <Card title="Conversations per bucket" subtitle={`${humanize(overview.bucket)} buckets in ${tz}`} testId="volume-chart">
          <div className="chart">
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={trend} margin={CHART_MARGIN}>
                <CartesianGrid stroke={GRID} vertical={false} />
                <XAxis dataKey="label" {...X_AXIS_PROPS} minTickGap={16} />
                <YAxis allowDecimals={false} {...Y_AXIS_PROPS} />
                <Tooltip cursor={{ fill: '#f1f3f5' }} />
                <Bar isAnimationActive={ANIMATE_CHARTS} dataKey="completed" name="Completed" stackId="volume" fill={ACCENT} />
                <Bar isAnimationActive={ANIMATE_CHARTS} dataKey="other" name="Ongoing or failed" stackId="volume" fill={ACCENT_SOFT} radius={[3, 3, 0, 0]} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card title="Outcomes" subtitle="Share of conversations with an outcome" testId="outcomes-card">
          {overview.outcomes.length ? <ShareBars rows={overview.outcomes} testId="outcomes" /> : <Empty title="No outcomes yet" />}
        </Card>
      </div>

      <div className="grid grid-2-1">
        <Card title="Sentiment trend" subtitle="Average score per bucket, −1 to 1" testId="sentiment-chart">
          <div className="chart">
            <ResponsiveContainer width="100%" height={220}>
              <LineChart data={trend} margin={CHART_MARGIN}>
                <CartesianGrid stroke={GRID} vertical={false} />
                <XAxis dataKey="label" {...X_AXIS_PROPS} minTickGap={16} />
                <YAxis domain={[-1, 1]} ticks={[-1, -0.5, 0, 0.5, 1]} {...Y_AXIS_PROPS} />
                <ReferenceLine y={0} stroke="#adb5bd" />
                <Tooltip formatter={(value) => formatSentiment(typeof value === 'number' ? value : null)} />
                <Line isAnimationActive={ANIMATE_CHARTS} type="monotone" dataKey="sentiment" name="Average sentiment" stroke={ACCENT} strokeWidth={2} dot={false} connectNulls />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card title="Sentiment" subtitle="Share of conversations with a label" testId="sentiment-card">
          {sentiment.labels.length ? <ShareBars rows={sentiment.labels} testId="sentiment-labels" /> : <Empty title="No sentiment yet" />}
        </Card>
      </div>

      <div className="grid grid-3">
        <Card title="Ended by" subtitle="Who ended the conversation" testId="ended-by-card">
          {overview.endedBy.length ? <ShareBars rows={overview.endedBy} testId="ended-by" /> : <Empty title="Not known yet" />}
        </Card>
        <Card title="Top topics" subtitle="Share of all conversations" testId="topics-card">
          {overview.topTopics.length ? <ShareBars rows={overview.topTopics} testId="topics" humanizeKeys={false} semantic={false} /> : <Empty title="No topics yet" />}
        </Card>
        <Card title="Follow-ups due" subtitle="By follow-up type, due in the range" testId="followups-card">
          {followUpsDue.byType.length ? <ShareBars rows={followUpsDue.byType} testId="followups" semantic={false} /> : <Empty title="No follow-ups due" />}
        </Card>
      </div>

      <div className="grid grid-2">
        <Card title="Sales funnel" subtitle="Conversations that reached each stage" testId="funnel-card">
          <SalesFunnel funnel={overview.salesFunnel} />
        </Card>
        <Card title="Events" subtitle="By type and subtype" testId="events-card">
          <EventCounts events={overview.events} />
        </Card>
      </div>

      <Card title="Tickets" subtitle="By action and reason" testId="tickets-card">
        {overview.tickets.length ? (
          <table className="table" data-testid="tickets">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Reason</th>
                <th scope="col" className="numeric">
                  Tickets
                </th>
              </tr>
            </thead>
            <tbody>
              {overview.tickets.map((ticket) => (
                <tr key={`${ticket.action}:${ticket.reason ?? ''}`}>
                  <td>{humanize(ticket.action)}</td>
                  <td>{ticket.reason ?? <span className="muted">No reason given</span>}</td>
                  <td className="numeric">{formatInteger(ticket.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty title="No tickets in this range" />
        )}
      </Card>

      <p className="footnote" data-testid="analysis-usage">
        Analysis: {formatInteger(overview.analysisUsage.runs)} runs · {formatInteger(overview.analysisUsage.totalTokens)} tokens · {formatUsd(overview.analysisUsage.costUsd)}
      </p>
    </div>
  );
}

function SalesFunnel({ funnel }: { funnel: Overview['salesFunnel'] }) {
  if (!funnel.stages.length) return <Empty title="No sales-stage changes in this range" />;
  const max = Math.max(...funnel.stages.map((stage) => stage.conversations));
  return (
    <div className="funnel">
      <ol className="funnel-stages" data-testid="funnel">
        {funnel.stages.map((stage) => (
          <li key={stage.stage} data-key={stage.stage}>
            <span className="funnel-bar" style={{ width: `${Math.max(8, (stage.conversations / max) * 100)}%` }}>
              <span className="funnel-stage">{humanize(stage.stage)}</span>
              <span className="funnel-count">{formatInteger(stage.conversations)}</span>
            </span>
          </li>
        ))}
      </ol>
      <details className="funnel-transitions">
        <summary>Transitions ({funnel.transitions.length})</summary>
        <ul>
          {funnel.transitions.map((transition) => (
            <li key={`${transition.fromStage ?? ''}>${transition.toStage}`}>
              <span>{transition.fromStage ? humanize(transition.fromStage) : 'Start'}</span>
              <span aria-label="to"> → </span>
              <span>{humanize(transition.toStage)}</span>
              <span className="muted"> {formatInteger(transition.count)}</span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function EventCounts({ events }: { events: Overview['events'] }) {
  if (!events.length) return <Empty title="No events in this range" />;
  const byType = new Map<string, { total: number; subtypes: Array<{ subtype: string; count: number }> }>();
  for (const event of events) {
    const entry = byType.get(event.eventType) ?? { total: 0, subtypes: [] };
    entry.total += event.count;
    if (event.eventSubtype) entry.subtypes.push({ subtype: event.eventSubtype, count: event.count });
    byType.set(event.eventType, entry);
  }
  const rows = [...byType.entries()].sort((a, b) => b[1].total - a[1].total);
  return (
    <table className="table" data-testid="events">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Subtypes</th>
          <th scope="col" className="numeric">
            Events
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([type, entry]) => (
          <tr key={type} data-key={type}>
            <td>{humanize(type)}</td>
            <td className="subtypes">
              {entry.subtypes.length
                ? entry.subtypes.map((subtype) => (
                    <span key={subtype.subtype} className="chip" data-key={subtype.subtype}>
                      {humanize(subtype.subtype)} <b>{formatInteger(subtype.count)}</b>
                    </span>
                  ))
                : <span className="muted">—</span>}
            </td>
            <td className="numeric event-total">{formatInteger(entry.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
