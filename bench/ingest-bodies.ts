import { generateDemoConversations } from '../src/demo/demo-conversations.js';
import type { IngestConversationCommand } from '../src/ingest/ingest.command.js';
import { DATASET_NOW } from './dataset.js';
import { extendConversation } from './extend-conversation.js';
import { hashInts, Prng } from './prng.js';

export const INGEST_MUTATION = `mutation Ingest($inputs: [IngestConversationInput!]!) {
  ingestConversations(inputs: $inputs) { index externalId created error { code message } }
}`;

/** Replaced in every request body by a unique prefix, so each request creates new conversations. */
export const RUN_PLACEHOLDER = '__RUN__';
export const INGEST_ORIGIN = 'bench-ingest';

export interface IngestBatch {
  commands: IngestConversationCommand[];
  messages: number;
}

/**
 * `batches` batches of `perBatch` demo conversations extended to ≈20 messages, with external ids
 * `${RUN_PLACEHOLDER}-${k}` (agents and contacts keep their stable external ids, so they are
 * upserted, as a real integration does).
 */
export function ingestBatches(seed: number, batches: number, perBatch: number): IngestBatch[] {
  const commands = generateDemoConversations({ count: batches * perBatch, seed, now: DATASET_NOW, origin: INGEST_ORIGIN });
  const result: IngestBatch[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const slice = commands.slice(batch * perBatch, (batch + 1) * perBatch);
    let messages = 0;
    slice.forEach((command, k) => {
      extendConversation(command, new Prng(hashInts(seed, batch, k, 0x1ace)));
      const original = command.externalId;
      command.externalId = `${RUN_PLACEHOLDER}-${k}`;
      for (const list of [command.actions, command.events, command.transfers] as Array<Array<{ externalId?: string | null }> | null | undefined>) {
        for (const item of list ?? []) if (item.externalId) item.externalId = item.externalId.replace(original, command.externalId);
      }
      messages += command.messages?.length ?? 0;
    });
    result.push({ commands: slice, messages });
  }
  return result;
}

/** The request body of a batch, with the placeholder still in it. */
export function ingestBody(batch: IngestBatch): string {
  return JSON.stringify({ query: INGEST_MUTATION, variables: { inputs: batch.commands } });
}
