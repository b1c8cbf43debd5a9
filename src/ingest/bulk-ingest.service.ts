import { enqueueAnalysesOfNewConversations } from '../analysis/analysis-queue.js';
import { toDomainError } from '../database/database-errors.js';
import { orderedUuid } from '../database/ordered-uuid.js';
import type { TenantScope } from '../database/tenant-scope.js';
import type { DomainError } from '../errors/domain-error.js';
import { conversationEventData } from '../webhooks/outbound/webhook-events.js';
import { emitWebhookEvents } from '../webhooks/outbound/webhook-outbox.js';
import * as store from './bulk-ingest.store.js';
import type { IngestConversationCommand } from './ingest.command.js';
import {
  actionRows,
  agentFields,
  contactFields,
  conversationFields,
  eventRows,
  sessionRows,
  ticketRows,
  toMessageRows,
  transferRows,
  unknownAgentsError,
  unknownContactsError,
  unlistedAgentRefs,
  unlistedContactRefs,
  usageRows,
  validateActionTurns,
  validateCommand,
  type BulkItemResult,
  type IngestResult,
} from './ingest.service.js';

type ValidEvents = ReturnType<typeof validateCommand>;

/** What the batch transaction did with one command: stored it, refused it, or left it to the per-item path. */
type Outcome = { result: IngestResult } | { error: DomainError } | { deferred: true };

const DEFERRED: Outcome = { deferred: true };
const BATCH_TIMEOUT_MS = 60_000;

const keyOf = (origin: string, externalId: string) => `${origin}\u0000${externalId}`;

/** Where an agent or contact key is first listed by a command that takes the per-item path. */
interface PerItemListings {
  agents: Map<string, number>;
  contacts: Map<string, number>;
}

/**
 * `ingestConversations`: the set-based fast path for new conversations.
 *
 * 1. Every command is validated up front; an invalid one gets its error and is left out.
 * 2. The NEW conversations (external id not stored yet, first occurrence in the batch) are written
 *    in ONE transaction, one statement per table for the whole batch (bulk-ingest.store.ts).
 * 3. Re-ingests of stored conversations, later repeats of an external id within the batch, items
 *    that lost a race for their external id, and — if the batch transaction fails for any reason —
 *    every item of the batch go through the per-item path (`ingestConversation`), in input order,
 *    so their semantics and errors are exactly those of a one-by-one ingest.
 *
 * Each item stays atomic: an item is either entirely in the batch transaction or entirely in its
 * own; the batch only takes items it has checked can't fail on their own (references resolved,
 * action turns present), so one bad item never rolls back the others.
 */
export class BulkIngest {
  constructor(
    private readonly scope: TenantScope,
    private readonly ingestOne: (command: IngestConversationCommand) => Promise<IngestResult>,
  ) {}

  async run(commands: IngestConversationCommand[]): Promise<BulkItemResult[]> {
    const results: Array<BulkItemResult | undefined> = commands.map(() => undefined);
    const valid: number[] = [];
    const events: ValidEvents[] = [];
    commands.forEach((command, index) => {
      try {
        events[index] = validateCommand(command);
        valid.push(index);
      } catch (error) {
        results[index] = failure(command, error);
      }
    });
    if (valid.length === 0) return results as BulkItemResult[];

    const stored = await store.findConversationExternalIds(this.scope, [...new Set(valid.map((index) => commands[index]!.externalId))]);
    const fresh: number[] = [];
    const oneByOne: number[] = [];
    const claimed = new Set<string>();
    for (const index of valid) {
      const command = commands[index]!;
      if (stored.has(command.externalId) || claimed.has(command.externalId) || hasRepeatedEventIds(command)) {
        oneByOne.push(index);
      } else {
        claimed.add(command.externalId);
        fresh.push(index);
      }
    }

    if (fresh.length > 0) {
      const items = fresh.map((index) => ({ index, command: commands[index]!, events: events[index]! }));
      const listings = perItemListings(oneByOne.map((index) => ({ index, command: commands[index]! })));
      let outcomes: Outcome[] | undefined;
      try {
        outcomes = await this.scope.transaction((tx) => writeNewConversations(tx, items, listings), { timeoutMs: BATCH_TIMEOUT_MS });
      } catch {
        outcomes = undefined; // whatever failed, the per-item path reproduces it item by item
      }
      fresh.forEach((index, position) => {
        const outcome = outcomes?.[position] ?? DEFERRED;
        const { externalId } = commands[index]!;
        if ('result' in outcome) results[index] = { externalId, result: outcome.result };
        else if ('error' in outcome) results[index] = { externalId, error: outcome.error };
        else oneByOne.push(index);
      });
    }

    oneByOne.sort((a, b) => a - b);
    for (const index of oneByOne) {
      const command = commands[index]!;
      try {
        results[index] = { externalId: command.externalId, result: await this.ingestOne(command) };
      } catch (error) {
        results[index] = failure(command, error);
      }
    }
    return results as BulkItemResult[];
  }
}

function failure(command: IngestConversationCommand, error: unknown): BulkItemResult {
  const domain = toDomainError(error);
  if (!domain) throw error;
  return { externalId: command.externalId, error: domain };
}

/** Two events with one external id in a conversation violate a unique key: the per-item path reports that. */
function hasRepeatedEventIds(command: IngestConversationCommand): boolean {
  const ids = (command.events ?? []).map((event) => event.externalId).filter((id): id is string => id != null);
  return new Set(ids).size !== ids.length;
}

function perItemListings(items: Array<{ index: number; command: IngestConversationCommand }>): PerItemListings {
  const listings: PerItemListings = { agents: new Map(), contacts: new Map() };
  for (const { index, command } of items) {
    for (const agent of command.agents ?? []) {
      const key = keyOf(agent.origin ?? command.origin, agent.externalId);
      if (!listings.agents.has(key)) listings.agents.set(key, index);
    }
    for (const contact of command.contacts ?? []) {
      const key = keyOf(command.origin, contact.externalId);
      if (!listings.contacts.has(key)) listings.contacts.set(key, index);
    }
  }
  return listings;
}

function uniqueKeys(keys: store.Key[]): store.Key[] {
  return [...new Map(keys.map((key) => [keyOf(key.origin, key.externalId), key])).values()];
}

/** Copies the fields that are present (not undefined): a later mention of an agent or contact completes an earlier one. */
function merge<Row extends object>(row: Row, fields: Record<string, unknown>): Row {
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) (row as Record<string, unknown>)[field] = value;
  return row;
}

/**
 * The batch transaction: new conversations with everything they own, one statement per table.
 * Returns one outcome per item, in order.
 */
async function writeNewConversations(
  scope: TenantScope,
  items: Array<{ index: number; command: IngestConversationCommand; events: ValidEvents }>,
  listings: PerItemListings,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = items.map(() => DEFERRED);
  const refs = items.map(({ command }) => ({ agents: unlistedAgentRefs(command), contacts: unlistedContactRefs(command) }));

  // Agents and contacts referred to without being listed must exist already (or be listed by an earlier item).
  const known = {
    agents: new Map(
      (await store.findAgents(scope, uniqueKeys(items.flatMap(({ command }, k) => refs[k]!.agents.map((externalId) => ({ origin: command.origin, externalId }))))))
        .map((row) => [keyOf(row.origin, row.externalId), row.id]),
    ),
    contacts: new Map(
      (await store.findContacts(scope, uniqueKeys(items.flatMap(({ command }, k) => refs[k]!.contacts.map((externalId) => ({ origin: command.origin, externalId }))))))
        .map((row) => [keyOf(row.origin, row.externalId), row.id]),
    ),
  };

  // Decide, in input order, which items the batch takes — as a one-by-one ingest in this order would.
  const listedInBatch = { agents: new Set<string>(), contacts: new Set<string>() };
  const accepted: number[] = [];
  for (const [k, { index, command }] of items.entries()) {
    let refused: DomainError | undefined;
    let deferred = false;
    for (const kind of ['agents', 'contacts'] as const) {
      const missing = refs[k]![kind].filter((ref) => {
        const key = keyOf(command.origin, ref);
        return !known[kind].has(key) && !listedInBatch[kind].has(key);
      });
      if (missing.length === 0) continue;
      // Listed by an earlier item of the per-item path: that item runs first there, so this one goes there too.
      deferred = missing.some((ref) => (listings[kind].get(keyOf(command.origin, ref)) ?? Infinity) < index);
      if (!deferred) refused = kind === 'agents' ? unknownAgentsError(missing) : unknownContactsError(missing);
      break;
    }
    if (!deferred && !refused) {
      try {
        validateActionTurns(command);
      } catch (error) {
        refused = error as DomainError;
      }
    }
    if (refused) outcomes[k] = { error: refused };
    if (refused || deferred) continue;
    accepted.push(k);
    for (const agent of command.agents ?? []) listedInBatch.agents.add(keyOf(agent.origin ?? command.origin, agent.externalId));
    for (const contact of command.contacts ?? []) listedInBatch.contacts.add(keyOf(command.origin, contact.externalId));
  }
  if (accepted.length === 0) return outcomes;

  // Agents and contacts: each key once, its fields merged in input order (the last value given wins).
  const agentRows = new Map<string, store.AgentUpsertRow>();
  const contactRows = new Map<string, store.ContactUpsertRow>();
  for (const k of accepted) {
    const { command } = items[k]!;
    for (const agent of command.agents ?? []) {
      const origin = agent.origin ?? command.origin;
      const key = keyOf(origin, agent.externalId);
      agentRows.set(key, merge(agentRows.get(key) ?? { id: orderedUuid(), origin, externalId: agent.externalId }, agentFields(agent)));
    }
    for (const contact of command.contacts ?? []) {
      const key = keyOf(command.origin, contact.externalId);
      contactRows.set(key, merge(contactRows.get(key) ?? { id: orderedUuid(), origin: command.origin, externalId: contact.externalId }, contactFields(contact)));
    }
  }
  // New ones inserted (in key order, so concurrent batches insert shared keys in the same order),
  // then only the changed ones updated: an agent or contact the batch doesn't change is never
  // locked, so concurrent batches mentioning the same agents don't wait on each other.
  const byKey = (a: store.Key, b: store.Key) => (keyOf(a.origin, a.externalId) < keyOf(b.origin, b.externalId) ? -1 : 1);
  const agentList = [...agentRows.values()].sort(byKey);
  const contactList = [...contactRows.values()].sort(byKey);
  await store.insertMissingAgents(scope, agentList);
  await store.insertMissingContacts(scope, contactList);
  const agentIdOf = new Map(known.agents);
  for (const row of await store.updateChangedAgents(scope, agentList)) agentIdOf.set(keyOf(row.origin, row.externalId), row.id);
  const contactIdOf = new Map(known.contacts);
  for (const row of await store.updateChangedContacts(scope, contactList)) contactIdOf.set(keyOf(row.origin, row.externalId), row.id);
  // A row neither inserted nor visible (e.g. deleted concurrently): the batch fails, every item goes the per-item path.
  const unresolved = [...agentRows.keys()].filter((key) => !agentIdOf.has(key)).length + [...contactRows.keys()].filter((key) => !contactIdOf.has(key)).length;
  if (unresolved > 0) throw new Error(`bulk ingest: ${unresolved} agent(s)/contact(s) not visible after insert; retrying item by item`);

  // Each command's external id → row id maps, built as the per-item path builds them (listed first, then referenced).
  const plans = accepted.map((k) => {
    const { command } = items[k]!;
    const agentIds = new Map<string, string>();
    for (const agent of command.agents ?? []) agentIds.set(agent.externalId, agentIdOf.get(keyOf(agent.origin ?? command.origin, agent.externalId))!);
    for (const ref of refs[k]!.agents) agentIds.set(ref, agentIdOf.get(keyOf(command.origin, ref))!);
    const contactIds = new Map<string, string>();
    for (const contact of command.contacts ?? []) contactIds.set(contact.externalId, contactIdOf.get(keyOf(command.origin, contact.externalId))!);
    for (const ref of refs[k]!.contacts) contactIds.set(ref, contactIdOf.get(keyOf(command.origin, ref))!);
    const fields = conversationFields(command, agentIds, contactIds, null);
    return { k, command, events: items[k]!.events, agentIds, contactIds, id: orderedUuid(), fields };
  });

  // In external id order too: concurrent batches then wait on each other's new conversations instead of deadlocking.
  const conversationRows = plans
    .map(({ id, command, fields }) => ({ id, externalId: command.externalId, ...fields, analysisStatus: fields.analysisStatus ?? 'NOT_REQUESTED' }))
    .sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
  const inserted = new Set((await store.insertNewConversations(scope, conversationRows)).map((row) => row.id));
  // A conversation missing from RETURNING was created concurrently: its item goes the per-item path (as an update).
  const written = plans.filter((plan) => inserted.has(plan.id));
  if (written.length === 0) return outcomes;

  const { organizationId } = scope;
  const owners = written.map((plan) => ({ ...plan, owner: { organizationId, conversationId: plan.id } }));
  await store.insertMessages(
    scope,
    owners.flatMap(({ command, agentIds, contactIds, id }) => {
      const conversation = { id, channel: command.channel, origin: command.origin };
      return toMessageRows(command.messages ?? [], agentIds, contactIds).map((message) => ({ conversation, message }));
    }),
  );
  await store.insertConversationAgents(scope, owners.flatMap(({ owner, command, agentIds }) => usageRows(owner, command, agentIds)));
  await store.insertConversationParticipants(scope, owners.flatMap(({ owner, command, contactIds }) => sessionRows(owner, command, contactIds)));
  await store.insertAgentActions(scope, owners.flatMap(({ owner, command, agentIds }) => actionRows(owner, command, agentIds)));
  await store.insertTickets(scope, owners.flatMap(({ owner, command }) => ticketRows(owner, command)));
  await store.insertTransfers(scope, owners.flatMap(({ owner, command, agentIds }) => transferRows(owner, command, agentIds)));
  const eventsAndFollowUps = owners.map(({ owner, events, agentIds }) => eventRows(owner, events, agentIds));
  await store.insertEvents(scope, eventsAndFollowUps.flatMap((events) => events.rows));
  await store.insertFollowUps(scope, eventsAndFollowUps.flatMap((events) => events.followUps));

  const rows = new Map((await scope.db.conversation.findMany({ where: { id: { in: written.map((plan) => plan.id) } } })).map((row) => [row.id, row]));
  const conversations = written.map((plan) => rows.get(plan.id)!);
  const completed = conversations.filter((conversation) => conversation.analysisStatus === 'PENDING');
  await enqueueAnalysesOfNewConversations(scope, completed.map((conversation) => conversation.id));
  await emitWebhookEvents(scope, 'conversation.completed', completed.map(conversationEventData));

  written.forEach((plan, position) => {
    outcomes[plan.k] = { result: { conversation: conversations[position]!, created: true } };
  });
  return outcomes;
}
