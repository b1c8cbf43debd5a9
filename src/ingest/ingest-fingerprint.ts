import { createHash } from 'node:crypto';
import type { IngestConversationCommand } from './ingest.command.js';

/**
 * What an ingest sent, reduced to sha256 fingerprints of its canonical form, stored per
 * conversation (`conversations.ingest_fingerprint`) so that the next ingest of the same external
 * id can tell what changed:
 *
 * - `command`: the whole command. Equal → the item is UNCHANGED and nothing is written.
 * - `messages`: the turns. Changed on a completed conversation → its analysis is queued again.
 * - `owned`: agents (with usages), contacts (with sessions), actions, tickets, transfers and
 *   ingested events. Unchanged → those rows are left as stored (same ids), not rewritten.
 * - `fields`: one per conversation column the writer sets. Only the columns whose fingerprint
 *   changed are written, so a value our analysis put in a column the payload did not change stays.
 *
 * Canonical form: object keys sorted, `null` and `undefined` members left out (an absent field and
 * a null one write the same), dates as ISO 8601 UTC, arrays in their order.
 */
export interface IngestFingerprint {
  command: string;
  messages: string;
  owned: string;
  fields: Record<string, string>;
}

/** A JSON text that is the same for every spelling of the same value (see above). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? 'null';
}

function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => canonical(item) ?? null);
  if (typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = canonical((value as Record<string, unknown>)[key]);
      if (member !== undefined) sorted[key] = member;
    }
    return sorted;
  }
  return value;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The fingerprint of a whole command: equal to the stored `command` part → nothing to write. */
export const commandFingerprint = (command: IngestConversationCommand) => sha256(canonicalJson(command));

/** The fingerprint of a command, with `fields` the conversation columns it writes (column name → value). */
export function fingerprintOf(command: IngestConversationCommand, fields: Record<string, unknown>): IngestFingerprint {
  const { messages, agents, contacts, actions, tickets, transfers, events } = command;
  return {
    command: commandFingerprint(command),
    messages: sha256(canonicalJson(messages ?? [])),
    owned: sha256(canonicalJson({ agents, contacts, actions, tickets, transfers, events })),
    // A column's fingerprint only has to tell its own values apart: 16 hex digits keep the row small.
    fields: Object.fromEntries(Object.entries(fields).map(([column, value]) => [column, sha256(canonicalJson(value)).slice(0, 16)])),
  };
}

/** The parts of `next` that differ from what the conversation last received (everything when `previous` is unknown). */
export function changesSince(previous: IngestFingerprint | null, next: IngestFingerprint) {
  return {
    unchanged: previous?.command === next.command,
    messages: previous?.messages !== next.messages,
    owned: previous?.owned !== next.owned,
    fields: Object.keys(next.fields).filter((column) => previous?.fields?.[column] !== next.fields[column]),
  };
}

/** A stored `ingest_fingerprint` value, or null when it is missing or not one. */
export function asFingerprint(value: unknown): IngestFingerprint | null {
  if (!value || typeof value !== 'object') return null;
  const candidate = value as Partial<IngestFingerprint>;
  return typeof candidate.command === 'string' && typeof candidate.messages === 'string' && typeof candidate.owned === 'string' && candidate.fields && typeof candidate.fields === 'object'
    ? (candidate as IngestFingerprint)
    : null;
}
