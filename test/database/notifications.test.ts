import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database/database.js';
import { createOrganization } from '../support/fixtures.js';
import { openTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/until.js';

let database: Database;
let organizationId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  organizationId = (await createOrganization(database, 'Notifications Org')).id;
});
afterAll(async () => {
  await database.close();
});

const notify = (channel: string, payload: string) =>
  database.forOrganization(organizationId).query(`SELECT pg_notify($2, $1::text || ':' || $3)::text AS sent`, [channel, payload]);


describe('database notification channels', () => {
  it('delivers each committed payload to every listener of its channel, never a rolled-back one or another channel', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const other: string[] = [];
    const stopFirst = await database.listen('alma_test_changes', (payload) => payload !== null && first.push(payload));
    const stopSecond = await database.listen('alma_test_changes', (payload) => payload !== null && second.push(payload));
    const stopOther = await database.listen('alma_test_other', (payload) => payload !== null && other.push(payload));
    try {
      await expect(
        database.forOrganization(organizationId).transaction(async (scope) => {
          await scope.query(`SELECT pg_notify($2, $1::text || ':' || $3)::text AS sent`, ['alma_test_changes', 'rolled-back']);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await notify('alma_test_changes', 'one');
      await notify('alma_test_changes', 'two');
      await waitFor(() => first.length >= 2 && second.length >= 2, 'both listeners to receive two payloads');
      // Notifications arrive in commit order: a rolled-back one would have come before "one".
      expect(first).toEqual([`${organizationId}:one`, `${organizationId}:two`]);
      expect(second).toEqual(first);

      stopSecond();
      await notify('alma_test_changes', 'three');
      await notify('alma_test_other', 'elsewhere');
      await waitFor(() => first.length >= 3 && other.length >= 1, 'the third payload and the other channel');
      expect(first).toEqual([`${organizationId}:one`, `${organizationId}:two`, `${organizationId}:three`]);
      expect(second).toHaveLength(2); // unsubscribed before "three"
      expect(other).toEqual([`${organizationId}:elsewhere`]);
    } finally {
      stopFirst();
      stopSecond();
      stopOther();
    }
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    await expect(database.listen('x; DROP TABLE jobs', () => undefined)).rejects.toThrow(/invalid notification channel name/);
    await expect(database.listen('Upper', () => undefined)).rejects.toThrow(/invalid notification channel name/);
  });
});
