import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useApiQuery } from '../api/use-api';
import { graphql } from '../gql';
import type { AgentsOverviewQuery } from '../gql/graphql';
import { FilterBar } from '../scope/filter-bar';
import { useScope } from '../scope/scope';
import { Card, PageHeader } from '../ui/card';
import { formatDuration, formatInteger, formatMilliseconds, formatPercent, formatSentiment } from '../ui/format';
import { Empty, ErrorState, Loading } from '../ui/states';

const AgentsOverview = graphql(`
  query AgentsOverview($range: AnalyticsRangeInput!, $filter: ConversationFilter, $timezone: String!) {
    analyticsOverview(range: $range, filter: $filter, timezone: $timezone) {
      agents {
        agentId
        agent {
          id
          name
          internal
        }
        conversations
        resolved
        resolutionRate
        averageSentiment
        averageDurationSeconds
        functionCalls
        functionCallSuccesses
        functionCallSuccessRate
        averageExecutionTimeMs
        p95ExecutionTimeMs
        topErrors {
          message
          count
        }
      }
    }
  }
`);

type AgentRow = AgentsOverviewQuery['analyticsOverview']['agents'][number];

interface Column {
  key: string;
  label: string;
  value: (row: AgentRow) => number | string | null;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'name', label: 'Agent', value: (row) => row.agent.name ?? '' },
  { key: 'conversations', label: 'Conversations', value: (row) => row.conversations, numeric: true },
  { key: 'resolutionRate', label: 'Resolution rate', value: (row) => row.resolutionRate, numeric: true },
  { key: 'averageSentiment', label: 'Sentiment', value: (row) => row.averageSentiment, numeric: true },
  { key: 'averageDurationSeconds', label: 'Avg duration', value: (row) => row.averageDurationSeconds, numeric: true },
  { key: 'functionCalls', label: 'Function calls', value: (row) => row.functionCalls, numeric: true },
  { key: 'functionCallSuccessRate', label: 'Call success', value: (row) => row.functionCallSuccessRate, numeric: true },
  { key: 'p95ExecutionTimeMs', label: 'P95 call time', value: (row) => row.p95ExecutionTimeMs, numeric: true },
];

export function AgentsPage() {
  const scope = useScope();
  const query = useApiQuery(AgentsOverview, { range: scope.range, filter: scope.filter, timezone: scope.timezone });
  const [sort, setSort] = useState<{ key: string; descending: boolean }>({ key: 'conversations', descending: true });
  const rows = useMemo(() => {
    const column = COLUMNS.find((candidate) => candidate.key === sort.key) ?? COLUMNS[1]!;
    return [...(query.data?.analyticsOverview.agents ?? [])].sort((a, b) => compare(column.value(a), column.value(b), sort.descending));
  }, [query.data, sort]);

  return (
    <>
      <PageHeader title="Agents" description="Every agent that took part in the conversations of the range, with its function calls." />
      <FilterBar />
      {query.error ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !query.data ? (
        <Loading label="Loading agents…" />
      ) : rows.length === 0 ? (
        <Empty title="No agents took part in conversations of this range">Widen the date range or clear the filters.</Empty>
      ) : (
        <Card>
          <div className="table-scroll">
            <table className="table table-agents" data-testid="agents-table" aria-busy={query.isFetching}>
              <thead>
                <tr>
                  {COLUMNS.map((column) => {
                    const active = sort.key === column.key;
                    return (
                      <th key={column.key} scope="col" className={column.numeric ? 'numeric' : undefined} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                        <button
                          type="button"
                          className="sort-button"
                          onClick={() => setSort({ key: column.key, descending: active ? !sort.descending : column.numeric === true })}
                        >
                          {column.label}
                          <span className="sort-indicator" aria-hidden="true">
                            {active ? (sort.descending ? '▾' : '▴') : '↕'}
                          </span>
                        </button>
                      </th>
                    );
                  })}
                  <th scope="col">Top errors</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.agentId} data-agent-id={row.agentId}>
                    <td>
                      <Link className="strong-link" to={{ pathname: '/conversations', search: withAgent(scope.search, row.agentId) }}>
                        {row.agent.name ?? 'Unnamed agent'}
                      </Link>
                      <div className="muted small">{row.agent.internal ? 'Internal agent' : 'External agent'}</div>
                    </td>
                    <td className="numeric">{formatInteger(row.conversations)}</td>
                    <td className="numeric">
                      {formatPercent(row.resolutionRate)}
                      <div className="muted small">{formatInteger(row.resolved)} resolved</div>
                    </td>
                    <td className="numeric">{formatSentiment(row.averageSentiment)}</td>
                    <td className="numeric">{formatDuration(row.averageDurationSeconds)}</td>
                    <td className="numeric">
                      {formatInteger(row.functionCalls)}
                      <div className="muted small">avg {formatMilliseconds(row.averageExecutionTimeMs)}</div>
                    </td>
                    <td className="numeric">{formatPercent(row.functionCallSuccessRate)}</td>
                    <td className="numeric">{formatMilliseconds(row.p95ExecutionTimeMs)}</td>
                    <td className="errors-cell">
                      {row.topErrors.length ? (
                        <ul className="error-list">
                          {row.topErrors.slice(0, 3).map((error) => (
                            <li key={error.message} title={error.message}>
                              <span className="error-count">{formatInteger(error.count)}×</span> {error.message}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="muted">None</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}

/** Nulls last whatever the direction; numbers by value, text alphabetically. */
function compare(a: number | string | null, b: number | string | null, descending: boolean): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  return descending ? -order : order;
}

function withAgent(search: string, agentId: string): string {
  const params = new URLSearchParams(search);
  params.set('agent', agentId);
  return `?${params.toString()}`;
}
