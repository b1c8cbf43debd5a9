import type { Database } from '../database/database.js';
import type { Job } from '../database/job-store.js';
import { DomainError } from '../errors/domain-error.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../logging/logger.js';
import { secondsSince, type Metrics } from '../observability/metrics.js';
import { inSpan } from '../observability/tracing.js';
import { loadAnalysisInput } from './analysis-input.js';
import { PermanentAnalysisError, RetryableAnalysisError, type AnalysisProvider } from './analysis-provider.js';
import { writeAnalysis } from './analysis-writer.js';

/**
 * The `analyze_conversation` job: load the conversation through its organization's scope, pick
 * the config that applies (its agent's, else the organization's), run the provider, and write
 * the results in one transaction. Re-running replaces the previous results atomically.
 */
export function analysisJobHandler(database: Database, provider: AnalysisProvider, logger: Logger, metrics?: Metrics): JobHandler {
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
      const { input, config, agentCount } = await loadAnalysisInput(scope, conversation);
      const output = await measureAnalysis(provider, metrics, () => provider.analyze(input, { signal }));
      const { runId } = await writeAnalysis(scope, conversation, input, config, output, agentCount);
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
    async onRelease(job: Job) {
      const { conversationId } = job.payload as { conversationId: string };
      await database.forOrganization(job.organizationId).db.conversation.updateMany({
        where: { id: conversationId, analysisStatus: 'RUNNING' },
        data: { analysisStatus: 'PENDING' },
      });
    },
    isPermanent: (error) => error instanceof PermanentAnalysisError || (error instanceof DomainError && error.code !== 'CONFLICT'),
    retryAfterMs: (error) => (error instanceof RetryableAnalysisError ? error.retryAfterMs : undefined),
  };
}

/** The provider call's duration by provider and outcome, in a span of its own. */
async function measureAnalysis<T>(provider: AnalysisProvider, metrics: Metrics | undefined, analyze: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  let outcome = 'error';
  try {
    const output = await inSpan(`analyze ${provider.name}`, { attributes: { 'alma.analysis.provider': provider.name } }, analyze);
    outcome = 'ok';
    return output;
  } finally {
    metrics?.analyses.observe({ provider: provider.name, outcome }, secondsSince(started));
  }
}
