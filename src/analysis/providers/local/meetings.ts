import type { DetectedEvent } from '../../analysis-provider.js';
import { findDates, type FoundDate } from './dates.js';
import { findUrls } from './text.js';
import { wallClockOf } from '../../zoned-time.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * MEETING_SCHEDULED: a meeting (advisor call, demo, video call, visit) proposed with a date and
 * accepted by the customer or confirmed by the agent; the time is the last one said before the
 * agreement. MEETING_CHANNEL from the words and links (ZOOM, GOOGLE_MEET, TEAMS, WHATSAPP,
 * IN_PERSON, PHONE), LINK the first URL. MEETING_DONE: the text says a meeting took place (or was
 * missed: ATTENDED false), with DURATION in minutes when said.
 */

export type MeetingChannel = 'ZOOM' | 'GOOGLE_MEET' | 'TEAMS' | 'WHATSAPP' | 'IN_PERSON' | 'PHONE' | 'UNKNOWN';

const MEETING_CUE =
  /\b(meeting|meet with|meet up|appointment|demo|consultation|video ?call|zoom|google meet|teams call|ms teams|microsoft teams|advisors?|consultants?|specialists? (?:call|session)|session with|technician visit|visit|in person|at our office|book(?:ed|ing)? (?:a|you|your)|schedul(?:e|ed|ing)|reuniao|reunioes|encontro|agend(?:ar|ado|ada|ei|amos|o)|marca(?:r|do|da|mos)|videochamada|chamada de video|consultor(?:a|es)?|conversa (?:por|com|pelo|pela)|visita|presencial|na (?:nossa )?(?:unidade|escola|sede)|horario (?:com|disponivel))/;
/** The customer agrees to a proposed time. */
const AGREE =
  /\b(works for me|that works|sounds good|perfect|great|sure|ok(?:ay)?|yes|yeah|let'?s do|see you|i'?ll be there|fine|pode ser|combinado|perfeito|otimo|fechado|beleza|sim|claro|esta otimo|ta otimo|ta bom|fica bom|pode marcar|vou estar la|ate la)\b/;
/** The agent confirms the booking. */
const BOOKED =
  /\b(you'?re (?:all )?(?:booked|scheduled|set)|i'?ve (?:booked|scheduled)|i (?:booked|scheduled)|is (?:booked|scheduled|confirmed)|booking (?:a|you|your)|i'?m booking|here'?s your .*link|invite (?:is|has been) sent|esta agendad[oa]|agendei|agendad[oa] para|marquei|esta marcad[oa]|fica marcad[oa]|vou agendar|reuniao (?:confirmada|marcada)|pronto!?\s|done[!.]|all set)/;
/** A callback is a follow-up, not a meeting, unless a meeting is named. */
const CALLBACK_ONLY = /\b(call ?back|call you back|call me back|give you a call|me liga|te ligo|te ligar|retorno|retornar)\b/;
const MEETING_NOUN = /\b(meeting|demo|visit|zoom|google meet|teams|advisors?|consultants?|appointment|reuniao|visita|consultor(?:a|es)?|videochamada)\b/;
const CALLBACK_REQUEST = /\b(call me|text me|email me|get back to me|reach (?:out to )?me|follow up|me (?:liga|ligue|chama|manda|mande|retorna)|pode me (?:ligar|chamar|retornar)|can you call|me (?:da|de) um retorno)\b/;
const DECLINED = /\b(can'?t make (?:it|that)|doesn'?t work|not (?:available|good for me)|nao posso|nao da|nao consigo nesse|outro horario)\b/;

function channelOf(text: string, links: readonly string[], conversationChannel: string): MeetingChannel {
  const all = `${text} ${links.join(' ')}`.toLowerCase();
  if (/zoom\.us|\bzoom\b/.test(all)) return 'ZOOM';
  if (/meet\.google|google meet|\bgmeet\b/.test(all)) return 'GOOGLE_MEET';
  if (/teams\.microsoft|teams\.live|\b(?:ms |microsoft )?teams\b/.test(all)) return 'TEAMS';
  if (/whats ?app|wa\.me|\bzap\b/.test(all)) return 'WHATSAPP';
  if (/\b(in person|at our office|at the office|visit|presencial|pessoalmente|na (?:nossa )?(?:unidade|escola|sede)|visita|escritorio)\b/.test(all)) return 'IN_PERSON';
  if (/\b(phone|call you at|telephone|by phone|telefone|ligacao|ligar|te ligar|vai te ligar|call)\b/.test(all)) return 'PHONE';
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

/** Future dates (not earlier than an hour before the reference) in a message. */
export function futureDates(context: AnalysisContext, message: PreparedMessage): FoundDate[] {
  const earliest = context.referenceTime.getTime() - 3_600_000;
  return findDates(message.text, context.lang, context.referenceTime, context.timeZone).filter(
    // A bare "today" ("anything else today?") schedules nothing.
    (date) => date.hasDay && date.instant.getTime() >= earliest && !(date.timePrecision === 'none' && /^(?:today|hoje|now|agora|this (?:morning|afternoon|evening))$/i.test(date.text.trim())),
  );
}

/** The most specific date of a list: an exact hour beats a part of the day beats none; later mentions win ties. */
export function bestDate(dates: readonly FoundDate[]): FoundDate | null {
  const rank = { exact: 2, part: 1, none: 0 } as const;
  let best: FoundDate | null = null;
  for (const date of dates) if (!best || rank[date.timePrecision] >= rank[best.timePrecision]) best = date;
  return best;
}

/**
 * The slot agreed in a thread: the last time said (a counter-proposal wins), except that a later
 * short form of an earlier full date ("Monday at 7 PM" after "Monday, October 12 at 7 PM") means
 * that earlier date.
 */
export function agreedDate(datesByMessage: ReadonlyArray<readonly FoundDate[]>, timeZone: string): FoundDate | null {
  const last = bestDate(datesByMessage[datesByMessage.length - 1] ?? []);
  if (!last || last.explicitDate) return last;
  const slot = (date: FoundDate): string => {
    const wall = wallClockOf(date.instant.getTime(), timeZone);
    const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
    return `${weekday} ${wall.hour}:${wall.minute}`;
  };
  const earlier = datesByMessage
    .slice(0, -1)
    .flat()
    .filter((date) => date.explicitDate && date.timePrecision === last.timePrecision && slot(date) === slot(last));
  return earlier[earlier.length - 1] ?? last;
}

export function detectScheduledMeetings(context: AnalysisContext): ScheduledMeeting[] {
  const messages = context.messages;
  const meetings: ScheduledMeeting[] = [];
  let consumedUntil = -1;
  for (let i = 0; i < messages.length; i++) {
    const start = messages[i];
    if (!start || start.sequence <= consumedUntil || !MEETING_CUE.test(start.folded)) continue;
    if (CALLBACK_ONLY.test(start.folded) && !MEETING_NOUN.test(start.folded)) continue;
    if (futureDates(context, start).length === 0) continue;
    // The window: the proposal and up to three following messages, until agreement or booking.
    const window: PreparedMessage[] = [start];
    let agreedAt: PreparedMessage | null = start.role === 'AGENT' && BOOKED.test(start.folded) ? start : null;
    let declined = false;
    for (let j = i + 1; j < Math.min(messages.length, i + 4) && !agreedAt; j++) {
      const next = messages[j];
      if (!next) break;
      window.push(next);
      if (next.role === 'USER' && !AGREE.test(next.folded)) {
        // A reply that neither agrees nor proposes another time (or asks for a callback instead) declines.
        const counter = futureDates(context, next).length > 0 && !CALLBACK_REQUEST.test(next.folded);
        if (!counter || DECLINED.test(next.folded)) {
          declined = true;
          break;
        }
      }
      if ((next.role === 'USER' && AGREE.test(next.folded)) || (next.role === 'AGENT' && BOOKED.test(next.folded))) agreedAt = next;
    }
    if (!agreedAt || declined) continue;
    const upToAgreement = window.slice(0, window.indexOf(agreedAt) + 1);
    const withDates = upToAgreement.map((message) => futureDates(context, message)).filter((dates) => dates.length > 0);
    const date = agreedDate(withDates, context.timeZone);
    if (!date) continue;
    // The agent's confirmation right after the agreement belongs to the meeting (it carries the link, or repeats the time).
    const agreedIndex = messages.indexOf(agreedAt);
    const confirmation = messages[agreedIndex + 1];
    const confirms =
      confirmation &&
      confirmation.role === 'AGENT' &&
      (BOOKED.test(confirmation.folded) ||
        findUrls(confirmation.text).length > 0 ||
        futureDates(context, confirmation).some((other) => other.instant.getTime() === date.instant.getTime()));
    const closing = confirms ? confirmation : null;
    const span = closing ? [...upToAgreement, closing] : upToAgreement;
    const text = span.map((message) => message.folded).join(' ');
    const links = span.flatMap((message) => findUrls(message.text));
    const channel = channelOf(text, links, context.input.conversation.channel);
    const last = span[span.length - 1] ?? agreedAt;
    consumedUntil = last.sequence;
    if (meetings.some((meeting) => meeting.date.iso === date.iso)) continue;
    meetings.push({
      date,
      channel,
      link: links[0] ?? null,
      from: start.sequence,
      to: agreedAt.sequence,
      through: last.sequence,
      confidence: Math.min(0.95, 0.6 + (date.timePrecision === 'exact' ? 0.2 : 0) + (closing || agreedAt.role === 'AGENT' ? 0.1 : 0) + (channel === 'UNKNOWN' ? -0.1 : 0.05)),
    });
  }
  return meetings;
}

export function meetingScheduledEvents(meetings: readonly ScheduledMeeting[]): DetectedEvent[] {
  return meetings.map((meeting) => ({
    eventType: 'MEETING_SCHEDULED',
    eventSubtype: null,
    payload: { TIME_SCHEDULED: meeting.date.iso, MEETING_CHANNEL: meeting.channel, LINK: meeting.link },
    confidence: Math.round(meeting.confidence * 100) / 100,
    contextStartIndex: meeting.from,
    contextEndIndex: meeting.to,
  }));
}

const MEETING_WORD = /\b(meeting|call|demo|session|consultation|appointment|reuniao|conversa|call|chamada|videochamada|encontro|sessao)\b/;
const ATTENDED =
  /\b(thanks? (?:you )?for (?:attending|joining|coming to)|obrigad[oa] por (?:participar|comparecer|entrar)|participou da|thanks? (?:you )?for (?:the|today'?s|yesterday'?s) (?:meeting|call|demo|session)|(?:in|on|during|after|since) (?:our|the|yesterday'?s|today'?s|last week'?s) (?:meeting|demo|session|video call)|(?:i|we) (?:attended|had|joined|did) (?:the|our) (?:meeting|demo|session|call with)|(?:attended|joined) (?:the|our|yesterday'?s) (?:meeting|demo)|as we discussed (?:in|on|during)|(?:na|depois da|apos a|durante a) (?:nossa )?(?:reuniao|conversa|videochamada) (?:de )?(?:ontem|hoje|passada|com)|participei da (?:reuniao|conversa)|(?:gostei|adorei) da (?:reuniao|conversa)|(?:a )?reuniao (?:de ontem|foi (?:otima|boa|muito boa|produtiva))|how was (?:the|your) (?:meeting|call with))/;
const MISSED =
  /\b(missed (?:you at )?(?:the|our|your|yesterday'?s|today'?s)? ?(?:meeting|call|demo|appointment)|missed you (?:at|in)|couldn'?t make it|didn'?t (?:attend|join|make it|show up)|no-show|no show|sentimos (?:sua|a sua) falta|nao consegui (?:entrar|participar|ir)|nao pude (?:entrar|participar|ir)|faltei)\b/;

export function detectMeetingsDone(context: AnalysisContext): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  const messages = context.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!message) continue;
    const previous = messages[i - 1];
    const missed = MISSED.test(message.folded) && (MEETING_WORD.test(message.folded) || Boolean(previous && MEETING_WORD.test(previous.folded) && MISSED.test(previous.folded)) || Boolean(previous && /\b(meeting|reuniao)\b/.test(previous.folded)));
    const attended = !missed && ATTENDED.test(message.folded);
    if (!missed && !attended) continue;
    // One event per meeting: an agent's "we missed you" and the customer's "sorry, I couldn't" are the same.
    const last = events[events.length - 1];
    if (last && (last.contextEndIndex ?? -10) >= message.sequence - 2 && last.payload.ATTENDED === attended) {
      last.contextEndIndex = message.sequence;
      continue;
    }
    const durationMatch = /\b(\d{1,3})[- ]?(?:minute|min|minutos)\b/.exec(message.folded) ?? /\b(?:reuniao|meeting|call) (?:de|of) (\d{1,3}) ?(?:minutos|minutes|min)\b/.exec(message.folded);
    const hourMatch = /\b(?:an|one|1|uma) ?(?:hour|hora)[- ](?:long )?(?:meeting|call|reuniao)|\b(?:meeting|reuniao|call) (?:de|of) (?:an|one|uma) (?:hour|hora)\b/.test(message.folded);
    const reply = messages[i + 1];
    const replyAbout = reply && reply.role === 'USER' && message.role === 'AGENT' && /\b(went (?:well|great|fine)|it was (?:great|good|helpful|useful)|loved it|foi (?:otim[oa]|boa|bom|muito bo[am]|produtiva)|gostei|adorei|sorry|desculp\w*|couldn'?t|nao consegui|tive um imprevisto)\b/.test(reply.folded);
    const video = findUrls(message.text).find((url) => /record|gravacao|video|vimeo|youtube|loom/.test(url.toLowerCase())) ?? null;
    events.push({
      eventType: 'MEETING_DONE',
      eventSubtype: null,
      payload: {
        ATTENDED: attended,
        DURATION: attended ? (durationMatch?.[1] ? Number(durationMatch[1]) : hourMatch ? 60 : null) : 0,
        TRANSCRIPTION: null,
        VIDEO: video,
      },
      confidence: 0.7,
      contextStartIndex: message.sequence,
      contextEndIndex: replyAbout && reply ? reply.sequence : message.sequence,
    });
    if (replyAbout) i++;
  }
  return events;
}
