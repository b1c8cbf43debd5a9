import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database/database.js';
import { toDomainError } from '../../src/database/database-errors.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { createConversationWithMessages, createOrganization } from '../support/fixtures.js';
import { openTestDatabase } from '../support/test-database.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** Two organizations with one conversation each; A is the caller, B the one it must never reach. */
async function twoTenants() {
  const [orgA, orgB] = [await createOrganization(database), await createOrganization(database)];
  const a = await createConversationWithMessages(database, orgA.id, 2);
  const b = await createConversationWithMessages(database, orgB.id, 3);
  return { orgA, orgB, a, b, scopeA: database.forOrganization(orgA.id) };
}

async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'expected the call to fail').toBeDefined();
  const mapped = toDomainError(error);
  expect(mapped, `expected a mapped domain error, got ${String(error)}`).toBeInstanceOf(DomainError);
  return mapped!;
}

describe('composite keys refuse cross-organization references in the database', () => {
  it('rejects a message of organization A pointing at a conversation of organization B (raw SQL)', async () => {
    const { b, scopeA } = await twoTenants();
    const error = await domainErrorOf(
      scopeA.query(
        `INSERT INTO messages (alma_internal_organization, conversation_uuid, sender_role, turn_sequence_number, content, channel, origin)
         VALUES ($1, $2::uuid, 'USER', 0, 'sneaky', 'VOICE', 'test')`,
        [b.conversation.id],
      ),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.details?.constraint ?? '').toContain('conversation_uuid');
    const [row] = await database
      .forOrganization(b.conversation.organizationId)
      .query<{ count: number }>('SELECT count(*)::int AS count FROM messages WHERE alma_internal_organization = $1', []);
    expect(row?.count).toBe(3);
  });

  it('rejects an agent usage of organization A naming an agent of organization B', async () => {
    const { a, b, scopeA } = await twoTenants();
    const error = await domainErrorOf(
      scopeA.db.conversationAgent.create({
        data: { organizationId: a.conversation.organizationId, conversationId: a.conversation.id, agentId: b.agent.id },
      }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });

  it('refuses a child row naming an organization that does not exist (through its conversation’s key)', async () => {
    const { a } = await twoTenants();
    const ghost = database.forOrganization(randomUUID());
    const error = await domainErrorOf(
      ghost.query(
        `INSERT INTO messages (alma_internal_organization, conversation_uuid, sender_role, turn_sequence_number, content, channel, origin)
         VALUES ($1, $2::uuid, 'USER', 0, 'orphan', 'VOICE', 'test')`,
        [a.conversation.id],
      ),
    );
    expect(error.code).toBe('NOT_FOUND');
  });

  it('every tenant table reaches organizations through foreign keys that carry the organization', async () => {
    // Tables with the organization column, and their foreign keys (target, and whether the key's
    // columns include the organization column).
    // Catalog rows, read through a scope (the only raw SQL door; it binds an organization as $1).
    const rows = await database.forOrganization(randomUUID()).query<{ table: string; target: string | null; carries: boolean | null }>(
      `SELECT c.relname AS table, t.relname AS target,
              (SELECT bool_or(a.attname = 'alma_internal_organization') FROM unnest(k.conkey) AS n(attnum)
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = n.attnum) AS carries
       FROM pg_class c
       JOIN pg_attribute o ON o.attrelid = c.oid AND o.attname = 'alma_internal_organization'
       LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'f'
       LEFT JOIN pg_class t ON t.oid = k.confrelid
       WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND $1::uuid IS NOT NULL`,
    );
    const keys = new Map<string, string[]>();
    for (const row of rows) {
      keys.set(row.table, keys.get(row.table) ?? []);
      if (row.target && row.carries) keys.get(row.table)!.push(row.target);
    }
    const reaches = (table: string, seen = new Set<string>()): boolean =>
      !seen.has(table) && (keys.get(table) ?? []).some((target) => target === 'organizations' || reaches(target, new Set([...seen, table])));
    expect(keys.size).toBeGreaterThanOrEqual(19);
    expect([...keys.keys()].filter((table) => !reaches(table))).toEqual([]);
    // A conversation's children go through the conversation, not straight to organizations.
    expect(keys.get('messages')).not.toContain('organizations');
    expect(keys.get('messages')).toContain('conversations');
    expect(keys.get('conversations')).toContain('organizations');
  });

  it('rejects a follow-up of organization A attached to an event of organization B', async () => {
    const { a, b, orgB, scopeA } = await twoTenants();
    const eventB = await database.forOrganization(orgB.id).db.event.create({
      data: {
        organizationId: orgB.id,
        conversationId: b.conversation.id,
        eventType: 'FOLLOWUP_DETECTION',
        payload: { FOLLOWUP_TRY: '1', FOLLOWUP_TIME: '2026-12-01T10:00:00Z', FOLLOWUP_TYPE: 'CALL' },
      },
    });
    const error = await domainErrorOf(
      scopeA.query(
        `INSERT INTO follow_ups (alma_internal_organization, event_uuid, conversation_uuid, score, follow_up_date)
         VALUES ($1, $2::uuid, $3::uuid, 80, now())`,
        [eventB.id, a.conversation.id],
      ),
    );
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('the tenant-scoped data layer', () => {
  it('lists, counts and aggregates only the caller organization rows', async () => {
    const { orgA, a, scopeA } = await twoTenants();
    const conversations = await scopeA.db.conversation.findMany();
    expect(conversations.map((row) => row.id)).toEqual([a.conversation.id]);
    expect(await scopeA.db.message.count()).toBe(2);
    const aggregate = await scopeA.db.message.aggregate({ _max: { sequence: true } });
    expect(aggregate._max.sequence).toBe(1);
    const grouped = await scopeA.db.message.groupBy({ by: ['senderRole'], _count: { _all: true }, orderBy: { senderRole: 'asc' } });
    expect(grouped.map((group) => [group.senderRole, group._count._all])).toEqual([
      ['USER', 1],
      ['AGENT', 1],
    ]);
    const organizations = await scopeA.db.organization.findMany();
    expect(organizations.map((row) => row.id)).toEqual([orgA.id]);
  });

  it('answers a lookup of another organization id like a missing row', async () => {
    const { b, orgB, scopeA } = await twoTenants();
    expect(
      await scopeA.db.conversation.findUnique({
        where: { organizationId_id: { organizationId: orgB.id, id: b.conversation.id } },
      }),
    ).toBeNull();
    expect(await scopeA.db.conversation.findFirst({ where: { id: b.conversation.id } })).toBeNull();
    expect(await scopeA.db.message.findMany({ where: { conversationId: b.conversation.id } })).toEqual([]);
    expect(await scopeA.db.organization.findUnique({ where: { id: orgB.id } })).toBeNull();
  });

  it('cannot update or delete another organization rows', async () => {
    const { b, orgB, scopeA } = await twoTenants();
    const updateError = await domainErrorOf(
      scopeA.db.conversation.update({
        where: { organizationId_id: { organizationId: orgB.id, id: b.conversation.id } },
        data: { summary: 'overwritten' },
      }),
    );
    expect(updateError.code).toBe('NOT_FOUND');
    expect((await scopeA.db.message.updateMany({ where: { conversationId: b.conversation.id }, data: { content: 'x' } })).count).toBe(0);
    expect((await scopeA.db.message.deleteMany({ where: { conversationId: b.conversation.id } })).count).toBe(0);
    const untouched = await database.forOrganization(orgB.id).db.conversation.findFirstOrThrow({ where: { id: b.conversation.id } });
    expect(untouched.summary).toBeNull();
    expect(await database.forOrganization(orgB.id).db.message.count()).toBe(3);
  });

  it('refuses writes that name another organization, and pins creates to its own', async () => {
    const { orgA, orgB, scopeA } = await twoTenants();
    const error = await domainErrorOf(scopeA.db.agent.create({ data: { organizationId: orgB.id, origin: 'test', name: 'intruder' } }));
    expect(error.code).toBe('FORBIDDEN');
    const moved = await domainErrorOf(scopeA.db.agent.updateMany({ data: { organizationId: orgB.id } }));
    expect(moved.code).toBe('FORBIDDEN');
    const created = await scopeA.db.agent.createManyAndReturn({
      data: [{ organizationId: orgA.id, origin: 'test', name: 'one' }, { organizationId: orgA.id, origin: 'test', name: 'two' }],
    });
    expect(created.map((agent) => agent.organizationId)).toEqual([orgA.id, orgA.id]);
    expect(await database.forOrganization(orgB.id).db.agent.count({ where: { name: { in: ['one', 'two', 'intruder'] } } })).toBe(0);
  });

  it('nests only the same organization rows through relations', async () => {
    const { a, scopeA } = await twoTenants();
    const conversation = await scopeA.db.conversation.findFirstOrThrow({
      include: { messages: { orderBy: { sequence: 'asc' }, include: { sender: true } } },
    });
    expect(conversation.id).toBe(a.conversation.id);
    expect(conversation.messages.map((message) => message.sequence)).toEqual([0, 1]);
    expect(conversation.messages[0]?.sender?.id).toBe(a.agent.id);
    expect(conversation.messages.every((message) => message.organizationId === a.conversation.organizationId)).toBe(true);
  });

  it('requires raw SQL to filter by the organization', async () => {
    const { scopeA } = await twoTenants();
    await expect(scopeA.query('SELECT count(*) FROM messages')).rejects.toThrow(/organization/);
    const rows = await scopeA.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM messages WHERE alma_internal_organization = $1',
    );
    expect(rows).toEqual([{ count: 2 }]);
  });

  it('commits a transaction together or not at all', async () => {
    const { orgA, a, scopeA } = await twoTenants();
    await expect(
      scopeA.transaction(async (tx) => {
        await tx.db.conversation.update({
          where: { organizationId_id: { organizationId: orgA.id, id: a.conversation.id } },
          data: { summary: 'half-written' },
        });
        // Sequence 0 is taken: the unique key fails the whole transaction.
        await tx.db.message.create({
          data: { organizationId: orgA.id, conversationId: a.conversation.id, sequence: 0, senderRole: 'USER', content: 'dup', channel: 'VOICE', origin: 'test' },
        });
      }),
    ).rejects.toBeDefined();
    const after = await scopeA.db.conversation.findFirstOrThrow({ where: { id: a.conversation.id } });
    expect(after.summary).toBeNull();
  });
});

describe('database errors map by SQLSTATE', () => {
  it('maps a unique violation to CONFLICT', async () => {
    const org = await createOrganization(database);
    const scope = database.forOrganization(org.id);
    const externalId = randomUUID();
    await scope.db.agent.create({ data: { organizationId: org.id, origin: 'crm', externalId } });
    const error = await domainErrorOf(scope.db.agent.create({ data: { organizationId: org.id, origin: 'crm', externalId } }));
    expect(error.code).toBe('CONFLICT');
  });

  it('maps a malformed uuid to BAD_USER_INPUT', async () => {
    const org = await createOrganization(database);
    const error = await domainErrorOf(
      database.forOrganization(org.id).query('SELECT 1 FROM conversations WHERE alma_internal_organization = $1 AND uuid = $2::uuid', ['not-a-uuid']),
    );
    expect(error.code).toBe('BAD_USER_INPUT');
  });
});
