import type { TenantScope } from '../database/tenant-scope.js';

export const ANALYZE_CONVERSATION = 'analyze_conversation';
const DEFAULT_MAX_ATTEMPTS = 5;

/** The queued job of one analysis of a conversation. */
function analysisJob(conversationId: string, options: { maxAttempts?: number; batchId?: string } = {}) {
  return {
    kind: ANALYZE_CONVERSATION,
    dedupeKey: conversationId,
    payload: options.batchId ? { conversationId, batchId: options.batchId } : { conversationId },
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}

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
  await scope.db.job.create({ data: { organizationId: scope.organizationId, ...analysisJob(conversationId, options) } });
  return true;
}

/**
 * Queues the analysis of conversations created in the caller's transaction, in one statement.
 * A conversation that did not exist before this transaction has no pending job, so there is
 * nothing to deduplicate: only for those.
 */
export async function enqueueAnalysesOfNewConversations(scope: TenantScope, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  const jobs = conversationIds.map((id) => analysisJob(id));
  await scope.query(
    `INSERT INTO jobs (alma_internal_organization, kind, dedupe_key, payload, max_attempts)
     SELECT $1, r.kind, r."dedupeKey", r.payload, r."maxAttempts"
     FROM jsonb_to_recordset($2::jsonb) AS r(kind text, "dedupeKey" text, payload jsonb, "maxAttempts" int)`,
    [JSON.stringify(jobs)],
  );
}
