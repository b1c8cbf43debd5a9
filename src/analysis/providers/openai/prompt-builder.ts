import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { CUSTOMER_INFORMATION_SUBTYPES } from '../../../events/event-payload.js';
import type { AnalysisType } from '../../../generated/prisma/enums.js';
import type { AnalysisInput, DispositionMetricDefinition } from '../../analysis-provider.js';
import { RESPONSE_KEYS, requestedAnalyses } from './response-schema.js';
import { toZonedIsoString } from './zoned-time.js';

/**
 * The chat messages of one analysis: a system message with the rules and the config's
 * instructions, and a user message with the conversation itself.
 */

const DEFAULT_SUMMARY_PROMPT = 'Summarize the conversation in a few sentences: why the user reached out, what happened, and how it ended.';

const EVENT_CATALOG = [
  'SALES_STAGE_CHANGE: the deal moved between sales stages. Payload OLD_STAGE (or null), NEW_STAGE.',
  'FOLLOWUP_DETECTION: a follow-up was agreed. Payload FOLLOWUP_TRY (attempt number or null), FOLLOWUP_TIME (when), FOLLOWUP_TYPE (how); followUpScore 0-100 = how likely it is to happen.',
  'OBJECTION_DETECTION: the user raised an objection. Payload OBJECTION_TYPE.',
  'SALE_MADE: the user bought something. Payload PRODUCT, PRICE (number), DISCOUNT (number, percentage such as "10%", or null).',
  'MEETING_SCHEDULED: a meeting was booked. Payload TIME_SCHEDULED (when), MEETING_CHANNEL, LINK (URL or null).',
  'MEETING_DONE: a meeting took place. Payload ATTENDED (boolean), DURATION (minutes or null), TRANSCRIPTION (or null), VIDEO (or null).',
  `CUSTOMER_INFORMATION_DETECTION: the user disclosed information about themselves. eventSubtype is one of ${CUSTOMER_INFORMATION_SUBTYPES.join(', ')}; payload VALUE is what they said (e.g. the name, the age, the exam year).`,
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
        `"${key}": the user's overall sentiment as score from -1 (very negative) to 1 (very positive) and a label (POSITIVE, NEUTRAL, NEGATIVE or MIXED), plus perMessage: one score from -1 to 1 for each USER message, by its sequence number.`,
      ];
    case 'TOPICS_DETECTED':
      return [`"${key}": the main topics discussed, as short lowercase phrases (at most 8), most important first.`];
    case 'OUTCOME':
      return [
        `"${key}": outcome is RESOLVED (the user's need was met), NOT_RESOLVED, ESCALATED (handed to a human or a higher tier), TRANSFERRED (call transferred elsewhere), ABANDONED (the user left before the end) or UNKNOWN; reason in one sentence; endedBy is USER, AGENT or SYSTEM if the transcript shows who ended the conversation, else null.`,
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

function systemMessage(input: AnalysisInput, timeZone: string): string {
  const reference = input.referenceTime;
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' }).format(reference);
  const lines = [
    'You analyse a finished conversation between a USER and an AGENT (a voice or chat bot or a human agent) and answer with one JSON object that follows the given JSON schema exactly.',
    '',
    'Rules:',
    '- Messages are numbered: "[n] ROLE: text". contextStartIndex and contextEndIndex are the first and last sequence numbers (inclusive) of the messages that support a result; use only numbers that appear in the transcript, or null for both when nothing specific supports it.',
    '- Base every answer on the transcript only. When something is not said, use null (and a confidence of at most 0.2) rather than guessing.',
    '- Confidence is a number from 0 to 1.',
    `- Reference time: ${reference.toISOString()}, which is ${toZonedIsoString(reference, timeZone)} (${weekday}) in ${timeZone}. Resolve relative dates ("tomorrow at 3pm", "next Monday") against it, read times said in the conversation as ${timeZone} local time, and write date-times as ISO 8601 with the UTC offset.`,
    '',
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
export function buildPromptMessages(input: AnalysisInput, timeZone: string): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: systemMessage(input, timeZone) },
    { role: 'user', content: userMessage(input, timeZone) },
  ];
}
