import { franc } from 'franc-min';
import { eng, porBr } from 'stopword';
import { fold } from './text.js';
import type { Lang, PreparedMessage } from './types.js';

const EN_STOP: ReadonlySet<string> = new Set(eng);
const PT_STOP: ReadonlySet<string> = new Set(porBr.map(fold));

/**
 * The conversation's language, English or Portuguese: franc (trigram language identification,
 * restricted to eng/por) over the whole transcript, with a stop-word vote when franc is undecided
 * (very short transcripts). English when there is nothing to go on.
 */
export function detectLanguage(messages: readonly PreparedMessage[]): Lang {
  const text = messages.map((message) => message.text).join('\n');
  if (text.trim().length === 0) return 'en';
  const guess = franc(text, { only: ['eng', 'por'], minLength: 20 });
  if (guess === 'por') return 'pt';
  if (guess === 'eng') return 'en';
  return stopwordVote(text);
}

function stopwordVote(text: string): Lang {
  let en = 0;
  let pt = 0;
  for (const token of fold(text).split(/[^\p{L}']+/u)) {
    if (!token) continue;
    if (EN_STOP.has(token)) en++;
    if (PT_STOP.has(token)) pt++;
  }
  return pt > en ? 'pt' : 'en';
}
