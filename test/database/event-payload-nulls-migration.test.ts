import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/database/migrator.js';
import { migrationsBefore, withEmptyDatabase } from '../support/migration-fixture.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';

const CLEANUP = '20261203163133_event_payload_without_nulls';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'alma-payload-nulls-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const ORG = '00000000-0000-4000-8000-000000000001';
const CALL = '00000000-0000-4000-8000-0000000000c1';
const event = (n: number) => `00000000-0000-4000-8000-0000000000e${n}`;

describe(`cleanup of null payload keys on ${testDatabaseKind}`, () => {
  it('drops the keys stored as null and leaves every other value, and payload-less events, as they were', async () => {
    await withEmptyDatabase(async (session) => {
      await applyMigrations(session, silentLogger, await migrationsBefore(CLEANUP, path.join(scratch, 'before')));
      await session.exec(`
        INSERT INTO organizations (uuid, name) VALUES ('${ORG}', 'Nulls');
        INSERT INTO conversations (alma_internal_organization, uuid, channel, origin) VALUES ('${ORG}', '${CALL}', 'VOICE', 'test');
        INSERT INTO events (alma_internal_organization, uuid, conversation_uuid, event_type, source, json) VALUES
          ('${ORG}', '${event(1)}', '${CALL}', 'SALE_MADE', 'DETECTED', '{"PRODUCT":"Plan","PRICE":99.9,"CURRENCY":"USD","DISCOUNT":null}'),
          ('${ORG}', '${event(2)}', '${CALL}', 'MEETING_DONE', 'INGESTED', '{"ATTENDED":false,"DURATION":0,"TRANSCRIPTION":null,"VIDEO":null}'),
          ('${ORG}', '${event(3)}', '${CALL}', 'SALES_STAGE_CHANGE', 'DETECTED', '{"OLD_STAGE":"LEAD","NEW_STAGE":"QUALIFIED"}'),
          ('${ORG}', '${event(4)}', '${CALL}', 'OBJECTION_DETECTION', 'DETECTED', NULL);
      `);
      expect(await applyMigrations(session, silentLogger)).toContain(CLEANUP);
      const rows = await session.query<{ uuid: string; json: unknown }>('SELECT uuid::text, json FROM events ORDER BY uuid');
      const parsed = Object.fromEntries(rows.map((row) => [row.uuid, typeof row.json === 'string' ? JSON.parse(row.json) : row.json]));
      expect(parsed).toEqual({
        [event(1)]: { PRODUCT: 'Plan', PRICE: 99.9, CURRENCY: 'USD' },
        [event(2)]: { ATTENDED: false, DURATION: 0 },
        [event(3)]: { OLD_STAGE: 'LEAD', NEW_STAGE: 'QUALIFIED' },
        [event(4)]: null,
      });
    });
  });
});
