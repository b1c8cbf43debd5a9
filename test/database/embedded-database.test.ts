import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/database/database.js';
import { createConversationWithMessages, createOrganization } from '../support/fixtures.js';
import { runScript } from '../support/child-process.js';
import { silentLogger } from '../support/silent-logger.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'alma-embedded-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const embedded = (dataDir: string) => ({ kind: 'embedded' as const, dataDir, migrateOnStart: true });

describe('the embedded database', () => {
  it('keeps its data across a restart', async () => {
    const dataDir = path.join(root, 'restart');
    const first = await openDatabase(embedded(dataDir), silentLogger);
    const organization = await createOrganization(first, 'Persistent Org');
    const { conversation } = await createConversationWithMessages(first, organization.id, 4);
    await first.close();

    const second = await openDatabase(embedded(dataDir), silentLogger);
    try {
      expect(await second.migrate()).toEqual([]); // already applied on the first start
      const reloaded = await second.platform.organization.findUniqueOrThrow({ where: { id: organization.id } });
      expect(reloaded.name).toBe('Persistent Org');
      const scope = second.forOrganization(organization.id);
      const stored = await scope.db.conversation.findFirstOrThrow({ include: { messages: { orderBy: { sequence: 'asc' } } } });
      expect(stored.id).toBe(conversation.id);
      expect(stored.messages.map((message) => message.sequence)).toEqual([0, 1, 2, 3]);
      expect(stored.messages[1]?.content).toBe('I would like to know your pricing.');
    } finally {
      await second.close();
    }
  });

  it('refuses a second opener of the same data directory while it is open', async () => {
    const dataDir = path.join(root, 'locked');
    const first = await openDatabase(embedded(dataDir), silentLogger);
    try {
      await expect(openDatabase(embedded(dataDir), silentLogger)).rejects.toThrow(/in use by process \d+/);
      const otherProcess = await runScript(['src/main.ts', 'migrate'], { DATABASE_URL: '', DATA_DIR: dataDir });
      expect(otherProcess.code).toBe(1);
      expect(otherProcess.stderr).toMatch(/is in use by process \d+/);
      expect(await first.platform.organization.count()).toBe(0); // still healthy
    } finally {
      await first.close();
    }
    const reopened = await openDatabase(embedded(dataDir), silentLogger);
    await reopened.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dataDir = path.join(root, 'stale');
    const first = await openDatabase(embedded(dataDir), silentLogger);
    await first.close();
    const deadPid = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '0']);
      child.on('close', () => resolve(child.pid!));
    });
    await writeFile(path.join(dataDir, 'server.lock'), String(deadPid));
    const reopened = await openDatabase(embedded(dataDir), silentLogger);
    expect(await reopened.platform.organization.count()).toBe(0);
    await reopened.close();
  });
});
