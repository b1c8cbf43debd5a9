/**
 * `npm run eval`: scores an analysis provider against the labelled set in eval/ (see eval/README.md).
 *
 *   npm run eval                          # local provider, dev and held-out splits, text report
 *   npm run eval -- --split dev --details # one split, with what each call got wrong
 *   npm run eval -- --json                # the whole report as JSON on stdout
 *   npm run eval -- --provider openai     # OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL as the app reads them
 *   npm run eval -- --lang pt             # one language
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { AnalysisOutput } from '../src/analysis/analysis-provider.js';
import { loadEvalSet, type EvalLanguage, type EvalSplit } from '../src/analysis/evaluation/eval-set.js';
import { formatReport } from '../src/analysis/evaluation/report-format.js';
import { scoreEvaluation } from '../src/analysis/evaluation/scorer.js';
import { createAnalysisProvider } from '../src/analysis/provider-factory.js';
import { LocalAnalysisProvider } from '../src/analysis/providers/local/local-provider.js';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config/config.js';

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'local' },
    split: { type: 'string', default: 'all' },
    lang: { type: 'string' },
    json: { type: 'boolean', default: false },
    details: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '4' },
  },
});

if (values.provider !== 'local' && values.provider !== 'openai') {
  console.error(`--provider must be local or openai (got ${values.provider})`);
  process.exit(2);
}
const splits: EvalSplit[] = values.split === 'all' ? ['dev', 'heldout'] : [values.split as EvalSplit];
if (!splits.every((split) => split === 'dev' || split === 'heldout')) {
  console.error(`--split must be dev, heldout or all (got ${values.split})`);
  process.exit(2);
}

loadDotEnv();
let settings;
try {
  process.env.ANALYSIS_PROVIDER = values.provider;
  settings = loadConfig().analysis;
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
// The local provider in process (the server's thread pool computes the same pure function).
const provider = settings.provider === 'local' ? new LocalAnalysisProvider() : createAnalysisProvider(settings);

const root = fileURLToPath(new URL('../eval/', import.meta.url));
const calls = loadEvalSet(root, splits).filter((call) => !values.lang || call.lang === (values.lang as EvalLanguage));
const outputs: AnalysisOutput[] = new Array(calls.length);
let next = 0;
const worker = async (): Promise<void> => {
  while (next < calls.length) {
    const index = next++;
    const call = calls[index]!;
    try {
      outputs[index] = await provider.analyze(call.input);
    } catch (error) {
      console.error(`${call.id}: ${error instanceof Error ? error.message : String(error)}`);
      outputs[index] = { provider: provider.name, model: null, usage: null, events: [] };
    }
  }
};
await Promise.all(Array.from({ length: Math.max(1, Number(values.concurrency) || 1) }, worker));

const report = scoreEvaluation(calls, outputs);
const title = `${provider.name}${settings.provider === 'openai' ? ` (${settings.openai.model})` : ''} · ${splits.join('+')}`;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ provider: provider.name, model: settings.provider === 'openai' ? settings.openai.model : null, splits, ...report }, null, 2)}\n`);
} else {
  console.log(formatReport(report, { title, details: values.details }));
}
