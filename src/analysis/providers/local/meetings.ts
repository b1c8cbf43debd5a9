import type { DetectedEvent } from '../../analysis-provider.js';
import { findDates, type FoundDate } from './dates.js';
import { ACCEPT_WORDS, REFUSE } from './dialogue.js';
import { factsOf, type SystemFact } from './system-facts.js';
import { findUrls } from './text.js';
import { instantOfWallClock, toZonedIso } from '../../zoned-time.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * MEETING_SCHEDULED as a negotiation across turns: someone proposes a meeting (a demo, an
 * advisor, a visit, a viewing) with one or more slots; the other side accepts one, picks one
 * ("Four works", "Onze"), refuses it (the slot is dropped, the thread goes on) or counters with
 * another; the agreed slot is the last one both sides accepted, read with the proposal's day and
 * am/pm. MEETING_CHANNEL from the words and links of the thread and its confirmation, LINK the
 * first URL. MEETING_DONE from the platform's start/end lines (DURATION in seconds) or from the
 * words (attended, or missed: ATTENDED false).
 */

export type MeetingChannel = 'ZOOM' | 'GOOGLE_MEET' | 'TEAMS' | 'WHATSAPP' | 'IN_PERSON' | 'PHONE' | 'UNKNOWN';

/** Words that make a proposed time a meeting rather than a call back. */
const MEETING_CUE =
  /\b(meeting|meet with|appointment|demo|demonstration|walkthrough|consultation|video ?call|zoom|google meet|teams|advisors?|consultants?|specialists?|engineer|technician|visit|viewing|in person|see it|show (?:it|you)|at our (?:office|clinic|store)|book(?:ed|ing)? (?:a|you|your|one)|schedul(?:e|ed|ing)|cleaning|session|consulta|reschedul\w*|rebook\w*|remarc\w*|reagend\w*|reuniao|apresentacao|demonstracao|encontro|agend(?:ar|ado|ada|ei|amos)|marcar|videochamada|chamada de video|consultor(?:a|es)?|especialista|tecnico|visita|avaliacao|presencial|pessoalmente|te mostrar|mostrar o|na (?:nossa )?(?:unidade|clinica|escola|sede|loja)|horario com)\b/;
/** The agent confirms the booking. */
const BOOKED =
  /\b(you'?re (?:all )?(?:booked|scheduled|set)|booked|invite sent|remarcad[oa]|rescheduled|scheduled|it is\b|works\b|confirmed|done[,.!]|i'?ll send (?:a|the|you) (?:google meet |zoom |teams )?(?:invite|link)|invite|see you|agendad[oa]|marcad[oa]|combinado|fechado|feito|confirmad[oa]|vou mandar o convite|convite|te espero|anotado)\b/;
/** Turns about a call back or a message later are follow-ups, unless a meeting is named. */
const CALLBACK = /\b(call (?:me|you) back|call me|call you|give you a call|email you|text you|message you|send (?:them|it|you)|me liga|te ligo|me manda|te mando|te envio|retorno|te retornar)\b/;

const SAME_TIME = /\b(same time|mesmo horario|no mesmo horario)\b/;

export function channelOf(text: string, links: readonly string[], conversationChannel: string): MeetingChannel {
  const all = `${text} ${links.join(' ')}`.toLowerCase();
  if (/zoom\.us|\bzoom\b/.test(all)) return 'ZOOM';
  if (/meet\.google|google meet|\bgmeet\b/.test(all)) return 'GOOGLE_MEET';
  if (/teams\.microsoft|teams\.live|\b(?:ms |microsoft )?teams\b/.test(all)) return 'TEAMS';
  if (/whats ?app|wa\.me|\bzap\b/.test(all)) return 'WHATSAPP';
  if (
    /\b(in person|at our (?:office|clinic|store|campus)|office|clinic|lobby|building|street|address|visit|technician|viewing|presencial|pessoalmente|unidade|clinica|escola|sede|visita|tecnico|portaria|predio|endereco|escritorio|loja)\b/.test(all)
  ) {
    return 'IN_PERSON';
  }
  if (/\b(phone call|by phone|over the phone|telefone|ligacao|por telefone)\b/.test(all)) return 'PHONE';
  if (/\b(video ?call|videochamada|chamada de video)\b/.test(all)) return 'UNKNOWN';
  if (conversationChannel === 'VOICE') return 'PHONE';
  if (conversationChannel === 'WHATSAPP') return 'WHATSAPP';
  return 'UNKNOWN';
}

export interface ScheduledMeeting {
  date: FoundDate;
  channel: MeetingChannel;
  link: string | null;
  from: number;
  to: number;
  /** The last message about this meeting (the agent's confirmation after the agreement, if any). */
  through: number;
  confidence: number;
}

/** Dates in a message that lie ahead (not earlier than an hour before the reference). */
export function futureDates(context: AnalysisContext, message: PreparedMessage, options: { defaultDay?: string | null; bareTimes?: boolean } = {}): FoundDate[] {
  const earliest = context.referenceTime.getTime() - 3_600_000;
  return findDates(message.text, context.lang, context.referenceTime, context.timeZone, options).filter((date) => {
    if (date.timePrecision === 'exact') return date.instant.getTime() >= earliest;
    // A date: not before today.
    return date.day >= (findDates('today', 'en', context.referenceTime, context.timeZone)[0]?.day ?? '');
  });
}

/** The most specific date of a list: a clock time beats a part of the day beats a day; later mentions win ties. */
export function bestDate(dates: readonly FoundDate[]): FoundDate | null {
  const rank = { exact: 2, part: 1, none: 0 } as const;
  let best: FoundDate | null = null;
  for (const date of dates) if (!best || rank[date.timePrecision] >= rank[best.timePrecision]) best = date;
  return best;
}

/** The slot of `proposal` an answer's time picks: the same hour on the 12-hour clock. */
function pick(proposal: readonly FoundDate[], answer: FoundDate): FoundDate | null {
  if (answer.hour === null) return null;
  return proposal.find((slot) => slot.hour !== null && slot.hour % 12 === answer.hour! % 12 && (slot.minute ?? 0) === (answer.minute ?? 0)) ?? null;
}

/** The clock time said last in the conversation before `index` (for "the same time"). */
function lastClock(context: AnalysisContext, index: number): FoundDate | null {
  for (let j = index - 1; j >= 0; j--) {
    const dates = findDates(context.messages[j]!.text, context.lang, context.referenceTime, context.timeZone).filter((date) => date.hour !== null);
    if (dates.length) return dates[dates.length - 1]!;
  }
  return null;
}

/** `date`'s clock time on `day`'s day. */
function withDay(date: FoundDate, day: FoundDate, context: AnalysisContext): FoundDate {
  if (date.hour === null) return date;
  const [year, month, dayOfMonth] = day.day.split('-').map(Number);
  const instant = instantOfWallClock({ year: year!, month: month!, day: dayOfMonth!, hour: date.hour, minute: date.minute ?? 0, second: 0 }, context.timeZone);
  return { ...date, instant, iso: toZonedIso(instant, context.timeZone), day: day.day, hasDay: true };
}

export function detectScheduledMeetings(context: AnalysisContext): ScheduledMeeting[] {
  const messages = context.messages;
  const meetings: ScheduledMeeting[] = [];
  let proposal: FoundDate[] = [];
  let proposer: PreparedMessage | null = null;
  let threadStart: number | null = null;
  let activeUntil = -1;
  let agreed: { date: FoundDate; at: PreparedMessage } | null = null;
  let pendingCounter: { date: FoundDate; at: PreparedMessage } | null = null;

  const finish = (date: FoundDate, at: PreparedMessage, closing: PreparedMessage | null): void => {
    const span = messages.filter((message) => message.sequence >= (threadStart ?? at.sequence) && message.sequence <= (closing ?? at).sequence);
    const text = span.map((message) => message.folded).join(' ');
    const links = span.flatMap((message) => findUrls(message.text));
    const channel = channelOf(text, links, context.input.conversation.channel);
    if (!meetings.some((meeting) => meeting.date.iso === date.iso)) {
      meetings.push({
        date,
        channel,
        link: links[0] ?? null,
        from: threadStart ?? at.sequence,
        to: at.sequence,
        through: (closing ?? at).sequence,
        confidence: Math.min(0.95, 0.65 + (date.timePrecision === 'exact' ? 0.15 : 0) + (closing ? 0.1 : 0) + (channel === 'UNKNOWN' ? -0.1 : 0.05)),
      });
    }
    proposal = [];
    proposer = null;
    threadStart = null;
    agreed = null;
    pendingCounter = null;
    activeUntil = -1;
  };

  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role === 'SYSTEM') continue;
    // Being in a meeting now ("I'm walking into a meeting", "estou numa reunião") books nothing.
    const folded = message.folded.replace(/\b(?:i'?m (?:just )?(?:in|walking into|heading into|going into|about to start) a meeting|estou (?:numa|em uma|em) reuniao|tem reuniao ate)\b/g, ' ');
    // A call back asked or promised is a follow-up, not a meeting.
    if (!agreed && !pendingCounter && CALLBACK.test(folded) && !/\b(invite|convite|demo|visit|visita|appointment|zoom|google meet|teams|walkthrough|apresentacao|reuniao|meeting)\b/.test(folded)) {
      proposal = [];
      proposer = null;
      threadStart = null;
      activeUntil = -1;
      continue;
    }
    // The thread opens on a meeting word said in this turn or the next one ("Friday at 11?" → "Fine, send me a Teams link").
    const nextTurn = messages.slice(i + 1).find((candidate) => candidate.role !== 'SYSTEM');
    const ownCue = MEETING_CUE.test(folded);
    const cue = ownCue || Boolean(nextTurn && MEETING_CUE.test(nextTurn.folded) && !CALLBACK.test(nextTurn.folded.replace(/\bsend me (?:a|the) (?:teams|zoom|meet|google meet|calendar) (?:link|invite)\b/, ' ')));
    if (cue) {
      activeUntil = i + 4;
      if (ownCue) threadStart ??= message.sequence;
    }
    if (i > activeUntil) {
      proposal = [];
      threadStart = null;
      continue;
    }
    const defaultDay = proposal[0]?.day ?? null;
    let dates = futureDates(context, message, { defaultDay, bareTimes: proposal.length > 0 });
    if (SAME_TIME.test(message.folded)) {
      const clock = lastClock(context, i);
      const day = dates.find((date) => date.hour === null);
      if (clock && day) dates = [withDay(clock, day, context)];
    }
    const other = proposer && proposer.role !== message.role;

    if (agreed && message.role === 'AGENT' && message !== agreed.at) {
      // The agent's confirmation: its own full form of the agreed time wins.
      const same = dates.find((date) => date.hour === agreed!.date.hour && date.minute === agreed!.date.minute);
      finish(same && same.hasDay ? same : agreed.date, agreed.at, BOOKED.test(message.folded) || findUrls(message.text).length > 0 || same ? message : null);
      continue;
    }
    if (pendingCounter && message.role !== pendingCounter.at.role) {
      if (REFUSE.test(message.folded) && dates.length === 0) {
        pendingCounter = null;
        proposal = [];
        continue;
      }
      const same = dates.find((date) => date.hour === pendingCounter!.date.hour) ?? null;
      if (same || ACCEPT_WORDS.test(message.folded) || BOOKED.test(message.folded)) {
        const counter = pendingCounter.date;
        finish(same && same.hasDay ? same : counter, message, message.role === 'AGENT' ? message : null);
        continue;
      }
    }

    if (other && proposal.length > 0) {
      const answerDates = dates.filter((date) => date.timePrecision === 'exact' || date.hasDay);
      const choice = answerDates.map((date) => pick(proposal, date)).find(Boolean) ?? null;
      if (choice && !REFUSE.test(message.folded.split(/[.!?]/)[0] ?? '')) {
        agreed = { date: choice, at: message };
        if (message.role === 'AGENT') finish(choice, message, message);
        continue;
      }
      const counter = bestDate(answerDates.filter((date) => !proposal.some((slot) => slot.iso === date.iso)));
      if (counter && counter.timePrecision === 'exact') {
        // A counter-proposal ("Wednesday at 3 would work", "make it 10 instead"): the other side must take it.
        const dated = counter.hasDay ? counter : (proposal[0] ? withDay(counter, proposal[0], context) : counter);
        if (message.role === 'AGENT' && BOOKED.test(message.folded)) {
          finish(dated, message, message);
          continue;
        }
        pendingCounter = { date: dated, at: message };
        proposal = [dated];
        proposer = message;
        continue;
      }
      if (REFUSE.test(message.folded)) {
        proposal = [];
        proposer = null;
        continue;
      }
      if (ACCEPT_WORDS.test(message.folded) && proposal.length === 1) {
        agreed = { date: proposal[0]!, at: message };
        if (message.role === 'AGENT') finish(proposal[0]!, message, message);
        continue;
      }
    }
    const slots = dates.filter((date) => date.timePrecision === 'exact');
    if (slots.length > 0) {
      proposal = slots;
      proposer = message;
      threadStart ??= message.sequence;
      activeUntil = Math.max(activeUntil, i + 3);
      // The agent booking a time outright ("I booked you for Friday at 10").
      if (message.role === 'AGENT' && /\b(you'?re (?:all )?(?:booked|scheduled)|i'?ve booked|agendad[oa] para|marquei)\b/.test(message.folded) && slots.length === 1) {
        finish(slots[0]!, message, message);
      }
    }
  }
  return meetings;
}

export function meetingScheduledEvents(meetings: readonly ScheduledMeeting[]): DetectedEvent[] {
  return meetings.map((meeting) => {
    const payload: Record<string, unknown> = { TIME_SCHEDULED: meeting.date.iso, MEETING_CHANNEL: meeting.channel };
    if (meeting.link) payload.LINK = meeting.link;
    return {
      eventType: 'MEETING_SCHEDULED',
      eventSubtype: null,
      payload,
      confidence: Math.round(meeting.confidence * 100) / 100,
      contextStartIndex: meeting.from,
      contextEndIndex: meeting.to,
    };
  });
}

const MEETING_WORD = /\b(meeting|call|demo|session|consultation|appointment|reuniao|conversa|chamada|videochamada|encontro|sessao|demonstracao|apresentacao)\b/;
const ATTENDED =
  /\b(thanks? (?:you )?for (?:attending|joining|coming to)|obrigad[oa] por (?:participar|comparecer|entrar)|participou da|thanks? (?:you )?for (?:the|today'?s|yesterday'?s) (?:meeting|call|demo|session)|(?:in|on|during|after|since) (?:our|the|yesterday'?s|today'?s|last week'?s) (?:meeting|demo|session|video call)|(?:i|we) (?:attended|had|joined|did) (?:the|our) (?:meeting|demo|session|call with)|(?:attended|joined) (?:the|our|yesterday'?s) (?:meeting|demo)|as we discussed (?:in|on|during)|(?:na|depois da|apos a|durante a) (?:nossa )?(?:reuniao|conversa|videochamada) (?:de )?(?:ontem|hoje|passada|com)|participei da (?:reuniao|conversa)|(?:gostei|adorei) da (?:reuniao|conversa)|(?:a )?reuniao (?:de ontem|foi (?:otima|boa|muito boa|produtiva))|how was (?:the|your) (?:meeting|call with))/;
const MISSED =
  /\b(missed (?:you at )?(?:the|our|your|yesterday'?s|today'?s)? ?(?:meeting|call|demo|appointment)|missed you (?:at|in)|couldn'?t make it|didn'?t (?:see you )?(?:attend|join|make it|show up)|didn'?t see you (?:join|there|come)|no-show|no show|sentimos (?:sua|a sua) falta|nao vi (?:o senhor|a senhora|voce) entrar|nao consegui (?:entrar|participar|ir)|nao pude (?:entrar|participar|ir)|faltei|esqueci completamente|completely forgot)\b/;

export function detectMeetingsDone(context: AnalysisContext, facts: readonly SystemFact[]): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  // The platform's own start and end lines.
  const starts = factsOf(facts, 'MEETING_START');
  const ends = factsOf(facts, 'MEETING_END');
  for (const start of starts) {
    const end = ends.find((candidate) => candidate.sequence > start.sequence);
    const payload: Record<string, unknown> = { ATTENDED: true };
    if (end && start.minuteOfDay !== null && end.minuteOfDay !== null) payload.DURATION = ((end.minuteOfDay - start.minuteOfDay + 1440) % 1440) * 60;
    events.push({ eventType: 'MEETING_DONE', eventSubtype: null, payload, confidence: 0.95, contextStartIndex: start.sequence, contextEndIndex: end?.sequence ?? start.sequence });
  }
  if (events.length > 0) return events;
  const messages = context.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role === 'SYSTEM') continue;
    const previous = messages[i - 1];
    const missed = MISSED.test(message.folded) && (MEETING_WORD.test(message.folded) || Boolean(previous && MEETING_WORD.test(previous.folded)));
    const attended = !missed && ATTENDED.test(message.folded);
    if (!missed && !attended) continue;
    // One event per meeting: an agent's "we missed you" and the customer's "sorry, I forgot" are the same.
    const last = events[events.length - 1];
    if (last && (last.contextEndIndex ?? -10) >= message.sequence - 2 && last.payload.ATTENDED === attended) {
      last.contextEndIndex = message.sequence;
      continue;
    }
    const payload: Record<string, unknown> = { ATTENDED: attended };
    const minutes = /\b(\d{1,3})[- ]?(?:minute|min|minutos)\b/.exec(message.folded)?.[1];
    if (attended && minutes) payload.DURATION = Number(minutes) * 60;
    else if (attended && /\b(?:an|one|1|uma) ?(?:hour|hora)[- ](?:long )?(?:meeting|call|reuniao)|\b(?:meeting|reuniao|call) (?:de|of) (?:an|one|uma) (?:hour|hora)\b/.test(message.folded)) payload.DURATION = 3600;
    const video = findUrls(message.text).find((url) => /record|gravacao|video|vimeo|youtube|loom/.test(url.toLowerCase()));
    if (video) payload.VIDEO = video;
    // The customer's answer about it belongs to the same evidence ("It was great", "desculpe, esqueci").
    const reply = messages[i + 1];
    const replyAbout = reply?.role === 'USER' && message.role === 'AGENT' && /\b(went (?:well|great|fine)|it was (?:great|good|helpful|useful)|loved|foi (?:otim[oa]|boa|bom|muito bo[am]|produtiva)|gostei|adorei|sorry|desculp\w*|forgot|esqueci|couldn'?t|nao consegui|imprevisto)\b/.test(reply.folded);
    events.push({ eventType: 'MEETING_DONE', eventSubtype: null, payload, confidence: 0.7, contextStartIndex: message.sequence, contextEndIndex: replyAbout ? reply.sequence : message.sequence });
    if (replyAbout) i++;
  }
  return events;
}
