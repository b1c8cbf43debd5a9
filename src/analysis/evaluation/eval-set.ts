import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisInput } from '../analysis-provider.js';
import type { AnalysisType, Channel, EndedBy, EventType, Outcome, SenderRole, SentimentLabel } from '../../generated/prisma/enums.js';

/**
 * The labelled evaluation set (eval/<split>/*.json): hand-written calls with what a careful
 * reader would record — the events with their payloads, the outcome, the customer's sentiment
 * and what the customer said about themselves. `dev` is for development; `heldout` is scored,
 * never tuned on.
 */

export type EvalSplit = 'dev' | 'heldout';
export type EvalLanguage = 'en' | 'pt';

export interface ExpectedEvent {
  type: Exclude<EventType, 'CUSTOMER_INFORMATION_DETECTION'>;
  payload: Record<string, unknown>;
}

export interface EvalLabels {
  outcome: Outcome;
  sentiment: Exclude<SentimentLabel, 'MIXED'>;
  events: ExpectedEvent[];
  /** CUSTOMER_INFORMATION_DETECTION subtype → VALUE. */
  customerInfo: Record<string, string | number | boolean>;
}

/** One call as written in the files: turns as "A: …" (agent), "U: …" (customer), "S: …" (system line). */
export interface EvalCallFile {
  id: string;
  channel?: Channel;
  timeZone: string;
  /** ISO 8601 with offset: when the conversation ended (what relative dates resolve against). */
  referenceTime: string;
  endedBy?: EndedBy | null;
  endReason?: string | null;
  transcript: string[];
  expected: EvalLabels;
  /** Why the call is in the set: the traps it holds. */
  notes?: string;
}

export interface EvalCall {
  id: string;
  split: EvalSplit;
  lang: EvalLanguage;
  input: AnalysisInput;
  expected: EvalLabels;
}

const ROLES: Record<string, SenderRole> = { A: 'AGENT', U: 'USER', S: 'SYSTEM' };
export const ALL_ANALYSES: AnalysisType[] = ['SENTIMENT_ANALYSIS', 'TOPICS_DETECTED', 'SUMMARY', 'OUTCOME', 'EVENT_DETECTION'];

/** The AnalysisInput of one call: turns 20 s apart ending at the reference time. */
export function toAnalysisInput(call: EvalCallFile): AnalysisInput {
  const referenceTime = new Date(call.referenceTime);
  if (Number.isNaN(referenceTime.getTime())) throw new Error(`${call.id}: referenceTime '${call.referenceTime}' is not a date`);
  const startMs = referenceTime.getTime() - call.transcript.length * 20_000;
  const messages = call.transcript.map((line, sequence) => {
    const match = /^([AUS]):\s?(.*)$/s.exec(line);
    if (!match) throw new Error(`${call.id}: turn ${sequence} must start with "A:", "U:" or "S:"`);
    return { sequence, senderRole: ROLES[match[1]!]!, content: match[2]!, sentAt: new Date(startMs + sequence * 20_000) };
  });
  return {
    conversation: {
      id: call.id,
      channel: call.channel ?? 'VOICE',
      status: 'COMPLETED',
      startedAt: new Date(startMs),
      endedAt: referenceTime,
      durationSeconds: Math.round((referenceTime.getTime() - startMs) / 1000),
      endedBy: call.endedBy ?? null,
      endReason: call.endReason ?? null,
    },
    messages,
    actions: [],
    tickets: [],
    transfers: [],
    config: { version: 1, summaryPrompt: null, dispositionMetrics: [], enabledAnalyses: ALL_ANALYSES },
    referenceTime,
    timeZone: call.timeZone,
  };
}

/** Every call of `split` under `root` (the repository's eval/ folder); the language is the file's name (en.json, pt.json). */
export function loadEvalSet(root: string, splits: readonly EvalSplit[]): EvalCall[] {
  const calls: EvalCall[] = [];
  const seen = new Set<string>();
  for (const split of splits) {
    const dir = join(root, split);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
      const lang = file.replace(/\.json$/, '').split('-')[0] as EvalLanguage;
      if (lang !== 'en' && lang !== 'pt') throw new Error(`${dir}/${file}: the file name must start with en or pt`);
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as EvalCallFile[];
      for (const call of parsed) {
        if (seen.has(call.id)) throw new Error(`${file}: call id ${call.id} is used twice`);
        seen.add(call.id);
        calls.push({ id: call.id, split, lang, input: toAnalysisInput(call), expected: call.expected });
      }
    }
  }
  return calls;
}
