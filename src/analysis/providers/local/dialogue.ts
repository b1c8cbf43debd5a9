import type { PreparedMessage } from './types.js';

/**
 * Turn structure: who answers whom. SYSTEM lines are not turns of the dialogue; a customer's
 * reply answers the agent's last turn before it (and an agent's, the customer's).
 */

/** The agent turn a message at `index` answers (SYSTEM lines skipped), if any within `reach` messages. */
export function previousAgentTurn(messages: readonly PreparedMessage[], index: number, reach = 4): PreparedMessage | null {
  for (let j = index - 1; j >= 0 && index - j <= reach; j--) {
    const message = messages[j]!;
    if (message.role === 'AGENT') return message;
    if (message.role === 'USER') return null;
  }
  return null;
}

/** The next turn of `role` after `index` (SYSTEM lines skipped), if within `reach` messages. */
export function nextTurnOf(messages: readonly PreparedMessage[], index: number, role: 'AGENT' | 'USER', reach = 3): PreparedMessage | null {
  for (let j = index + 1; j < messages.length && j - index <= reach; j++) {
    const message = messages[j]!;
    if (message.role === role) return message;
  }
  return null;
}

/** A customer's refusal of what was just proposed. */
export const REFUSE =
  /\b(no good|doesn'?t work|don'?t work|won'?t work|can'?t (?:do|make)|cannot (?:do|make)|not (?:available|possible|good for me)|i'?m (?:off|busy|away|on site)|no,? thanks|i'?ll pass|not interested|nao (?:da|posso|consigo|vai dar|quero|tenho interesse)|nao,? obrigad|vou passar|nao precisa)\b/;
/** A customer's yes. */
export const ACCEPT_WORDS =
  /\b(yes|yeah|yep|sure|ok(?:ay)?|fine|great|perfect|sounds good|works|that works|is good|is fine|is better|of course|let'?s|see you|sim|claro|pode ser|pode sim|combinado|perfeito|otimo|beleza|fechado|funciona|esta (?:bom|otimo)|ta (?:bom|otimo)|fica (?:bom|melhor)|quero|show|isso|pode marcar|ate (?:la|amanha))\b/;
/** Putting the decision off. */
export const POSTPONE = /\b(think (?:about )?it|later|not (?:right )?now|for now|next (?:year|quarter|semester)|vou pensar|depois|mais (?:pra|para) frente|agora nao|outra hora)\b/;
