import type { EndedBy, Outcome } from '../../../generated/prisma/enums.js';
import type { AnalysisOutput } from '../../analysis-provider.js';
import type { Detections } from './event-detection.js';
import { factsOf } from './system-facts.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * The call outcome (seed 000: Resolved / Not-Resolved / Escalated, plus transfers and abandoned
 * calls) with a reason and who ended the conversation. Stated facts (SYSTEM lines, tickets,
 * transfers) come first, then the dialogue; first match wins:
 * 1. nothing said and nothing happened → UNKNOWN;
 * 2. a transfer that connected → TRANSFERRED;
 * 3. the customer never spoke, hung up or stopped answering before anything was settled → ABANDONED;
 * 4. the customer confirms the problem is solved → RESOLVED;
 * 5. a ticket for another team, a transfer requested but not connected, a request for a human → ESCALATED;
 * 6. the problem is still there at the end (even with a visit booked) → NOT_RESOLVED;
 * 7. a sale, a scheduled meeting, a meeting held, or the agent doing what was asked
 *    (a refund issued, a document sent, an account unlocked) → RESOLVED;
 * 8. an offer declined or put off, an objection left standing, a pending follow-up → NOT_RESOLVED;
 * 9. the customer asked a question and got the answer with no open problem → RESOLVED; else NOT_RESOLVED.
 */

const SOLVED =
  /\b(that fixed it|it'?s fixed|fixed it|(?:it|that) (?:works|worked)(?: now)?|working now|problem solved|all set|i'?m (?:in|logged in) now|i'?m logged in|i can (?:log in|see it|access) now|got it working|they'?re (?:all )?coming in|that (?:solved|resolved) it|resolvido|resolveu|resolvida|deu certo|funcionou|(?:ja|agora) (?:esta |ta )?funcionando|voltou a funcionar|voltou ao normal|agora sim|consegui (?:entrar|acessar|logar|resolver)|ja consegui|problema resolvido|acabou de confirmar que recebeu|chegou aqui)\b/;
const HUMAN =
  /\b((?:speak|talk) (?:to|with) (?:a |an |the )?(?:real )?(?:human|person|agent|representative|supervisor|manager|someone)|real person|human agent|live agent|transfer me|falar com (?:um |uma |o |a )?(?:atendente|humano|pessoa|supervisor|gerente|alguem)|atendente humano|pessoa de verdade|me transfere|me transfira)\b/;
const AGENT_ESCALATES =
  /\b(escalat\w*|open(?:ing)? a ticket|ticket (?:for|with) (?:our|the)|assign(?:ed|ing)? (?:it )?to (?:our|the) \w+ team|abrir um (?:chamado|incidente|ticket)|vou escalar|escalad[oa]|encaminhar (?:para|pra) (?:a|o) (?:equipe|time|setor)|incidente prioritario)\b/;
const STILL_BROKEN =
  /\b(still (?:not|doesn'?t|isn'?t|can'?t|broken|down|warm|not draining|not working)|it'?s still|not (?:working|fixed|resolved|draining)|didn'?t (?:work|help|fix)|ainda nao (?:funciona|resolveu|chegou|consegui)|nao (?:funcionou|resolveu|adiantou)|continua (?:caindo|sem|com problema|quente|nao|parad[oa])|segue (?:sem|com problema))\b/;
/** The agent did what the customer asked. */
const FULFILLED =
  /\b(i'?ve (?:issued|processed|sent|unlocked|reset|fixed|updated|credited|refunded)|(?:is|has been|was) (?:unlocked|sent|issued|refunded|credited|fixed|reset)|your access is unlocked|it'?s on its way|sent(?=[!.])|here (?:it is|you go)|acabei de (?:enviar|liberar|desbloquear|mandar|resolver)|(?:ja )?solicitei o estorno|estorno (?:solicitado|feito|realizado)|enviad[oa](?=[!.])|enviei (?:a|o) (?:segunda via|boleto|documento|comprovante|link)|liberad[oa]|desbloquead[oa]|reembolso (?:feito|solicitado))\b/;
/** The agent says the fix is still to come ("expected fixed by 6 pm", "previsão de normalização"). */
const FIX_PENDING =
  /\b(expect(?:ed)? (?:it )?(?:to be )?(?:fixed|resolved|back|restored)|should be (?:fixed|back|restored) (?:by|within|in)|working (?:on|to fix) (?:it|the (?:issue|outage))|previsao de (?:normalizacao|retorno|conserto|solucao)|deve (?:voltar|normalizar)|estamos trabalhando (?:para|na))\b/;
const DECLINE =
  /\b(no,? thanks?|i'?ll pass|not interested|no deal|decided not to|i don'?t want|nao,? obrigad[oa]|vou passar|nao tenho interesse|desisto|nao quero|nao vai dar|deixar (?:pra|para) depois|vou pensar|think about it|let me (?:ask|check|talk)|ver com|signed with|fechamos com)\b/;
const CLOSING_THANKS = /\b(thanks|thank you|thx|great|perfect|awesome|appreciate|obrigad[oa]|valeu|perfeito|otimo|show|legal)\b/;

function endedByOf(context: AnalysisContext): EndedBy | null {
  const { endedBy, endReason } = context.input.conversation;
  if (endedBy) return endedBy;
  const reason = (endReason ?? '').toLowerCase();
  if (/user|customer|caller|client|contact|hangup_by_user/.test(reason)) return 'USER';
  if (/agent|bot|assistant|operator/.test(reason)) return 'AGENT';
  if (/timeout|time_out|system|error|silence|inactiv|idle|expired|dropped|network/.test(reason)) return 'SYSTEM';
  if (context.messages.some((message) => message.role === 'SYSTEM' && /\b(disconnected|hung up|desconectou|desligou|dropped|caiu)\b/.test(message.folded))) return 'USER';
  const last = [...context.messages].reverse().find((message) => message.role !== 'SYSTEM');
  return last ? last.role : null;
}

type OutcomeResult = NonNullable<AnalysisOutput['outcome']>;

export function determineOutcome(context: AnalysisContext, detections: Detections): OutcomeResult {
  const { messages, input } = context;
  const { facts } = detections;
  const endedBy = endedByOf(context);
  const first = messages[0]?.sequence ?? null;
  const last = messages[messages.length - 1]?.sequence ?? null;
  const result = (outcome: Outcome, reason: string, from: number | null = first, to: number | null = last): OutcomeResult => ({
    outcome,
    reason,
    endedBy,
    contextStartIndex: from,
    contextEndIndex: to,
  });
  const dialogue = messages.filter((message) => message.role !== 'SYSTEM');
  const userMessages = dialogue.filter((message) => message.role === 'USER');
  const lastTurn = dialogue[dialogue.length - 1];

  if (messages.length === 0 && input.transfers.length === 0) return result('UNKNOWN', 'The conversation has no messages to analyze.');

  const transfers = factsOf(facts, 'TRANSFER');
  const connected = transfers.find((transfer) => transfer.connected);
  if (connected) {
    return result('TRANSFERRED', `The conversation was transferred${connected.destination ? ` to ${connected.destination}` : ''} and the transfer connected${connected.status ? ` (status "${connected.status}")` : ''}.`, connected.sequence ?? first, last);
  }

  const solved = [...userMessages].reverse().find((message) => saysSolved(message.folded));
  const settled = Boolean(solved || detections.sale || detections.meetings.length > 0 || detections.followUps.length > 0 || factsOf(facts, 'TICKET').length > 0 || transfers.length > 0);
  if (userMessages.length === 0) return result('ABANDONED', 'The customer never replied.');
  const disconnect = factsOf(facts, 'DISCONNECT')[0] ?? factsOf(facts, 'QUEUE_ABANDONED')[0];
  if (disconnect && !settled) return result('ABANDONED', 'The customer disconnected before the request was dealt with.', disconnect.sequence, disconnect.sequence);
  const timedOut = /timeout|inactiv|idle|no_response|silence/i.test(input.conversation.endReason ?? '');
  const lastAgentAsks = lastTurn?.role === 'AGENT' && /\?\s*$/.test(lastTurn.text);
  if (!settled && (timedOut || lastAgentAsks) && userMessages.length <= 2) {
    return result('ABANDONED', `The customer stopped answering after ${userMessages.length} message(s)${input.conversation.endReason ? ` (end reason: ${input.conversation.endReason})` : ''}.`);
  }

  const lastUser = userMessages[userMessages.length - 1]!;
  if (solved && solved.sequence >= lastUser.sequence - 4 && !STILL_BROKEN.test(lastUser.folded)) {
    return result('RESOLVED', `The customer confirmed the issue was solved: "${quote(solved)}".`, solved.sequence, solved.sequence);
  }

  const pending = transfers[0];
  const human = userMessages.find((message) => HUMAN.test(message.folded));
  if (human || (pending && !factsOf(facts, 'TICKET').length)) {
    const why = human ? `The customer asked for a human agent: "${quote(human)}".` : 'A transfer was requested.';
    const ticketNote = factsOf(facts, 'TICKET')[0] ? ` Ticket ${factsOf(facts, 'TICKET')[0]!.ticketId ?? '(no id)'} was created.` : '';
    const handover = pending ? ' The handover did not connect before the conversation ended.' : '';
    return result('ESCALATED', `${why}${handover}${ticketNote}`, human?.sequence ?? pending?.sequence ?? first, last);
  }
  const ticket = factsOf(facts, 'TICKET')[0];
  if (ticket) {
    return result('ESCALATED', `Ticket ${ticket.ticketId ?? '(no id)'} was created${ticket.team ? ` for ${ticket.team}` : ''}; the issue went to another team.`, ticket.sequence ?? first, last);
  }
  const escalates = dialogue.find((message) => message.role === 'AGENT' && AGENT_ESCALATES.test(message.folded));
  if (escalates && !detections.sale) return result('ESCALATED', `The agent escalated the issue: "${quote(escalates)}".`, escalates.sequence, last);

  const broken = userMessages.slice(-3).find((message) => STILL_BROKEN.test(message.folded));
  if (broken) return result('NOT_RESOLVED', `The problem persists: "${quote(broken)}".${detections.meetings.length ? ' A visit was booked.' : ''}`, broken.sequence, last);

  if (detections.sale) {
    const sale = detections.sale;
    return result('RESOLVED', `Sale made: ${sale.product} for ${sale.price}${sale.currency ? ` ${sale.currency}` : ''}.`, sale.offerSequence, sale.acceptSequence);
  }
  const meeting = detections.meetings[detections.meetings.length - 1];
  if (meeting) return result('RESOLVED', `A meeting was scheduled for ${meeting.date.iso} (${meeting.channel}).`, meeting.from, meeting.to);
  const held = detections.meetingsDone.find((event) => event.payload.ATTENDED === true);
  if (held) return result('RESOLVED', 'The meeting took place.', held.contextStartIndex, held.contextEndIndex);
  const fulfilled = [...dialogue].reverse().find((message) => message.role === 'AGENT' && FULFILLED.test(message.folded));
  if (fulfilled) return result('RESOLVED', `The agent did what the customer asked: "${quote(fulfilled)}".`, fulfilled.sequence, fulfilled.sequence);

  const pendingFix = dialogue.find((message) => message.role === 'AGENT' && FIX_PENDING.test(message.folded));
  if (pendingFix) return result('NOT_RESOLVED', `The fix is still to come: "${quote(pendingFix)}".`, pendingFix.sequence, last);

  const lost = detections.stageChanges.find((event) => event.payload.NEW_STAGE === 'CLOSED_LOST');
  if (lost) return result('NOT_RESOLVED', 'The opportunity was lost.', lost.contextStartIndex, lost.contextEndIndex);
  const declined = userMessages.find((message) => DECLINE.test(message.folded));
  if (declined) return result('NOT_RESOLVED', `The customer declined or put off the offer: "${quote(declined)}".`, declined.sequence, declined.sequence);
  const followUp = detections.followUps[detections.followUps.length - 1];
  if (followUp) return result('NOT_RESOLVED', `No decision yet; a follow-up (${followUp.type.toLowerCase()}) is planned for ${followUp.date.iso}.`, followUp.sequenceFrom, followUp.sequenceTo);
  if (detections.objections.length > 0) return result('NOT_RESOLVED', `The customer's objection (${detections.objections[0]!.type.toLowerCase()}) was left standing.`);

  const closing = userMessages.slice(-2).find((message) => CLOSING_THANKS.test(message.folded) || /^(?:yes|sim|pode sim|no,? (?:that'?s all|thanks)|nao,? obrigad)/.test(message.folded));
  if (closing || lastTurn?.role === 'AGENT') {
    return result('RESOLVED', closing ? `The customer ended satisfied, with no open problem: "${quote(closing)}".` : 'The customer\'s question was answered.', closing?.sequence ?? first, closing?.sequence ?? last);
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
