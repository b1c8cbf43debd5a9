import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../openai/fake-openai-server.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
let server: FakeOpenAIServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A model that finds nothing and calls every conversation RESOLVED and NEUTRAL. */
const blandAnswer = {
  summary: { text: 'A call.', contextStartIndex: null, contextEndIndex: null },
  sentiment: { score: 0, label: 'NEUTRAL', perMessage: [], contextStartIndex: null, contextEndIndex: null },
  topics: { topics: ['call'], contextStartIndex: null, contextEndIndex: null },
  outcome: { outcome: 'RESOLVED', reason: 'It ended.', endedBy: null, contextStartIndex: null, contextEndIndex: null },
  events: [],
};

describe('npm run eval', () => {
  it('--provider openai scores the set against an OpenAI-compatible endpoint and prints JSON', async () => {
    server = await startFakeOpenAIServer([{ kind: 'completion', content: JSON.stringify(blandAnswer) }]);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', '--provider', 'openai', '--split', 'dev', '--lang', 'en', '--json', '--concurrency', '2'], {
      cwd: root,
      env: { ...process.env, OPENAI_API_KEY: 'sk-eval-test', OPENAI_BASE_URL: server.baseURL, OPENAI_MODEL: 'bland-model', LOG_LEVEL: 'silent' },
      timeout: 120_000,
    });
    const report = JSON.parse(stdout) as {
      provider: string;
      model: string;
      overall: { calls: number; events: { overall: { tp: number; fp: number } }; outcome: { correct: number; total: number }; sentiment: { total: number } };
    };
    expect(report.provider).toBe('openai');
    expect(report.model).toBe('bland-model');
    expect(report.overall.calls).toBe(27);
    expect(server.requests).toHaveLength(27);
    expect(server.requests[0]!.authorization).toBe('Bearer sk-eval-test');
    // Nothing found: no true or false positives; the outcome is right exactly for the RESOLVED labels.
    expect(report.overall.events.overall).toMatchObject({ tp: 0, fp: 0 });
    expect(report.overall.outcome.total).toBe(27);
    expect(report.overall.outcome.correct).toBeGreaterThan(0);
    expect(report.overall.outcome.correct).toBeLessThan(27);
  });
});
