import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/database/database.js';

/** A fresh organization per test, so tests never share tenant state. */
export async function createOrganization(database: Database, name = `Test org ${randomUUID().slice(0, 8)}`) {
  return database.platform.organization.create({ data: { name } });
}

/** A conversation with `messageCount` messages, written through the tenant-scoped layer. */
export async function createConversationWithMessages(database: Database, organizationId: string, messageCount = 2) {
  const scope = database.forOrganization(organizationId);
  const agent = await scope.db.agent.create({
    data: { organizationId, name: 'Ava (voice bot)', origin: 'test', externalId: randomUUID() },
  });
  const conversation = await scope.db.conversation.create({
    data: {
      organizationId,
      channel: 'VOICE',
      origin: 'test',
      externalId: randomUUID(),
      agents: [agent.id],
      messages: {
        create: Array.from({ length: messageCount }, (_, index) => ({
          sequence: index,
          senderRole: index % 2 === 0 ? ('AGENT' as const) : ('USER' as const),
          senderId: index % 2 === 0 ? agent.id : null,
          content: index % 2 === 0 ? 'Hello, how can I help you today?' : 'I would like to know your pricing.',
          channel: 'VOICE' as const,
          origin: 'test',
        })),
      },
    },
  });
  return { agent, conversation };
}
