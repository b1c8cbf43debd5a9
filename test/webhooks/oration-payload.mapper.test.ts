import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IngestConversationCommand } from '../../src/ingest/ingest.command.js';
import { mapEndedBy, mapOrationWebhook, ORATION_ORIGIN } from '../../src/webhooks/oration/oration-payload.mapper.js';
import { parseOrationWebhook, type OrationWebhook } from '../../src/webhooks/oration/oration-payload.schema.js';

const SEED_TIME = new Date('2023-01-01T12:00:00.000Z');

type JsonObject = Record<string, unknown>;

/** A fresh copy of seed 003's first webhook, so each test may alter it. */
function seedBody(): JsonObject & { payload: JsonObject } {
  return JSON.parse(readFileSync(new URL('../fixtures/oration-analysis-completed.json', import.meta.url), 'utf8')) as JsonObject & {
    payload: JsonObject;
  };
}

function parsed(body: unknown): OrationWebhook {
  const result = parseOrationWebhook(body);
  if (!result.ok) throw new Error(`expected a valid webhook: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function mapped(payloadChanges: JsonObject = {}): IngestConversationCommand {
  const body = seedBody();
  body.payload = { ...body.payload, ...payloadChanges };
  return mapOrationWebhook(parsed(body));
}

function issuePaths(body: unknown): string[] {
  const result = parseOrationWebhook(body);
  if (result.ok) throw new Error('expected the webhook to be rejected');
  return result.issues.map((issue) => issue.path);
}

describe('parseOrationWebhook', () => {
  it('accepts the seed payload', () => {
    const webhook = parsed(seedBody());
    expect(webhook.eventId).toBe('evt_01234567890abcdef');
    expect(webhook.eventType).toBe('conversation.analysisCompleted');
    expect(webhook.payload.id).toBe('conv_1234567890abcdef');
  });

  it('names payload.id when it is missing', () => {
    const body = seedBody();
    delete body.payload.id;
    expect(issuePaths(body)).toEqual(['payload.id']);
  });

  it('names eventType when it is not an Oration event', () => {
    const result = parseOrationWebhook({ ...seedBody(), eventType: 'conversation.deleted' });
    expect(result).toMatchObject({ ok: false, issues: [{ path: 'eventType' }] });
    if (!result.ok) expect(result.issues[0]!.message).toContain('conversation.analysisCompleted');
  });

  it('names payload.callStartTime when it is not a date', () => {
    const body = seedBody();
    body.payload.callStartTime = 'yesterday at noon';
    expect(issuePaths(body)).toEqual(['payload.callStartTime']);
  });

  it('names nested paths with their array index', () => {
    const body = seedBody();
    body.payload.agents = [{ agentId: 'agent_x' }];
    expect(issuePaths(body)).toEqual(['payload.agents.0.id']);
  });

  it('reports every problem at once and a non-object body at the root', () => {
    expect(issuePaths({ eventType: 'nope', payload: {} }).sort()).toEqual(['eventId', 'eventType', 'payload.id']);
    expect(issuePaths('not json')).toEqual(['(root)']);
  });

  it('accepts a minimal payload with nulls, an empty transcript and unknown extra fields', () => {
    const webhook = parsed({
      eventId: 'evt_2',
      eventType: 'conversation.completed',
      payload: { id: 'conv_2', customer: null, transcript: '', postCallMetadata: null, transfers: [], newField: 1 },
    });
    expect(webhook.payload.id).toBe('conv_2');
  });
});

describe('mapOrationWebhook on the seed payload', () => {
  const command = mapOrationWebhook(parsed(seedBody()));

  it('maps the conversation columns', () => {
    expect(command).toMatchObject({
      externalId: 'conv_1234567890abcdef',
      origin: ORATION_ORIGIN,
      channel: 'VOICE',
      conversationType: 'telephony',
      direction: 'OUTBOUND',
      telephonyStatus: 'completed',
      fromPhoneNumber: '+0987654321',
      toPhoneNumber: '+1234567890',
      phoneId: 'phone_1234567890abcdef',
      externalWorkspaceId: 'ws_1234567890abcdef',
      durationSeconds: 3600,
      status: 'COMPLETED',
      endReason: 'user_hangup',
      endedBy: 'USER',
      sentimentLabel: 'POSITIVE',
      sentimentScore: 1,
      recordingUrl: 'https://uploads.oration.ai/public/conversations/conv_1234567890abcdef/recordings/mono.mp4',
      recordingStatus: 'completed',
      campaignId: 'camp_1234567890abcdef',
      campaignRunId: 'run_1234567890abcdef',
    });
    expect(command.origin).toBe('oration');
    expect(command.startedAt).toEqual(SEED_TIME);
    expect(command.endedAt).toEqual(SEED_TIME);
    expect(command.externalCreatedAt).toEqual(SEED_TIME);
    expect(command.externalUpdatedAt).toEqual(SEED_TIME);
    expect(command.startedAt).toBeInstanceOf(Date);
  });

  it('keeps postCallMetadata whole and parses dynamicVariables', () => {
    expect(command.postCallMetadata).toEqual({ sentiment: 'positive', duration: 3600, resolution: 'completed' });
    expect(command.dynamicVariables).toEqual({ customer_name: 'John Doe', priority: 'high' });
  });

  it('reads a plain "completed" resolution plus a connected transfer as TRANSFERRED', () => {
    expect(command.outcome).toBe('TRANSFERRED');
    expect(command.outcomeReason).toBe('provider resolution: completed');
  });

  it('keeps the top-level fields without a column in metaData', () => {
    expect(command.metaData).toEqual({
      eventId: 'evt_01234567890abcdef',
      eventType: 'conversation.analysisCompleted',
      customerId: 'cust_1234567890abcdef',
      agentId: 'agent_1234567890abcdef',
      userJoinTime: '2023-01-01T12:00:00.000Z',
      userLeaveTime: '2023-01-01T12:00:00.000Z',
      agentJoinTime: '2023-01-01T12:00:00.000Z',
      agentLeaveTime: '2023-01-01T12:00:00.000Z',
      transferStartTime: '2023-01-01T12:00:00.000Z',
      transferEndTime: '2023-01-01T12:00:00.000Z',
      transferUserJoinTime: '2023-01-01T12:00:00.000Z',
      transferUserLeaveTime: '2023-01-01T12:00:00.000Z',
      transferStatus: null,
      transferDestination: null,
    });
  });

  it('maps the customer to a contact with its session', () => {
    expect(command.contacts).toEqual([
      {
        externalId: 'cust_1234567890abcdef',
        name: 'John Doe',
        email: 'john.doe@example.com',
        phoneNumber: '+1234567890',
        identifier: 'john.doe',
        priority: 1,
        doNotDisturb: false,
        source: { method: 'api' },
        sourceFile: null,
        metaData: { custom_field: 'value' },
        externalCreatedAt: SEED_TIME,
        externalUpdatedAt: SEED_TIME,
        sessions: [{ externalId: 'cu_1234567890abcdef', joinedAt: SEED_TIME, leftAt: SEED_TIME }],
      },
    ]);
  });

  it('maps the agent with its usage', () => {
    expect(command.agents).toEqual([
      {
        externalId: 'agent_1234567890abcdef',
        origin: 'oration',
        usages: [{ externalId: 'ca_1234567890abcdef', activatedAt: SEED_TIME, deactivatedAt: SEED_TIME }],
      },
    ]);
  });

  it('maps the transfer', () => {
    expect(command.transfers).toEqual([
      {
        externalId: 'ct_1234567890abcdef',
        agentExternalId: 'agent_1234567890abcdef',
        startedAt: SEED_TIME,
        endedAt: SEED_TIME,
        userJoinedAt: SEED_TIME,
        userLeftAt: SEED_TIME,
        destination: '+15555555555',
        status: 'transfer_connected',
      },
    ]);
  });

  it('splits the transcript into messages', () => {
    expect(command.messages).toEqual([
      {
        sequence: 0,
        senderRole: 'AGENT',
        agentExternalId: 'agent_1234567890abcdef',
        contactExternalId: null,
        content: 'Hello, how can I help you today?',
        type: 'TEXT',
        metaData: { speaker: 'Agent' },
      },
      {
        sequence: 1,
        senderRole: 'USER',
        agentExternalId: null,
        contactExternalId: 'cust_1234567890abcdef',
        content: "I'd like to know about your pricing...",
        type: 'TEXT',
        metaData: { speaker: 'Customer' },
      },
    ]);
  });
});

describe('mapOrationWebhook mapping rules', () => {
  it('names no time zone for the seed (no zone field, Z timestamps); a non-zero offset of callStartTime, else callEndTime, is kept', () => {
    expect(mapped().timeZone).toBeNull();
    expect(mapped({ callStartTime: '2026-05-04T09:30:00-03:00', callEndTime: '2026-05-04T10:30:00-03:00' })).toMatchObject({
      timeZone: '-03:00',
      startedAt: new Date('2026-05-04T12:30:00.000Z'),
    });
    expect(mapped({ callStartTime: null, callEndTime: '2026-05-04T10:30:00+05:30' }).timeZone).toBe('+05:30');
    expect(mapped({ callStartTime: '2026-05-04T09:30:00+00:00', callEndTime: '2026-05-04T10:30:00+00:00' }).timeZone).toBeNull();
  });

  it.each([
    ['user_hangup', 'USER'],
    ['customer_ended_call', 'USER'],
    ['caller_disconnected', 'USER'],
    ['agent_hangup', 'AGENT'],
    ['assistant_ended_call', 'AGENT'],
    ['bot_end_call', 'AGENT'],
    ['timeout', 'SYSTEM'],
    ['system_error', 'SYSTEM'],
    ['silence', 'SYSTEM'],
    ['', null],
    [null, null],
    [undefined, null],
  ])('endReason %j → endedBy %j', (endReason, endedBy) => {
    expect(mapEndedBy(endReason)).toBe(endedBy);
  });

  it('takes endedBy from the payload endReason and keeps the raw reason', () => {
    expect(mapped({ endReason: 'agent_hangup' })).toMatchObject({ endReason: 'agent_hangup', endedBy: 'AGENT' });
    expect(mapped({ endReason: null })).toMatchObject({ endReason: null, endedBy: null });
  });

  it.each([
    ['telephony', 'VOICE'],
    ['chat', 'CHAT'],
    ['webchat', 'CHAT'],
    ['web', 'CHAT'],
    ['whatsapp', 'WHATSAPP'],
    ['sms', 'SMS'],
    ['video', 'VIDEO'],
    ['carrier-pigeon', 'OTHER'],
    [null, 'OTHER'],
  ])('conversationType %j → channel %j', (conversationType, channel) => {
    const command = mapped({ conversationType });
    expect(command.channel).toBe(channel);
    expect(command.conversationType).toBe(conversationType);
  });

  it('maps direction, and leaves it null for an unknown telephonyType', () => {
    expect(mapped({ telephonyType: 'inbound' }).direction).toBe('INBOUND');
    expect(mapped({ telephonyType: 'web' }).direction).toBeNull();
  });

  it('maps status, falling back to the end time', () => {
    expect(mapped({ conversationStatus: 'failed' }).status).toBe('FAILED');
    expect(mapped({ conversationStatus: 'in_progress' }).status).toBe('ONGOING');
    expect(mapped({ conversationStatus: null }).status).toBe('COMPLETED');
    expect(mapped({ conversationStatus: null, callEndTime: null }).status).toBe('ONGOING');
  });

  it.each([
    ['resolved', 'RESOLVED'],
    ['not_resolved', 'NOT_RESOLVED'],
    ['unresolved', 'NOT_RESOLVED'],
    ['escalated', 'ESCALATED'],
    ['abandoned', 'ABANDONED'],
  ])('resolution %j → outcome %j even with a connected transfer', (resolution, outcome) => {
    const command = mapped({ postCallMetadata: { resolution } });
    expect(command.outcome).toBe(outcome);
    expect(command.outcomeReason).toBe(`provider resolution: ${resolution}`);
  });

  it('leaves an unmapped resolution UNKNOWN without a connected transfer, and no resolution null', () => {
    expect(mapped({ transfers: [], postCallMetadata: { resolution: 'completed' } })).toMatchObject({
      outcome: 'UNKNOWN',
      outcomeReason: 'provider resolution: completed',
    });
    expect(mapped({ transfers: [], postCallMetadata: {} })).toMatchObject({ outcome: null, outcomeReason: null });
  });

  it('maps sentiment labels and scores', () => {
    expect(mapped({ postCallMetadata: { sentiment: 'negative' } })).toMatchObject({ sentimentLabel: 'NEGATIVE', sentimentScore: -1 });
    expect(mapped({ postCallMetadata: { sentiment: 'mixed' } })).toMatchObject({ sentimentLabel: 'MIXED', sentimentScore: 0 });
    expect(mapped({ postCallMetadata: null })).toMatchObject({ sentimentLabel: null, sentimentScore: null, durationSeconds: null });
  });

  it('keeps dynamicVariables that are not valid JSON as raw text', () => {
    expect(mapped({ dynamicVariables: '{customer_name: John' }).dynamicVariables).toEqual({ raw: '{customer_name: John' });
    expect(mapped({ dynamicVariables: '[1,2]' }).dynamicVariables).toEqual({ raw: '[1,2]' });
    expect(mapped({ dynamicVariables: { tier: 'gold' } }).dynamicVariables).toEqual({ tier: 'gold' });
    expect(mapped({ dynamicVariables: null }).dynamicVariables).toBeNull();
  });

  it('joins continuation lines to the previous message and makes a leading one SYSTEM', () => {
    const transcript = [
      'Call recorded for quality purposes',
      'Agent: Our plans are:',
      'basic and pro.',
      '',
      'Customer: How much is pro?',
      'System: transfer started',
      'John Doe: Thanks',
      'Supervisor: Hi',
    ].join('\n');
    const messages = mapped({ transcript }).messages!;
    expect(messages.map(({ sequence, senderRole, content, metaData }) => ({ sequence, senderRole, content, metaData }))).toEqual([
      { sequence: 0, senderRole: 'SYSTEM', content: 'Call recorded for quality purposes', metaData: { speaker: null } },
      { sequence: 1, senderRole: 'AGENT', content: 'Our plans are:\nbasic and pro.', metaData: { speaker: 'Agent' } },
      { sequence: 2, senderRole: 'USER', content: 'How much is pro?', metaData: { speaker: 'Customer' } },
      { sequence: 3, senderRole: 'SYSTEM', content: 'transfer started', metaData: { speaker: 'System' } },
      { sequence: 4, senderRole: 'USER', content: 'Thanks', metaData: { speaker: 'John Doe' } },
      { sequence: 5, senderRole: 'USER', content: 'Hi', metaData: { speaker: 'Supervisor' } },
    ]);
    // The customer's own name is the contact; an unknown speaker is not.
    expect(messages[4]!.contactExternalId).toBe('cust_1234567890abcdef');
    expect(messages[5]!.contactExternalId).toBeNull();
  });

  it('has no messages for an empty or missing transcript', () => {
    expect(mapped({ transcript: '' }).messages).toEqual([]);
    expect(mapped({ transcript: undefined }).messages).toEqual([]);
  });

  it('falls back to top-level times when users[], agents[] and transfers[] are empty', () => {
    const command = mapped({
      users: [],
      agents: [],
      transfers: [],
      transferStatus: 'transfer_connected',
      transferDestination: '+15550000000',
      agentJoinTime: '2023-01-01T12:00:05.000Z',
    });
    expect(command.contacts![0]!.sessions).toEqual([{ externalId: null, joinedAt: SEED_TIME, leftAt: SEED_TIME }]);
    expect(command.agents).toEqual([
      {
        externalId: 'agent_1234567890abcdef',
        origin: 'oration',
        usages: [{ externalId: null, activatedAt: new Date('2023-01-01T12:00:05.000Z'), deactivatedAt: SEED_TIME }],
      },
    ]);
    expect(command.transfers).toEqual([
      {
        externalId: null,
        agentExternalId: 'agent_1234567890abcdef',
        startedAt: SEED_TIME,
        endedAt: SEED_TIME,
        userJoinedAt: SEED_TIME,
        userLeftAt: SEED_TIME,
        destination: '+15550000000',
        status: 'transfer_connected',
      },
    ]);
    expect(command.outcome).toBe('TRANSFERRED');
  });

  it('makes a bare contact from customerId when the customer object is null', () => {
    const command = mapped({ customer: null });
    expect(command.contacts).toEqual([
      { externalId: 'cust_1234567890abcdef', sessions: [{ externalId: 'cu_1234567890abcdef', joinedAt: SEED_TIME, leftAt: SEED_TIME }] },
    ]);
    expect(command.messages![1]!.contactExternalId).toBe('cust_1234567890abcdef');
    expect(mapped({ customer: null, customerId: null }).contacts).toEqual([]);
  });

  it('lists every distinct agent once, including transfer agents', () => {
    const usage = (id: string, agentId: string) => ({ id, agentId, agentJoinTime: null, agentLeaveTime: null });
    const command = mapped({
      agents: [usage('ca_1', 'agent_1234567890abcdef'), usage('ca_2', 'agent_second'), usage('ca_3', 'agent_1234567890abcdef')],
      transfers: [{ id: 'ct_1', agentId: 'agent_transfer', transferStatus: 'transfer_failed' }],
    });
    expect(command.agents!.map((agent) => [agent.externalId, agent.usages!.map((u) => u.externalId)])).toEqual([
      ['agent_1234567890abcdef', ['ca_1', 'ca_3']],
      ['agent_second', ['ca_2']],
      ['agent_transfer', []],
    ]);
    expect(command.outcome).toBe('UNKNOWN');
  });

  it('keeps payload fields unknown to the schema in metaData.extraFields', () => {
    expect(mapped({ voicemailDetected: true }).metaData).toMatchObject({ extraFields: { voicemailDetected: true } });
  });
});
