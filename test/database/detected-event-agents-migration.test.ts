import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/database/migrator.js';
import { migrationsBefore, withEmptyDatabase } from '../support/migration-fixture.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';

const BACKFILL = '20261202163747_detected_event_agents';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'alma-backfill-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The migrations before the backfill, as a directory of their own. */
const migrationsBeforeBackfill = () => migrationsBefore(BACKFILL, path.join(scratch, 'before'));

const ORG = '00000000-0000-4000-8000-000000000001';
const LEO = '00000000-0000-4000-8000-0000000000a1';
const ANA = '00000000-0000-4000-8000-0000000000a2';
const CALL = '00000000-0000-4000-8000-0000000000c1';
const NO_USAGE_CALL = '00000000-0000-4000-8000-0000000000c2';
const event = (n: number) => `00000000-0000-4000-8000-0000000000e${n}`;

describe(`backfill of detected events' agents on ${testDatabaseKind}`, () => {
  it('attributes detected events (and their follow-ups) written before: the speaker in range, else the primary agent; ingested rows untouched', async () => {
    await withEmptyDatabase(async (session) => {
      await applyMigrations(session, silentLogger, await migrationsBeforeBackfill());
      await session.exec(`
        INSERT INTO organizations (uuid, name) VALUES ('${ORG}', 'Backfill');
        INSERT INTO agents (alma_internal_organization, uuid, origin, name) VALUES ('${ORG}', '${LEO}', 'test', 'Leo'), ('${ORG}', '${ANA}', 'test', 'Ana');
        INSERT INTO conversations (alma_internal_organization, uuid, channel, origin, agents) VALUES
          ('${ORG}', '${CALL}', 'VOICE', 'test', ARRAY['${LEO}'::uuid, '${ANA}'::uuid]),
          ('${ORG}', '${NO_USAGE_CALL}', 'VOICE', 'test', ARRAY['${ANA}'::uuid]);
        INSERT INTO conversation_agents (alma_internal_organization, uuid, conversation_uuid, agent_uuid, activation_timestamp) VALUES
          ('${ORG}', gen_random_uuid(), '${CALL}', '${LEO}', '2026-05-04T10:00:00Z'),
          ('${ORG}', gen_random_uuid(), '${CALL}', '${ANA}', '2026-05-04T10:05:00Z');
        INSERT INTO messages (alma_internal_organization, uuid, conversation_uuid, sender_uuid, sender_role, turn_sequence_number, content, channel, origin) VALUES
          ('${ORG}', gen_random_uuid(), '${CALL}', '${LEO}', 'AGENT', 0, 'hi', 'VOICE', 'test'),
          ('${ORG}', gen_random_uuid(), '${CALL}', NULL, 'USER', 1, 'hello', 'VOICE', 'test'),
          ('${ORG}', gen_random_uuid(), '${CALL}', '${ANA}', 'AGENT', 2, 'transferred', 'VOICE', 'test'),
          ('${ORG}', gen_random_uuid(), '${CALL}', NULL, 'USER', 3, 'ok', 'VOICE', 'test'),
          ('${ORG}', gen_random_uuid(), '${CALL}', '${ANA}', 'AGENT', 4, 'tomorrow then', 'VOICE', 'test');
        INSERT INTO events (alma_internal_organization, uuid, conversation_uuid, event_type, source, context_start_index, context_end_index, agent_uuid) VALUES
          ('${ORG}', '${event(1)}', '${CALL}', 'FOLLOWUP_DETECTION', 'DETECTED', 2, 4, NULL),
          ('${ORG}', '${event(2)}', '${CALL}', 'SALE_MADE', 'DETECTED', 0, 2, NULL),
          ('${ORG}', '${event(3)}', '${CALL}', 'OBJECTION_DETECTION', 'DETECTED', 3, 3, NULL),
          ('${ORG}', '${event(4)}', '${NO_USAGE_CALL}', 'OBJECTION_DETECTION', 'DETECTED', NULL, NULL, NULL),
          ('${ORG}', '${event(5)}', '${CALL}', 'SALE_MADE', 'INGESTED', 2, 4, NULL),
          ('${ORG}', '${event(6)}', '${CALL}', 'SALE_MADE', 'DETECTED', 2, 4, '${LEO}');
        INSERT INTO follow_ups (alma_internal_organization, event_uuid, conversation_uuid, score, follow_up_date) VALUES
          ('${ORG}', '${event(1)}', '${CALL}', 80, '2026-05-05T14:00:00Z');
      `);
      expect(await applyMigrations(session, silentLogger)).toContain(BACKFILL);
      const events = await session.query<{ uuid: string; agent_uuid: string | null }>('SELECT uuid::text, agent_uuid::text FROM events ORDER BY uuid');
      expect(Object.fromEntries(events.map((row) => [row.uuid, row.agent_uuid]))).toEqual({
        [event(1)]: ANA, // Ana spoke twice in 2..4
        [event(2)]: LEO, // one turn each in 0..2: the earliest speaker
        [event(3)]: LEO, // only the user spoke: the primary agent (first usage)
        [event(4)]: ANA, // no range, no usage: the first of conversations.agents
        [event(5)]: null, // ingested: as the partner sent it
        [event(6)]: LEO, // already attributed: kept
      });
      const followUps = await session.query<{ agent_uuid: string | null }>('SELECT agent_uuid::text FROM follow_ups');
      expect(followUps).toEqual([{ agent_uuid: ANA }]);
    });
  });
});
