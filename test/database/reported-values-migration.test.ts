import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/database/migrator.js';
import type { SqlSession } from '../../src/database/sql-session.js';
import { migrationsBefore, withEmptyDatabase } from '../support/migration-fixture.js';
import { silentLogger } from '../support/silent-logger.js';
import { testDatabaseKind } from '../support/test-database.js';

/**
 * The reported/analysed migration moves existing values to the side that wrote them: rows are
 * written as the schema before it stored them, then the migration runs over them.
 */
const MIGRATION = '20261202163855_reported_and_analysed_values';

let before: string;
beforeAll(async () => {
  before = await migrationsBefore(MIGRATION, await mkdtemp(path.join(os.tmpdir(), 'alma-before-values-')));
});
afterAll(async () => {
  await rm(before, { recursive: true, force: true });
});

const ORG = '00000000-0000-4000-8000-000000000001';
const id = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

interface Legacy {
  n: number;
  analysisStatus: string;
  outcome?: string;
  reason?: string;
  summary?: string;
  score?: number;
  label?: string;
  topics?: string[];
  analyses?: Array<{ type: string; result: unknown; superseded?: boolean; status?: string }>;
}

const ANALYSIS = [
  { type: 'OUTCOME', result: { outcome: 'NOT_RESOLVED', reason: 'analysis reason', endedBy: null } },
  { type: 'SUMMARY', result: { summary: 'analysis summary' } },
  { type: 'SENTIMENT_ANALYSIS', result: { score: -0.5, label: 'NEGATIVE', perMessage: [] } },
  { type: 'TOPICS_DETECTED', result: { topics: ['wifi', 'router'] } },
];
const OVERWRITTEN = { outcome: 'NOT_RESOLVED', reason: 'analysis reason', summary: 'analysis summary', score: -0.5, label: 'NEGATIVE', topics: ['wifi', 'router'] };

const LEGACY: Legacy[] = [
  // 1: the analysis overwrote everything (an older, superseded run said otherwise): analysed only.
  { n: 1, analysisStatus: 'COMPLETED', ...OVERWRITTEN, analyses: [...ANALYSIS, { type: 'OUTCOME', result: { outcome: 'RESOLVED', reason: 'old run' }, superseded: true }] },
  // 2: re-ingested after the analysis: outcome and sentiment differ from the analysis's (reported), the rest equal.
  { n: 2, analysisStatus: 'COMPLETED', ...OVERWRITTEN, outcome: 'RESOLVED', reason: 'partner reason', score: 0.75, label: 'POSITIVE', analyses: ANALYSIS },
  // 3: never analysed: reported.
  { n: 3, analysisStatus: 'NOT_REQUESTED', outcome: 'ESCALATED', reason: 'partner', summary: 'partner summary', score: 0.1, label: 'NEUTRAL', topics: ['billing'] },
  // 4: analysis completed but no rows left: cannot tell, kept as analysed.
  { n: 4, analysisStatus: 'COMPLETED', outcome: 'RESOLVED', summary: 'who wrote this?', topics: ['t'] },
  // 5: the analysis produced a summary only: the outcome came from ingest.
  { n: 5, analysisStatus: 'COMPLETED', outcome: 'TRANSFERRED', summary: 'analysis summary', analyses: [ANALYSIS[1]!] },
  // 6: a failed run's rows do not count: reported.
  { n: 6, analysisStatus: 'FAILED', outcome: 'ABANDONED', analyses: [{ type: 'OUTCOME', result: { outcome: 'ABANDONED', reason: null }, status: 'FAILED' }] },
  // 7: nothing at all.
  { n: 7, analysisStatus: 'PENDING' },
];

async function writeLegacy(session: SqlSession) {
  await session.query(`INSERT INTO organizations (uuid, name) VALUES ($1, 'Legacy')`, [ORG]);
  for (const row of LEGACY) {
    await session.query(
      `INSERT INTO conversations (alma_internal_organization, uuid, channel, origin, analysis_status, outcome, outcome_reason, summary, sentiment_score, sentiment_label, topics)
       VALUES ($1, $2, 'VOICE', 'legacy', $3::analysis_status, $4::outcome, $5, $6, $7, $8::sentiment_label, $9::text[])`,
      [ORG, id(row.n), row.analysisStatus, row.outcome ?? null, row.reason ?? null, row.summary ?? null, row.score ?? null, row.label ?? null, row.topics ?? []],
    );
    for (const [index, analysis] of (row.analyses ?? []).entries()) {
      await session.query(
        `INSERT INTO analytics (alma_internal_organization, conversation_uuid, analysis_type, result, origin, status, superseded_at, created_at)
         VALUES ($1, $2, $3::analysis_type, $4::jsonb, 'local', $5::analysis_run_status, $6::timestamptz, $7::timestamptz)`,
        [ORG, id(row.n), analysis.type, JSON.stringify(analysis.result), analysis.status ?? 'COMPLETED', analysis.superseded ? '2026-11-01T00:00:00Z' : null, new Date(Date.UTC(2026, 10, 2, 0, index)).toISOString()],
      );
    }
  }
}

type Values = { outcome: string | null; reason: string | null; summary: string | null; score: number | null; label: string | null; topics: string[] };
const none: Values = { outcome: null, reason: null, summary: null, score: null, label: null, topics: [] };

async function sides(session: SqlSession) {
  const rows = await session.query<Record<string, any>>(
    `SELECT uuid, outcome::text, outcome_reason, summary, sentiment_score, sentiment_label::text, topics,
            reported_outcome::text, reported_outcome_reason, reported_summary, reported_sentiment_score, reported_sentiment_label::text, reported_topics,
            analysed_outcome::text, analysed_outcome_reason, analysed_summary, analysed_sentiment_score, analysed_sentiment_label::text, analysed_topics
     FROM conversations ORDER BY uuid`,
  );
  const side = (row: Record<string, any>, prefix: string): Values => ({
    outcome: row[`${prefix}outcome`],
    reason: row[`${prefix}outcome_reason`],
    summary: row[`${prefix}summary`],
    score: row[`${prefix}sentiment_score`],
    label: row[`${prefix}sentiment_label`],
    topics: row[`${prefix}topics`] ?? [],
  });
  return rows.map((row) => ({ effective: side(row, ''), reported: side(row, 'reported_'), analysed: side(row, 'analysed_') }));
}

describe(`the reported/analysed migration on ${testDatabaseKind}`, () => {
  it('moves each existing value to the side that wrote it and leaves the top-level values as they were', async () => {
    await withEmptyDatabase(async (session) => {
      await applyMigrations(session, silentLogger, before);
      await writeLegacy(session);
      expect(await applyMigrations(session, silentLogger)).toContain(MIGRATION);
      const [one, two, three, four, five, six, seven] = await sides(session);

      const analysed = { ...OVERWRITTEN };
      expect(one).toEqual({ effective: analysed, reported: none, analysed });
      expect(two).toEqual({
        effective: { ...analysed, outcome: 'RESOLVED', reason: 'partner reason', score: 0.75, label: 'POSITIVE' },
        reported: { ...none, outcome: 'RESOLVED', reason: 'partner reason', score: 0.75, label: 'POSITIVE' },
        analysed,
      });
      const partner = { outcome: 'ESCALATED', reason: 'partner', summary: 'partner summary', score: 0.1, label: 'NEUTRAL', topics: ['billing'] };
      expect(three).toEqual({ effective: partner, reported: partner, analysed: none });
      const unknown = { ...none, outcome: 'RESOLVED', summary: 'who wrote this?', topics: ['t'] };
      expect(four).toEqual({ effective: unknown, reported: none, analysed: unknown });
      expect(five).toEqual({
        effective: { ...none, outcome: 'TRANSFERRED', summary: 'analysis summary' },
        reported: { ...none, outcome: 'TRANSFERRED' },
        analysed: { ...none, summary: 'analysis summary' },
      });
      expect(six).toEqual({ effective: { ...none, outcome: 'ABANDONED' }, reported: { ...none, outcome: 'ABANDONED' }, analysed: none });
      expect(seven).toEqual({ effective: none, reported: none, analysed: none });

      // From now on the top level follows the two sides, by the organization's precedence.
      await session.query(`UPDATE organizations SET value_precedence = 'ANALYSED_FIRST' WHERE uuid = $1`, [ORG]);
      await session.query(`UPDATE conversations SET outcome = outcome WHERE alma_internal_organization = $1`, [ORG]);
      const analysedFirst = await sides(session);
      expect(analysedFirst[1]!.effective).toEqual(analysed);
      expect(analysedFirst[4]!.effective).toEqual({ ...none, outcome: 'TRANSFERRED', summary: 'analysis summary' });
      // A writer that sets a top-level value directly reports it.
      await session.query(`UPDATE conversations SET summary = 'written directly' WHERE uuid = $1`, [id(7)]);
      expect((await sides(session))[6]).toEqual({ effective: { ...none, summary: 'written directly' }, reported: { ...none, summary: 'written directly' }, analysed: none });
    });
  });
});
