import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApiQuery } from '../api/use-api';
import { graphql } from '../gql';
import type { ConversationOrder } from '../gql/graphql';
import { Field, FilterBar } from '../scope/filter-bar';
import { useScope } from '../scope/scope';
import { Card, PageHeader } from '../ui/card';
import { formatDateTime, formatDuration, formatInteger, humanize } from '../ui/format';
import { Empty, ErrorState, Loading } from '../ui/states';
import { AnalysisBadge, OutcomeBadge, SentimentValue } from './conversation-labels';

const PAGE_SIZE = 25;

const ConversationList = graphql(`
  query ConversationList($filter: ConversationFilter, $first: Int, $after: String, $orderBy: ConversationOrder) {
    conversations(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          externalId
          channel
          direction
          status
          startedAt
          durationSeconds
          outcome
          analysisStatus
          sentiment {
            label
            score
          }
          agents {
            agent {
              id
              name
            }
          }
          participants {
            contact {
              name
              phoneNumber
            }
          }
          events {
            id
          }
        }
      }
    }
  }
`);

export function ConversationsPage() {
  const scope = useScope();
  const navigate = useNavigate();
  const [orderBy, setOrderBy] = useState<ConversationOrder>('STARTED_AT_DESC');
  const filter = useMemo(() => ({ ...scope.filter, startedAt: scope.range }), [scope.filter, scope.range]);
  const filterKey = JSON.stringify([filter, orderBy]);
  // Cursors of the pages before the current one: Relay connections page forward only.
  // Keyed by the filter and order, so that a change starts again at the first page.
  const [paging, setPaging] = useState<{ key: string; cursors: Array<string | null> }>({ key: filterKey, cursors: [null] });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const setCursors = (update: (previous: Array<string | null>) => Array<string | null>) => setPaging({ key: filterKey, cursors: update(cursors) });
  const after = cursors[cursors.length - 1] ?? null;
  const query = useApiQuery(ConversationList, { filter, first: PAGE_SIZE, after, orderBy });
  const connection = query.data?.conversations;
  const pageStart = (cursors.length - 1) * PAGE_SIZE;

  return (
    <>
      <PageHeader title="Conversations" description="Calls and chats that started in the range; open one for its transcript and analysis." />
      <FilterBar />
      {query.error ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : !connection ? (
        <Loading label="Loading conversations…" />
      ) : (
        <Card
          title={`${formatInteger(connection.totalCount)} ${connection.totalCount === 1 ? 'conversation' : 'conversations'}`}
          subtitle={connection.totalCount ? `Showing ${formatInteger(pageStart + 1)}–${formatInteger(pageStart + connection.edges.length)}` : undefined}
          testId="conversation-list"
          actions={
            <Field label="Order">
              <select value={orderBy} onChange={(event) => setOrderBy(event.target.value as ConversationOrder)}>
                <option value="STARTED_AT_DESC">Newest first</option>
                <option value="STARTED_AT_ASC">Oldest first</option>
              </select>
            </Field>
          }
        >
          {connection.edges.length === 0 ? (
            <Empty title="No conversations match">Change the filters or widen the date range.</Empty>
          ) : (
            <div className="table-scroll">
              <table className="table table-conversations" aria-busy={query.isFetching} data-testid="conversations-table">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Conversation</th>
                    <th scope="col">Agent</th>
                    <th scope="col">Customer</th>
                    <th scope="col" className="numeric">
                      Duration
                    </th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Sentiment</th>
                    <th scope="col" className="numeric">
                      Events
                    </th>
                    <th scope="col">Analysis</th>
                  </tr>
                </thead>
                <tbody>
                  {connection.edges.map(({ node }) => {
                    const to = { pathname: `/conversations/${node.id}`, search: scope.search };
                    const customer = node.participants[0]?.contact;
                    return (
                      <tr key={node.id} className="clickable-row" data-conversation-id={node.id} onClick={() => navigate(to)}>
                        <td className="nowrap">{formatDateTime(node.startedAt, scope.timezone)}</td>
                        <td>
                          <Link to={to} className="strong-link" onClick={(event) => event.stopPropagation()}>
                            {node.externalId ?? node.id.slice(0, 8)}
                          </Link>
                          <div className="muted small">
                            {humanize(node.channel)}
                            {node.direction ? ` · ${humanize(node.direction)}` : ''}
                            {node.status !== 'COMPLETED' ? ` · ${humanize(node.status)}` : ''}
                          </div>
                        </td>
                        <td>{node.agents.map((usage) => usage.agent.name ?? 'Unnamed').join(', ') || <span className="muted">—</span>}</td>
                        <td>{customer?.name ?? customer?.phoneNumber ?? <span className="muted">—</span>}</td>
                        <td className="numeric">{formatDuration(node.durationSeconds)}</td>
                        <td>
                          <OutcomeBadge outcome={node.outcome} />
                        </td>
                        <td>
                          <SentimentValue score={node.sentiment.score} label={node.sentiment.label} />
                        </td>
                        <td className="numeric">{formatInteger(node.events.length)}</td>
                        <td>
                          <AnalysisBadge status={node.analysisStatus} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pagination" aria-label="Pages">
            <button type="button" className="button" disabled={cursors.length <= 1} onClick={() => setCursors((previous) => previous.slice(0, -1))}>
              ← Previous
            </button>
            <span className="muted">Page {cursors.length}</span>
            <button
              type="button"
              className="button"
              disabled={!connection.pageInfo.hasNextPage}
              onClick={() => setCursors((previous) => [...previous, connection.pageInfo.endCursor ?? null])}
            >
              Next →
            </button>
          </nav>
        </Card>
      )}
    </>
  );
}
