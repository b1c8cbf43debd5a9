import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnalysisConfigSnapshot, AnalysisInput, DispositionMetricDefinition } from '../../../src/analysis/analysis-provider.js';
import type { AnalysisType, Channel, EndedBy, SenderRole } from '../../../src/generated/prisma/enums.js';

/** A transcript fixture: test/analysis/local/fixtures/NAME.json. */
interface TranscriptFixture {
  description: string;
  channel: Channel;
  timeZone: string;
  referenceTime: string;
  endedBy: EndedBy | null;
  endReason: string | null;
  messages: Array<[SenderRole, string]>;
  actions: AnalysisInput['actions'];
  tickets: AnalysisInput['tickets'];
  transfers: AnalysisInput['transfers'];
}

export const ALL_ANALYSES: AnalysisType[] = ['SENTIMENT_ANALYSIS', 'TOPICS_DETECTED', 'SUMMARY', 'OUTCOME', 'DISPOSITION_METRICS', 'EVENT_DETECTION'];

export const FIXTURE_NAMES = [
  'en-support-password-reset',
  'en-support-ticket-transfer',
  'en-support-billing-escalated',
  'en-sales-discount-purchase',
  'en-sales-zoom-meeting',
  'en-sales-competitor-followup',
  'en-education-lead',
  'en-meeting-done-email-followup',
  'en-abandoned',
  'pt-support-internet-resolvido',
  'pt-support-atendente-escalado',
  'pt-support-transferencia',
  'pt-sales-desconto-venda',
  'pt-sales-reuniao-meet',
  'pt-followup-ligacao',
  'pt-education-lead',
  'pt-abandonado',
] as const;

export type FixtureName = (typeof FIXTURE_NAMES)[number];

export function loadFixture(
  name: FixtureName,
  options: { enabledAnalyses?: AnalysisType[]; dispositionMetrics?: DispositionMetricDefinition[]; timeZone?: string } = {},
): AnalysisInput {
  const path = fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url));
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as TranscriptFixture;
  const referenceTime = new Date(fixture.referenceTime);
  const startMs = referenceTime.getTime() - fixture.messages.length * 20_000;
  const config: AnalysisConfigSnapshot = {
    version: 1,
    summaryPrompt: null,
    dispositionMetrics: options.dispositionMetrics ?? [],
    enabledAnalyses: options.enabledAnalyses ?? ALL_ANALYSES,
  };
  return {
    conversation: {
      id: name,
      channel: fixture.channel,
      status: 'COMPLETED',
      startedAt: new Date(startMs),
      endedAt: referenceTime,
      durationSeconds: Math.round((referenceTime.getTime() - startMs) / 1000),
      endedBy: fixture.endedBy,
      endReason: fixture.endReason,
    },
    messages: fixture.messages.map(([senderRole, content], sequence) => ({ sequence, senderRole, content, sentAt: new Date(startMs + sequence * 20_000) })),
    actions: fixture.actions,
    tickets: fixture.tickets,
    transfers: fixture.transfers,
    config,
    referenceTime,
    timeZone: options.timeZone ?? fixture.timeZone,
  };
}
