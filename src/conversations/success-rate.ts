/**
 * An agent usage's success rate when the partner reported none: of that agent's function calls
 * in the conversation, the share that succeeded (`SUCCESS` / all, FAIL, TIMEOUT and RETRY
 * counting as not succeeded); null when the agent made no calls. A reported value always wins
 * and is never overwritten (this is computed when read, not stored). The read planner computes
 * the same in SQL (src/read-planner/read-model.ts).
 */
export const SUCCESS_RATE_DESCRIPTION =
  "0–1. As reported; when not reported, derived from this agent's function calls in the conversation: succeeded (SUCCESS) / all calls, null when it made none";

export function derivedSuccessRate(actions: ReadonlyArray<{ agentId: string | null; status: string }>, agentId: string): number | null {
  let total = 0;
  let succeeded = 0;
  for (const action of actions) {
    if (action.agentId !== agentId) continue;
    total += 1;
    if (action.status === 'SUCCESS') succeeded += 1;
  }
  return total === 0 ? null : succeeded / total;
}

/** The same rule in SQL, for the usage row aliased `t` (conversation_agents). */
export function derivedSuccessRateSql(t: string): string {
  // float8 division, as JavaScript divides (an avg over numeric rounds differently).
  return `coalesce(${t}.success_rate, (SELECT (count(*) FILTER (WHERE a.action_status = 'SUCCESS'))::float8 / nullif(count(*), 0) FROM agent_actions a
    WHERE a.alma_internal_organization = ${t}.alma_internal_organization AND a.conversation_uuid = ${t}.conversation_uuid AND a.agent_uuid = ${t}.agent_uuid))`;
}
