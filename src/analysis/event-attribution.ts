import type { TenantScope } from '../database/tenant-scope.js';
import type { Evidence } from './analysis-provider.js';

/**
 * Which agent a detected event or follow-up belongs to: the agent that spoke in its evidence
 * range (`[contextStartIndex, contextEndIndex]`, inclusive turn sequences; an open end runs to the
 * first or last turn) — the one with the most turns there, the earliest of them on a tie — else
 * the conversation's primary agent (its first agent usage by activation, else the first of
 * `conversations.agents`), else none. The migration `…_detected_event_agents` backfilled the rows
 * written before with the same rule, in SQL.
 */
export type AgentAttribution = (evidence: Evidence) => string | null;

export async function loadAgentAttribution(scope: TenantScope, conversation: { id: string; agents: string[] }): Promise<AgentAttribution> {
  const [turns, usages] = await Promise.all([
    scope.query<{ sequence: number; agentId: string }>(
      `SELECT turn_sequence_number AS sequence, sender_uuid::text AS "agentId" FROM messages
       WHERE alma_internal_organization = $1 AND conversation_uuid = $2::uuid AND sender_uuid IS NOT NULL
       ORDER BY turn_sequence_number`,
      [conversation.id],
    ),
    scope.query<{ agentId: string }>(
      `SELECT agent_uuid::text AS "agentId" FROM conversation_agents
       WHERE alma_internal_organization = $1 AND conversation_uuid = $2::uuid
       ORDER BY activation_timestamp, uuid LIMIT 1`,
      [conversation.id],
    ),
  ]);
  const primary = usages[0]?.agentId ?? conversation.agents[0] ?? null;
  return attributeAgent(turns, primary);
}

/** The rule over an agent's turns (in turn order) and the primary agent. */
export function attributeAgent(turns: Array<{ sequence: number; agentId: string }>, primary: string | null): AgentAttribution {
  return ({ contextStartIndex, contextEndIndex }) => {
    if (contextStartIndex === null && contextEndIndex === null) return primary;
    const from = contextStartIndex ?? Number.NEGATIVE_INFINITY;
    const to = contextEndIndex ?? Number.POSITIVE_INFINITY;
    const counts = new Map<string, number>();
    for (const turn of turns) if (turn.sequence >= from && turn.sequence <= to) counts.set(turn.agentId, (counts.get(turn.agentId) ?? 0) + 1);
    let best: string | null = null;
    // Map order is first-turn order, so a strict > keeps the earliest speaker on a tie.
    for (const [agentId, count] of counts) if (best === null || count > counts.get(best)!) best = agentId;
    return best ?? primary;
  };
}
