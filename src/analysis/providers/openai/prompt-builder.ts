import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { CUSTOMER_INFORMATION_SUBTYPES } from '../../../events/event-payload.js';
import type { AnalysisType } from '../../../generated/prisma/enums.js';
import type { AnalysisInput, DispositionMetricDefinition } from '../../analysis-provider.js';
import { RESPONSE_KEYS, requestedAnalyses } from './response-schema.js';
import { describeTimeZone, weekdayOf } from '../../zoned-time.js';
import { toZonedIsoString } from './zoned-time.js';

/**
 * The chat messages of one analysis: a system message with the rules and the config's
 * instructions, and a user message with the conversation itself.
 */

const DEFAULT_SUMMARY_PROMPT = 'Summarize the conversation in a few sentences: why the user reached out, what happened, and how it ended.';

const EVENT_CATALOG = [
  'SALES_STAGE_CHANGE: only when a stage change is stated (a CRM SYSTEM line, or the agent saying so), never inferred from a price or a sale. Payload OLD_STAGE (or null), NEW_STAGE in QUALIFIED, PROPOSAL, NEGOTIATION, CLOSED_WON, CLOSED_LOST.',
  'FOLLOWUP_DETECTION: a later contact was agreed with a day or time ("call me back at four", "I will email you Friday"). Payload FOLLOWUP_TRY (attempt number or null), FOLLOWUP_TIME, FOLLOWUP_TYPE (CALL, WHATSAPP, EMAIL, SMS, MEETING); followUpScore 0-100 = how likely it is to happen.',
  'OBJECTION_DETECTION: the user raised an objection: PRICE (also said indirectly: "a bit steep", "more than we budgeted"), COMPETITOR ("we already use X"; COMPETITOR = the name if said), TIMING (not now, later, a schedule that does not fit the offer), AUTHORITY (someone else decides), TRUST, NEED. One event per objection type. Refusing a proposed meeting slot is not an objection.',
  'SALE_MADE: the user committed to buy, or the platform confirmed a payment or e-signature after an offer. Payload PRODUCT, PRICE = the list price before any discount (a number), CURRENCY (ISO 4217), DISCOUNT = a fraction from 0 to 1 (15% → 0.15) or null.',
  'MEETING_SCHEDULED: a meeting, demo, visit or appointment was agreed by both sides (a product described as "in person, on Saturdays" is not a meeting). TIME_SCHEDULED = the slot agreed (a refused slot is not it; "four" answering "2 pm or 4 pm" is 16:00 that day), MEETING_CHANNEL (ZOOM, GOOGLE_MEET, TEAMS, WHATSAPP, IN_PERSON, PHONE, UNKNOWN), LINK (URL or null).',
  'MEETING_DONE: a meeting took place or was missed (ATTENDED false). Payload ATTENDED, DURATION in seconds or null (from SYSTEM start/end lines when present), TRANSCRIPTION (or null), VIDEO (or null).',
  `CUSTOMER_INFORMATION_DETECTION: the user disclosed information about themselves (a bare answer to the agent's question counts: "Dana Whitfield." after "who am I speaking with?"; the agent greeting them by name does not). eventSubtype is one of ${CUSTOMER_INFORMATION_SUBTYPES.join(', ')}; payload VALUE is the value (AGE and EXAM_YEAR as numbers, "next year" resolved; EXSTUDENT true or false).`,
];

function metricValueRule(metric: DispositionMetricDefinition): string {
  switch (metric.type) {
    case 'STRING':
      return 'free text';
    case 'BOOLEAN':
      return 'true or false';
    case 'INTEGER':
      return 'a whole number';
    case 'DATETIME':
      return 'an ISO 8601 date-time with UTC offset';
    case 'ENUM':
      return `exactly one of: ${(metric.choices ?? []).join(', ')}`;
  }
}

function analysisInstructions(type: AnalysisType, input: AnalysisInput): string[] {
  const key = RESPONSE_KEYS[type];
  switch (type) {
    case 'SUMMARY':
      return [`"${key}": ${input.config.summaryPrompt?.trim() || DEFAULT_SUMMARY_PROMPT}`];
    case 'SENTIMENT_ANALYSIS':
      return [
        `"${key}": the user's overall sentiment as score from -1 (very negative) to 1 (very positive) and a label: NEGATIVE (the user shows frustration, anger or dissatisfaction — one such turn is enough — and does not end clearly pleased), POSITIVE (pleasure, enthusiasm or relief beyond routine politeness, not ending dissatisfied) or NEUTRAL (anything else; greetings and thanks are politeness, not positivity). Plus perMessage: one score from -1 to 1 for each USER message, by its sequence number.`,
      ];
    case 'TOPICS_DETECTED':
      return [`"${key}": the main topics discussed, as short lowercase phrases (at most 8), most important first.`];
    case 'OUTCOME':
      return [
        `"${key}": outcome is RESOLVED (what the user came for was achieved: fixed, bought, booked, answered), NOT_RESOLVED (still open: a problem that persists even with a visit booked, a decision put off, an offer declined), ESCALATED (handed to a human or another team without the handover completing in the conversation: a ticket for another team, a transfer requested but not connected), TRANSFERRED (a transfer that connected), ABANDONED (the user left or stopped answering before the request was dealt with) or UNKNOWN; reason in one sentence; endedBy is USER, AGENT or SYSTEM if the transcript shows who ended the conversation, else null.`,
      ];
    case 'EVENT_DETECTION':
      return [
        `"${key}": every event of this catalog that the conversation shows, each with confidence 0..1 (an empty list when there is none):`,
        ...EVENT_CATALOG.map((line) => `  - ${line}`),
      ];
    case 'DISPOSITION_METRICS':
      return [
        `"${key}": answer each metric below; value must be of the metric's type, or null when the conversation does not tell (then confidence at most 0.2). Give reasoning in one sentence.`,
        ...input.config.dispositionMetrics.map(
          (metric) => `  - ${metric.identifier} (${metric.type}; ${metricValueRule(metric)}): ${metric.prompt}`,
        ),
      ];
  }
}

function oneLine(text: string): string {
  // A newline inside a message must not start a line that looks like another turn.
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Which part of a long conversation a request covers. */
export interface TranscriptPart {
  index: number;
  count: number;
}

function systemMessage(input: AnalysisInput, timeZone: string, part?: TranscriptPart): string {
  const reference = input.referenceTime;
  const weekday = weekdayOf(reference, timeZone);
  const zone = describeTimeZone(timeZone);
  const lines = [
    'You analyse a finished conversation between a USER and an AGENT (a voice or chat bot or a human agent) and answer with one JSON object that follows the given JSON schema exactly.',
    '',
    'Rules:',
    '- Messages are numbered: "[n] ROLE: text". contextStartIndex and contextEndIndex are the first and last sequence numbers (inclusive) of the messages that support a result; use only numbers that appear in the transcript, or null for both when nothing specific supports it.',
    '- Base every answer on the transcript only. When something is not said, use null (and a confidence of at most 0.2) rather than guessing.',
    '- Confidence is a number from 0 to 1.',
    `- Reference time: ${reference.toISOString()}, which is ${toZonedIsoString(reference, timeZone)} (${weekday}) in ${zone}. Resolve relative dates ("tomorrow at 3pm", "the day after tomorrow", "next Monday", "at four" with no day = today) against it, read times said in the conversation as ${zone} local time, and write event times as ISO 8601 with ${zone}'s offset (e.g. ${toZonedIsoString(reference, timeZone)}), not Z. When only a day was said (no clock time), write the date alone (YYYY-MM-DD).`,
    '- SYSTEM lines are facts stated by the platform (CRM stage changes, tickets, transfers and whether they connected, payments, e-signatures, meeting start and end, disconnects): use them.',
    '- A payload key that was not detected is null (it is left out of the stored payload).',
    '',
    ...(part && part.count > 1
      ? [
          `- This is part ${part.index + 1} of ${part.count} of a long conversation (consecutive parts overlap by a few messages). Report what this part shows; an event that starts in an earlier part and is settled here belongs here. The summary covers this part.`,
        ]
      : []),
    'Produce:',
  ];
  for (const type of requestedAnalyses(input.config)) {
    lines.push(...analysisInstructions(type, input).map((line) => (line.startsWith('  ') ? line : `- ${line}`)));
  }
  return lines.join('\n');
}

function userMessage(input: AnalysisInput, timeZone: string): string {
  const { conversation } = input;
  const when = (date: Date | null): string => (date ? toZonedIsoString(date, timeZone) : 'unknown');
  const lines = [
    `Conversation ${conversation.id}`,
    `Channel: ${conversation.channel}. Status: ${conversation.status}.`,
    `Started: ${when(conversation.startedAt)}. Ended: ${when(conversation.endedAt)}.` +
      (conversation.durationSeconds === null ? '' : ` Duration: ${conversation.durationSeconds} s.`),
  ];
  if (conversation.endedBy || conversation.endReason) {
    lines.push(`Ended by: ${conversation.endedBy ?? 'unknown'}${conversation.endReason ? ` (${conversation.endReason})` : ''}.`);
  }
  if (input.actions.length > 0) {
    lines.push('', 'Agent function calls:');
    for (const action of input.actions) {
      lines.push(`- ${action.functionName}: ${action.status}${action.messageSequence === null ? '' : ` (at message ${action.messageSequence})`}`);
    }
  }
  if (input.tickets.length > 0) {
    lines.push('', 'Tickets:');
    for (const ticket of input.tickets) lines.push(`- ${ticket.ticketId}: ${ticket.action}`);
  }
  if (input.transfers.length > 0) {
    lines.push('', 'Transfers:');
    for (const transfer of input.transfers) lines.push(`- to ${transfer.destination ?? 'unknown'}: ${transfer.status ?? 'unknown status'}`);
  }
  lines.push('', 'Transcript:');
  if (input.messages.length === 0) lines.push('(no messages)');
  for (const message of input.messages) lines.push(`[${message.sequence}] ${message.senderRole}: ${oneLine(message.content)}`);
  return lines.join('\n');
}

/** The chat messages for `input`; `timeZone` must be a valid IANA zone. */
export function buildPromptMessages(input: AnalysisInput, timeZone: string, part?: TranscriptPart): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: systemMessage(input, timeZone, part) },
    { role: 'user', content: userMessage(input, timeZone) },
  ];
}
