import type { Outcome } from '../generated/prisma/enums.js';
import type { AnalysisInput } from './analysis-provider.js';

export interface ConversationMetricsValues {
  totalUserTurns: number;
  totalAgentTurns: number;
  avgResponseTimeMs: number | null;
  totalFunctionsCalled: number;
  uniqueAgentsUsed: number;
  ticketsCreatedCount: number;
  overallSuccessScore: number | null;
}

const OUTCOME_SUCCESS: Record<Outcome, number | null> = {
  RESOLVED: 1,
  TRANSFERRED: 0.6,
  ESCALATED: 0.4,
  NOT_RESOLVED: 0,
  ABANDONED: 0,
  UNKNOWN: null,
};

/**
 * Seed 000 Call Metric, computed from the stored conversation (not by a model): turns per side,
 * the agent's average response time (a USER turn to the next AGENT turn, when both have times),
 * function calls, distinct agents, tickets created, and an overall success score in [0, 1]:
 * the mean of the outcome's success (RESOLVED 1, TRANSFERRED 0.6, ESCALATED 0.4, else 0) and the
 * share of function calls that succeeded (each part only when known).
 */
export function computeConversationMetrics(
  input: Pick<AnalysisInput, 'messages' | 'actions' | 'tickets'>,
  agentCount: number,
  outcome: Outcome | null,
): ConversationMetricsValues {
  const userTurns = input.messages.filter((message) => message.senderRole === 'USER').length;
  const agentTurns = input.messages.filter((message) => message.senderRole === 'AGENT').length;
  const responseTimes: number[] = [];
  for (let index = 0; index < input.messages.length - 1; index += 1) {
    const current = input.messages[index]!;
    const next = input.messages[index + 1]!;
    if (current.senderRole === 'USER' && next.senderRole === 'AGENT' && current.sentAt && next.sentAt) {
      responseTimes.push(next.sentAt.getTime() - current.sentAt.getTime());
    }
  }
  const parts: number[] = [];
  const outcomeSuccess = outcome ? OUTCOME_SUCCESS[outcome] : null;
  if (outcomeSuccess !== null) parts.push(outcomeSuccess);
  if (input.actions.length > 0) parts.push(input.actions.filter((action) => action.status === 'SUCCESS').length / input.actions.length);
  return {
    totalUserTurns: userTurns,
    totalAgentTurns: agentTurns,
    avgResponseTimeMs: responseTimes.length ? responseTimes.reduce((sum, value) => sum + value, 0) / responseTimes.length : null,
    totalFunctionsCalled: input.actions.length,
    uniqueAgentsUsed: agentCount,
    ticketsCreatedCount: input.tickets.filter((ticket) => ticket.action === 'CREATED').length,
    overallSuccessScore: parts.length ? Math.round((parts.reduce((sum, value) => sum + value, 0) / parts.length) * 1000) / 1000 : null,
  };
}
