import { z } from 'zod';
import type { Database } from '../database/database.js';
import { AnalysisStatus, ConversationStatus } from '../generated/prisma/enums.js';
import type { Logger } from '../logging/logger.js';
import { ConversationChangeKind, type ConversationChange } from './conversation-change.js';

/** The channel the conversation triggers announce on (migration 20261202145000_conversation_changes_notify). */
export const CONVERSATION_CHANGES_CHANNEL = 'alma_conversation_changes';

/** Changes one subscription may have waiting before it is ended as too slow (ChangeBacklogError). */
export const DEFAULT_MAX_PENDING_CHANGES = 1_000;

const notificationSchema = z.object({
  organization: z.string().min(1),
  conversation: z.string().min(1),
  kind: z.enum(['CONVERSATION_STARTED', 'STATUS_CHANGED', 'ANALYSIS_STATUS_CHANGED', 'MESSAGES_APPENDED']),
  status: z.enum(ConversationStatus).optional(),
  analysisStatus: z.enum(AnalysisStatus).optional(),
});

const ANALYSIS_KINDS: Partial<Record<AnalysisStatus, ConversationChangeKind>> = {
  PENDING: ConversationChangeKind.ANALYSIS_QUEUED,
  RUNNING: ConversationChangeKind.ANALYSIS_STARTED,
  COMPLETED: ConversationChangeKind.ANALYSIS_COMPLETED,
  FAILED: ConversationChangeKind.ANALYSIS_FAILED,
};

/**
 * A notification's payload as a change, or undefined when it is not one we announce. The trigger
 * reports one kind per row update: an update that changed the status and the analysis status at once
 * (a conversation completed and queued for analysis) is STATUS_CHANGED, with both statuses.
 */
export function parseConversationChange(payload: string): ConversationChange | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const parsed = notificationSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { organization, conversation, kind, status, analysisStatus } = parsed.data;
  const changeKind =
    kind === 'CONVERSATION_STARTED'
      ? ConversationChangeKind.STARTED
      : kind === 'MESSAGES_APPENDED'
        ? ConversationChangeKind.MESSAGES_APPENDED
        : kind === 'STATUS_CHANGED'
          ? ConversationChangeKind.STATUS_CHANGED
          : analysisStatus && ANALYSIS_KINDS[analysisStatus];
  // NOT_REQUESTED is only ever written at creation (announced as STARTED).
  if (!changeKind) return undefined;
  return { organizationId: organization, conversationId: conversation, kind: changeKind, status: status ?? null, analysisStatus: analysisStatus ?? null };
}

/** A subscription fell further behind than DEFAULT_MAX_PENDING_CHANGES; the transport disconnects it. */
export class ChangeBacklogError extends Error {
  constructor(readonly pending: number) {
    super(`More than ${pending} changes were waiting to be delivered`);
    this.name = 'ChangeBacklogError';
  }
}

export interface ChangeSelection {
  /** Cheap check when the notification arrives (only what passes is queued). */
  accepts(change: ConversationChange): boolean;
  /** Optional check when the change is taken (may load the conversation); undefined skips it. */
  admit?(change: ConversationChange): Promise<ConversationChange | undefined>;
}

interface Subscriber {
  selection: ChangeSelection;
  queue: ConversationChange[];
  overflowed: boolean;
  wake?: () => void;
}

/**
 * The process's view of `alma_conversation_changes`: one LISTEN per process (Database.listen), fanned
 * out to the subscriptions of this process. A change only ever reaches subscriptions of its own
 * organization. Notifications are references; what a subscriber sees is loaded for it.
 */
export class ConversationChangeFeed {
  /** By organization: a notification is only ever offered to its own organization's subscribers. */
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private listening: Promise<() => void> | undefined;
  private closed = false;

  constructor(
    private readonly database: Pick<Database, 'listen'>,
    private readonly logger: Logger,
    private readonly maxPending = DEFAULT_MAX_PENDING_CHANGES,
  ) {}

  /** Subscriptions open in this process. */
  get size(): number {
    let size = 0;
    for (const group of this.subscribers.values()) size += group.size;
    return size;
  }

  /**
   * The organization's changes from now on (resolves once the process listens), until the iterator
   * is returned. Throws ChangeBacklogError from `next` when the subscriber fell too far behind.
   */
  async subscribe(organizationId: string, selection: ChangeSelection): Promise<AsyncIterableIterator<ConversationChange>> {
    if (this.closed) throw new Error('the conversation change feed is closed');
    await this.listen();
    const subscriber: Subscriber = { selection, queue: [], overflowed: false };
    const group = this.subscribers.get(organizationId) ?? new Set<Subscriber>();
    this.subscribers.set(organizationId, group.add(subscriber));
    const stop = () => {
      group.delete(subscriber);
      if (group.size === 0 && this.subscribers.get(organizationId) === group) this.subscribers.delete(organizationId);
      subscriber.queue.length = 0;
      subscriber.wake?.();
    };
    let done = false;
    const finished = (): IteratorResult<ConversationChange> => ({ done: true, value: undefined });
    const iterator: AsyncIterableIterator<ConversationChange> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (!done && !this.closed) {
          // Past the bound the backlog is dropped, not delivered late.
          if (subscriber.overflowed) {
            done = true;
            stop();
            throw new ChangeBacklogError(this.maxPending);
          }
          const change = subscriber.queue.shift();
          if (change) {
            const admitted = selection.admit ? await selection.admit(change) : change;
            if (admitted && !done) return { done: false, value: admitted };
            continue;
          }
          await new Promise<void>((resolve) => (subscriber.wake = resolve));
          subscriber.wake = undefined;
        }
        return finished();
      },
      return: async () => {
        done = true;
        stop();
        return finished();
      },
      throw: async (error: unknown) => {
        done = true;
        stop();
        throw error;
      },
    };
    return iterator;
  }

  private listen(): Promise<() => void> {
    this.listening ??= this.database.listen(CONVERSATION_CHANGES_CHANNEL, (payload) => this.dispatch(payload)).catch((error: unknown) => {
      this.listening = undefined;
      throw error;
    });
    return this.listening;
  }

  private dispatch(payload: string | null): void {
    if (payload === null) {
      // The listening connection was (re)established: changes in between are not replayed.
      if (this.size > 0) this.logger.warn({ subscriptions: this.size }, 'conversation change notifications may have been missed while reconnecting');
      return;
    }
    const change = parseConversationChange(payload);
    if (!change) {
      this.logger.warn({ payload: payload.slice(0, 200) }, 'ignored a conversation change notification that is not one');
      return;
    }
    for (const subscriber of this.subscribers.get(change.organizationId) ?? []) {
      if (subscriber.overflowed || !subscriber.selection.accepts(change)) continue;
      if (subscriber.queue.length >= this.maxPending) subscriber.overflowed = true;
      else subscriber.queue.push(change);
      subscriber.wake?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const listening = this.listening;
    this.listening = undefined;
    for (const group of this.subscribers.values()) for (const subscriber of group) subscriber.wake?.();
    if (listening) (await listening.catch(() => () => undefined))();
  }
}
