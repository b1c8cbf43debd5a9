import { useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useApiQuery } from '../api/use-api';
import { graphql } from '../gql';
import type { DispositionGroupBy, DispositionMetricType, MetricStatsQuery } from '../gql/graphql';
import { useMetricCatalog, type MetricDefinition } from '../scope/catalog';
import { Field, FilterBar } from '../scope/filter-bar';
import { useScope, type Scope } from '../scope/scope';
import { Card, Kpi, PageHeader } from '../ui/card';
import { formatBucket, formatDecimal, formatInteger, formatPercent, humanize } from '../ui/format';
import { ACCENT, ANIMATE_CHARTS, CHART_COLORS, CHART_MARGIN, GRID, X_AXIS_PROPS, Y_AXIS_PROPS } from '../ui/palette';
import { ShareBars } from '../ui/share-bars';
import { Empty, ErrorState, Loading } from '../ui/states';

// Declared on its own: the query below spreads it (the client preset resolves fragments by name).
graphql(`
  fragment MetricGroupFields on DispositionMetricGroup {
    count
    average
    median
    min
    max
    p90
    p95
    trueCount
    falseCount
    trueRate
    choices {
      key
      count
      share
    }
    topValues {
      key
      count
      share
    }
    dates {
      start
      count
    }
  }
`);

const MetricStats = graphql(`
  query MetricStats($identifier: String!, $range: AnalyticsRangeInput!, $filter: ConversationFilter, $groupBy: DispositionGroupBy, $timezone: String!, $bucket: TimeBucket!) {
    dispositionMetricStats(identifier: $identifier, range: $range, filter: $filter, groupBy: $groupBy, timezone: $timezone, bucket: $bucket) {
      identifier
      metricType
      overall {
        ...MetricGroupFields
      }
      groups {
        agentId
        agent {
          name
        }
        bucketStart
        ...MetricGroupFields
      }
    }
  }
`);

type Stats = MetricStatsQuery['dispositionMetricStats'];
type Group = Stats['groups'][number];
type GroupValues = Stats['overall'];
const GROUPINGS: Array<{ value: '' | DispositionGroupBy; label: string }> = [
  { value: '', label: 'Overall' },
  { value: 'AGENT', label: 'By agent' },
  { value: 'BUCKET', label: 'By time bucket' },
  { value: 'BOTH', label: 'By agent and bucket' },
];

export function MetricExplorerPage() {
  const scope = useScope();
  const catalog = useMetricCatalog();
  const [params, setParams] = useSearchParams();
  const metric = catalog.metrics.find((candidate) => candidate.identifier === params.get('metric')) ?? catalog.metrics[0];
  const groupBy = (GROUPINGS.find((grouping) => grouping.value === params.get('group'))?.value ?? '') || null;
  const setParam = (key: string, value: string) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader title="Metric explorer" description="The distribution of one disposition metric over the conversations of the range." />
      <FilterBar showBucket />
      {catalog.error ? (
        <ErrorState error={catalog.error} />
      ) : catalog.loading ? (
        <Loading label="Loading the metrics…" />
      ) : !metric ? (
        <Empty title="No disposition metrics are configured">Define them with setAnalysisConfig; every analysed conversation then gets a typed value for each.</Empty>
      ) : (
        <>
          <div className="toolbar">
            <Field label="Metric">
              <select value={metric.identifier} onChange={(event) => setParam('metric', event.target.value)}>
                {catalog.metrics.map((candidate) => (
                  <option key={candidate.identifier} value={candidate.identifier}>
                    {candidate.identifier} ({humanize(candidate.type)})
                  </option>
                ))}
              </select>
            </Field>
            <div className="segmented" role="group" aria-label="Group by">
              {GROUPINGS.map((grouping) => (
                <button key={grouping.label} type="button" aria-pressed={(groupBy ?? '') === grouping.value} onClick={() => setParam('group', grouping.value)}>
                  {grouping.label}
                </button>
              ))}
            </div>
          </div>
          <p className="metric-prompt">
            <span className="muted">Prompt:</span> {metric.prompt}
          </p>
          <MetricStatsView metric={metric} groupBy={groupBy} scope={scope} />
        </>
      )}
    </>
  );
}

function MetricStatsView({ metric, groupBy, scope }: { metric: MetricDefinition; groupBy: DispositionGroupBy | null; scope: Scope }) {
  const query = useApiQuery(MetricStats, { identifier: metric.identifier, range: scope.range, filter: scope.filter, groupBy, timezone: scope.timezone, bucket: scope.bucket });
  if (query.error) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (!query.data) return <Loading label="Computing the distribution…" />;
  const stats = query.data.dispositionMetricStats;
  const type = stats.metricType ?? metric.type;
  if (stats.overall.count === 0) return <Empty title={`No values of ${metric.identifier} in this range`}>Widen the date range, clear the filters, or re-analyse conversations with the current config.</Empty>;
  const label = (group: Group) => groupLabel(group, groupBy, scope);
  return (
    <div className="metric-stats" aria-busy={query.isFetching}>
      <OverallSummary type={type} overall={stats.overall} />
      <Card title={groupBy ? `${metric.identifier} ${GROUPINGS.find((grouping) => grouping.value === groupBy)!.label.toLowerCase()}` : `${metric.identifier} overall`} testId="metric-chart">
        <div className={groupBy || type === 'INTEGER' ? 'chart' : undefined}>
          <MetricChart type={type} stats={stats} groupBy={groupBy} label={label} bucketLabel={(start) => formatBucket(start, scope.bucket, scope.timezone)} />
        </div>
      </Card>
      <Card title="Values" testId="metric-table">
        <div className="table-scroll table-scroll-tall">
          <MetricTable type={type} stats={stats} groupBy={groupBy} label={label} />
        </div>
      </Card>
    </div>
  );
}

function groupLabel(group: Group, groupBy: DispositionGroupBy | null, scope: Scope): string {
  const bucket = group.bucketStart ? formatBucket(group.bucketStart, scope.bucket, scope.timezone) : '';
  const agent = group.agent?.name ?? (group.agentId ? group.agentId.slice(0, 8) : '');
  if (groupBy === 'BOTH') return `${agent} · ${bucket}`;
  return groupBy === 'BUCKET' ? bucket : agent;
}

function OverallSummary({ type, overall }: { type: DispositionMetricType; overall: GroupValues }) {
  return (
    <dl className="kpi-grid" data-testid="metric-summary">
      <Kpi label="Conversations with a value" value={formatInteger(overall.count)} testId="metric-count" />
      {type === 'BOOLEAN' ? (
        <>
          <Kpi label="Yes" value={formatInteger(overall.trueCount)} testId="metric-true" />
          <Kpi label="No" value={formatInteger(overall.falseCount)} testId="metric-false" />
          <Kpi label="Yes rate" value={formatPercent(overall.trueRate)} testId="metric-true-rate" />
        </>
      ) : null}
      {type === 'INTEGER' ? (
        <>
          <Kpi label="Average" value={formatDecimal(overall.average)} testId="metric-average" />
          <Kpi label="Median" value={formatDecimal(overall.median)} testId="metric-median" detail={`P90 ${formatDecimal(overall.p90)} · P95 ${formatDecimal(overall.p95)}`} />
          <Kpi label="Range" value={`${formatDecimal(overall.min)} – ${formatDecimal(overall.max)}`} testId="metric-range" />
        </>
      ) : null}
      {type === 'ENUM' && overall.choices?.[0] ? <Kpi label="Most frequent" value={overall.choices[0].key} testId="metric-top" detail={formatPercent(overall.choices[0].share)} /> : null}
      {type === 'STRING' && overall.topValues?.[0] ? <Kpi label="Most frequent" value={overall.topValues[0].key} testId="metric-top" detail={formatPercent(overall.topValues[0].share)} /> : null}
    </dl>
  );
}

/** The one number a group is plotted by when there is no room for its whole distribution. */
function primaryValue(type: DispositionMetricType, group: GroupValues): number | null {
  if (type === 'BOOLEAN') return group.trueRate;
  if (type === 'INTEGER') return group.average;
  return group.count;
}

function primaryLabel(type: DispositionMetricType): string {
  if (type === 'BOOLEAN') return 'Yes rate';
  if (type === 'INTEGER') return 'Average';
  return 'Conversations';
}

function MetricChart({ type, stats, groupBy, label, bucketLabel }: { type: DispositionMetricType; stats: Stats; groupBy: DispositionGroupBy | null; label: (group: Group) => string; bucketLabel: (start: string) => string }) {
  const percentAxis = type === 'BOOLEAN' ? { domain: [0, 1] as [number, number], tickFormatter: (value: number) => formatPercent(value) } : {};
  const tooltipFormatter = (value: unknown) => (typeof value === 'number' ? (type === 'BOOLEAN' ? formatPercent(value) : formatDecimal(value)) : String(value));

  if (!groupBy) {
    const rows =
      type === 'ENUM'
        ? (stats.overall.choices ?? [])
        : type === 'STRING'
          ? (stats.overall.topValues ?? [])
          : type === 'BOOLEAN'
            ? [
                { key: 'Yes', count: stats.overall.trueCount ?? 0, share: stats.overall.trueRate },
                { key: 'No', count: stats.overall.falseCount ?? 0, share: stats.overall.trueRate == null ? null : 1 - stats.overall.trueRate },
              ]
            : type === 'DATETIME'
              ? (stats.overall.dates ?? []).map((bucket) => ({ key: bucket.start.slice(0, 10), count: bucket.count }))
              : [];
    if (type === 'INTEGER') {
      const points = [
        { key: 'Min', value: stats.overall.min },
        { key: 'Median', value: stats.overall.median },
        { key: 'Average', value: stats.overall.average },
        { key: 'P90', value: stats.overall.p90 },
        { key: 'P95', value: stats.overall.p95 },
        { key: 'Max', value: stats.overall.max },
      ];
      return (
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={points} margin={CHART_MARGIN}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="key" {...X_AXIS_PROPS} />
            <YAxis {...Y_AXIS_PROPS} />
            <Tooltip formatter={tooltipFormatter} cursor={{ fill: '#f1f3f5' }} />
            <Bar isAnimationActive={ANIMATE_CHARTS} dataKey="value" name="Value" fill={ACCENT} radius={[3, 3, 0, 0]} />
          </BarChart>
        </ResponsiveContainer>
      );
    }
    return <ShareBars rows={rows} testId="metric-distribution" humanizeKeys={false} semantic={false} />;
  }

  if (groupBy === 'BOTH') {
    // One line per agent across the buckets.
    const agents = [...new Map(stats.groups.map((group) => [group.agentId ?? '', group.agent?.name ?? group.agentId ?? 'Unknown'])).entries()];
    const buckets = [...new Set(stats.groups.map((group) => group.bucketStart ?? ''))].sort();
    const data = buckets.map((bucket) => {
      const row: Record<string, string | number | null> = { label: bucketLabel(bucket) };
      for (const [agentId] of agents) {
        const group = stats.groups.find((candidate) => candidate.bucketStart === bucket && (candidate.agentId ?? '') === agentId);
        // No group in a bucket: no conversation of that agent with a value, so a count of 0 (a rate or an average is unknown).
        row[agentId] = group ? primaryValue(type, group) : type === 'BOOLEAN' || type === 'INTEGER' ? null : 0;
      }
      return row;
    });
    return (
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data} margin={CHART_MARGIN}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="label" {...X_AXIS_PROPS} minTickGap={16} />
          <YAxis {...Y_AXIS_PROPS} {...percentAxis} />
          <Tooltip formatter={tooltipFormatter} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {agents.map(([agentId, name], index) => (
            <Line isAnimationActive={ANIMATE_CHARTS} key={agentId} type="linear" dataKey={agentId} name={name} stroke={CHART_COLORS[index % CHART_COLORS.length]} strokeWidth={2} dot={{ r: 2 }} connectNulls />
          ))}
        </LineChart>
      </ResponsiveContainer>
    );
  }

  if (type === 'ENUM') {
    const choices = [...new Set(stats.groups.flatMap((group) => (group.choices ?? []).map((choice) => choice.key)))];
    const data = stats.groups.map((group) => ({ label: label(group), ...Object.fromEntries((group.choices ?? []).map((choice) => [choice.key, choice.count])) }));
    return (
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} margin={CHART_MARGIN}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="label" {...X_AXIS_PROPS} minTickGap={8} />
          <YAxis allowDecimals={false} {...Y_AXIS_PROPS} />
          <Tooltip cursor={{ fill: '#f1f3f5' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {choices.map((choice, index) => (
            <Bar isAnimationActive={ANIMATE_CHARTS} key={choice} dataKey={choice} name={choice} stackId="choices" fill={CHART_COLORS[index % CHART_COLORS.length]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    );
  }

  const data = stats.groups.map((group) => ({ label: label(group), value: primaryValue(type, group) }));
  return (
    <ResponsiveContainer width="100%" height={280}>
      <BarChart data={data} margin={CHART_MARGIN}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="label" {...X_AXIS_PROPS} minTickGap={8} />
        <YAxis {...Y_AXIS_PROPS} {...percentAxis} />
        <Tooltip formatter={tooltipFormatter} cursor={{ fill: '#f1f3f5' }} />
        <Bar isAnimationActive={ANIMATE_CHARTS} dataKey="value" name={primaryLabel(type)} fill={ACCENT} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

function MetricTable({ type, stats, groupBy, label }: { type: DispositionMetricType; stats: Stats; groupBy: DispositionGroupBy | null; label: (group: Group) => string }) {
  const rows: Array<{ key: string; name: string; values: GroupValues }> = groupBy
    ? stats.groups.map((group, index) => ({ key: `${group.agentId ?? ''}:${group.bucketStart ?? ''}:${index}`, name: label(group), values: group }))
    : [{ key: 'overall', name: 'All conversations', values: stats.overall }];
  return (
    <table className="table" data-testid="metric-values">
      <thead>
        <tr>
          <th scope="col">{groupBy === 'AGENT' ? 'Agent' : groupBy === 'BUCKET' ? 'Bucket' : groupBy === 'BOTH' ? 'Agent · bucket' : 'Group'}</th>
          <th scope="col" className="numeric">
            With a value
          </th>
          {type === 'BOOLEAN' ? (
            <>
              <th scope="col" className="numeric">
                Yes
              </th>
              <th scope="col" className="numeric">
                No
              </th>
              <th scope="col" className="numeric">
                Yes rate
              </th>
            </>
          ) : null}
          {type === 'INTEGER' ? (
            <>
              {['Average', 'Median', 'Min', 'Max', 'P90', 'P95'].map((name) => (
                <th key={name} scope="col" className="numeric">
                  {name}
                </th>
              ))}
            </>
          ) : null}
          {type === 'ENUM' || type === 'STRING' || type === 'DATETIME' ? <th scope="col">Distribution</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <td>{row.name}</td>
            <td className="numeric">{formatInteger(row.values.count)}</td>
            {type === 'BOOLEAN' ? (
              <>
                <td className="numeric">{formatInteger(row.values.trueCount)}</td>
                <td className="numeric">{formatInteger(row.values.falseCount)}</td>
                <td className="numeric">{formatPercent(row.values.trueRate)}</td>
              </>
            ) : null}
            {type === 'INTEGER' ? (
              <>
                {[row.values.average, row.values.median, row.values.min, row.values.max, row.values.p90, row.values.p95].map((value, index) => (
                  <td key={index} className="numeric">
                    {formatDecimal(value)}
                  </td>
                ))}
              </>
            ) : null}
            {type === 'ENUM' || type === 'STRING' || type === 'DATETIME' ? (
              <td className="subtypes">
                {(type === 'ENUM' ? row.values.choices : type === 'STRING' ? row.values.topValues : (row.values.dates ?? []).map((bucket) => ({ key: bucket.start.slice(0, 10), count: bucket.count, share: null })))?.map((entry) => (
                  <span key={entry.key} className="chip">
                    {entry.key} <b>{formatInteger(entry.count)}</b>
                    {entry.share != null ? <span className="muted"> {formatPercent(entry.share)}</span> : null}
                  </span>
                ))}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
