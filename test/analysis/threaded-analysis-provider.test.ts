import { afterAll, describe, expect, it } from 'vitest';
import { LocalAnalysisProvider } from '../../src/analysis/providers/local/local-provider.js';
import { ThreadedAnalysisProvider } from '../../src/analysis/threaded-analysis-provider.js';
import { FIXTURE_NAMES, loadFixture } from './local/load-fixture.js';

const threaded = new ThreadedAnalysisProvider(2);
afterAll(() => threaded.close());

describe('the local analyzer on worker threads', () => {
  it('answers exactly what it answers in-process, for every fixture, several at once', async () => {
    const inputs = FIXTURE_NAMES.map((name) => loadFixture(name, { timeZone: 'America/Sao_Paulo' }));
    const inProcess = new LocalAnalysisProvider();
    const expected = await Promise.all(inputs.map((input) => inProcess.analyze(input)));
    const onThreads = await Promise.all(inputs.map((input) => threaded.analyze(input)));
    expect(onThreads).toEqual(expected);
    expect(onThreads.every((output) => output.provider === 'local')).toBe(true);
    expect(onThreads.some((output) => (output.events?.length ?? 0) > 0)).toBe(true);
  });

  it('an analysis aborted while it waits for a thread is not run, and its caller gets the abort reason', async () => {
    const input = loadFixture('en-sales-zoom-meeting');
    const busy = [threaded.analyze(input), threaded.analyze(input)];
    const controller = new AbortController();
    const waiting = threaded.analyze(input, { signal: controller.signal });
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
    await expect(Promise.all(busy)).resolves.toHaveLength(2);
  });
});
