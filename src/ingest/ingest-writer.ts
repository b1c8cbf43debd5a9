import { enqueueAnalysesOfNewConversations, enqueueAnalysis } from '../analysis/analysis-queue.js';
import { toDomainError } from '../database/database-errors.js';
import { orderedUuid } from '../database/ordered-uuid.js';
import type { TenantScope } from '../database/tenant-scope.js';
import type { DomainError } from '../errors/domain-error.js';
import { conversationEventData } from '../webhooks/outbound/webhook-events.js';
import { emitWebhookEvents } from '../webhooks/outbound/webhook-outbox.js';
import { asFingerprint, changesSince, commandFingerprint, fingerprintOf } from './ingest-fingerprint.js';
import * as store from './ingest-writer.store.js';
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
} from './ingest-rows.js';
import type { BulkItemResult, IngestResult, IngestStatus } from './ingest.service.js';

type ValidEvents = ReturnType<typeof validateCommand>;

/** What a batch transaction did with one command: stored it, refused it, or left it to a later batch of one. */
type Outcome = { result: IngestResult } | { error: DomainError } | { deferred: true };

const DEFERRED: Outcome = { deferred: true };
const BATCH_TIMEOUT_MS = 60_000;

const keyOf = (origin: string, externalId: string) => `${origin}\u0000${externalId}`;

/** Where an agent or contact key is first listed by a command that waits for a batch of its own. */
interface LaterListings {
  agents: Map<string, number>;
  contacts: Map<string, number>;
}

interface BatchItem {
  index: number;
  command: IngestConversationCommand;
  events: ValidEvents;
  /** The Oration delivery the command came in (its `eventId`), remembered per organization. */
  eventId?: string;
}

/**
 * The one ingest write path: `ingestConversation` is a batch of one, `ingestConversations` a
 * batch of up to 100, the Oration webhook a batch of one.
 *
 * 1. Every command is validated up front; an invalid one gets its error and is left out.
 * 2. The first occurrence of each external id — new or already stored — is written in ONE
 *    transaction, one statement per table for the whole batch (ingest-writer.store.ts).
 * 3. Later repeats of an external id within the call, items that lost a race for their external
 *    id, and — if the batch transaction fails for any reason — every item of the batch are written
 *    again as batches of one, in input order, so each gets exactly the answer it would alone.
 *
 * Each item stays atomic: the batch only takes items it has checked can't fail on their own
 * (references resolved, action turns present), so one bad item never rolls back the others.
 *
 * Idempotent: a command equal to what its conversation last received (ingest-fingerprint.ts), or a
 * delivery whose `eventId` was seen before, is UNCHANGED — nothing is written, queued or emitted. A
 * changed one writes only what changed (columns, turns, owned rows), and queues the analysis of a
 * completed conversation again only when its turns changed.
 */
export class IngestWriter {
  constructor(private readonly scope: TenantScope) {}

  /** `eventIds[i]`, when given, is the delivery command `i` came in (a delivery seen before is UNCHANGED). */
  async run(commands: IngestConversationCommand[], eventIds: Array<string | undefined> = []): Promise<BulkItemResult[]> {
    const results: Array<BulkItemResult | undefined> = commands.map(() => undefined);
    const batch: BatchItem[] = [];
    const later: number[] = [];
    const claimed = new Set<string>();
    commands.forEach((command, index) => {
      try {
        const events = validateCommand(command);
        if (claimed.has(command.externalId)) later.push(index);
        else {
          claimed.add(command.externalId);
          batch.push({ index, command, events, eventId: eventIds[index] });
        }
      } catch (error) {
        results[index] = failure(command, error);
      }
    });

    if (batch.length > 0) {
      const listings = laterListings(later.map((index) => ({ index, command: commands[index]! })));
      let outcomes: Outcome[] | undefined;
      try {
        outcomes = await this.scope.transaction((tx) => writeBatch(tx, batch, listings), { timeoutMs: BATCH_TIMEOUT_MS });
      } catch (error) {
        if (batch.length === 1) outcomes = [{ error: asDomainError(error) }];
        // Otherwise: whatever failed, batches of one reproduce it item by item.
      }
      batch.forEach(({ index, command }, position) => {
        const outcome = outcomes?.[position] ?? DEFERRED;
        if ('result' in outcome) results[index] = { externalId: command.externalId, result: outcome.result };
        else if ('error' in outcome) results[index] = { externalId: command.externalId, error: outcome.error };
        else later.push(index);
      });
    }

    later.sort((a, b) => a - b);
    for (const index of later) results[index] = await this.runAlone(commands[index]!, eventIds[index]);
    return results as BulkItemResult[];
  }

  /** One command in a transaction of its own; a lost race for its external id is retried once (as an update). */
  private async runAlone(command: IngestConversationCommand, eventId: string | undefined): Promise<BulkItemResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        const events = validateCommand(command);
        const [outcome] = await this.scope.transaction((tx) => writeBatch(tx, [{ index: 0, command, events, eventId }], emptyListings()), {
          timeoutMs: BATCH_TIMEOUT_MS,
        });
        if ('result' in outcome!) return { externalId: command.externalId, result: outcome.result };
        if ('error' in outcome!) return { externalId: command.externalId, error: outcome.error };
        if (attempt > 0) throw new Error(`ingest: conversation ${command.externalId} neither inserted nor found`);
      } catch (error) {
        return failure(command, error);
      }
    }
  }
}

function failure(command: IngestConversationCommand, error: unknown): BulkItemResult {
  return { externalId: command.externalId, error: asDomainError(error) };
}

function asDomainError(error: unknown): DomainError {
  const domain = toDomainError(error);
  if (!domain) throw error;
  return domain;
}

const emptyListings = (): LaterListings => ({ agents: new Map(), contacts: new Map() });

function laterListings(items: Array<{ index: number; command: IngestConversationCommand }>): LaterListings {
  const listings = emptyListings();
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
 * One batch transaction: conversations (new or stored, each external id once) with everything
 * they own, one statement per table. Returns one outcome per item, in order.
 */
async function writeBatch(scope: TenantScope, items: BatchItem[], listings: LaterListings): Promise<Outcome[]> {
  // Stored conversations of the batch, locked (in external id order) until the batch commits.
  const stored = new Map((await store.lockConversations(scope, items.map(({ command }) => command.externalId))).map((row) => [row.externalId, row]));
  // Read under those locks: a concurrent delivery of the same event has committed by now.
  const seen = new Map((await store.findDeliveries(scope, items.flatMap(({ eventId }) => (eventId ? [eventId] : [])))).map((row) => [row.eventId, row.conversationId]));

  // A delivery seen before, or the same command again: nothing to write.
  const unchanged = new Map<number, string>();
  const changed: number[] = [];
  items.forEach(({ command, eventId }, k) => {
    const existing = stored.get(command.externalId);
    const sameDelivery = eventId ? seen.get(eventId) : undefined;
    if (sameDelivery) unchanged.set(k, sameDelivery);
    else if (existing && asFingerprint(existing.fingerprint)?.command === commandFingerprint(command)) unchanged.set(k, existing.id);
    else changed.push(k);
  });

  const outcomes: Outcome[] = items.map(() => DEFERRED);
  const written = changed.length > 0 ? await writeChanged(scope, changed.map((k) => items[k]!), stored, listings) : [];
  written.forEach((outcome, position) => (outcomes[changed[position]!] = outcome));
  if (unchanged.size > 0) {
    const rows = new Map((await scope.db.conversation.findMany({ where: { id: { in: [...new Set(unchanged.values())] } } })).map((row) => [row.id, row]));
    for (const [k, id] of unchanged) outcomes[k] = { result: { conversation: rows.get(id)!, created: false, status: 'UNCHANGED' } };
  }
  await store.recordDeliveries(
    scope,
    items.flatMap(({ eventId }, k) => {
      const outcome = outcomes[k]!;
      return eventId && !seen.has(eventId) && 'result' in outcome ? [{ eventId, conversationId: outcome.result.conversation.id }] : [];
    }),
  );
  return outcomes;
}

/** The items of a batch that change something (`stored`: the batch's stored conversations, locked). */
async function writeChanged(scope: TenantScope, items: BatchItem[], stored: Map<string, store.StoredConversation>, listings: LaterListings): Promise<Outcome[]> {
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
      // Listed by an earlier item that waits for a batch of its own: this one waits too, after it.
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
  // A row neither inserted nor visible (e.g. deleted concurrently): the batch fails, every item goes alone.
  const unresolved = [...agentRows.keys()].filter((key) => !agentIdOf.has(key)).length + [...contactRows.keys()].filter((key) => !contactIdOf.has(key)).length;
  if (unresolved > 0) throw new Error(`ingest: ${unresolved} agent(s)/contact(s) not visible after insert; retrying item by item`);

  // Each command's external id → row id maps (listed first, then referenced).
  const plans = accepted.map((k) => {
    const { command } = items[k]!;
    const agentIds = new Map<string, string>();
    for (const agent of command.agents ?? []) agentIds.set(agent.externalId, agentIdOf.get(keyOf(agent.origin ?? command.origin, agent.externalId))!);
    for (const ref of refs[k]!.agents) agentIds.set(ref, agentIdOf.get(keyOf(command.origin, ref))!);
    const contactIds = new Map<string, string>();
    for (const contact of command.contacts ?? []) contactIds.set(contact.externalId, contactIdOf.get(keyOf(command.origin, contact.externalId))!);
    for (const ref of refs[k]!.contacts) contactIds.set(ref, contactIdOf.get(keyOf(command.origin, ref))!);
    const existing = stored.get(command.externalId) ?? null;
    const { analysisStatus: completedNow, ...fields } = conversationFields(command, agentIds, contactIds, existing);
    const fingerprint = fingerprintOf(command, store.payloadColumnValues(fields));
    const changes = changesSince(asFingerprint(existing?.fingerprint), fingerprint);
    // Queued for analysis: newly completed, or completed before and its turns changed.
    const requeued = existing?.status === 'COMPLETED' && fields.status === 'COMPLETED' && changes.messages;
    const analysisStatus: 'PENDING' | undefined = completedNow ?? (requeued ? 'PENDING' : undefined);
    // What a stored conversation owns is rewritten when it changed (actions point at turns: those too).
    const rewritesOwned = !existing || changes.owned || changes.messages;
    return { k, command, events: items[k]!.events, agentIds, contactIds, id: existing?.id ?? orderedUuid(), existing, fields, fingerprint, changes, analysisStatus, completedNow, rewritesOwned };
  });

  // New conversations in external id order too: concurrent batches then wait on each other's instead of deadlocking.
  const fresh = plans.filter((plan) => !plan.existing);
  const updates = plans.filter((plan) => plan.existing);
  const conversationRow = ({ id, command, fields, fingerprint }: (typeof plans)[number]) => ({ id, externalId: command.externalId, ...fields, fingerprint });
  const inserted = new Set(
    (
      await store.insertNewConversations(
        scope,
        fresh.map((plan) => ({ ...conversationRow(plan), analysisStatus: plan.analysisStatus ?? 'NOT_REQUESTED' })).sort((a, b) => (a.externalId < b.externalId ? -1 : 1)),
      )
    ).map((row) => row.id),
  );
  await store.updateConversations(scope, updates.map((plan) => ({ ...conversationRow(plan), analysisStatus: plan.analysisStatus ?? null, changed: plan.changes.fields })));
  // A conversation missing from RETURNING was created concurrently: its item goes alone (as an update).
  const written = plans.filter((plan) => plan.existing || inserted.has(plan.id));
  if (written.length === 0) return outcomes;

  // What a stored conversation owns with no natural key of its own is replaced wholesale, when it changed.
  const { organizationId } = scope;
  const owners = written.filter((plan) => plan.rewritesOwned).map((plan) => ({ ...plan, owner: { organizationId, conversationId: plan.id } }));
  await store.deleteReplaceableChildren(scope, owners.filter((plan) => plan.existing).map((plan) => plan.id));

  // Turns: a stored conversation's are written only when they changed (an unchanged one keeps
  // its rows, and the per-turn sentiment our analysis wrote), each sequence upserted in place.
  // A turn without a channel of its own has the conversation's: a new one is written to its turns too.
  const retold = written.filter((plan) => !plan.existing || plan.changes.messages || plan.changes.fields.some((column) => column === 'channel' || column === 'origin'));
  const messages = retold.flatMap(({ command, agentIds, contactIds, id }) => {
    const conversation = { id, channel: command.channel, origin: command.origin };
    return toMessageRows(command.messages ?? [], agentIds, contactIds).map((message) => ({ conversation, message }));
  });
  const replaced = new Set(retold.filter((plan) => plan.existing).map((plan) => plan.id));
  await store.writeMessages(scope, messages, { replace: replaced.size > 0 });
  await store.deleteMessagesNotIn(scope, [...replaced], messages.filter((row) => replaced.has(row.conversation.id)));
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
  // Queued for analysis (a new conversation has no job to deduplicate against); newly completed ones are announced.
  const queued = written.filter((plan) => plan.analysisStatus === 'PENDING');
  await enqueueAnalysesOfNewConversations(scope, queued.filter((plan) => !plan.existing).map((plan) => plan.id));
  for (const plan of queued.filter((plan) => plan.existing)) await enqueueAnalysis(scope, plan.id);
  await emitWebhookEvents(scope, 'conversation.completed', written.filter((plan) => plan.completedNow).map((plan) => conversationEventData(rows.get(plan.id)!)));

  written.forEach((plan, position) => {
    const status: IngestStatus = plan.existing ? 'UPDATED' : 'CREATED';
    outcomes[plan.k] = { result: { conversation: conversations[position]!, created: !plan.existing, status } };
  });
  return outcomes;
}
