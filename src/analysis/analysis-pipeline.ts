import type { Database } from '../database/database.js';
import type { Job } from '../database/job-store.js';
import { DomainError } from '../errors/domain-error.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../logging/logger.js';
import { AnalysisConfigService } from './analysis-config.service.js';
import { PermanentAnalysisError, RetryableAnalysisError, type AnalysisInput, type AnalysisProvider } from './analysis-provider.js';
import { writeAnalysis } from './analysis-writer.js';

/**
 * The `analyze_conversation` job: load the conversation through its organization's scope, pick
 * the config that applies (its agent's, else the organization's), run the provider, and write
 * the results in one transaction. Re-running replaces the previous results atomically.
 */
export function analysisJobHandler(database: Database, provider: AnalysisProvider, logger: Logger): JobHandler {
  return {
    async run(job: Job, signal: AbortSignal) {
      const { conversationId } = job.payload as { conversationId: string };
      const scope = database.forOrganization(job.organizationId);
      const { db, organizationId } = scope;
      const conversation = await db.conversation.findUnique({ where: { organizationId_id: { organizationId, id: conversationId } } });
      if (!conversation) throw new PermanentAnalysisError('The conversation no longer exists');
      await db.conversation.update({
        where: { organizationId_id: { organizationId, id: conversationId } },
        data: { analysisStatus: 'RUNNING', analysisAttempts: job.attempts },
      });
      const [messages, actions, tickets, transfers, usages] = await Promise.all([
        db.message.findMany({ where: { conversationId }, orderBy: { sequence: 'asc' } }),
        db.agentAction.findMany({ where: { conversationId }, include: { message: { select: { sequence: true } } } }),
        db.ticket.findMany({ where: { conversationId } }),
        db.transfer.findMany({ where: { conversationId } }),
        db.conversationAgent.findMany({ where: { conversationId }, orderBy: [{ activatedAt: 'asc' }, { id: 'asc' }] }),
      ]);
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
        referenceTime: conversation.endedAt ?? conversation.startedAt ?? conversation.createdAt,
      };
      const output = await provider.analyze(input, { signal });
      const { runId } = await writeAnalysis(scope, conversation, input, config, output, agentIds.length);
      logger.info({ organizationId, conversationId, runId, provider: output.provider, configVersion: config.version }, 'conversation analysed');
    },
    async onFinalFailure(job: Job, reason: string) {
      const { conversationId } = job.payload as { conversationId: string };
      const scope = database.forOrganization(job.organizationId);
      await scope.db.conversation.updateMany({
        where: { id: conversationId },
        data: { analysisStatus: 'FAILED', analysisError: reason, analysisAttempts: job.attempts },
      });
    },
    isPermanent: (error) => error instanceof PermanentAnalysisError || (error instanceof DomainError && error.code !== 'CONFLICT'),
    retryAfterMs: (error) => (error instanceof RetryableAnalysisError ? error.retryAfterMs : undefined),
  };
}
