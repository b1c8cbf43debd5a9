import { eng, porBr } from 'stopword';
import type { AnalysisOutput } from '../../analysis-provider.js';
import type { Detections } from './event-detection.js';
import { findDiscount, findPrices } from './money.js';
import { fold, splitSentences } from './text.js';
import type { AnalysisContext } from './types.js';

/**
 * An extractive summary: the customer's opening request, then the most informative sentences of
 * the conversation (content words that recur in the conversation, ticket numbers, prices, dates,
 * names), in conversation order, and a closing line with the outcome. Pleasantries ("one moment",
 * "have a great day") are skipped. The configured summary prompt is followed as far as an
 * extractive summary can: its length ("in one sentence", "briefly", "em 3 frases"), its focus
 * (sentences sharing its content words rank first: "focus on objections and prices"), and whether
 * to state the next steps or the outcome.
 */

const MAX_SENTENCES = 4;
const MAX_SENTENCE_CHARS = 220;
const STOP: ReadonlySet<string> = new Set([...eng, ...porBr].map(fold));
const PLEASANTRY =
  /^(hi|hello|hey|thanks|thank you|okay|ok|sure|great|perfect|yes|no|bye|oi|ola|obrigad[oa]|valeu|ta bom|claro|perfeito|otimo|sim|nao)\b[^a-z]*$|\b(one moment|please hold|have a (?:great|good|nice) day|anything else|is there anything|um momento|aguarde|tenha um (?:otimo|bom) dia|mais alguma coisa|thank you for calling|obrigad[oa] por ligar|how can i help|como posso ajudar|em que posso ajudar|voce ligou para|you'?ve reached|thanks for calling|thank you for calling|obrigad[oa] por ligar|eu sou (?:o|a) \w+|i'?m \w+ from|this is \w+ from|aqui e (?:o|a) \w+, d[oa])\b/;
const INFORMATIVE = /\b(inc\d+|ticket|chamado|refund|estorno|transfer|transferir|schedul|agend|booked|enroll|matricula|price|custa|fica|discount|desconto|locked|bloquead|delayed|atrasad|outage|instabilidade|link|invoice|fatura)\b/;

interface Candidate {
  sequence: number;
  order: number;
  speaker: 'Customer' | 'Agent' | 'System';
  text: string;
  score: number;
}

function words(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\d]+/u)
    .filter((word) => word.length > 2 && !STOP.has(word));
}

const COUNT_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, uma: 1, um: 1, duas: 2, dois: 2, tres: 3, quatro: 4, cinco: 5, seis: 6 };
const PROMPT_META = new Set(
  ['summarize', 'summarise', 'summary', 'conversation', 'call', 'calls', 'customer', 'agent', 'user', 'briefly', 'brief', 'short', 'sentence', 'sentences', 'line', 'lines', 'words', 'focus', 'include', 'mention', 'write', 'describe', 'resuma', 'resumo', 'resumir', 'conversa', 'ligacao', 'cliente', 'agente', 'usuario', 'frase', 'frases', 'linha', 'linhas', 'palavras', 'foco', 'inclua', 'mencione', 'descreva', 'breve', 'curto', 'resumidamente', 'happened', 'aconteceu', 'what', 'how', 'why', 'ended', 'reached', 'out'].map(fold),
);

export interface SummaryPlan {
  maxSentences: number;
  focus: string[];
  outcomeLine: boolean;
  nextSteps: boolean;
}

/** What a summary prompt asks of an extractive summary. */
export function planSummary(prompt: string | null): SummaryPlan {
  const text = fold(prompt ?? '');
  const plan: SummaryPlan = { maxSentences: MAX_SENTENCES, focus: [], outcomeLine: true, nextSteps: false };
  if (!text) return plan;
  const count = /\b(\d+|one|two|three|four|five|six|uma|um|duas|dois|tres|quatro|cinco|seis)\s+(?:short\s+|curtas?\s+)?(?:sentences?|frases?|lines?|linhas?|bullet points?|topicos?)\b/.exec(text);
  if (count) plan.maxSentences = Math.max(1, Math.min(8, Number(count[1]) || COUNT_WORDS[count[1]!] || MAX_SENTENCES));
  else if (/\b(a|one|single|uma|numa|em uma) (?:sentence|frase|line|linha)\b/.test(text)) plan.maxSentences = 1;
  else if (/\b(brief(?:ly)?|short|concise|curto|breve|resumidamente|sucinto)\b/.test(text)) plan.maxSentences = 2;
  else if (/\b(detailed|in detail|thorough|detalhad[oa])\b/.test(text)) plan.maxSentences = 6;
  plan.nextSteps = /\b(next steps?|follow[- ]?ups?|action items?|proximos passos|encaminhamentos|pendencias)\b/.test(text);
  const mentionsOutcome = /\b(outcome|result|resolution|resolved|how it ended|desfecho|resultado|resolvid[oa]|como terminou)\b/.test(text);
  plan.outcomeLine = mentionsOutcome || plan.maxSentences > 2;
  plan.focus = [...new Set(words(prompt ?? '').filter((word) => !PROMPT_META.has(word)))].map((word) => word.slice(0, 5));
  return plan;
}

export function summarize(context: AnalysisContext, detections: Detections, outcome: NonNullable<AnalysisOutput['outcome']>): NonNullable<AnalysisOutput['summary']> {
  const plan = planSummary(context.input.config.summaryPrompt);
  const first = context.messages[0];
  const last = context.messages[context.messages.length - 1];
  const range = { contextStartIndex: first ? first.sequence : null, contextEndIndex: last ? last.sequence : null };
  if (context.messages.length === 0) return { text: 'No messages were exchanged.', ...range };

  const frequency = new Map<string, number>();
  for (const message of context.messages) for (const word of new Set(words(message.text))) frequency.set(word, (frequency.get(word) ?? 0) + 1);

  const eventSequences = new Set<number>();
  for (const event of detections.events) {
    if (event.contextEndIndex !== null) eventSequences.add(event.contextEndIndex);
    if (event.contextStartIndex !== null) eventSequences.add(event.contextStartIndex);
  }

  const candidates: Candidate[] = [];
  let order = 0;
  for (const message of context.messages) {
    const speaker = message.role === 'USER' ? 'Customer' : message.role === 'AGENT' ? 'Agent' : 'System';
    for (const sentence of splitSentences(message.text)) {
      order++;
      const folded = fold(sentence);
      const content = words(sentence);
      if (content.length < 2 || PLEASANTRY.test(folded)) continue;
      let score = content.reduce((sum, word) => sum + Math.min(3, (frequency.get(word) ?? 1) - 1), 0) / Math.sqrt(content.length);
      if (INFORMATIVE.test(folded)) score += 1.5;
      if (findPrices(sentence, context.lang).length > 0) score += 1;
      if (findDiscount(sentence)) score += 1;
      if (eventSequences.has(message.sequence)) score += 1;
      // The prompt's focus ranks first.
      if (plan.focus.length > 0) score += 2.5 * content.filter((word) => plan.focus.some((stem) => word.startsWith(stem))).length;
      candidates.push({ sequence: message.sequence, order, speaker, text: sentence.length > MAX_SENTENCE_CHARS ? `${sentence.slice(0, MAX_SENTENCE_CHARS - 3)}...` : sentence, score });
    }
  }

  // The customer's first substantive sentence states the request; it always opens the summary.
  // With a focus, the focused sentences lead; otherwise the customer's opening request does.
  const focused = plan.focus.length > 0;
  const opening = focused ? undefined : candidates.find((candidate) => candidate.speaker === 'Customer');
  const room = Math.max(0, plan.maxSentences - (plan.nextSteps ? 1 : 0) - (opening ? 1 : 0));
  const rest = candidates
    .filter((candidate) => candidate !== opening)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, room);
  const chosen = [...(opening ? [opening] : []), ...rest].sort((a, b) => a.order - b.order);

  const lines = chosen.map((candidate) => `${candidate.speaker}: ${candidate.text}`);
  if (plan.nextSteps) {
    const steps = [
      ...detections.meetings.map((meeting) => `meeting ${meeting.date.iso} (${meeting.channel})`),
      ...detections.followUps.map((followUp) => `${followUp.type.toLowerCase()} follow-up ${followUp.date.iso}`),
    ];
    lines.push(`Next steps: ${steps.length ? steps.join('; ') : 'none agreed'}.`);
  }
  if (plan.outcomeLine) lines.push(`Outcome: ${outcome.outcome} — ${outcome.reason}`);
  return { text: lines.join(' '), ...range };
}
