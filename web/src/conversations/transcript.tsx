import { Fragment, useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useApiQuery } from '../api/use-api';
import { useScope } from '../scope/scope';
import type { ConversationDetailQuery, ConversationMessagesQuery } from '../gql/graphql';
import { Badge } from '../ui/card';
import { formatDateTime, formatMilliseconds, formatSentiment, formatTime, humanize } from '../ui/format';
import { TicketConversationsQuery } from './conversation.queries';
import { sentimentColor } from '../ui/palette';

export type Turn = ConversationMessagesQuery['conversation']['messages']['edges'][number]['node'];
type Action = ConversationDetailQuery['conversation']['actions'][number];
type Ticket = ConversationDetailQuery['conversation']['tickets'][number];

/** A message range to show: the turns from `from` to `to` (sequence numbers, both included). */
export interface Highlight {
  id: string;
  from: number;
  to: number;
  label: string;
}

type Placed = { kind: 'action'; at: number; item: Action } | { kind: 'ticket'; at: number; item: Ticket };

/**
 * A function call goes under the turn it belongs to (`AgentAction.message`, as the partner sent
 * it); a call without one, and a ticket, after the last turn sent at or before it happened; the
 * ones with neither are listed after the transcript.
 */
function placeAtTurns(turns: Turn[], actions: Action[], tickets: Ticket[]) {
  const after = new Map<number, Placed[]>();
  const unplaced: Placed[] = [];
  const place = (index: number, placed: Placed) => {
    const list = after.get(index) ?? [];
    list.push(placed);
    after.set(index, list);
  };
  const indexOfSequence = new Map(turns.map((turn, index) => [turn.sequence, index]));
  const times = turns.map((turn) => (turn.sentAt ? Date.parse(turn.sentAt) : null));
  const items: Placed[] = [
    ...actions.map((item) => ({ kind: 'action' as const, at: item.occurredAt ? Date.parse(item.occurredAt) : NaN, item })),
    ...tickets.map((item) => ({ kind: 'ticket' as const, at: item.occurredAt ? Date.parse(item.occurredAt) : NaN, item })),
  ].sort((a, b) => a.at - b.at);
  for (const placed of items) {
    const turnIndex = placed.kind === 'action' && placed.item.message ? indexOfSequence.get(placed.item.message.sequence) : undefined;
    if (turnIndex !== undefined) {
      place(turnIndex, placed);
      continue;
    }
    if (Number.isNaN(placed.at) || times.every((time) => time === null)) {
      unplaced.push(placed);
      continue;
    }
    let index = -1;
    times.forEach((time, position) => {
      if (time !== null && time <= placed.at) index = position;
    });
    place(index, placed);
  }
  return { after, unplaced };
}

export function Transcript({ conversationId, turns, actions, tickets, highlight, timezone, truncated }: { conversationId: string; turns: Turn[]; actions: Action[]; tickets: Ticket[]; highlight: Highlight | null; timezone: string; truncated: boolean }) {
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!highlight) return;
    const first = listRef.current?.querySelector<HTMLElement>('[data-highlighted="true"]');
    first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlight]);
  if (turns.length === 0) return <p className="muted">No messages in this conversation.</p>;
  const { after, unplaced } = placeAtTurns(turns, actions, tickets);
  const isHighlighted = (sequence: number) => !!highlight && sequence >= highlight.from && sequence <= highlight.to;
  return (
    <>
      <p className="visually-hidden" aria-live="polite">
        {highlight ? `${highlight.label}: turns ${highlight.from} to ${highlight.to} highlighted` : ''}
      </p>
      <ol className="transcript" ref={listRef} data-testid="transcript">
        {(after.get(-1) ?? []).map((placed) => (
          <PlacedItem key={placed.item.id} placed={placed} timezone={timezone} conversationId={conversationId} />
        ))}
        {turns.map((turn, index) => (
          <Fragment key={turn.id}>
            <li className={`turn turn-${turn.senderRole.toLowerCase()}${isHighlighted(turn.sequence) ? ' turn-highlighted' : ''}`} data-sequence={turn.sequence} data-highlighted={isHighlighted(turn.sequence)}>
              <div className="turn-meta">
                <span className="turn-speaker">{speaker(turn)}</span>
                <span className="muted small">
                  {humanize(turn.senderRole)} · #{turn.sequence}
                  {turn.sentAt ? ` · ${formatTime(turn.sentAt, timezone)}` : ''}
                </span>
              </div>
              <div className="turn-bubble">{turn.content}</div>
              <div className="turn-foot">
                <span className="turn-sentiment" title="Sentiment of this turn">
                  <span className="sentiment-dot" style={{ background: sentimentColor(turn.sentimentScore) }} aria-hidden="true" />
                  <span data-testid="turn-sentiment">{formatSentiment(turn.sentimentScore)}</span>
                </span>
                {turn.speechToTextConfidence != null ? <span className="muted small">STT {Math.round(turn.speechToTextConfidence * 100)}%</span> : null}
              </div>
            </li>
            {(after.get(index) ?? []).map((placed) => (
              <PlacedItem key={placed.item.id} placed={placed} timezone={timezone} conversationId={conversationId} />
            ))}
          </Fragment>
        ))}
        {unplaced.map((placed) => (
          <PlacedItem key={placed.item.id} placed={placed} timezone={timezone} conversationId={conversationId} />
        ))}
      </ol>
      {truncated ? <p className="muted small">Only the first 2,000 turns are shown.</p> : null}
    </>
  );
}

function speaker(turn: Turn): string {
  if (turn.senderRole === 'AGENT') return turn.sender?.name ?? 'Agent';
  if (turn.senderRole === 'USER') return turn.senderContact?.name ?? 'Customer';
  return 'System';
}

function PlacedItem({ placed, timezone, conversationId }: { placed: Placed; timezone: string; conversationId: string }) {
  if (placed.kind === 'action') {
    const action = placed.item;
    const tone = action.status === 'SUCCESS' ? 'positive' : action.status === 'FAIL' ? 'negative' : 'warning';
    return (
      <li className="turn-item turn-action" data-kind="function-call" data-turn={action.message?.sequence}>
        <span className="turn-item-icon" aria-hidden="true">ƒ</span>
        <div>
          <div className="turn-item-title">
            <code>{action.functionName}</code> <Badge tone={tone}>{humanize(action.status)}</Badge>
            <span className="muted small">
              {formatMilliseconds(action.executionTimeMs)}
              {action.retryCount ? ` · ${action.retryCount} retries` : ''}
              {action.message ? ` · turn #${action.message.sequence}` : ''}
              {action.occurredAt ? ` · ${formatTime(action.occurredAt, timezone)}` : ''}
            </span>
          </div>
          {action.errorMessage ? <div className="inline-error">{action.errorMessage}</div> : null}
        </div>
      </li>
    );
  }
  return <TicketItem ticket={placed.item} timezone={timezone} conversationId={conversationId} />;
}

/** A ticket, with the other conversations that touched it (`tickets(filter: {ticketSystem, ticketId})`). */
function TicketItem({ ticket, timezone, conversationId }: { ticket: Ticket; timezone: string; conversationId: string }) {
  const scope = useScope();
  const touched = useApiQuery(TicketConversationsQuery, { ticketSystem: ticket.ticketSystem, ticketId: ticket.ticketId });
  const others = (touched.data?.tickets.edges ?? []).filter(({ node }) => node.conversation.id !== conversationId);
  return (
    <li className="turn-item turn-ticket" data-kind="ticket" data-ticket-id={ticket.ticketId}>
      <span className="turn-item-icon" aria-hidden="true">#</span>
      <div>
        <div className="turn-item-title">
          <span>
            {humanize(ticket.action)} ticket <code>{ticket.ticketId}</code>
          </span>
          <span className="muted small">
            {ticket.ticketSystem}
            {ticket.status ? ` · ${ticket.status}` : ''}
            {ticket.occurredAt ? ` · ${formatTime(ticket.occurredAt, timezone)}` : ''}
          </span>
        </div>
        {ticket.reason ? <div className="muted">{ticket.reason}</div> : null}
        {others.length ? (
          <div className="small" data-testid="ticket-other-conversations">
            <span className="muted">Also in </span>
            {others.map(({ node }, index) => (
              <Fragment key={node.id}>
                {index ? ', ' : ''}
                <Link to={{ pathname: `/conversations/${node.conversation.id}`, search: scope.search }} className="strong-link">
                  {node.conversation.externalId ?? node.conversation.id.slice(0, 8)}
                </Link>
                <span className="muted"> ({humanize(node.action).toLowerCase()}{node.conversation.startedAt ? `, ${formatDateTime(node.conversation.startedAt, timezone)}` : ''})</span>
              </Fragment>
            ))}
          </div>
        ) : null}
      </div>
    </li>
  );
}
