import { describe, expect, it } from 'vitest';
import { generateDemoConversations } from '../../src/demo/demo-conversations.js';
import { CUSTOMER_INFORMATION_SUBTYPES, validateEvent } from '../../src/events/event-payload.js';
import type { EventType } from '../../src/generated/prisma/enums.js';
import type { IngestConversationCommand } from '../../src/ingest/ingest.command.js';

const DAY_MS = 86_400_000;
const DEFAULT_NOW = new Date('2026-11-01T12:00:00Z');
const EVENT_TYPES: EventType[] = [
  'SALES_STAGE_CHANGE',
  'FOLLOWUP_DETECTION',
  'OBJECTION_DETECTION',
  'SALE_MADE',
  'MEETING_SCHEDULED',
  'MEETING_DONE',
  'CUSTOMER_INFORMATION_DETECTION',
];
const CAST = ['agent-ava', 'agent-leo', 'agent-luna', 'agent-max', 'agent-sarah-mitchell', 'agent-rafael-souza'];
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

const sample = generateDemoConversations({ count: 200 });

function payloadOf(event: { payload?: unknown }): Record<string, unknown> {
  return event.payload as Record<string, unknown>;
}

function transcript(conversation: IngestConversationCommand, from = 0, to = Number.MAX_SAFE_INTEGER): string {
  return (conversation.messages ?? [])
    .filter((message) => message.sequence >= from && message.sequence <= to)
    .map((message) => message.content)
    .join('\n');
}

describe('generateDemoConversations', () => {
  it('is deterministic: the same options give deep-equal output, another seed differs', () => {
    const a = generateDemoConversations({ count: 60, seed: 42 });
    const b = generateDemoConversations({ count: 60, seed: 42 });
    expect(a).toEqual(b);
    expect(generateDemoConversations({ count: 60 })).toEqual(generateDemoConversations({ count: 60, seed: 1, now: DEFAULT_NOW, origin: 'demo' }));

    const other = generateDemoConversations({ count: 60, seed: 43 });
    expect(other).not.toEqual(a);
    const sameContent = a.filter((conversation, i) => transcript(conversation) === transcript(other[i]!)).length;
    expect(sameContent).toBeLessThan(10);
  });

  it('does not depend on count: a longer run extends a shorter one', () => {
    expect(generateDemoConversations({ count: 80, seed: 7 }).slice(0, 30)).toEqual(generateDemoConversations({ count: 30, seed: 7 }));
  });

  it('returns exactly count conversations with external ids `${origin}-conv-${index}`', () => {
    expect(generateDemoConversations({ count: 0 })).toEqual([]);
    const bench = generateDemoConversations({ count: 137, origin: 'bench' });
    expect(bench).toHaveLength(137);
    expect(bench.map((conversation) => conversation.externalId)).toEqual(Array.from({ length: 137 }, (_, i) => `bench-conv-${i}`));
    expect(new Set(bench.map((conversation) => conversation.origin))).toEqual(new Set(['bench']));
    expect(sample).toHaveLength(200);
    expect(sample[0]!.externalId).toBe('demo-conv-0');
    expect(sample[199]!.externalId).toBe('demo-conv-199');
    expect(() => generateDemoConversations({ count: -1 })).toThrow(RangeError);
  });

  it('numbers messages 0..n-1 (4–30 of them), alternating AGENT/USER with increasing sentAt', () => {
    for (const conversation of sample) {
      const messages = conversation.messages ?? [];
      expect(messages.length).toBeGreaterThanOrEqual(4);
      expect(messages.length).toBeLessThanOrEqual(30);
      expect(messages.map((message) => message.sequence)).toEqual(Array.from({ length: messages.length }, (_, i) => i));
      messages.forEach((message, i) => {
        expect(message.senderRole).toBe(i % 2 === 0 ? 'AGENT' : 'USER');
        if (message.senderRole === 'AGENT') {
          expect(message.agentExternalId).toMatch(/^agent-/);
          expect(message.contactExternalId ?? null).toBeNull();
        } else {
          expect(message.contactExternalId).toMatch(/^contact-\d+$/);
          expect(message.agentExternalId ?? null).toBeNull();
        }
        expect(message.content.trim().length).toBeGreaterThan(0);
        if (i > 0) expect(message.sentAt!.getTime()).toBeGreaterThan(messages[i - 1]!.sentAt!.getTime());
        if (message.sentimentScore != null) {
          expect(message.sentimentScore).toBeGreaterThanOrEqual(-1);
          expect(message.sentimentScore).toBeLessThanOrEqual(1);
        }
        if (message.speechToTextConfidence != null) {
          expect(conversation.channel).toBe('VOICE');
          expect(message.speechToTextConfidence).toBeGreaterThanOrEqual(0.7);
          expect(message.speechToTextConfidence).toBeLessThanOrEqual(1);
        }
      });
      if (conversation.channel === 'VOICE') {
        for (const message of messages.filter((m) => m.senderRole === 'USER')) expect(message.speechToTextConfidence).toBeGreaterThanOrEqual(0.7);
      }
    }
  });

  it('lists every agent and contact it refers to, from a stable cast', () => {
    const seenAgents = new Map<string, unknown>();
    const seenContacts = new Map<string, unknown>();
    for (const conversation of sample) {
      const agents = new Set((conversation.agents ?? []).map((agent) => agent.externalId));
      const contacts = new Set((conversation.contacts ?? []).map((contact) => contact.externalId));
      expect(agents.size).toBeGreaterThan(0);
      expect(contacts.size).toBe(1);
      const referenced = [
        ...(conversation.messages ?? []).map((message) => message.agentExternalId),
        ...(conversation.actions ?? []).map((action) => action.agentExternalId),
        ...(conversation.transfers ?? []).map((transfer) => transfer.agentExternalId),
        ...(conversation.events ?? []).map((event) => event.agentExternalId),
      ].filter((id): id is string => id != null);
      for (const id of referenced) expect(agents, `${conversation.externalId} refers to ${id}`).toContain(id);
      for (const message of conversation.messages ?? []) {
        if (message.contactExternalId != null) expect(contacts).toContain(message.contactExternalId);
      }
      // An agent or contact looks the same in every conversation (ingest upserts it).
      for (const { usages: _usages, ...agent } of conversation.agents ?? []) {
        const before = seenAgents.get(agent.externalId);
        if (before) expect(agent).toEqual(before);
        seenAgents.set(agent.externalId, agent);
      }
      for (const { sessions: _sessions, ...contact } of conversation.contacts ?? []) {
        const before = seenContacts.get(contact.externalId);
        if (before) expect(contact).toEqual(before);
        seenContacts.set(contact.externalId, contact);
        expect(contact.name).toMatch(/^\S+ \S+$/);
        expect(contact.email).toMatch(/^[a-z.]+\d+@example\.com$/);
        expect(contact.phoneNumber).toMatch(/^\+\d{11,13}$/);
      }
    }
    expect([...seenAgents.keys()].sort()).toEqual([...CAST].sort());
    const internal = [...seenAgents.values()].filter((agent) => (agent as { internal: boolean }).internal).map((agent) => (agent as { externalId: string }).externalId);
    expect(internal.sort()).toEqual(['agent-rafael-souza', 'agent-sarah-mitchell']);
    expect((seenAgents.get('agent-ava') as { name: string }).name).toBe('Ava — support bot');
    expect((seenAgents.get('agent-leo') as { name: string }).name).toBe('Leo — sales bot');
    expect(seenContacts.size).toBeGreaterThan(100);
  });

  it('writes only events that pass validateEvent, with context inside the conversation', () => {
    let count = 0;
    for (const conversation of sample) {
      const length = conversation.messages?.length ?? 0;
      (conversation.events ?? []).forEach((event, i) => {
        const validated = validateEvent(event.eventType, event.eventSubtype, event.payload, `${conversation.externalId}.events[${i}]`);
        count++;
        expect(event.contextStartIndex).toBeGreaterThanOrEqual(0);
        expect(event.contextEndIndex).toBeGreaterThanOrEqual(event.contextStartIndex!);
        expect(event.contextEndIndex).toBeLessThan(length);
        expect(event.confidence).toBeGreaterThan(0);
        expect(event.confidence).toBeLessThanOrEqual(1);
        const payload = payloadOf(event);
        expect(Object.values(payload).filter((value) => value === null)).toEqual([]);
        switch (event.eventType) {
          case 'FOLLOWUP_DETECTION':
            expect(payload.FOLLOWUP_TIME).toMatch(ISO_WITH_OFFSET);
            expect(['CALL', 'WHATSAPP', 'EMAIL']).toContain(payload.FOLLOWUP_TYPE);
            expect(payload.FOLLOWUP_TRY).toBeGreaterThanOrEqual(1);
            expect(event.followUpScore).toBeGreaterThanOrEqual(0);
            expect(event.followUpScore).toBeLessThanOrEqual(100);
            expect(validated.scheduledTo!.getTime()).toBeGreaterThan(conversation.startedAt!.getTime());
            break;
          case 'MEETING_SCHEDULED':
            expect(payload.TIME_SCHEDULED).toMatch(ISO_WITH_OFFSET);
            expect(['ZOOM', 'GOOGLE_MEET', 'PHONE']).toContain(payload.MEETING_CHANNEL);
            if (payload.MEETING_CHANNEL === 'PHONE') expect(payload).not.toHaveProperty('LINK');
            else expect(payload.LINK).toMatch(/^https:\/\//);
            expect(validated.scheduledTo!.getTime()).toBeGreaterThan(conversation.startedAt!.getTime());
            break;
          case 'SALE_MADE':
            expect(typeof payload.PRICE).toBe('number');
            expect(payload.PRICE).toBeGreaterThan(0);
            expect(['USD', 'BRL']).toContain(payload.CURRENCY);
            // DISCOUNT a fraction 0–1, present only when one was given.
            if ('DISCOUNT' in payload) expect([0.1, 0.15, 0.2]).toContain(payload.DISCOUNT);
            break;
          case 'MEETING_DONE':
            // DURATION in seconds: the demo's meetings last 20–55 minutes (0 when missed).
            if (payload.ATTENDED) expect(payload.DURATION).toBeGreaterThanOrEqual(20 * 60);
            else expect(payload.DURATION).toBe(0);
            break;
          case 'OBJECTION_DETECTION':
            expect(['PRICE', 'TIMING', 'COMPETITOR']).toContain(payload.OBJECTION_TYPE);
            break;
          case 'CUSTOMER_INFORMATION_DETECTION':
            expect(CUSTOMER_INFORMATION_SUBTYPES).toContain(event.eventSubtype);
            expect(payload.VALUE).toBeDefined();
            break;
          default:
            break;
        }
      });
    }
    expect(count).toBeGreaterThan(500);
  });

  it('says in the messages what the events say', () => {
    for (const conversation of sample) {
      for (const event of conversation.events ?? []) {
        const context = transcript(conversation, event.contextStartIndex!, event.contextEndIndex!);
        const payload = payloadOf(event);
        if (event.eventType === 'CUSTOMER_INFORMATION_DETECTION' && typeof payload.VALUE !== 'boolean') {
          expect(context, `${conversation.externalId} ${event.eventSubtype}`).toContain(String(payload.VALUE));
        }
        if (event.eventSubtype === 'NAME') expect(context).toMatch(/my name is|meu nome é/i);
        if (event.eventType === 'SALE_MADE') expect(transcript(conversation)).toContain(String(payload.PRODUCT));
        if (event.eventType === 'MEETING_SCHEDULED' && payload.LINK) {
          expect(transcript(conversation, event.contextStartIndex!)).toContain(String(payload.LINK));
        }
        if (event.eventType === 'OBJECTION_DETECTION' && payload.OBJECTION_TYPE === 'COMPETITOR') expect(context).toContain(String(payload.COMPETITOR));
      }
    }
  });

  it('covers every event type, info subtype, channel, outcome and action status in 200 conversations', () => {
    const eventTypes = new Set(sample.flatMap((conversation) => (conversation.events ?? []).map((event) => event.eventType)));
    expect([...eventTypes].sort()).toEqual([...EVENT_TYPES].sort());
    const subtypes = new Set(sample.flatMap((conversation) => (conversation.events ?? []).map((event) => event.eventSubtype).filter(Boolean)));
    expect([...subtypes].sort()).toEqual([...CUSTOMER_INFORMATION_SUBTYPES].sort());
    const objections = new Set(
      sample.flatMap((c) => (c.events ?? []).filter((e) => e.eventType === 'OBJECTION_DETECTION').map((e) => payloadOf(e).OBJECTION_TYPE)),
    );
    expect([...objections].sort()).toEqual(['COMPETITOR', 'PRICE', 'TIMING']);
    const stages = new Set(sample.flatMap((c) => (c.events ?? []).filter((e) => e.eventType === 'SALES_STAGE_CHANGE').map((e) => payloadOf(e).NEW_STAGE)));
    for (const stage of ['LEAD', 'QUALIFIED', 'PROPOSAL', 'CLOSED_WON', 'CLOSED_LOST']) expect(stages).toContain(stage);

    const channels = new Set(sample.map((conversation) => conversation.channel));
    expect([...channels].sort()).toEqual(['CHAT', 'VOICE', 'WHATSAPP']);
    const outcomes = new Set(sample.map((conversation) => conversation.outcome).filter(Boolean));
    expect([...outcomes].sort()).toEqual(['ABANDONED', 'ESCALATED', 'NOT_RESOLVED', 'RESOLVED', 'TRANSFERRED']);
    const actionStatuses = new Set(sample.flatMap((conversation) => (conversation.actions ?? []).map((action) => action.status)));
    expect([...actionStatuses].sort()).toEqual(['FAIL', 'RETRY', 'SUCCESS', 'TIMEOUT']);
    const functions = new Set(sample.flatMap((conversation) => (conversation.actions ?? []).map((action) => action.functionName)));
    for (const name of ['lookup_customer', 'reset_password', 'create_ticket', 'check_order_status']) expect(functions).toContain(name);
    const ticketActions = new Set(sample.flatMap((conversation) => (conversation.tickets ?? []).map((ticket) => ticket.action)));
    expect([...ticketActions].sort()).toEqual(['CREATED', 'LINKED', 'RETRIEVED', 'UPDATED']);
    const endReasons = new Set(sample.map((conversation) => conversation.endReason).filter(Boolean));
    expect([...endReasons].sort()).toEqual(['agent_hangup', 'timeout', 'user_hangup']);
    expect(sample.some((conversation) => conversation.campaignId && conversation.direction === 'OUTBOUND')).toBe(true);
  });

  it('models support calls: function calls on AGENT messages, ServiceNow tickets, transfers to humans', () => {
    let transfers = 0;
    for (const conversation of sample) {
      const messages = conversation.messages ?? [];
      for (const action of conversation.actions ?? []) {
        const message = messages.find((m) => m.sequence === action.messageSequence);
        expect(message, `${conversation.externalId} ${action.functionName}`).toBeDefined();
        expect(message!.senderRole).toBe('AGENT');
        expect(message!.agentExternalId).toBe(action.agentExternalId);
        expect(action.executionTimeMs).toBeGreaterThan(0);
        expect(action.inputParameters).toBeTypeOf('object');
        if (action.status === 'SUCCESS') expect(action.errorMessage ?? null).toBeNull();
        else expect(action.errorMessage).toBeTruthy();
        expect(action.occurredAt!.getTime()).toBeGreaterThanOrEqual(message!.sentAt!.getTime());
      }
      for (const ticket of conversation.tickets ?? []) {
        expect(ticket.ticketSystem).toBe('ServiceNow');
        expect(ticket.ticketId).toMatch(/^INC\d{7}$/);
        expect(ticket.reason).toBeTruthy();
      }
      for (const transfer of conversation.transfers ?? []) {
        expect(transfer.destination).toMatch(/^\+\d+$/);
        if (conversation.status === 'COMPLETED') {
          transfers++;
          expect(transfer.status).toBe('transfer_connected');
          expect(transfer.userJoinedAt!.getTime()).toBeGreaterThan(transfer.startedAt!.getTime());
        }
      }
      if (conversation.outcome === 'TRANSFERRED') {
        const humans = (conversation.agents ?? []).filter((agent) => agent.internal);
        expect(humans).toHaveLength(1);
        expect(humans[0]!.usages![0]!.activatedAt).toBeInstanceOf(Date);
        const handedOff = (conversation.agents ?? []).find((agent) => agent.usages?.some((usage) => usage.handoffReason));
        expect(handedOff?.usages?.[0]?.handoffReason).toBe('customer_requested_human');
      }
      if (conversation.channel === 'VOICE') {
        expect(conversation.fromPhoneNumber).toMatch(/^\+\d+$/);
        expect(conversation.toPhoneNumber).toMatch(/^\+\d+$/);
      }
    }
    expect(transfers).toBeGreaterThan(0);
  });

  it('writes Portuguese and English conversations', () => {
    const all = sample.map((conversation) => transcript(conversation)).join('\n');
    expect(all).toMatch(/meu nome é/i);
    expect(all).toMatch(/Quanto custa\?/);
    expect(all).toMatch(/my name is/i);
    expect(all).toMatch(/How much does it cost\?/);
    const portuguese = sample.filter((conversation) => /[ãçõ]|você/.test(transcript(conversation)));
    expect(portuguese.length).toBeGreaterThan(40);
    expect(portuguese.length).toBeLessThan(160);
  });

  it('spreads conversations over the 30 days before now; completed ones end at their last message', () => {
    for (const [now, conversations] of [
      [DEFAULT_NOW, sample],
      [new Date('2025-03-20T03:15:00Z'), generateDemoConversations({ count: 200, seed: 5, now: new Date('2025-03-20T03:15:00Z') })],
    ] as const) {
      const startDays = new Set<number>();
      for (const conversation of conversations) {
        const startedAt = conversation.startedAt!.getTime();
        expect(startedAt).toBeGreaterThan(now.getTime() - 30 * DAY_MS);
        expect(startedAt).toBeLessThan(now.getTime());
        startDays.add(Math.floor((now.getTime() - startedAt) / DAY_MS));
        const messages = conversation.messages ?? [];
        const last = messages[messages.length - 1]!.sentAt!.getTime();
        expect(messages[0]!.sentAt!.getTime()).toBeGreaterThanOrEqual(startedAt);
        expect(last).toBeLessThanOrEqual(now.getTime());
        if (conversation.status === 'COMPLETED') {
          expect(conversation.endedAt!.getTime()).toBe(last);
          expect(conversation.endedAt!.getTime()).toBeGreaterThanOrEqual(startedAt);
          expect(conversation.durationSeconds).toBe(Math.round((last - startedAt) / 1000));
          expect(conversation.outcome).toBeTruthy();
          expect(conversation.outcomeReason).toBeTruthy();
          expect(['USER', 'AGENT', 'SYSTEM']).toContain(conversation.endedBy);
        } else {
          expect(conversation.status).toBe('ONGOING');
          expect(conversation.endedAt ?? null).toBeNull();
          expect(conversation.outcome ?? null).toBeNull();
        }
      }
      expect(startDays.size).toBeGreaterThan(20);
    }
  });

  it('completes about 90% of conversations', () => {
    const many = generateDemoConversations({ count: 2000, seed: 11 });
    const completed = many.filter((conversation) => conversation.status === 'COMPLETED').length;
    expect(completed / many.length).toBeGreaterThan(0.86);
    expect(completed / many.length).toBeLessThan(0.94);
  });

  it('generates 10,000 conversations quickly', () => {
    const started = performance.now();
    const many = generateDemoConversations({ count: 10_000, seed: 3 });
    const elapsed = performance.now() - started;
    expect(many).toHaveLength(10_000);
    // Typically well under 2 s (~0.3–1 s); the bound only catches a pathological slowdown
    // without flaking on a busy CI machine.
    expect(elapsed).toBeLessThan(10_000);
  });
});
