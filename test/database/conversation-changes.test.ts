import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database/database.js';
import { createConversationWithMessages, createOrganization } from '../support/fixtures.js';
import { openTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/until.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});


describe('conversation change notifications (alma_conversation_changes)', () => {
  it('announces a new conversation, appended messages and status changes by reference, at commit', async () => {
    const organization = await createOrganization(database, 'Changes Org');
    const received: Array<Record<string, unknown>> = [];
    const stop = await database.listen('alma_conversation_changes', (payload) => {
      if (payload) received.push(JSON.parse(payload) as Record<string, unknown>);
    });
    try {
      const { conversation } = await createConversationWithMessages(database, organization.id, 2);
      const scope = database.forOrganization(organization.id);
      await scope.db.message.createMany({
        data: [2, 3, 4].map((sequence) => ({
          organizationId: organization.id,
          conversationId: conversation.id,
          sequence,
          senderRole: 'USER' as const,
          content: `turn ${sequence}`,
          channel: 'VOICE' as const,
          origin: 'test',
        })),
      });
      await scope.db.conversation.updateMany({ where: { id: conversation.id }, data: { status: 'COMPLETED' } });
      await scope.db.conversation.updateMany({ where: { id: conversation.id }, data: { analysisStatus: 'PENDING' } });
      await scope.db.conversation.updateMany({ where: { id: conversation.id }, data: { origin: 'unannounced' } });
      const mine = () => received.filter((change) => change.conversation === conversation.id);
      await waitFor(() => mine().some((change) => change.kind === 'ANALYSIS_STATUS_CHANGED'), 'the analysis status change');
      const kinds = mine().map((change) => change.kind);
      expect(kinds[0]).toBe('CONVERSATION_STARTED');
      // The fixture's nested create and the createMany each announce their messages.
      expect(kinds.slice(1, -2).every((kind) => kind === 'MESSAGES_APPENDED')).toBe(true);
      expect(kinds.filter((kind) => kind === 'MESSAGES_APPENDED').length).toBeGreaterThanOrEqual(2);
      expect(kinds.slice(-2)).toEqual(['STATUS_CHANGED', 'ANALYSIS_STATUS_CHANGED']);
      expect(mine().every((change) => change.organization === organization.id)).toBe(true);
      expect(mine().at(-1)).toMatchObject({ status: 'COMPLETED', analysisStatus: 'PENDING' });
    } finally {
      stop();
    }
  });
});
