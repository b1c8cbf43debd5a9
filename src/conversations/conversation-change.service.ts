import type { TenantScope } from '../database/tenant-scope.js';
import type { ConversationChangeFeed } from './conversation-change-feed.js';
import { DEFAULT_ACTIVITY_KINDS, type ConversationActivityFilter, type ConversationChange } from './conversation-change.types.js';
import { ConversationService } from './conversation.service.js';

/** Live changes of one organization's conversations (subscriptions); the organization is the scope's. */
export class ConversationChangeService {
  constructor(
    private readonly scope: TenantScope,
    private readonly feed: ConversationChangeFeed,
  ) {}

  /** Changes of one conversation; NOT_FOUND when it is not this organization's (or not there). */
  async watchConversation(id: string): Promise<AsyncIterableIterator<ConversationChange>> {
    // Listening first, so that nothing committed after the check is missed.
    const changes = await this.feed.subscribe(this.scope.organizationId, { accepts: (change) => change.conversationId === id });
    try {
      await new ConversationService(this.scope).get(id);
    } catch (error) {
      await changes.return?.();
      throw error;
    }
    return changes;
  }

  /** Changes of every conversation of the organization that match `filter`. */
  watchActivity(filter: ConversationActivityFilter | null | undefined): Promise<AsyncIterableIterator<ConversationChange>> {
    const kinds = new Set(filter?.kinds?.length ? filter.kinds : DEFAULT_ACTIVITY_KINDS);
    const statuses = filter?.statuses?.length ? new Set(filter.statuses) : undefined;
    const channels = filter?.channels?.length ? new Set(filter.channels) : undefined;
    const origin = filter?.origin ?? undefined;
    const needsRow = channels !== undefined || origin !== undefined;
    return this.feed.subscribe(this.scope.organizationId, {
      accepts: (change) => kinds.has(change.kind) && (!statuses || (change.status !== null && statuses.has(change.status))),
      // Channel and origin are not in the notification: the conversation is read (for this organization) to check them.
      admit: needsRow
        ? async (change) => {
            const row = await this.scope.db.conversation.findUnique({
              where: { organizationId_id: { organizationId: this.scope.organizationId, id: change.conversationId } },
            });
            if (!row || (channels && !channels.has(row.channel)) || (origin !== undefined && row.origin !== origin)) return undefined;
            return { ...change, loaded: row };
          }
        : undefined,
    });
  }
}
