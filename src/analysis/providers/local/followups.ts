import type { DetectedEvent } from '../../analysis-provider.js';
import { bestDate, futureDates, type ScheduledMeeting } from './meetings.js';
import { clamp } from './text.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * FOLLOWUP_DETECTION: a later contact agreed in the conversation ("call me back next week", "I'll
 * call you tomorrow at 3pm", "me liga amanhã", "te mando um WhatsApp na sexta") with a date.
 * FOLLOWUP_TYPE: CALL / WHATSAPP / EMAIL / SMS / MEETING; FOLLOWUP_TRY 1. The follow-up score
 * (0..100) says how firm it is: the agent's commitment, an exact time, the customer's request or
 * agreement raise it; hedges ("maybe", "talvez", "se der") lower it. Without a date nothing is
 * emitted (FOLLOWUP_TIME is required).
 */

const CUE =
  /\b(call (?:me|you) back|call ?back|call you (?:again|on|at|tomorrow|next|later|in|this|monday|tuesday|wednesday|thursday|friday)|call me (?:tomorrow|next|on|later|in|after|at|this|monday|tuesday|wednesday|thursday|friday)|give (?:you|me) a call|i'?ll call you|i will call you|(?:reach|get) (?:back )?(?:out )?(?:to you|in touch)|follow(?:ing)? up (?:with you )?(?:next|tomorrow|on (?:monday|tuesday|wednesday|thursday|friday))|check (?:back )?in (?:with you )?(?:on|next|tomorrow)|get back to (?:you|me)|touch base|text (?:you|me)|send you (?:an? )?(?:email|e-mail|message|whatsapp|text)|email (?:you|me)|whatsapp (?:you|me)|me liga|me ligue|me ligar|pode me ligar|te ligo|te ligar|vou te ligar|ligo (?:pra|para) (?:voce|vc)|te retorno|retorno (?:pra|para) voce|te (?:chamo|chamar|mando|mandar|envio|enviar)|me (?:chama|chamar|manda|mandar|mande|envia|enviar)|entro em contato|entrar em contato|entramos em contato|falamos (?:na|no|amanha|semana|depois)|voltamos a (?:falar|conversar)|a gente se fala)\b/;
const AGENT_COMMITS = /\b(i'?ll|i will|we'?ll|we will|i can|vou|te ligo|te retorno|te chamo|te mando|entro em contato|ligo|retorno)\b/;
const USER_REQUESTS = /\b(call me|can you call|could you call|text me|email me|me liga|me ligue|me ligar|pode me ligar|me chama|me chamar|me manda|me mandar|me mande)\b/;
const AGREE = /\b(sounds good|perfect|great|ok(?:ay)?|sure|yes|thanks|talk (?:to you )?(?:then|soon)|combinado|perfeito|pode ser|ok|beleza|fechado|obrigad[oa]|ate (?:amanha|la|breve|mais))\b/;
const HEDGE = /\b(maybe|might|perhaps|if i (?:can|have time)|not sure|i'?ll try|probably|talvez|se der|se eu puder|quem sabe|vou tentar|acho que)\b/;

type FollowUpType = 'CALL' | 'WHATSAPP' | 'EMAIL' | 'SMS' | 'MEETING';

function typeOf(text: string): FollowUpType {
  if (/whats ?app|\bzap\b|\bwhats\b/.test(text)) return 'WHATSAPP';
  if (/\be-?mail\b/.test(text)) return 'EMAIL';
  if (/\bsms\b|\btext (?:you|me)\b|mensagem de texto|torpedo/.test(text)) return 'SMS';
  if (/\b(meeting|reuniao|video ?call|videochamada|zoom|google meet)\b/.test(text)) return 'MEETING';
  return 'CALL';
}

export interface FollowUp {
  sequenceFrom: number;
  sequenceTo: number;
  time: Date;
  iso: string;
  type: FollowUpType;
  score: number;
}

export function detectFollowUps(context: AnalysisContext, meetings: readonly ScheduledMeeting[]): FollowUp[] {
  const messages = context.messages;
  const inMeeting = (sequence: number): boolean => meetings.some((meeting) => sequence >= meeting.from && sequence <= meeting.through);
  const followUps: FollowUp[] = [];
  let consumedUntil = -1;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!message || message.sequence <= consumedUntil || inMeeting(message.sequence) || !CUE.test(message.folded)) continue;
    // The thread: this message and the next two that continue it (a date, a confirmation).
    const thread: PreparedMessage[] = [message];
    for (let j = i + 1; j < Math.min(messages.length, i + 3); j++) {
      const next = messages[j];
      if (!next || inMeeting(next.sequence)) break;
      if (CUE.test(next.folded) || futureDates(context, next).length > 0 || AGREE.test(next.folded)) thread.push(next);
      else break;
    }
    const dated = thread.map((entry) => ({ entry, dates: futureDates(context, entry) })).filter((item) => item.dates.length > 0);
    const date = bestDate(dated.flatMap((item) => item.dates));
    if (!date) continue;
    const lastDated = dated[dated.length - 1]?.entry ?? message;
    const threadText = thread.map((entry) => entry.folded).join(' ');
    const agentCommits = thread.some((entry) => entry.role === 'AGENT' && CUE.test(entry.folded) && AGENT_COMMITS.test(entry.folded));
    const userRequested = thread.some((entry) => entry.role === 'USER' && USER_REQUESTS.test(entry.folded));
    const userAgreed = thread.some((entry) => entry.role === 'USER' && entry.sequence > message.sequence && AGREE.test(entry.folded));
    const hedged = thread.some((entry) => HEDGE.test(entry.folded));
    let score = 40;
    if (agentCommits) score += 20;
    if (userRequested) score += 10;
    if (userAgreed) score += 10;
    if (date.timePrecision === 'exact') score += 15;
    else if (date.timePrecision === 'part') score += 5;
    if (hedged) score -= 25;
    const end = thread.indexOf(lastDated) >= 0 ? Math.max(lastDated.sequence, userAgreed ? (thread[thread.length - 1]?.sequence ?? lastDated.sequence) : lastDated.sequence) : message.sequence;
    consumedUntil = end;
    followUps.push({
      sequenceFrom: message.sequence,
      sequenceTo: end,
      time: date.instant,
      iso: date.iso,
      type: typeOf(threadText),
      score: clamp(score, 0, 100),
    });
  }
  return followUps;
}

export function followUpEvents(followUps: readonly FollowUp[]): DetectedEvent[] {
  return followUps.map((followUp) => ({
    eventType: 'FOLLOWUP_DETECTION',
    eventSubtype: null,
    payload: { FOLLOWUP_TRY: 1, FOLLOWUP_TIME: followUp.iso, FOLLOWUP_TYPE: followUp.type },
    confidence: Math.round((0.45 + followUp.score / 200) * 100) / 100,
    contextStartIndex: followUp.sequenceFrom,
    contextEndIndex: followUp.sequenceTo,
    followUp: { score: followUp.score, date: followUp.time },
  }));
}
