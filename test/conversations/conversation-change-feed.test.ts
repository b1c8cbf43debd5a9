import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeBacklogError, ConversationChangeFeed, parseConversationChange } from '../../src/conversations/conversation-change-feed.js';
import type { Database } from '../../src/database/database.js';
import { createConversationWithMessages, createOrganization } from '../support/fixtures.js';
import { silentLogger } from '../support/silent-logger.js';
import { openTestDatabase } from '../support/test-database.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('the conversation change feed', () => {
  it('derives each change kind from the notification, and ignores what is not one', () => {
    const base = { organization: 'o', conversation: 'c' };
    const parse = (payload: Record<string, unknown>) => parseConversationChange(JSON.stringify({ ...base, ...payload }))?.kind;
    expect(parse({ kind: 'CONVERSATION_STARTED', status: 'ONGOING', analysisStatus: 'NOT_REQUESTED' })).toBe('STARTED');
    expect(parse({ kind: 'MESSAGES_APPENDED' })).toBe('MESSAGES_APPENDED');
    expect(parse({ kind: 'STATUS_CHANGED', status: 'COMPLETED', analysisStatus: 'PENDING' })).toBe('STATUS_CHANGED');
    expect(parse({ kind: 'ANALYSIS_STATUS_CHANGED', status: 'COMPLETED', analysisStatus: 'PENDING' })).toBe('ANALYSIS_QUEUED');
    expect(parse({ kind: 'ANALYSIS_STATUS_CHANGED', status: 'COMPLETED', analysisStatus: 'RUNNING' })).toBe('ANALYSIS_STARTED');
    expect(parse({ kind: 'ANALYSIS_STATUS_CHANGED', status: 'COMPLETED', analysisStatus: 'COMPLETED' })).toBe('ANALYSIS_COMPLETED');
    expect(parse({ kind: 'ANALYSIS_STATUS_CHANGED', status: 'COMPLETED', analysisStatus: 'FAILED' })).toBe('ANALYSIS_FAILED');
    expect(parse({ kind: 'ANALYSIS_STATUS_CHANGED', status: 'COMPLETED', analysisStatus: 'NOT_REQUESTED' })).toBeUndefined();
    expect(parse({ kind: 'DROPPED_TABLE' })).toBeUndefined();
    expect(parseConversationChange('not json')).toBeUndefined();
  });

  it('ends a subscription that falls more than its bound behind, dropping the backlog, and frees it on return', async () => {
    const feed = new ConversationChangeFeed(database, silentLogger, 3);
    try {
      const organization = await createOrganization(database);
      const { conversation } = await createConversationWithMessages(database, organization.id, 1);
      const slow = await feed.subscribe(organization.id, { accepts: () => true });
      const keeping = await feed.subscribe(organization.id, { accepts: () => true });
      expect(feed.size).toBe(2);
      const scope = database.forOrganization(organization.id);
      // Five changes, read one by one by `keeping`, never by `slow`.
      const statuses = ['COMPLETED', 'FAILED', 'COMPLETED', 'FAILED', 'COMPLETED'] as const;
      for (const status of statuses) {
        await scope.db.conversation.updateMany({ where: { id: conversation.id }, data: { status } });
        expect(await keeping.next()).toMatchObject({ done: false, value: { kind: 'STATUS_CHANGED', status, conversationId: conversation.id } });
      }
      await expect(slow.next()).rejects.toBeInstanceOf(ChangeBacklogError);
      expect(feed.size).toBe(1);
      expect(await keeping.return!()).toEqual({ done: true, value: undefined });
      expect(feed.size).toBe(0);
    } finally {
      await feed.close();
    }
  });

  it('ends a waiting next() when the subscription is returned', async () => {
    const feed = new ConversationChangeFeed(database, silentLogger);
    try {
      const organization = await createOrganization(database);
      const changes = await feed.subscribe(organization.id, { accepts: () => true });
      const waiting = changes.next();
      await changes.return!();
      expect(await waiting).toEqual({ done: true, value: undefined });
      expect(feed.size).toBe(0);
    } finally {
      await feed.close();
    }
  });
});
