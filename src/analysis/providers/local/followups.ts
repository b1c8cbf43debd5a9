import type { DetectedEvent } from '../../analysis-provider.js';
import type { FoundDate } from './dates.js';
import { futureDates, type ScheduledMeeting } from './meetings.js';
import { clamp } from './text.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * FOLLOWUP_DETECTION: a later contact agreed in the conversation ("call me back at four", "I'll
 * email you the quote the day after tomorrow by 10", "me liga quinta às dez", "te mando no
 * WhatsApp sábado de manhã"), with its time. The thread is the turn that asks for or promises
 * the contact and the turns that answer it ("When should I check back?" → "Call me Thursday at
 * ten" → "Thursday at 10 am, I'll call you then"); the time is the most specific one of the
 * thread, the last said winning ties. A day without a clock time stays a date. FOLLOWUP_TYPE:
 * CALL / WHATSAPP / EMAIL / SMS / MEETING; FOLLOWUP_TRY 1. The score (0..100) says how firm it
 * is: the agent's commitment, a clock time, the customer's request or agreement raise it;
 * hedges lower it. No time, no event.
 */

const CUE =
  /\b(call (?:me|you) back|call ?back|call (?:me|you)\b|give (?:you|me) a call|(?:reach|get) (?:back )?(?:out )?(?:to you|in touch)|follow(?:ing)? up|check (?:back|in)|get back to (?:you|me)|touch base|text (?:you|me)|send (?:you|them|it|me)\b|email (?:you|me)|e-mail (?:you|me)|message you|whatsapp (?:you|me)|on whatsapp|by email|me liga|me ligue|me ligar|pode me ligar|te ligo|te ligar|vou te ligar|ligo (?:pra|para) (?:voce|vc)|te retorno|te retornar|retorno|te procurar|te (?:chamo|chamar|mando|mandar|envio|enviar)|me (?:chama|chamar|manda|mandar|mande|envia|enviar)|entro em contato|entrar em contato|falamos (?:na|no|amanha|semana|depois)|voltamos a (?:falar|conversar))\b/;
const AGENT_COMMITS = /\b(i'?ll|i will|we'?ll|we will|i can|will do|vou|te ligo|te retorno|te chamo|te mando|te envio|entro em contato|ligo|retorno|combinado|anotado)\b/;
const USER_REQUESTS = /\b(call me|can you call|could you call|text me|email me|send (?:them|it) (?:over|on)|me liga|me ligue|me ligar|pode me ligar|me chama|me chamar|me manda|me mandar|me mande|manda)\b/;
const AGREE = /\b(sounds good|perfect|great|ok(?:ay)?|sure|yes|thanks|fine|combinado|perfeito|pode ser|beleza|fechado|obrigad[oa]|tudo bem|ta certo)\b/;
const HEDGE = /\b(maybe|might|perhaps|if i (?:can|have time)|not sure|i'?ll try|probably|talvez|se der|se eu puder|quem sabe|vou tentar|acho que)\b/;

type FollowUpType = 'CALL' | 'WHATSAPP' | 'EMAIL' | 'SMS' | 'MEETING';

function typeOf(text: string): FollowUpType {
  if (/whats ?app|\bzap\b|\bwhats\b/.test(text)) return 'WHATSAPP';
  if (/\be-?mail\b/.test(text)) return 'EMAIL';
  if (/\bsms\b|\btext (?:you|me)\b|mensagem de texto|torpedo/.test(text)) return 'SMS';
  if (/\b(call|ligue|liga|ligar|ligo|phone|telefone)\b/.test(text)) return 'CALL';
  if (/\b(meeting|reuniao|video ?call|videochamada|zoom|google meet)\b/.test(text)) return 'MEETING';
  return 'CALL';
}

export interface FollowUp {
  sequenceFrom: number;
  sequenceTo: number;
  date: FoundDate;
  type: FollowUpType;
  score: number;
}

const rank = { exact: 2, part: 1, none: 0 } as const;

export function detectFollowUps(context: AnalysisContext, meetings: readonly ScheduledMeeting[]): FollowUp[] {
  const messages = context.messages.filter((message) => message.role !== 'SYSTEM');
  const inMeeting = (sequence: number): boolean => meetings.some((meeting) => sequence >= meeting.from && sequence <= meeting.through);
  const followUps: FollowUp[] = [];
  let consumedUntil = -1;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.sequence <= consumedUntil || inMeeting(message.sequence) || !CUE.test(message.folded)) continue;
    // The thread: this turn and the next two that continue it (a time, a confirmation).
    const thread: PreparedMessage[] = [message];
    for (let j = i + 1; j < Math.min(messages.length, i + 3); j++) {
      const next = messages[j]!;
      if (inMeeting(next.sequence)) break;
      if (CUE.test(next.folded) || futureDates(context, next).length > 0 || AGREE.test(next.folded)) thread.push(next);
      else break;
    }
    const dated = thread.flatMap((entry) => futureDates(context, entry).map((date) => ({ entry, date })));
    let best: { entry: PreparedMessage; date: FoundDate } | null = null;
    for (const item of dated) if (!best || rank[item.date.timePrecision] >= rank[best.date.timePrecision]) best = item;
    if (!best) continue;
    const threadText = thread.map((entry) => entry.folded).join(' ');
    const agentCommits = thread.some((entry) => entry.role === 'AGENT' && CUE.test(entry.folded) && AGENT_COMMITS.test(entry.folded));
    const userRequested = thread.some((entry) => entry.role === 'USER' && USER_REQUESTS.test(entry.folded));
    const userAgreed = thread.some((entry) => entry.role === 'USER' && entry.sequence > message.sequence && AGREE.test(entry.folded));
    const hedged = thread.some((entry) => HEDGE.test(entry.folded));
    let score = 40;
    if (agentCommits) score += 20;
    if (userRequested) score += 10;
    if (userAgreed) score += 10;
    if (best.date.timePrecision === 'exact') score += 15;
    else if (best.date.timePrecision === 'part') score += 5;
    if (hedged) score -= 25;
    const lastDated = dated[dated.length - 1]!.entry;
    const end = userAgreed ? Math.max(lastDated.sequence, thread[thread.length - 1]!.sequence) : lastDated.sequence;
    consumedUntil = end;
    followUps.push({ sequenceFrom: message.sequence, sequenceTo: end, date: best.date, type: typeOf(threadText), score: clamp(score, 0, 100) });
  }
  return followUps;
}

export function followUpEvents(followUps: readonly FollowUp[]): DetectedEvent[] {
  return followUps.map((followUp) => ({
    eventType: 'FOLLOWUP_DETECTION',
    eventSubtype: null,
    payload: { FOLLOWUP_TRY: 1, FOLLOWUP_TIME: followUp.date.iso, FOLLOWUP_TYPE: followUp.type },
    confidence: Math.round((0.45 + followUp.score / 200) * 100) / 100,
    contextStartIndex: followUp.sequenceFrom,
    contextEndIndex: followUp.sequenceTo,
    followUp: { score: followUp.score, date: followUp.date.instant },
  }));
}
