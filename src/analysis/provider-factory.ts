import type { AnalysisSettings } from '../config/config.js';
import type { AnalysisProvider } from './analysis-provider.js';
import { LocalAnalysisProvider } from './providers/local/local-provider.js';
import { OpenAIAnalysisProvider } from './providers/openai/openai-provider.js';
import { ThreadedAnalysisProvider } from './threaded-analysis-provider.js';

/** The configured provider: `openai` for any OpenAI-compatible endpoint, else the offline `local` one (on worker threads unless ANALYSIS_THREADS=0). */
export function createAnalysisProvider(settings: AnalysisSettings): AnalysisProvider {
  if (settings.provider === 'openai') {
    return new OpenAIAnalysisProvider({
      apiKey: settings.openai.apiKey!,
      baseURL: settings.openai.baseURL,
      model: settings.openai.model,
      timeoutMs: settings.openai.timeoutMs,
    });
  }
  return settings.threads > 0 ? new ThreadedAnalysisProvider(settings.threads) : new LocalAnalysisProvider();
}
