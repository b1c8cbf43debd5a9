import type { EndedBy, Outcome } from '../../../generated/prisma/enums.js';
import type { AnalysisOutput } from '../../analysis-provider.js';
import type { Detections } from './event-detection.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * The call outcome (seed 000: Resolved / Not-Resolved / Escalated, plus transfers and abandoned
 * calls) with a reason and who ended the conversation. Rules, first match wins:
 * 1. nothing said and nothing happened → UNKNOWN;
 * 2. a transfer whose status says "connected" → TRANSFERRED;
 * 3. the customer never spoke, or left a very short conversation after the agent spoke → ABANDONED;
 * 4. the customer confirms the problem is solved ("that fixed it", "resolvido", "consegui") → RESOLVED;
 * 5. the customer asks for a human ("speak to a human", "falar com atendente") → ESCALATED;
 * 6. a sale or a scheduled meeting → RESOLVED;
 * 7. a ticket created for another team → ESCALATED; an open ticket otherwise → NOT_RESOLVED;
 * 8. a declined offer or a pending follow-up → NOT_RESOLVED;
 * 9. the customer closes with thanks and no open problem → RESOLVED; else NOT_RESOLVED.
 */

const SOLVED =
  /\b(that fixed it|it'?s fixed|fixed it|(?:it|that) (?:works|worked)(?: now)?|working now|problem solved|all set|i was able to|i'?m in now|i can (?:log in|see it|access) now|got it working|that (?:solved|resolved) it|resolved|perfect,? (?:i|it|that)|resolvido|resolveu|resolvida|deu certo|funcionou|funcionando|consegui (?:entrar|acessar|logar|resolver)|ja consegui|tudo certo|problema resolvido)\b/;
const HUMAN =
  /\b((?:speak|talk) (?:to|with) (?:a |an |the )?(?:real )?(?:human|person|agent|representative|supervisor|manager|someone)|real person|human agent|live agent|transfer me|falar com (?:um |uma |o |a )?(?:atendente|humano|pessoa|supervisor|gerente|alguem)|atendente humano|pessoa de verdade|me transfere|me transfira)\b/;
const CLOSING = /\b(thanks|thank you|bye|goodbye|talk soon|see you|have a (?:great|good|nice) day|obrigad[oa]|valeu|tchau|ate (?:mais|logo|breve|la|amanha)|tenha um (?:otimo|bom) dia)\b/;
const THANKS = /\b(thanks|thank you|thx|great|perfect|awesome|obrigad[oa]|valeu|perfeito|otimo|show)\b/;
const STILL_BROKEN = /\b(still (?:not|doesn'?t|isn'?t|can'?t|broken|down)|not (?:working|fixed|resolved)|didn'?t (?:work|help|fix)|ainda nao (?:funciona|resolveu|chegou|consegui)|nao (?:funcionou|resolveu|adiantou)|continua (?:caindo|sem|com problema))\b/;

function endedByOf(context: AnalysisContext): EndedBy | null {
  const { endedBy, endReason } = context.input.conversation;
  if (endedBy) return endedBy;
  const reason = (endReason ?? '').toLowerCase();
  if (/user|customer|caller|client|contact|hangup_by_user/.test(reason)) return 'USER';
  if (/agent|bot|assistant|operator/.test(reason)) return 'AGENT';
  if (/timeout|time_out|system|error|silence|inactiv|idle|expired|dropped|network/.test(reason)) return 'SYSTEM';
  const last = context.messages[context.messages.length - 1];
  return last ? last.role : null;
}

type OutcomeResult = NonNullable<AnalysisOutput['outcome']>;

export function determineOutcome(context: AnalysisContext, detections: Detections): OutcomeResult {
  const { messages, input } = context;
  const endedBy = endedByOf(context);
  const first = messages[0]?.sequence ?? null;
  const lastMessage = messages[messages.length - 1];
  const last = lastMessage?.sequence ?? null;
  const result = (outcome: Outcome, reason: string, from: number | null = first, to: number | null = last): OutcomeResult => ({
    outcome,
    reason,
    endedBy,
    contextStartIndex: from,
    contextEndIndex: to,
  });
  const userMessages = messages.filter((message) => message.role === 'USER');

  if (messages.length === 0 && input.transfers.length === 0) return result('UNKNOWN', 'The conversation has no messages to analyze.');

  const connected = input.transfers.find((transfer) => (transfer.status ?? '').toLowerCase().includes('connected'));
  if (connected) {
    const to = connected.destination ? ` to ${connected.destination}` : '';
    return result('TRANSFERRED', `The conversation was transferred${to} and the transfer connected (status "${connected.status}").`);
  }

  if (userMessages.length === 0) return result('ABANDONED', 'The customer never replied.');
  const solved = [...userMessages].reverse().find((message) => saysSolved(message.folded));
  const shortConversation = messages.length <= 5 && userMessages.length <= 2;
  if (shortConversation && !solved && lastMessage?.role === 'AGENT' && detections.events.length === 0) {
    const how = input.conversation.endReason ? ` (end reason: ${input.conversation.endReason})` : '';
    return result('ABANDONED', `The customer stopped responding after ${userMessages.length} message(s) in a short conversation${how}.`);
  }

  const concluded =
    solved || detections.sale || detections.meetings.length > 0 || detections.followUps.length > 0 || input.tickets.length > 0 || input.transfers.length > 0;
  const closingWords = messages.slice(-2).some((message) => CLOSING.test(message.folded));
  if (!concluded && messages.length <= 6 && userMessages.length <= 3 && !closingWords) {
    return result('ABANDONED', `The conversation stopped after ${messages.length} messages without reaching any conclusion or goodbye.`);
  }

  if (solved && solved.sequence >= (userMessages[userMessages.length - 1]?.sequence ?? 0) - 4) {
    return result('RESOLVED', `The customer confirmed the issue was solved: "${quote(solved)}".`, solved.sequence, solved.sequence);
  }

  const human = userMessages.find((message) => HUMAN.test(message.folded));
  if (human) {
    const transfer = input.transfers[0];
    const transferNote = transfer ? ` A transfer was started${transfer.destination ? ` to ${transfer.destination}` : ''} but did not connect.` : '';
    return result('ESCALATED', `The customer asked for a human agent: "${quote(human)}".${transferNote}`, human.sequence, last);
  }

  if (detections.sale) {
    const sale = detections.sale;
    return result('RESOLVED', `Sale made: ${sale.product} for ${sale.price}${sale.currency ? ` ${sale.currency}` : ''}.`, sale.offerSequence, sale.acceptSequence);
  }
  const meeting = detections.meetings[detections.meetings.length - 1];
  if (meeting) return result('RESOLVED', `A meeting was scheduled for ${meeting.date.iso} (${meeting.channel}).`, meeting.from, meeting.to);

  const created = input.tickets.find((ticket) => ticket.action === 'CREATED');
  if (created) return result('ESCALATED', `ServiceNow ticket ${created.ticketId} was created for follow-up by another team; the issue was not solved in the conversation.`);
  if (input.transfers.length > 0) return result('ESCALATED', 'A transfer to another agent was started but did not connect.');
  const openTicket = input.tickets[0];
  if (openTicket) return result('NOT_RESOLVED', `The issue is still open, tracked in ticket ${openTicket.ticketId} (${openTicket.action.toLowerCase()}).`);

  const lost = detections.stageChanges.find((event) => event.payload.NEW_STAGE === 'CLOSED_LOST');
  if (lost) return result('NOT_RESOLVED', 'The customer declined the offer.', lost.contextStartIndex, lost.contextEndIndex);
  const followUp = detections.followUps[detections.followUps.length - 1];
  if (followUp) return result('NOT_RESOLVED', `No decision yet; a follow-up (${followUp.type.toLowerCase()}) is planned for ${followUp.iso}.`, followUp.sequenceFrom, followUp.sequenceTo);

  const broken = userMessages.slice(-3).find((message) => STILL_BROKEN.test(message.folded));
  if (broken) return result('NOT_RESOLVED', `The customer said the problem persists: "${quote(broken)}".`, broken.sequence, broken.sequence);
  const closing = userMessages.slice(-2).find((message) => THANKS.test(message.folded));
  if (closing && detections.objections.length === 0) {
    return result('RESOLVED', `The customer ended satisfied, with no open problem: "${quote(closing)}".`, closing.sequence, closing.sequence);
  }
  return result('NOT_RESOLVED', 'Nothing in the conversation shows that the request was resolved.');
}

/** "that fixed it", but not "não consegui entrar" / "it's not fixed". */
function saysSolved(folded: string): boolean {
  if (STILL_BROKEN.test(folded)) return false;
  const pattern = new RegExp(SOLVED.source, 'g');
  for (const match of folded.matchAll(pattern)) {
    const before = folded.slice(Math.max(0, (match.index ?? 0) - 12), match.index ?? 0);
    if (!/\b(nao|not|never|nunca|nem)\s+(?:\w+\s+)?$|n't\s+$/.test(before)) return true;
  }
  return false;
}

function quote(message: PreparedMessage): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
