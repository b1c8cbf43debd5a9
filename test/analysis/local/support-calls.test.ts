import { describe, expect, it } from 'vitest';
import { analyze, eventsOf } from './helpers.js';
import { loadFixture } from './load-fixture.js';

describe('local provider: support calls', () => {
  it('password reset that worked (EN): RESOLVED, ended by the user, the caller name, neutral overall', async () => {
    const output = await analyze(loadFixture('en-support-password-reset'));
    expect(output.outcome).toMatchObject({ outcome: 'RESOLVED', endedBy: 'USER', contextStartIndex: 7, contextEndIndex: 7 });
    expect(output.outcome?.reason).toContain('that fixed it');
    expect(output.topics?.topics).toContain('password reset');
    // "Perfect, that fixed it… thanks so much": a solved problem said politely, not enthusiasm (politeness is discounted).
    expect(output.sentiment?.label).toBe('NEUTRAL');
    expect(output.sentiment?.score).toBeGreaterThan(0);
    expect(output.sentiment?.perMessage.find((entry) => entry.sequence === 7)?.score).toBeGreaterThan(0.5);
    expect(output.events?.map((event) => [event.eventType, event.eventSubtype, event.payload])).toEqual([
      ['CUSTOMER_INFORMATION_DETECTION', 'NAME', { VALUE: 'Daniel Brooks' }],
    ]);
    expect(output.summary?.text).toContain('password reset link');
    expect(output.summary?.text).toContain('Outcome: RESOLVED');
    expect(output.summary).toMatchObject({ contextStartIndex: 0, contextEndIndex: 9 });
  });

  it('ServiceNow ticket and a connected transfer (EN): TRANSFERRED, ended by the agent, negative turns', async () => {
    const output = await analyze(loadFixture('en-support-ticket-transfer'));
    expect(output.outcome?.outcome).toBe('TRANSFERRED');
    expect(output.outcome?.endedBy).toBe('AGENT');
    expect(output.outcome?.reason).toContain('+15555550100');
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['connectivity', 'support ticket', 'escalation']));
    const score = (sequence: number): number => output.sentiment?.perMessage.find((entry) => entry.sequence === sequence)?.score ?? 0;
    expect(score(1)).toBeLessThan(0);
    expect(score(5)).toBeLessThan(-0.4);
    expect(score(9)).toBeGreaterThan(0);
    // Frustrated turns, then a polite thank-you: NEGATIVE (the label set has no MIXED; politeness does not outweigh anger).
    expect(output.sentiment?.label).toBe('NEGATIVE');
    expect(output.events).toEqual([]);
    expect(output.summary?.text).toContain('INC0045123');
  });

  it('asks for a supervisor, transfer never connects (EN): ESCALATED, ended by the user (from endReason)', async () => {
    const output = await analyze(loadFixture('en-support-billing-escalated'));
    expect(output.outcome).toMatchObject({ outcome: 'ESCALATED', endedBy: 'USER', contextStartIndex: 3 });
    expect(output.outcome?.reason).toContain('did not connect');
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['billing', 'refund', 'duplicate charge']));
    expect(output.sentiment?.label).toBe('NEGATIVE');
    // A refund amount is not a sale offer.
    expect(eventsOf(output, 'SALE_MADE')).toEqual([]);
    expect(eventsOf(output, 'SALES_STAGE_CHANGE')).toEqual([]);
  });

  it('caller hangs up after the first question (EN): ABANDONED', async () => {
    const output = await analyze(loadFixture('en-abandoned'));
    expect(output.outcome).toMatchObject({ outcome: 'ABANDONED', endedBy: 'USER' });
    expect(output.topics?.topics).toEqual(['billing']);
    expect(output.sentiment?.label).toBe('NEUTRAL');
  });

  it('internet fixed by a modem restart (PT): RESOLVED with "resolvido", negative then positive', async () => {
    const output = await analyze(loadFixture('pt-support-internet-resolvido'));
    expect(output.outcome).toMatchObject({ outcome: 'RESOLVED', endedBy: 'USER', contextStartIndex: 5, contextEndIndex: 5 });
    expect(output.outcome?.reason).toContain('resolvido');
    expect(output.topics?.topics).toContain('connectivity');
    const score = (sequence: number): number => output.sentiment?.perMessage.find((entry) => entry.sequence === sequence)?.score ?? 0;
    expect(score(1)).toBeLessThan(-0.5);
    expect(score(5)).toBeGreaterThan(0.5);
    expect(output.sentiment?.score).toBeGreaterThan(0);
    expect(output.events).toEqual([]);
  });

  it('"quero falar com um atendente" without a transfer (PT): ESCALATED, negative', async () => {
    const output = await analyze(loadFixture('pt-support-atendente-escalado'));
    expect(output.outcome).toMatchObject({ outcome: 'ESCALATED', endedBy: 'AGENT', contextStartIndex: 3 });
    expect(output.outcome?.reason).toContain('falar com um atendente');
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['billing', 'duplicate charge', 'support ticket', 'escalation']));
    expect(output.sentiment?.label).toBe('NEGATIVE');
    expect(output.sentiment?.score).toBeLessThan(-0.15);
    expect(eventsOf(output, 'SALE_MADE')).toEqual([]);
  });

  it('blocked account, linked ticket, connected transfer (PT): TRANSFERRED', async () => {
    const output = await analyze(loadFixture('pt-support-transferencia'));
    expect(output.outcome?.outcome).toBe('TRANSFERRED');
    expect(output.outcome?.reason).toContain('transfer_connected');
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['account locked', 'password reset', 'escalation', 'support ticket']));
    expect(output.events).toEqual([]);
  });

  it('a WhatsApp chat that times out after "oi" (PT): ABANDONED, ended by the system', async () => {
    const output = await analyze(loadFixture('pt-abandonado'));
    expect(output.outcome).toMatchObject({ outcome: 'ABANDONED', endedBy: 'SYSTEM' });
    expect(output.outcome?.reason).toContain('timeout');
  });
});
