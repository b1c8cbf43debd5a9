import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database/database.js';
import { modelColumns, modelFields, type RowModel } from '../../src/database/model-rows.js';
import type { TenantScope } from '../../src/database/tenant-scope.js';
import { createConversationWithMessages, createOrganization } from '../support/fixtures.js';
import { openTestDatabase } from '../support/test-database.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** One row of every model the raw loaders read, with every nullable column filled. */
async function fullRows(scope: TenantScope) {
  const organizationId = scope.organizationId;
  const { agent, conversation } = await createConversationWithMessages(database, organizationId, 0);
  const at = new Date('2026-03-04T05:06:07.891Z');
  const contact = await scope.db.contact.create({
    data: {
      organizationId,
      name: 'Maria',
      email: 'maria@example.com',
      phoneNumber: '+5511999990000',
      externalId: randomUUID(),
      identifier: 'cpf-1',
      priority: 3,
      doNotDisturb: true,
      source: { crm: 'hubspot', list: [1, 2] },
      sourceFile: 'leads.csv',
      metaData: { vip: true },
      origin: 'test',
      externalCreatedAt: at,
      externalUpdatedAt: at,
    },
  });
  await scope.db.agent.update({ where: { organizationId_id: { organizationId, id: agent.id } }, data: { email: 'ava@example.com', phoneNumber: '+1555', otherInfo: { voice: 'alloy' } } });
  await scope.db.message.create({
    data: {
      organizationId,
      conversationId: conversation.id,
      senderContactId: contact.id,
      senderRole: 'USER',
      sequence: 0,
      content: 'Olá, quero saber o preço',
      type: 'TEXT',
      link: 'https://example.com/a',
      channel: 'VOICE',
      subchannel: 'pstn',
      sentAt: at,
      sentimentScore: -0.25,
      speechToTextConfidence: 0.93,
      metaData: { raw: { words: 5 } },
      origin: 'test',
    },
  });
  await scope.db.conversationAgent.create({
    data: {
      organizationId,
      conversationId: conversation.id,
      agentId: agent.id,
      externalId: 'usage-1',
      activatedAt: at,
      deactivatedAt: new Date(at.getTime() + 60_000),
      usageDurationSeconds: 60.5,
      handoffReason: 'escalation',
      successRate: 0.75,
    },
  });
  const analysis = await scope.db.analysis.create({
    data: {
      organizationId,
      conversationId: conversation.id,
      runId: randomUUID(),
      contextStartIndex: 0,
      contextEndIndex: 4,
      analysisType: 'SUMMARY',
      result: { summary: 'Pricing question', nested: { ok: true } },
      origin: 'test',
      provider: 'openai',
      model: 'gpt-4o-mini',
      configVersion: 2,
      promptTokens: 120,
      completionTokens: 30,
      totalTokens: 150,
      costUsd: '0.001234',
      status: 'COMPLETED',
      error: 'none',
      supersededAt: at,
    },
  });
  const event = await scope.db.event.create({
    data: {
      organizationId,
      conversationId: conversation.id,
      agentId: agent.id,
      analysisId: analysis.id,
      externalId: 'ev-1',
      eventType: 'FOLLOWUP_DETECTION',
      eventSubtype: 'callback',
      payload: { when: 'tomorrow' },
      scheduledTo: at,
      source: 'DETECTED',
      confidence: 0.8,
      contextStartIndex: 1,
      contextEndIndex: 2,
    },
  });
  await scope.db.followUp.create({
    data: { organizationId, eventId: event.id, conversationId: conversation.id, agentId: agent.id, score: 7, followUpDate: at },
  });
  return { conversation };
}

const TABLES: Record<RowModel, { table: string; delegate: string }> = {
  Message: { table: 'messages', delegate: 'message' },
  Analysis: { table: 'analytics', delegate: 'analysis' },
  Event: { table: 'events', delegate: 'event' },
  ConversationAgent: { table: 'conversation_agents', delegate: 'conversationAgent' },
  FollowUp: { table: 'follow_ups', delegate: 'followUp' },
  Agent: { table: 'agents', delegate: 'agent' },
  Contact: { table: 'contacts', delegate: 'contact' },
};

describe('raw SQL rows shaped like Prisma models (modelColumns)', () => {
  it.each(Object.keys(TABLES) as RowModel[])('%s: every field, value and type equals findMany of the same rows', async (model) => {
    const organization = await createOrganization(database);
    const scope = database.forOrganization(organization.id);
    await fullRows(scope);
    const { table, delegate } = TABLES[model];
    const raw = await scope.query<Record<string, unknown>>(`SELECT ${modelColumns(model, 't')} FROM ${table} t WHERE t.alma_internal_organization = $1`);
    const prisma = await (scope.db as unknown as Record<string, { findMany(): Promise<Array<Record<string, unknown>>> }>)[delegate]!.findMany();
    expect(raw.length).toBeGreaterThan(0);
    expect(raw).toHaveLength(prisma.length);
    // Every field Prisma returns is listed, and nothing else.
    expect(Object.keys(raw[0]!).sort()).toEqual(Object.keys(prisma[0]!).sort());
    expect(modelFields(model).sort()).toEqual(Object.keys(prisma[0]!).sort());
    const key = (row: Record<string, unknown>) => String(row.id ?? row.eventId);
    const byKey = new Map(prisma.map((row) => [key(row), row]));
    for (const row of raw) {
      const expected = byKey.get(key(row))!;
      for (const field of Object.keys(expected)) {
        const [got, want] = [row[field], expected[field]];
        // Same runtime type (Date stays Date, Decimal stays Decimal, JSON stays parsed) and value.
        expect(Object.prototype.toString.call(got), `${model}.${field}`).toBe(Object.prototype.toString.call(want));
        expect(got?.constructor?.name, `${model}.${field}`).toBe(want?.constructor?.name);
        expect(String(got instanceof Date ? got.toISOString() : JSON.stringify(got)), `${model}.${field}`).toBe(
          String(want instanceof Date ? want.toISOString() : JSON.stringify(want)),
        );
      }
    }
  });

  it('reads only the caller’s organization', async () => {
    const [mine, theirs] = [await createOrganization(database), await createOrganization(database)];
    await fullRows(database.forOrganization(theirs.id));
    const rows = await database.forOrganization(mine.id).query(`SELECT ${modelColumns('Message', 't')} FROM messages t WHERE t.alma_internal_organization = $1`);
    expect(rows).toEqual([]);
  });
});

describe('the generated table metadata', () => {
  it("names every column's SQL type as the migrated database has it (the bulk writer casts with it)", async () => {
    const { TABLES } = await import('../../src/generated/table-metadata.js');
    const rows = await database.forOrganization(randomUUID()).query<{ table_name: string; column_name: string; type: string }>(
      `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, NULL) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE $1::uuid IS NOT NULL AND n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const actual = new Map(rows.map((row) => [`${row.table_name}.${row.column_name}`, row.type]));
    const canonical: Record<string, string> = { text: 'text', int: 'integer', int8: 'bigint', float8: 'double precision', bool: 'boolean', timestamptz: 'timestamp with time zone', jsonb: 'jsonb', uuid: 'uuid', numeric: 'numeric', bytea: 'bytea' };
    const spell = (sqlType: string) => {
      const list = sqlType.endsWith('[]');
      const base = list ? sqlType.slice(0, -2) : sqlType;
      return `${canonical[base] ?? base}${list ? '[]' : ''}`;
    };
    const mismatches = Object.values(TABLES).flatMap((table) =>
      table.columns
        .map((column) => ({ at: `${table.table}.${column.column}`, generated: spell(column.sqlType), database: actual.get(`${table.table}.${column.column}`) }))
        .filter((entry) => entry.generated !== entry.database),
    );
    expect(mismatches).toEqual([]);
    expect(Object.values(TABLES).reduce((count, table) => count + table.columns.length, 0)).toBeGreaterThan(200);
  });
});
