import type { TenantScope } from '../database/tenant-scope.js';
import type { Conversation } from '../generated/prisma/client.js';
import { AnalysisConfigService, type EffectiveConfig } from './analysis-config.service.js';
import type { AnalysisInput } from './analysis-provider.js';
import { conversationTimeZone } from './zoned-time.js';

/** The instant relative dates ("tomorrow at 3pm") are read against: the conversation's end, else its start, else when it was stored. */
export function analysisReferenceTime(conversation: Pick<Conversation, 'endedAt' | 'startedAt' | 'createdAt'>): Date {
  return conversation.endedAt ?? conversation.startedAt ?? conversation.createdAt;
}

/** What a provider sees of one conversation (local times in its effective zone, see conversationTimeZone), and the config that applies to it (its first agent's, else the organization's). */
export async function loadAnalysisInput(
  scope: TenantScope,
  conversation: Conversation,
): Promise<{ input: AnalysisInput; config: EffectiveConfig; agentCount: number }> {
  const { db } = scope;
  const conversationId = conversation.id;
  const [messages, actions, tickets, transfers, usages, organization] = await Promise.all([
    db.message.findMany({ where: { conversationId }, orderBy: { sequence: 'asc' } }),
    db.agentAction.findMany({ where: { conversationId }, include: { message: { select: { sequence: true } } } }),
    db.ticket.findMany({ where: { conversationId } }),
    db.transfer.findMany({ where: { conversationId } }),
    db.conversationAgent.findMany({ where: { conversationId }, orderBy: [{ activatedAt: 'asc' }, { id: 'asc' }] }),
    db.organization.findUnique({ where: { id: scope.organizationId }, select: { timeZone: true } }),
  ]);
  const referenceTime = analysisReferenceTime(conversation);
  const agentIds = [...new Set([...usages.map((usage) => usage.agentId), ...conversation.agents])];
  const config = await new AnalysisConfigService(scope).effective(agentIds[0] ?? null);
  const input: AnalysisInput = {
    conversation: {
      id: conversation.id,
      channel: conversation.channel,
      status: conversation.status,
      startedAt: conversation.startedAt,
      endedAt: conversation.endedAt,
      durationSeconds: conversation.durationSeconds,
      endedBy: conversation.endedBy,
      endReason: conversation.endReason,
    },
    messages: messages.map((message) => ({ sequence: message.sequence, senderRole: message.senderRole, content: message.content, sentAt: message.sentAt })),
    actions: actions.map((action) => ({ functionName: action.functionName, status: action.status, messageSequence: action.message?.sequence ?? null })),
    tickets: tickets.map((ticket) => ({ ticketId: ticket.ticketId, action: ticket.action })),
    transfers: transfers.map((transfer) => ({ destination: transfer.destination, status: transfer.status })),
    config,
    referenceTime,
    timeZone: conversationTimeZone(conversation.timeZone, organization?.timeZone),
  };
  return { input, config, agentCount: agentIds.length };
}
