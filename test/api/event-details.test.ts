import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Auth, type TestServer } from '../support/test-server.js';

/**
 * `Event.details`: the payload typed per event type, with units, read from the stored payload on
 * every read path (the read planner's fast path, its marked path under graphql-js, the resolvers);
 * ingest refuses a value in another unit with BAD_USER_INPUT naming the key, and writes nothing.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const DETAILS = `details {
  __typename
  ... on SalesStageChangeDetails { oldStage newStage }
  ... on FollowUpDetails { followUpTry followUpTime followUpType }
  ... on ObjectionDetails { objectionType competitor }
  ... on SaleMadeDetails { product price currency discount }
  ... on MeetingScheduledDetails { timeScheduled meetingChannel link }
  ... on MeetingDoneDetails { attended durationSeconds transcription video }
  ... on CustomerInformationDetails { value }
}`;

const INGEST = `mutation($input: IngestConversationInput!) { ingestConversation(input: $input) { conversation { id events { id } } } }`;
const RECORD = `mutation($id: UUID!, $events: [EventInput!]!) { recordEvents(conversationId: $id, events: $events) { eventType payload ${DETAILS} } }`;

/** One event of each type, each unit as the catalog states it, plus a custom key. */
const EVENTS = [
  { eventType: 'SALES_STAGE_CHANGE', payload: { OLD_STAGE: 'QUALIFIED', NEW_STAGE: 'PROPOSAL' } },
  { eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TRY: 2, FOLLOWUP_TIME: '2026-05-05T14:00:00-03:00', FOLLOWUP_TYPE: 'CALL' } },
  { eventType: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'COMPETITOR', COMPETITOR: 'Acme' } },
  { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro plan', PRICE: 1299.9, CURRENCY: 'brl', DISCOUNT: 0.15, COUPON: 'WELCOME15' } },
  { eventType: 'MEETING_SCHEDULED', payload: { TIME_SCHEDULED: '2026-05-12', MEETING_CHANNEL: 'ZOOM' } },
  { eventType: 'MEETING_DONE', payload: { ATTENDED: true, DURATION: 1800, VIDEO: null } },
  { eventType: 'CUSTOMER_INFORMATION_DETECTION', eventSubtype: 'AGE', payload: { VALUE: 17 } },
];

const EXPECTED_DETAILS = [
  { __typename: 'SalesStageChangeDetails', oldStage: 'QUALIFIED', newStage: 'PROPOSAL' },
  { __typename: 'FollowUpDetails', followUpTry: 2, followUpTime: '2026-05-05T14:00:00-03:00', followUpType: 'CALL' },
  { __typename: 'ObjectionDetails', objectionType: 'COMPETITOR', competitor: 'Acme' },
  { __typename: 'SaleMadeDetails', product: 'Pro plan', price: 1299.9, currency: 'BRL', discount: 0.15 },
  { __typename: 'MeetingScheduledDetails', timeScheduled: '2026-05-12', meetingChannel: 'ZOOM', link: null },
  { __typename: 'MeetingDoneDetails', attended: true, durationSeconds: 1800, transcription: null, video: null },
  { __typename: 'CustomerInformationDetails', value: 17 },
];

function call(externalId: string, events: unknown[] = []) {
  return {
    externalId,
    channel: 'VOICE',
    startedAt: '2026-05-04T09:30:00-03:00',
    agents: [{ externalId: 'ava', name: 'Ava' }],
    messages: [
      { sequence: 0, senderRole: 'AGENT', agentExternalId: 'ava', content: 'The Pro plan is R$ 1.299,90, and I can take 15% off.' },
      { sequence: 1, senderRole: 'USER', content: 'Deal.' },
    ],
    events,
  };
}

/** `details` of a conversation's events, read four ways; all four must agree. */
async function readAllWays(auth: Auth, conversationId: string) {
  const fast = await server.graphql(`query($id: UUID!) { conversation(id: $id) { events { ${DETAILS} } } }`, { id: conversationId }, auth);
  // `viewer` is not planned: the operation runs through graphql-js, the conversation resolver planning its part (marked objects).
  const marked = await server.graphql(`query($id: UUID!) { viewer { kind } conversation(id: $id) { events { ${DETAILS} } } }`, { id: conversationId }, auth);
  // The root `events` list through the resolvers (DataLoader rows), beside `viewer`.
  const resolvers = await server.graphql(`query($id: UUID) { viewer { kind } events(filter: { conversationId: $id }, first: 50) { edges { node { ${DETAILS} } } } }`, { id: conversationId }, auth);
  const plannedRoot = await server.graphql(`query($id: UUID) { events(filter: { conversationId: $id }, first: 50) { edges { node { ${DETAILS} } } } }`, { id: conversationId }, auth);
  for (const result of [fast, marked, resolvers, plannedRoot]) expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  const answers = [
    fast.data!.conversation.events.map((event: any) => event.details),
    marked.data!.conversation.events.map((event: any) => event.details),
    resolvers.data!.events.edges.map((edge: any) => edge.node.details),
    plannedRoot.data!.events.edges.map((edge: any) => edge.node.details),
  ];
  for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  return answers[0];
}

describe('Event.details', () => {
  it('reads each event type typed, in its units, on every read path; custom keys stay in payload', async () => {
    const tenant = await server.createTenant();
    const ingested = await server.graphql(INGEST, { input: call('details-1', EVENTS) }, tenant.auth);
    expect(ingested.errors, JSON.stringify(ingested.errors)).toBeUndefined();
    const id = ingested.data!.ingestConversation.conversation.id;
    expect(await readAllWays(tenant.auth, id)).toEqual(EXPECTED_DETAILS);

    const events = await server.graphql(`query($id: UUID) { events(filter: { conversationId: $id, eventTypes: [SALE_MADE, MEETING_DONE] }) { edges { node { payload } } } }`, { id }, tenant.auth);
    expect(events.data!.events.edges.map((edge: any) => edge.node.payload)).toEqual([
      // The custom key is in payload only; CURRENCY stored as its ISO 4217 code.
      { PRODUCT: 'Pro plan', PRICE: 1299.9, CURRENCY: 'BRL', DISCOUNT: 0.15, COUPON: 'WELCOME15' },
      // A key sent as null is absent, never null.
      { ATTENDED: true, DURATION: 1800 },
    ]);

    // recordEvents answers with the same details (rows, through the resolvers).
    const recorded = await server.graphql(RECORD, { id, events: EVENTS }, tenant.auth);
    expect(recorded.errors, JSON.stringify(recorded.errors)).toBeUndefined();
    expect(recorded.data!.recordEvents.map((event: any) => event.details)).toEqual(EXPECTED_DETAILS);
  });

  it('only the fields a fragment asks for, under aliases; __typename alone', async () => {
    const tenant = await server.createTenant();
    const ingested = await server.graphql(INGEST, { input: call('details-2', EVENTS) }, tenant.auth);
    const id = ingested.data!.ingestConversation.conversation.id;
    const query = `query($id: UUID!) { conversation(id: $id) { events { eventType kind: details { __typename } sale: details { ... on SaleMadeDetails { listPrice: price currency } } } } }`;
    const fast = await server.graphql(query, { id }, tenant.auth);
    const marked = await server.graphql(query.replace('conversation(id: $id)', 'viewer { kind } conversation(id: $id)'), { id }, tenant.auth);
    expect(fast.errors).toBeUndefined();
    expect(marked.data!.conversation).toEqual(fast.data!.conversation);
    const sale = fast.data!.conversation.events.find((event: any) => event.eventType === 'SALE_MADE');
    expect(sale).toEqual({ eventType: 'SALE_MADE', kind: { __typename: 'SaleMadeDetails' }, sale: { listPrice: 1299.9, currency: 'BRL' } });
    const meeting = fast.data!.conversation.events.find((event: any) => event.eventType === 'MEETING_DONE');
    expect(meeting).toEqual({ eventType: 'MEETING_DONE', kind: { __typename: 'MeetingDoneDetails' }, sale: {} });
  });

  it('a stored value not in the unit (written before units were checked) is null in details and kept in payload', async () => {
    const tenant = await server.createTenant();
    const ingested = await server.graphql(INGEST, { input: call('details-3') }, tenant.auth);
    const id = ingested.data!.ingestConversation.conversation.id;
    const scope = server.app.database.forOrganization(tenant.organizationId);
    const legacy = [
      { eventType: 'SALE_MADE' as const, payload: { PRODUCT: 'Old plan', PRICE: '99', CURRENCY: 'USD', DISCOUNT: 15 } },
      { eventType: 'FOLLOWUP_DETECTION' as const, payload: { FOLLOWUP_TRY: 1.5, FOLLOWUP_TIME: '2026-05-05T14:00:00Z', FOLLOWUP_TYPE: 'CALL' } },
      { eventType: 'MEETING_DONE' as const, payload: { ATTENDED: 'yes', DURATION: -60 } },
      { eventType: 'CUSTOMER_INFORMATION_DETECTION' as const, payload: { VALUE: { nested: true } } },
      { eventType: 'OBJECTION_DETECTION' as const, payload: ['not', 'an', 'object'] },
    ];
    for (const [index, event] of legacy.entries()) {
      await scope.db.event.create({
        data: { organizationId: tenant.organizationId, conversationId: id, eventType: event.eventType, payload: event.payload, source: 'INGESTED', createdAt: new Date(Date.UTC(2026, 4, 4, 12, index)) },
      });
    }
    expect(await readAllWays(tenant.auth, id)).toEqual([
      { __typename: 'SaleMadeDetails', product: 'Old plan', price: null, currency: 'USD', discount: null },
      { __typename: 'FollowUpDetails', followUpTry: null, followUpTime: '2026-05-05T14:00:00Z', followUpType: 'CALL' },
      { __typename: 'MeetingDoneDetails', attended: null, durationSeconds: null, transcription: null, video: null },
      { __typename: 'CustomerInformationDetails', value: null },
      { __typename: 'ObjectionDetails', objectionType: null, competitor: null },
    ]);
  });

  it("another organization's event details cannot be read", async () => {
    const owner = await server.createTenant();
    const other = await server.createTenant();
    const ingested = await server.graphql(INGEST, { input: call('shared-external-id', EVENTS) }, owner.auth);
    const id = ingested.data!.ingestConversation.conversation.id;
    const eventIds: string[] = ingested.data!.ingestConversation.conversation.events.map((event: any) => event.id);
    await server.graphql(INGEST, { input: call('shared-external-id', [{ eventType: 'OBJECTION_DETECTION', payload: { OBJECTION_TYPE: 'TIMING' } }]) }, other.auth);

    const direct = await server.graphql(`query($id: UUID!) { conversation(id: $id) { events { ${DETAILS} } } }`, { id }, other.auth);
    expect(direct.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(direct.data?.conversation ?? null).toBeNull();
    for (const withViewer of [false, true]) {
      const listed = await server.graphql(
        `query($id: UUID) { ${withViewer ? 'viewer { kind }' : ''} events(filter: { conversationId: $id }, first: 10) { totalCount edges { node { id ${DETAILS} } } } all: events(first: 10) { edges { node { id ${DETAILS} } } } followUps(first: 10) { edges { node { event { id ${DETAILS} } } } } }`,
        { id },
        other.auth,
      );
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.events).toEqual({ totalCount: 0, edges: [] });
      // Only its own objection: nothing of the owner's sale, follow-up or ids.
      expect(listed.data!.all.edges.map((edge: any) => edge.node.details)).toEqual([{ __typename: 'ObjectionDetails', objectionType: 'TIMING', competitor: null }]);
      expect(listed.data!.followUps.edges).toEqual([]);
      const text = JSON.stringify(listed.data);
      for (const secret of [id, ...eventIds, 'Pro plan', 'Acme']) expect(text).not.toContain(secret);
    }
    // The same reads as the owner do find them (the check is not vacuous).
    const own = await server.graphql(`query($id: UUID) { events(filter: { conversationId: $id }) { totalCount } }`, { id }, owner.auth);
    expect(own.data!.events.totalCount).toBe(EVENTS.length);
  });
});

describe('ingest validates the units details states', () => {
  /** [event, the field refused]: each a value in the wrong unit. */
  const VIOLATIONS: Array<[string, Record<string, unknown>, string]> = [
    ['DISCOUNT as a percentage', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 100, CURRENCY: 'USD', DISCOUNT: 15 } }, 'payload.DISCOUNT'],
    ['DISCOUNT as "15%"', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 100, CURRENCY: 'USD', DISCOUNT: '15%' } }, 'payload.DISCOUNT'],
    ['negative DISCOUNT', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 100, CURRENCY: 'USD', DISCOUNT: -0.1 } }, 'payload.DISCOUNT'],
    ['negative PRICE', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: -100, CURRENCY: 'USD' } }, 'payload.PRICE'],
    ['PRICE as text', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 'R$ 100', CURRENCY: 'BRL' } }, 'payload.PRICE'],
    ['PRICE without CURRENCY', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 100 } }, 'payload.CURRENCY'],
    ['CURRENCY not ISO 4217', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 100, CURRENCY: 'REAIS' } }, 'payload.CURRENCY'],
    ['CURRENCY of 3 letters but no code', { eventType: 'SALE_MADE', payload: { PRODUCT: 'Pro', PRICE: 100, CURRENCY: 'ABC' } }, 'payload.CURRENCY'],
    ['DURATION in words', { eventType: 'MEETING_DONE', payload: { ATTENDED: true, DURATION: '30 min' } }, 'payload.DURATION'],
    ['negative DURATION', { eventType: 'MEETING_DONE', payload: { ATTENDED: true, DURATION: -1800 } }, 'payload.DURATION'],
    ['FOLLOWUP_TIME without offset', { eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TIME: '2026-05-05T14:00:00', FOLLOWUP_TYPE: 'CALL' } }, 'payload.FOLLOWUP_TIME'],
    ['TIME_SCHEDULED not ISO 8601', { eventType: 'MEETING_SCHEDULED', payload: { TIME_SCHEDULED: 'next Tuesday 2pm', MEETING_CHANNEL: 'ZOOM' } }, 'payload.TIME_SCHEDULED'],
    ['FOLLOWUP_TRY not a count', { eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TRY: 1.5, FOLLOWUP_TIME: '2026-05-05', FOLLOWUP_TYPE: 'CALL' } }, 'payload.FOLLOWUP_TRY'],
  ];

  it.each(VIOLATIONS)('%s: refused by recordEvents, ingestConversation and ingestConversations, nothing written', async (_name, event, field) => {
    const tenant = await server.createTenant();
    const started = await server.graphql(INGEST, { input: call('units-1') }, tenant.auth);
    const id = started.data!.ingestConversation.conversation.id;
    const good = EVENTS[2]!;

    // recordEvents: the second event is the bad one; the first is not written either.
    const recorded = await server.graphql(RECORD, { id, events: [good, event] }, tenant.auth);
    expect(recorded.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `events[1].${field}` });
    expect(recorded.errors?.[0]?.message).toContain(`events[1].${field} `);
    expect(recorded.data?.recordEvents ?? null).toBeNull();

    const single = await server.graphql(INGEST, { input: call('units-2', [good, event]) }, tenant.auth);
    expect(single.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `events[1].${field}` });

    // An update of a stored conversation is refused too, keeping what it had.
    const update = await server.graphql(INGEST, { input: call('units-1', [event]) }, tenant.auth);
    expect(update.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: `events[0].${field}` });

    const bulk = await server.graphql(
      'mutation($inputs: [IngestConversationInput!]!) { ingestConversations(inputs: $inputs) { externalId error { code field message } } }',
      { inputs: [call('units-3'), call('units-4', [event])] },
      tenant.auth,
    );
    expect(bulk.errors).toBeUndefined();
    expect(bulk.data!.ingestConversations[0]).toEqual({ externalId: 'units-3', error: null });
    expect(bulk.data!.ingestConversations[1].error).toMatchObject({ code: 'BAD_USER_INPUT', field: `events[0].${field}` });

    const counts = await server.graphql('{ events { totalCount } conversations { edges { node { externalId } } } }', {}, tenant.auth);
    expect(counts.data!.events.totalCount).toBe(0);
    expect(counts.data!.conversations.edges.map((edge: any) => edge.node.externalId).sort()).toEqual(['units-1', 'units-3']);
  });

  it('accepts each unit at its bounds: DISCOUNT 0 and 1, PRICE 0, DURATION 0, Z and date-only times', async () => {
    const tenant = await server.createTenant();
    const started = await server.graphql(INGEST, { input: call('bounds-1') }, tenant.auth);
    const id = started.data!.ingestConversation.conversation.id;
    const recorded = await server.graphql(
      RECORD,
      {
        id,
        events: [
          { eventType: 'SALE_MADE', payload: { PRODUCT: 'Free', PRICE: 0, CURRENCY: 'EUR', DISCOUNT: 0 } },
          { eventType: 'SALE_MADE', payload: { PRODUCT: 'Gift', PRICE: 50, CURRENCY: 'GBP', DISCOUNT: 1 } },
          { eventType: 'MEETING_DONE', payload: { ATTENDED: false, DURATION: 0 } },
          { eventType: 'FOLLOWUP_DETECTION', payload: { FOLLOWUP_TIME: '2026-05-05T17:00:00Z', FOLLOWUP_TYPE: 'EMAIL' } },
        ],
      },
      tenant.auth,
    );
    expect(recorded.errors, JSON.stringify(recorded.errors)).toBeUndefined();
    expect(recorded.data!.recordEvents.map((event: any) => event.details)).toEqual([
      { __typename: 'SaleMadeDetails', product: 'Free', price: 0, currency: 'EUR', discount: 0 },
      { __typename: 'SaleMadeDetails', product: 'Gift', price: 50, currency: 'GBP', discount: 1 },
      { __typename: 'MeetingDoneDetails', attended: false, durationSeconds: 0, transcription: null, video: null },
      { __typename: 'FollowUpDetails', followUpTry: null, followUpTime: '2026-05-05T17:00:00Z', followUpType: 'EMAIL' },
    ]);
  });
});
