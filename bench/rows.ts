import { computeConversationMetrics } from '../src/analysis/conversation-metrics.js';
import type { IngestContact, IngestConversationCommand, IngestEvent } from '../src/ingest/ingest.command.js';
import type { SurveyAnswers } from './extend-conversation.js';
import { Prng, round2 } from './prng.js';
import type { RowSink, TableName } from './tables.js';
import { UuidSequence } from './uuid.js';

/** One id sequence per table (plus analysis runs), so every table's ids increase in load order. */
export class IdSource {
  private readonly sequences = new Map<string, UuidSequence>();

  constructor(
    private readonly baseMs: number,
    private readonly salt: number,
  ) {}

  next(kind: TableName | 'runs'): string {
    let sequence = this.sequences.get(kind);
    if (!sequence) {
      let stream = this.salt;
      for (const char of kind) stream = Math.imul(stream ^ char.charCodeAt(0), 0x01000193);
      sequence = new UuidSequence(this.baseMs, stream >>> 0);
      this.sequences.set(kind, sequence);
    }
    return sequence.next();
  }
}

// ───────────── the analysis config every benchmark organization uses ─────────────

export const CALL_REASONS = ['account_access', 'billing', 'order_status', 'technical_support', 'sales_inquiry', 'follow_up', 'other'] as const;

export const DISPOSITION_METRICS = [
  { identifier: 'call_reason', type: 'ENUM', prompt: 'Why did the customer get in touch?', choices: [...CALL_REASONS] },
  { identifier: 'callback_requested', type: 'BOOLEAN', prompt: 'Did the customer ask to be called back?' },
  { identifier: 'satisfaction_1_to_5', type: 'INTEGER', prompt: 'How satisfied was the customer, from 1 (very unhappy) to 5 (very happy)?' },
  { identifier: 'preferred_callback_time', type: 'DATETIME', prompt: 'When does the customer want to be contacted again?' },
  { identifier: 'product_mentioned', type: 'STRING', prompt: 'Which product or plan was the customer most interested in?' },
] as const;

export const ANALYSIS_TYPES = ['SENTIMENT_ANALYSIS', 'TOPICS_DETECTED', 'SUMMARY', 'OUTCOME', 'DISPOSITION_METRICS', 'EVENT_DETECTION'] as const;

// ───────────── conversion ─────────────

export interface Resolver {
  organizationId: string;
  /** The agent row for a demo agent external id (benchmark orgs map each demo agent to one of its clones). */
  agent(demoExternalId: string): string;
  contact(contact: IngestContact): string;
  config: { id: string; version: number } | null;
}

export interface ConvertOptions {
  externalId: string;
  /** Subtracted from every instant (spreads the 29-day demo window over ~90 days). */
  shiftMs: number;
  /** ONGOING demo conversations become FAILED (dropped) unless kept. */
  keepOngoing: boolean;
  /** Write analyses as a completed analysis run would (when the demo marks the conversation analysed). */
  analyses: boolean;
  /** Write a superseded earlier run too. */
  reanalyzed: boolean;
  /** Nothing is dated after this instant. */
  nowMs: number;
  rng: Prng;
}

export interface Converted {
  conversationId: string;
  messages: number;
  status: string;
}

const SECOND_MS = 1000;

/** Writes one conversation with everything it owns (and its analyses) as table rows. */
export function convertConversation(
  sink: RowSink,
  ids: IdSource,
  resolver: Resolver,
  command: IngestConversationCommand,
  survey: SurveyAnswers,
  options: ConvertOptions,
): Converted {
  const { rng, shiftMs } = options;
  const org = resolver.organizationId;
  const at = (date: Date | null | undefined): Date | null => (date ? new Date(date.getTime() - shiftMs) : null);
  const renameChild = (external: string | null | undefined) => (external ? external.replace(command.externalId, options.externalId) : null);
  const conversationId = ids.next('conversations');
  const messages = command.messages ?? [];
  const voice = command.channel === 'VOICE';

  // Status: the demo's live conversations are dropped calls unless kept live.
  let status = command.status ?? 'COMPLETED';
  let endedAt = at(command.endedAt);
  let durationSeconds = command.durationSeconds ?? null;
  let endedBy = command.endedBy ?? null;
  let endReason = command.endReason ?? null;
  let telephonyStatus = command.telephonyStatus ?? null;
  const startedAt = at(command.startedAt)!;
  if (status === 'ONGOING' && !options.keepOngoing) {
    status = 'FAILED';
    endedAt = at(messages[messages.length - 1]?.sentAt) ?? startedAt;
    durationSeconds = Math.round((endedAt.getTime() - startedAt.getTime()) / SECOND_MS);
    endedBy = 'SYSTEM';
    endReason = 'connection_lost';
    telephonyStatus = voice ? 'failed' : null;
  }
  const createdAt = new Date(Math.min(options.nowMs, (endedAt ?? startedAt).getTime() + rng.int(2, 30) * SECOND_MS));
  const analyzed = options.analyses && status === 'COMPLETED' && command.sentimentScore != null && resolver.config !== null;
  const runs = analyzed ? (options.reanalyzed ? 2 : 1) : 0;
  const firstAnalysisAt = new Date(Math.min(options.nowMs - 2 * SECOND_MS, createdAt.getTime() + rng.int(20, 120) * SECOND_MS));
  const currentAnalysisAt =
    runs === 2 ? new Date(Math.max(firstAnalysisAt.getTime() + SECOND_MS, Math.min(options.nowMs - SECOND_MS, firstAnalysisAt.getTime() + rng.int(1, 72) * 3_600_000))) : firstAnalysisAt;
  const updatedAt = runs ? currentAnalysisAt : createdAt;

  // Agents and contacts of the conversation.
  const agentIds = new Map<string, string>();
  for (const agent of command.agents ?? []) agentIds.set(agent.externalId, resolver.agent(agent.externalId));
  const agentOf = (external: string | null | undefined): string | null => {
    if (!external) return null;
    let id = agentIds.get(external);
    if (!id) {
      id = resolver.agent(external);
      agentIds.set(external, id);
    }
    return id;
  };
  const contactIds = new Map<string, string>();
  for (const contact of command.contacts ?? []) contactIds.set(contact.externalId, resolver.contact(contact));

  sink.add('conversations', [
    org, conversationId, options.externalId, [...new Set(agentIds.values())], [...contactIds.values()], command.channel,
    command.direction ?? null, command.conversationType ?? null, command.fromPhoneNumber ?? null, command.toPhoneNumber ?? null,
    command.phoneId ?? null, command.externalWorkspaceId ?? null, startedAt, endedAt, durationSeconds, status, telephonyStatus, endedBy,
    endReason, status === 'COMPLETED' ? (command.outcome ?? null) : null, status === 'COMPLETED' ? (command.outcomeReason ?? null) : null,
    status === 'COMPLETED' ? (command.summary ?? null) : null, analyzed ? command.sentimentScore : null, analyzed ? (command.sentimentLabel ?? null) : null,
    status === 'COMPLETED' ? (command.topics ?? []) : [], command.userSatisfactionScore ?? null, command.callQualityScore ?? null,
    command.audioQualityMetrics ?? null, command.postCallMetadata ?? null, command.recordingUrl ?? null, command.recordingStatus ?? null,
    command.campaignId ?? null, command.campaignRunId ?? null, command.dynamicVariables ?? null,
    analyzed ? 'COMPLETED' : 'NOT_REQUESTED', runs, analyzed ? currentAnalysisAt : null, command.metaData ?? null, command.origin,
    at(command.externalCreatedAt), at(command.externalUpdatedAt), createdAt, updatedAt,
  ]);

  for (const agent of command.agents ?? []) {
    for (const usage of agent.usages ?? []) {
      const from = at(usage.activatedAt);
      const to = at(usage.deactivatedAt);
      sink.add('conversation_agents', [
        org, ids.next('conversation_agents'), conversationId, agentIds.get(agent.externalId)!, renameChild(usage.externalId), from, to,
        from && to ? (to.getTime() - from.getTime()) / SECOND_MS : null, usage.handoffReason ?? null, usage.successRate ?? null, createdAt, createdAt,
      ]);
    }
  }
  for (const contact of command.contacts ?? []) {
    for (const session of contact.sessions ?? []) {
      sink.add('conversation_participants', [
        org, ids.next('conversation_participants'), conversationId, contactIds.get(contact.externalId)!, renameChild(session.externalId),
        at(session.joinedAt), at(session.leftAt) ?? (status === 'FAILED' ? endedAt : null), createdAt, createdAt,
      ]);
    }
  }
  for (const transfer of command.transfers ?? []) {
    sink.add('transfers', [
      org, ids.next('transfers'), conversationId, agentOf(transfer.agentExternalId), renameChild(transfer.externalId), at(transfer.startedAt),
      at(transfer.endedAt), at(transfer.userJoinedAt), at(transfer.userLeftAt), transfer.destination ?? null, transfer.status ?? null, createdAt, createdAt,
    ]);
  }
  const messageIds: string[] = [];
  for (const message of messages) {
    const id = ids.next('messages');
    messageIds[message.sequence] = id;
    sink.add('messages', [
      org, id, conversationId, agentOf(message.agentExternalId), message.contactExternalId ? (contactIds.get(message.contactExternalId) ?? null) : null,
      message.senderRole, message.sequence, message.content, message.type ?? 'TEXT', command.channel, message.subchannel ?? null, at(message.sentAt),
      analyzed ? (message.sentimentScore ?? null) : null, message.speechToTextConfidence ?? null, command.origin, createdAt, runs ? currentAnalysisAt : createdAt,
    ]);
  }
  for (const action of command.actions ?? []) {
    sink.add('agent_actions', [
      org, ids.next('agent_actions'), conversationId, action.messageSequence != null ? (messageIds[action.messageSequence] ?? null) : null,
      agentOf(action.agentExternalId), renameChild(action.externalId), action.functionName, action.status, action.inputParameters ?? null,
      action.outputResponse ?? null, action.executionTimeMs ?? null, action.errorMessage ?? null, action.retryCount ?? 0, at(action.occurredAt),
      createdAt, createdAt,
    ]);
  }
  for (const ticket of command.tickets ?? []) {
    sink.add('tickets', [
      org, ids.next('tickets'), conversationId, ticket.ticketSystem ?? 'SERVICENOW', ticket.ticketId, ticket.action, ticket.status ?? null,
      ticket.reason ?? null, at(ticket.occurredAt), createdAt, createdAt,
    ]);
  }

  const events = (command.events ?? []).map((event) => shiftEvent(event, shiftMs));
  const shiftedSurvey: SurveyAnswers = survey.callbackTime
    ? { ...survey, callbackTime: { ...survey.callbackTime, value: new Date(survey.callbackTime.value.getTime() - shiftMs) } }
    : survey;
  if (!analyzed) {
    writeEvents(sink, ids, org, conversationId, events, { analysisId: null, supersededAt: null, createdAt, agentOf, renameChild });
  } else {
    const config = resolver.config!;
    const writeRun = (runAt: Date, supersededAt: Date | null) => {
      const runId = ids.next('runs');
      const earlier = supersededAt !== null;
      const chars = messages.reduce((sum, message) => sum + message.content.length, 0);
      const promptTokens = Math.round(chars / 4) + 620 + rng.int(0, 40);
      const completionTokens = 180 + events.length * 45 + rng.int(0, 120);
      const totalTokens = promptTokens + completionTokens;
      const costUsd = Math.round((promptTokens * 0.15 + completionTokens * 0.6) * 1e-6 * 1e6) / 1e6; // gpt-4o-mini prices
      const first = messages[0]?.sequence ?? null;
      const last = messages[messages.length - 1]?.sequence ?? null;
      const score = earlier ? round2(Math.max(-1, Math.min(1, (command.sentimentScore ?? 0) + rng.float(-0.2, 0.2)))) : command.sentimentScore!;
      const topics = earlier ? (command.topics ?? []).slice(0, Math.max(1, (command.topics ?? []).length - 1)) : (command.topics ?? []);
      const disposition = dispositionValues(command, shiftedSurvey, events, rng, earlier);
      const results: Record<(typeof ANALYSIS_TYPES)[number], unknown> = {
        SENTIMENT_ANALYSIS: {
          score,
          label: command.sentimentLabel,
          perMessage: messages.filter((message) => message.sentimentScore != null).map((message) => ({ sequence: message.sequence, score: message.sentimentScore })),
        },
        TOPICS_DETECTED: { topics },
        SUMMARY: { summary: earlier ? `${command.summary ?? ''} (first pass)`.trim() : command.summary },
        OUTCOME: { outcome: command.outcome, reason: command.outcomeReason, endedBy },
        DISPOSITION_METRICS: { metrics: disposition.map((metric) => ({ ...metric, value: metric.value instanceof Date ? metric.value.toISOString() : metric.value })) },
        EVENT_DETECTION: { events: events.map((event) => ({ eventType: event.eventType, eventSubtype: event.eventSubtype ?? null, payload: event.payload, confidence: event.confidence, contextStartIndex: event.contextStartIndex, contextEndIndex: event.contextEndIndex })) },
      };
      const analysisIds = new Map<string, string>();
      for (const type of ANALYSIS_TYPES) {
        const id = ids.next('analytics');
        analysisIds.set(type, id);
        sink.add('analytics', [
          org, id, conversationId, runId, first, last, type, results[type], 'openai:gpt-4o-mini', 'openai', 'gpt-4o-mini', config.id, config.version,
          promptTokens, completionTokens, totalTokens, costUsd.toFixed(6), 'COMPLETED', supersededAt, runAt, supersededAt ?? runAt,
        ]);
      }
      const dispositionId = analysisIds.get('DISPOSITION_METRICS')!;
      for (const metric of disposition) {
        sink.add('disposition_values', [
          org, ids.next('disposition_values'), conversationId, dispositionId, metric.identifier, metric.type,
          metric.type === 'STRING' || metric.type === 'ENUM' ? metric.value : null, metric.type === 'INTEGER' ? metric.value : null,
          metric.type === 'BOOLEAN' ? metric.value : null, metric.type === 'DATETIME' ? metric.value : null, metric.confidence, metric.reasoning,
          metric.contextStartIndex, metric.contextEndIndex, config.version, supersededAt, runAt, supersededAt ?? runAt,
        ]);
      }
      writeEvents(sink, ids, org, conversationId, events, { analysisId: analysisIds.get('EVENT_DETECTION')!, supersededAt, createdAt: runAt, agentOf, renameChild: () => null });
    };
    if (runs === 2) writeRun(firstAnalysisAt, currentAnalysisAt);
    writeRun(currentAnalysisAt, null);
    const metrics = computeConversationMetrics(
      {
        messages: messages.map((message) => ({ sequence: message.sequence, senderRole: message.senderRole, content: message.content, sentAt: message.sentAt ?? null })),
        actions: (command.actions ?? []).map((action) => ({ functionName: action.functionName, status: action.status, messageSequence: action.messageSequence ?? null })),
        tickets: (command.tickets ?? []).map((ticket) => ({ ticketId: ticket.ticketId, action: ticket.action })),
      },
      agentIds.size,
      command.outcome ?? null,
    );
    sink.add('conversation_metrics', [
      org, conversationId, metrics.totalUserTurns, metrics.totalAgentTurns, metrics.avgResponseTimeMs, metrics.totalFunctionsCalled,
      metrics.uniqueAgentsUsed, metrics.ticketsCreatedCount, metrics.overallSuccessScore, currentAnalysisAt, currentAnalysisAt,
    ]);
  }
  return { conversationId, messages: messages.length, status };
}

interface ShiftedEvent extends IngestEvent {
  scheduledTo: Date | null;
}

function shiftEvent(event: IngestEvent, shiftMs: number): ShiftedEvent {
  const payload = { ...(event.payload as Record<string, unknown>) };
  let scheduledTo: Date | null = null;
  for (const key of ['FOLLOWUP_TIME', 'TIME_SCHEDULED']) {
    const value = payload[key];
    if (typeof value !== 'string') continue;
    const when = new Date(Date.parse(value) - shiftMs);
    if (shiftMs) payload[key] = when.toISOString();
    scheduledTo = when;
  }
  return { ...event, payload, scheduledTo };
}

function writeEvents(
  sink: RowSink,
  ids: IdSource,
  org: string,
  conversationId: string,
  events: ShiftedEvent[],
  context: {
    analysisId: string | null;
    supersededAt: Date | null;
    createdAt: Date;
    agentOf: (external: string | null | undefined) => string | null;
    renameChild: (external: string | null | undefined) => string | null;
  },
): void {
  for (const event of events) {
    const id = ids.next('events');
    const agentId = context.agentOf(event.agentExternalId);
    sink.add('events', [
      org, id, conversationId, agentId, context.analysisId, context.renameChild(event.externalId), event.eventType, event.eventSubtype ?? null,
      event.payload ?? null, event.scheduledTo, context.analysisId ? 'DETECTED' : 'INGESTED', event.confidence ?? null,
      event.contextStartIndex ?? null, event.contextEndIndex ?? null, context.supersededAt, context.createdAt, context.supersededAt ?? context.createdAt,
    ]);
    if (event.eventType === 'FOLLOWUP_DETECTION' && event.scheduledTo) {
      sink.add('follow_ups', [org, id, conversationId, agentId, Math.round(event.followUpScore ?? 50), event.scheduledTo, context.createdAt, context.createdAt]);
    }
  }
}

interface Disposition {
  identifier: string;
  type: 'ENUM' | 'BOOLEAN' | 'INTEGER' | 'DATETIME' | 'STRING';
  value: string | number | boolean | Date | null;
  confidence: number;
  reasoning: string;
  contextStartIndex: number | null;
  contextEndIndex: number | null;
}

function callReason(command: IngestConversationCommand): (typeof CALL_REASONS)[number] {
  const topics = new Set(command.topics ?? []);
  const scenario = (command.metaData as { scenario?: string } | null)?.scenario;
  if (topics.has('password reset') || topics.has('account access')) return 'account_access';
  if (topics.has('billing')) return 'billing';
  if (topics.has('order status')) return 'order_status';
  if (topics.has('connectivity')) return 'technical_support';
  if (scenario === 'sales') return 'sales_inquiry';
  if (scenario === 'sales_followup') return 'follow_up';
  return 'other';
}

/** The five configured metrics as an analysis would extract them from the transcript (and the survey). */
function dispositionValues(command: IngestConversationCommand, survey: SurveyAnswers, events: ShiftedEvent[], rng: Prng, earlier: boolean): Disposition[] {
  const confidence = (min: number, max: number) => round2(rng.float(min, max));
  const followUp = events.find((event) => event.eventType === 'FOLLOWUP_DETECTION' && event.scheduledTo);
  const sale = events.find((event) => event.eventType === 'SALE_MADE');
  const lastSequence = (command.messages ?? []).length - 1;
  const reason = earlier && rng.chance(0.3) ? 'other' : callReason(command);
  const satisfaction = survey.satisfaction
    ? { value: survey.satisfaction.value, confidence: confidence(0.9, 0.99), reasoning: 'The customer rated the conversation in the post-call survey.', at: survey.satisfaction.sequence }
    : command.sentimentScore != null && rng.chance(0.7)
      ? { value: Math.max(1, Math.min(5, Math.round(3 + command.sentimentScore * 2.5))), confidence: confidence(0.4, 0.65), reasoning: 'Inferred from the tone of the conversation; the customer gave no rating.', at: null }
      : { value: null, confidence: confidence(0.05, 0.2), reasoning: 'The customer did not say how satisfied they were.', at: null };
  const callback = survey.callback
    ? { value: survey.callback.value, confidence: confidence(0.9, 0.99), reasoning: survey.callback.value ? 'The customer asked to be called back.' : 'The customer declined a callback.', at: survey.callback.sequence }
    : followUp
      ? { value: true, confidence: confidence(0.7, 0.9), reasoning: 'The agent agreed to contact the customer again.', at: followUp.contextEndIndex ?? null }
      : { value: false, confidence: confidence(0.5, 0.7), reasoning: 'No callback was discussed.', at: null };
  const when = survey.callbackTime
    ? { value: survey.callbackTime.value as Date | null, confidence: confidence(0.85, 0.97), reasoning: 'The customer named a time for the callback.', at: survey.callbackTime.sequence as number | null }
    : followUp
      ? { value: followUp.scheduledTo, confidence: confidence(0.75, 0.92), reasoning: 'The follow-up the agent promised.', at: followUp.contextEndIndex ?? null }
      : { value: null, confidence: confidence(0.05, 0.15), reasoning: 'No time to contact the customer again was mentioned.', at: null };
  const productValue = (sale?.payload as { PRODUCT?: string } | undefined)?.PRODUCT ?? survey.product?.value ?? null;
  const product = {
    value: productValue,
    confidence: productValue ? confidence(0.8, 0.98) : confidence(0.05, 0.2),
    reasoning: productValue ? 'The product the customer bought or named.' : 'No product was mentioned.',
    at: sale?.contextEndIndex ?? survey.product?.sequence ?? null,
  };
  const evidence = (sequence: number | null) => ({ contextStartIndex: sequence === null ? null : Math.max(0, sequence - 1), contextEndIndex: sequence });
  return [
    { identifier: 'call_reason', type: 'ENUM', value: reason, confidence: confidence(0.75, 0.98), reasoning: `The conversation is about ${reason.replace('_', ' ')}.`, ...evidence(Math.min(1, lastSequence)) },
    { identifier: 'callback_requested', type: 'BOOLEAN', value: callback.value, confidence: callback.confidence, reasoning: callback.reasoning, ...evidence(callback.at) },
    {
      identifier: 'satisfaction_1_to_5',
      type: 'INTEGER',
      value: satisfaction.value === null ? null : earlier ? Math.max(1, Math.min(5, satisfaction.value + rng.int(-1, 1))) : satisfaction.value,
      confidence: satisfaction.confidence,
      reasoning: satisfaction.reasoning,
      ...evidence(satisfaction.at),
    },
    { identifier: 'preferred_callback_time', type: 'DATETIME', value: when.value, confidence: when.confidence, reasoning: when.reasoning, ...evidence(when.at) },
    { identifier: 'product_mentioned', type: 'STRING', value: product.value, confidence: product.confidence, reasoning: product.reasoning, ...evidence(product.at) },
  ];
}
