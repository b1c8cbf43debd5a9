import { describe, expect, it } from 'vitest';
import type { AnalysisType } from '../../../src/generated/prisma/enums.js';
import { validateEvent } from '../../../src/events/event-payload.js';
import { toZonedIso } from '../../../src/analysis/zoned-time.js';
import { LocalAnalysisProvider } from '../../../src/analysis/providers/local/local-provider.js';
import { generateDemoConversations } from '../../../src/demo/demo-conversations.js';
import type { AnalysisInput } from '../../../src/analysis/analysis-provider.js';
import { ALL_ANALYSES, FIXTURE_NAMES, loadFixture } from './load-fixture.js';

const provider = new LocalAnalysisProvider();

const METRICS = [
  { identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM' as const, choices: ['yes', 'no', 'unclear'] },
  { identifier: 'user_name', prompt: "What is the user's name? Return 'unknown' if not mentioned.", type: 'STRING' as const },
  { identifier: 'resolved', prompt: 'Was the issue resolved?', type: 'BOOLEAN' as const },
  { identifier: 'rating', prompt: 'What rating did the customer give, out of 10?', type: 'INTEGER' as const },
  { identifier: 'callback', prompt: 'When should we call back?', type: 'DATETIME' as const },
];

describe('local provider: contract', () => {
  it('is named local, with no model and no usage', async () => {
    const output = await provider.analyze(loadFixture('en-abandoned'));
    expect(provider.name).toBe('local');
    expect(output).toMatchObject({ provider: 'local', model: null, usage: null });
  });

  it.each(FIXTURE_NAMES)('%s: every event passes validateEvent, and confidences and ranges are sane', async (name) => {
    const input = loadFixture(name, { dispositionMetrics: METRICS });
    const output = await provider.analyze(input);
    const sequences = input.messages.map((message) => message.sequence);
    for (const [i, event] of (output.events ?? []).entries()) {
      expect(() => validateEvent(event.eventType, event.eventSubtype, event.payload, `events[${i}]`, 'DETECTED')).not.toThrow();
      expect(event.confidence).toBeGreaterThan(0);
      expect(event.confidence).toBeLessThanOrEqual(1);
      expect(sequences).toContain(event.contextStartIndex);
      expect(sequences).toContain(event.contextEndIndex);
      expect(event.contextStartIndex ?? 0).toBeLessThanOrEqual(event.contextEndIndex ?? 0);
      if (event.eventType === 'FOLLOWUP_DETECTION') {
        expect(event.followUp?.score).toBeGreaterThanOrEqual(0);
        expect(event.followUp?.score).toBeLessThanOrEqual(100);
        const when = String(event.payload.FOLLOWUP_TIME);
        // A date alone (no clock time said) is that day's local midnight in the conversation's zone.
        if (/^\d{4}-\d{2}-\d{2}$/.test(when)) expect(toZonedIso(event.followUp!.date, input.timeZone ?? 'UTC')).toBe(`${when}T00:00:00${toZonedIso(event.followUp!.date, input.timeZone ?? 'UTC').slice(19)}`);
        else expect(event.followUp?.date.toISOString()).toBe(new Date(when).toISOString());
      }
    }
    for (const entry of output.sentiment?.perMessage ?? []) {
      expect(entry.score).toBeGreaterThanOrEqual(-1);
      expect(entry.score).toBeLessThanOrEqual(1);
    }
    expect(output.sentiment?.perMessage.map((entry) => entry.sequence)).toEqual(sequences);
    expect(output.summary).toMatchObject({ contextStartIndex: sequences[0], contextEndIndex: sequences[sequences.length - 1] });
    expect(output.summary?.text).toContain(`Outcome: ${output.outcome?.outcome}`);
    expect(output.topics?.topics.every((topic) => topic === topic.toLowerCase())).toBe(true);
    expect(output.topics?.topics.length).toBeLessThanOrEqual(6);
    expect(output.dispositionMetrics?.map((value) => value.identifier)).toEqual(METRICS.map((value) => value.identifier));
  });

  it('is deterministic: the same input twice gives deep-equal output', async () => {
    for (const name of FIXTURE_NAMES) {
      const first = await provider.analyze(loadFixture(name, { dispositionMetrics: METRICS }));
      const second = await new LocalAnalysisProvider().analyze(loadFixture(name, { dispositionMetrics: METRICS }));
      expect(second).toEqual(first);
    }
  });

  it('produces only the enabled analyses', async () => {
    const cases: Array<[AnalysisType[], string[]]> = [
      [[], []],
      [['SENTIMENT_ANALYSIS'], ['sentiment']],
      [['TOPICS_DETECTED', 'OUTCOME'], ['topics', 'outcome']],
      [['EVENT_DETECTION'], ['events']],
      [['SUMMARY'], ['summary']],
      [['DISPOSITION_METRICS'], ['dispositionMetrics']],
      [ALL_ANALYSES, ['sentiment', 'topics', 'events', 'outcome', 'summary', 'dispositionMetrics']],
    ];
    for (const [enabledAnalyses, keys] of cases) {
      const output = await provider.analyze(loadFixture('en-sales-discount-purchase', { enabledAnalyses, dispositionMetrics: METRICS }));
      expect(Object.keys(output).sort()).toEqual(['model', 'provider', 'usage', ...keys].sort());
    }
  });

  it('UNKNOWN when there is nothing to go on', async () => {
    const base = loadFixture('en-abandoned');
    const input = { ...base, conversation: { ...base.conversation, endReason: null }, messages: [], transfers: [] };
    const output = await provider.analyze(input);
    expect(output.outcome?.outcome).toBe('UNKNOWN');
    expect(output.outcome?.endedBy).toBeNull();
    expect(output.events).toEqual([]);
    expect(output.sentiment).toMatchObject({ score: 0, label: 'NEUTRAL', perMessage: [], contextStartIndex: null });
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(provider.analyze(loadFixture('en-abandoned'), { signal: controller.signal })).rejects.toThrow();
  });

  it('handles the demo generator (EN and PT): valid events, outcomes close to the scripted ones', async () => {
    const conversations = generateDemoConversations({ count: 80, seed: 5 }).filter((conversation) => conversation.status === 'COMPLETED');
    let matching = 0;
    for (const conversation of conversations) {
      const language = (conversation.metaData as { language?: string } | null)?.language;
      const input: AnalysisInput = {
        conversation: {
          id: conversation.externalId,
          channel: conversation.channel,
          status: conversation.status ?? 'COMPLETED',
          startedAt: conversation.startedAt ?? null,
          endedAt: conversation.endedAt ?? null,
          durationSeconds: conversation.durationSeconds ?? null,
          endedBy: conversation.endedBy ?? null,
          endReason: conversation.endReason ?? null,
        },
        messages: (conversation.messages ?? []).map((message) => ({ sequence: message.sequence, senderRole: message.senderRole, content: message.content, sentAt: message.sentAt ?? null })),
        actions: [],
        tickets: (conversation.tickets ?? []).map((ticket) => ({ ticketId: ticket.ticketId, action: ticket.action })),
        transfers: (conversation.transfers ?? []).map((transfer) => ({ destination: transfer.destination ?? null, status: transfer.status ?? null })),
        config: { version: 1, summaryPrompt: null, dispositionMetrics: METRICS, enabledAnalyses: ALL_ANALYSES },
        referenceTime: conversation.endedAt ?? new Date(0),
        timeZone: language === 'pt-BR' ? 'America/Sao_Paulo' : 'America/New_York',
      };
      const output = await provider.analyze(input);
      for (const [i, event] of (output.events ?? []).entries()) validateEvent(event.eventType, event.eventSubtype, event.payload, `events[${i}]`, 'DETECTED');
      if (output.outcome?.outcome === conversation.outcome) matching++;
    }
    expect(conversations.length).toBeGreaterThan(50);
    expect(matching / conversations.length).toBeGreaterThan(0.85);
  });
});
