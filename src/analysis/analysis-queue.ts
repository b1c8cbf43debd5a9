import type { TenantScope } from '../database/tenant-scope.js';

export const ANALYZE_CONVERSATION = 'analyze_conversation';

/**
 * Queues one analysis of a conversation, inside the caller's transaction (which has just written
 * the conversation row, so concurrent enqueuers of the same conversation wait on that row lock).
 * A queued or running analysis of the same conversation is not duplicated.
 */
export async function enqueueAnalysis(
  scope: TenantScope,
  conversationId: string,
  options: { maxAttempts?: number; batchId?: string } = {},
): Promise<boolean> {
  const pending = await scope.db.job.findFirst({
    where: { kind: ANALYZE_CONVERSATION, dedupeKey: conversationId, status: { in: ['QUEUED', 'RUNNING'] } },
    select: { id: true },
  });
  if (pending) return false;
  await scope.db.job.create({
    data: {
      organizationId: scope.organizationId,
      kind: ANALYZE_CONVERSATION,
      dedupeKey: conversationId,
      payload: options.batchId ? { conversationId, batchId: options.batchId } : { conversationId },
      maxAttempts: options.maxAttempts ?? 5,
    },
  });
  return true;
}
