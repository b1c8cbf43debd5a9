import { eng, porBr } from 'stopword';
import type { SentimentLabel } from '../../../generated/prisma/enums.js';
import type { AnalysisOutput, DispositionMetricDefinition, DispositionValue } from '../../analysis-provider.js';
import type { CustomerFact, CustomerInfoSubtype } from './customer-information.js';
import { findDates } from './dates.js';
import type { Detections } from './event-detection.js';
import { productName } from './sales.js';
import { EMAIL_PATTERN, fold } from './text.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * Disposition metrics (seed 002), best effort and honest about it. Each metric's prompt is read for
 * what it asks about (a name, an e-mail, a purchase, a meeting, a rating…); the answer comes from
 * the other detectors when they cover it (customer information, sale, meetings, follow-ups,
 * outcome, sentiment), else from the customer's answer to the agent's matching question, else from
 * the prompt's keywords in the customer's messages. ENUM values are always one of `choices`.
 * Unknown → null with confidence ≤ 0.2 and a reasoning that says why.
 */

export interface DispositionInputs {
  detections: Detections;
  outcome: NonNullable<AnalysisOutput['outcome']>;
  sentiment: NonNullable<AnalysisOutput['sentiment']>;
}

type Concept =
  | 'EMAIL'
  | 'PHONE'
  | 'TICKET'
  | 'INSTITUTION'
  | 'COURSE'
  | 'EXAM_YEAR'
  | 'AGE'
  | 'PRODUCT'
  | 'DISCOUNT'
  | 'PRICE'
  | 'COMPETITOR'
  | 'NAME'
  | 'EXSTUDENT'
  | 'FOLLOWUP'
  | 'MEETING'
  | 'SALE'
  | 'INTEREST'
  | 'RESOLVED'
  | 'ESCALATED'
  | 'OBJECTION'
  | 'RATING'
  | 'SENTIMENT_NEGATIVE'
  | 'SENTIMENT_POSITIVE'
  | 'REASON'
  | 'ISSUE';

/** Checked in this order: the first concepts are the most specific. */
const CONCEPTS: ReadonlyArray<readonly [Concept, RegExp]> = [
  ['EMAIL', /\be-?mail\b/],
  ['PHONE', /\b(phone|telephone|mobile number|cell|telefone|celular|numero de contato|whatsapp number|numero do whatsapp)\b/],
  ['TICKET', /\b(ticket|chamado|incident|protocolo)\b/],
  ['EXAM_YEAR', /\b(exam|test|prova|vestibular|enem)\b.*\b(year|ano)\b|\b(year|ano)\b.*\b(exam|test|prova|vestibular|enem)\b/],
  ['EXSTUDENT', /\b(former student|ex-?student|alumn\w*|studied with us before|ex-?alun[oa]|ja foi alun[oa]|ja estudou)\b/],
  ['INSTITUTION', /\b(school|university|college|institution|escola|colegio|faculdade|universidade|instituicao)\b/],
  ['COURSE', /\b(course|major|study|degree|curso|cursar|graduacao)\b/],
  ['AGE', /\b(age|how old|idade|quantos anos)\b/],
  ['DISCOUNT', /\b(discount|desconto)\b/],
  ['PRODUCT', /\b(product|plan|package|produto|plano|pacote)\b/],
  ['PRICE', /\b(price|amount|how much|value|paid|preco|valor|quanto)\b/],
  ['COMPETITOR', /\b(competitor|concorrente)\b/],
  ['FOLLOWUP', /\b(follow[- ]?up|call ?back|call (?:them|him|her|the customer) back|recontact|retorno|retornar|ligar de novo|acompanhamento)\b/],
  ['MEETING', /\b(meeting|appointment|demo|reuniao|agendamento|agendou|agendad[oa]|visit|visita)\b/],
  ['SALE', /\b(purchase|purchased|buy|bought|sale|enroll\w*|sign(?:ed)? up|compr\w*|venda|matricul\w*|fechou|closed the deal)\b/],
  ['INTEREST', /\b(interest\w*|interessad[oa]|interesse)\b/],
  ['RESOLVED', /\b(resolv\w*|solved|fixed|solucionad[oa])\b/],
  ['ESCALATED', /\b(escalat\w*|transfer\w*|human|humano|atendente|supervisor)\b/],
  ['OBJECTION', /\b(objection|objecao|objecoes|concern|hesita\w*)\b/],
  ['RATING', /\b(rating|rate|score|scale|nps|satisf\w*|nota|avali\w*|out of|de 0 a|de 1 a)\b/],
  ['SENTIMENT_NEGATIVE', /\b(angry|upset|frustrat\w*|annoyed|unhappy|irritad[oa]|chatead[oa]|frustrad[oa]|bravo|insatisfeit[oa])\b/],
  ['SENTIMENT_POSITIVE', /\b(happy|pleased|satisfied|content|feliz|satisfeit[oa]|content[ea])\b/],
  ['NAME', /\b(name|nome|called|chama)\b/],
  ['REASON', /\b(reason|why|motivo|por que|porque)\b/],
  ['ISSUE', /\b(issue|problem|topic|subject|about|assunto|problema|sobre)\b/],
];

const META_WORDS = [
  'user', 'users', 'customer', 'customers', 'caller', 'client', 'lead', 'cliente', 'usuario', 'lead', 'agent', 'agente', 'call', 'conversation', 'ligacao',
  'conversa', 'return', 'retorne', 'unknown', 'mentioned', 'answer', 'responda', 'yes', 'no', 'unclear', 'sim', 'nao', 'provided', 'informado', 'did',
  'was', 'were', 'what', 'which', 'how', 'many', 'much', 'whether', 'the', 'qual', 'quais', 'quanto', 'quantos', 'houve', 'foi', 'not', 'if', 'or',
];
const STOP: ReadonlySet<string> = new Set([...eng, ...porBr, ...META_WORDS].map(fold));

function keywords(prompt: string): string[] {
  return [...new Set(fold(prompt).split(/[^\p{L}\d]+/u).filter((word) => word.length > 2 && !STOP.has(word)))];
}

/** Crude stemming: a keyword matches a word that shares its first letters ("interested" ~ "interest"). */
function mentions(text: string, keyword: string): boolean {
  const root = keyword.length > 5 ? keyword.slice(0, Math.max(4, keyword.length - 3)) : keyword;
  return new RegExp(`\\b${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(text);
}

function overlap(text: string, words: readonly string[]): number {
  return words.filter((word) => mentions(text, word)).length;
}

const YES = /^(?:yes|yeah|yep|yup|sure|of course|definitely|absolutely|correct|right|i do|i did|i am|i have|i was|i will|sim|claro|com certeza|isso|pode ser|exato|tenho|quero|fiz|fui|ja|aham|uhum|ok|okay)\b/;
const NO = /^(?:no|nope|nah|not really|not yet|never|i don'?t|i didn'?t|i'?m not|i haven'?t|nao|nunca|de jeito nenhum|ainda nao|agora nao|negativo)\b/;

interface Answer {
  value: boolean;
  question: PreparedMessage;
  reply: PreparedMessage;
}

/** The customer's yes/no reply to the agent's question that best matches the prompt's keywords. */
function yesNoAnswer(context: AnalysisContext, words: readonly string[]): Answer | null {
  if (words.length === 0) return null;
  let best: { answer: Answer; score: number } | null = null;
  const messages = context.messages;
  for (let i = 0; i < messages.length - 1; i++) {
    const question = messages[i];
    const reply = messages[i + 1];
    if (!question || !reply || question.role !== 'AGENT' || reply.role !== 'USER' || !question.text.includes('?')) continue;
    const score = overlap(question.folded, words);
    if (score === 0) continue;
    const value = NO.test(reply.folded) ? false : YES.test(reply.folded) ? true : null;
    if (value === null) continue;
    if (!best || score > best.score) best = { answer: { value, question, reply }, score };
  }
  return best?.answer ?? null;
}

function shorten(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > 100 ? `${clean.slice(0, 97)}...` : clean;
}

interface Found {
  value: string | number | boolean | Date | null;
  confidence: number;
  reasoning: string;
  from: number | null;
  to: number | null;
}

const unknown = (reasoning: string, confidence = 0.1): Found => ({ value: null, confidence, reasoning, from: null, to: null });

function fact(inputs: DispositionInputs, subtype: CustomerInfoSubtype): CustomerFact | undefined {
  return inputs.detections.customerFacts.find((candidate) => candidate.subtype === subtype);
}

function fromFact(inputs: DispositionInputs, subtype: CustomerInfoSubtype, label: string): Found | null {
  const found = fact(inputs, subtype);
  if (!found) return null;
  return { value: found.value, confidence: found.confidence, reasoning: `The customer stated their ${label} (message ${found.sequence}).`, from: found.sequence, to: found.sequence };
}

/** The first message that names the ticket, else the whole conversation. */
function ticketRange(context: AnalysisContext, ticketId: string): [number | null, number | null] {
  const said = context.messages.find((message) => message.text.includes(ticketId));
  if (said) return [said.sequence, said.sequence];
  return [context.messages[0]?.sequence ?? null, context.messages[context.messages.length - 1]?.sequence ?? null];
}

// ───────────── BOOLEAN ─────────────

function booleanFromConcepts(concepts: readonly Concept[], context: AnalysisContext, inputs: DispositionInputs): Found | null {
  const { detections, outcome, sentiment } = inputs;
  for (const concept of concepts) {
    switch (concept) {
      case 'SALE': {
        const sale = detections.sale;
        if (sale) return { value: true, confidence: 0.85, reasoning: `A purchase was detected: ${sale.product} for ${sale.price}.`, from: sale.offerSequence, to: sale.acceptSequence };
        const lost = detections.stageChanges.find((event) => event.payload.NEW_STAGE === 'CLOSED_LOST');
        if (lost) return { value: false, confidence: 0.8, reasoning: 'The customer declined the offer.', from: lost.contextStartIndex, to: lost.contextEndIndex };
        if (detections.offers.length > 0) {
          const offer = detections.offers[detections.offers.length - 1];
          return { value: false, confidence: 0.55, reasoning: 'An offer was made but the customer did not accept it in this conversation.', from: offer?.sequence ?? null, to: offer?.sequence ?? null };
        }
        break;
      }
      case 'MEETING': {
        const meeting = detections.meetings[0];
        if (meeting) return { value: true, confidence: 0.85, reasoning: `A meeting was scheduled for ${meeting.date.iso}.`, from: meeting.from, to: meeting.to };
        return { value: false, confidence: 0.5, reasoning: 'No meeting was scheduled in the conversation.', from: null, to: null };
      }
      case 'FOLLOWUP': {
        const followUp = detections.followUps[0];
        if (followUp) return { value: true, confidence: 0.8, reasoning: `A follow-up (${followUp.type.toLowerCase()}) was agreed for ${followUp.date.iso}.`, from: followUp.sequenceFrom, to: followUp.sequenceTo };
        return { value: false, confidence: 0.5, reasoning: 'No follow-up with a date was agreed in the conversation.', from: null, to: null };
      }
      case 'EXSTUDENT': {
        const found = fromFact(inputs, 'EXSTUDENT', 'former-student status');
        if (found) return found;
        break;
      }
      case 'INTEREST': {
        if (detections.sale) return { value: true, confidence: 0.85, reasoning: 'The customer bought, so they were interested.', from: detections.sale.offerSequence, to: detections.sale.acceptSequence };
        const notInterested = detections.objections.find((objection) => objection.type === 'NEED');
        const lost = detections.stageChanges.find((event) => event.payload.NEW_STAGE === 'CLOSED_LOST');
        if (notInterested) return { value: false, confidence: 0.7, reasoning: 'The customer said they did not need it / were not interested.', from: notInterested.sequence, to: notInterested.sequence };
        const qualified = detections.stageChanges.find((event) => event.payload.NEW_STAGE === 'QUALIFIED');
        if (qualified) return { value: true, confidence: 0.7, reasoning: 'The customer expressed interest in the offer.', from: qualified.contextStartIndex, to: qualified.contextEndIndex };
        const meeting = detections.meetings[0];
        const followUp = detections.followUps[0];
        if (meeting) return { value: true, confidence: 0.55, reasoning: 'The customer agreed to a meeting.', from: meeting.from, to: meeting.to };
        if (followUp) return { value: true, confidence: 0.55, reasoning: 'The customer agreed to be contacted again.', from: followUp.sequenceFrom, to: followUp.sequenceTo };
        if (lost) return { value: false, confidence: 0.6, reasoning: 'The customer declined the offer.', from: lost.contextStartIndex, to: lost.contextEndIndex };
        break;
      }
      case 'RESOLVED':
        if (outcome.outcome === 'UNKNOWN') break;
        return {
          value: outcome.outcome === 'RESOLVED',
          confidence: 0.7,
          reasoning: `The conversation outcome is ${outcome.outcome}: ${outcome.reason}`,
          from: outcome.contextStartIndex,
          to: outcome.contextEndIndex,
        };
      case 'ESCALATED':
        if (outcome.outcome === 'UNKNOWN') break;
        return {
          value: outcome.outcome === 'ESCALATED' || outcome.outcome === 'TRANSFERRED',
          confidence: 0.7,
          reasoning: `The conversation outcome is ${outcome.outcome}: ${outcome.reason}`,
          from: outcome.contextStartIndex,
          to: outcome.contextEndIndex,
        };
      case 'TICKET': {
        const ticket = context.input.tickets[0];
        if (ticket) {
          const [from, to] = ticketRange(context, ticket.ticketId);
          return { value: true, confidence: 0.85, reasoning: `Ticket ${ticket.ticketId} was ${ticket.action.toLowerCase()} in the conversation.`, from, to };
        }
        return { value: false, confidence: 0.6, reasoning: 'No ticket was recorded for the conversation.', from: null, to: null };
      }
      case 'OBJECTION': {
        const objection = detections.objections[0];
        if (objection) return { value: true, confidence: 0.75, reasoning: `The customer raised a ${objection.type} objection.`, from: objection.sequence, to: objection.sequence };
        return { value: false, confidence: 0.5, reasoning: 'No objection was detected in the customer messages.', from: null, to: null };
      }
      case 'SENTIMENT_NEGATIVE':
      case 'SENTIMENT_POSITIVE': {
        const negative = concept === 'SENTIMENT_NEGATIVE';
        const value = negative ? sentiment.score <= -0.15 || sentiment.label === 'NEGATIVE' : sentiment.score >= 0.15 || sentiment.label === 'POSITIVE';
        return {
          value,
          confidence: 0.55,
          reasoning: `The customer's overall sentiment is ${sentiment.label} (score ${sentiment.score}).`,
          from: sentiment.contextStartIndex,
          to: sentiment.contextEndIndex,
        };
      }
      default:
        break;
    }
  }
  return null;
}

function booleanValue(metric: DispositionMetricDefinition, context: AnalysisContext, inputs: DispositionInputs, concepts: readonly Concept[]): Found {
  const words = keywords(metric.prompt);
  const answer = yesNoAnswer(context, words);
  if (answer) {
    return {
      value: answer.value,
      confidence: 0.8,
      reasoning: `The customer answered "${shorten(answer.reply.text)}" to the agent's question "${shorten(answer.question.text)}".`,
      from: answer.question.sequence,
      to: answer.reply.sequence,
    };
  }
  const mapped = booleanFromConcepts(concepts, context, inputs);
  if (mapped) return mapped;
  const mention = context.messages.find((message) => message.role === 'USER' && words.length > 0 && overlap(message.folded, words) > 0);
  if (mention) {
    const negated = /\b(not|no|never|don'?t|didn'?t|isn'?t|wasn'?t|nao|nunca|nem)\b/.test(mention.folded);
    return {
      value: !negated,
      confidence: 0.4,
      reasoning: `Guessed from the customer's words "${shorten(mention.text)}"${negated ? ' (negated)' : ''}; no direct answer was given.`,
      from: mention.sequence,
      to: mention.sequence,
    };
  }
  return unknown('Nothing in the conversation answers this question.');
}

// ───────────── ENUM ─────────────

const UNKNOWN_CHOICE = /^(unknown|unclear|not sure|undecided|other|others|n\/?a|none|not mentioned|not provided|indefinido|desconhecido|nao informado|nao sei|incerto|outro|outros|talvez|maybe)$/;
const YES_CHOICE = /^(yes|y|true|sim|interested|interessado|interessada)$/;
const NO_CHOICE = /^(no|n|false|nao|not interested|nao interessado|nao interessada)$/;

function normalizeChoice(choice: string): string {
  return fold(choice).replace(/[_-]+/g, ' ').trim();
}

function enumValue(metric: DispositionMetricDefinition, context: AnalysisContext, inputs: DispositionInputs, concepts: readonly Concept[]): Found {
  const choices = metric.choices ?? [];
  if (choices.length === 0) return unknown('The metric has no choices to pick from.');
  const normalized = choices.map(normalizeChoice);
  const pick = (index: number, confidence: number, reasoning: string, from: number | null, to: number | null): Found => ({ value: choices[index] ?? null, confidence, reasoning, from, to });
  const unknownIndex = normalized.findIndex((choice) => UNKNOWN_CHOICE.test(choice));
  const fallback = (why: string): Found =>
    unknownIndex >= 0 ? pick(unknownIndex, 0.15, `${why} Chose "${choices[unknownIndex]}".`, null, null) : unknown(`${why} None of the choices fits, so no value.`);

  // Yes/no choices: answer the question as a BOOLEAN would.
  const yesIndex = normalized.findIndex((choice) => YES_CHOICE.test(choice));
  const noIndex = normalized.findIndex((choice) => NO_CHOICE.test(choice));
  if (yesIndex >= 0 && noIndex >= 0) {
    const answer = booleanValue(metric, context, inputs, concepts);
    if (answer.value === null || answer.confidence < 0.45) return fallback('Nothing in the conversation answers this question clearly.');
    return pick(answer.value ? yesIndex : noIndex, answer.confidence, answer.reasoning, answer.from, answer.to);
  }

  // Outcome-like choices.
  const outcomeWord = inputs.outcome.outcome.toLowerCase().replace(/_/g, ' ');
  const outcomeAliases: Record<string, string[]> = {
    resolved: ['resolved', 'solved', 'resolvido', 'success', 'successful'],
    'not resolved': ['not resolved', 'unresolved', 'nao resolvido', 'failed'],
    escalated: ['escalated', 'escalado', 'human transfer', 'call transfer'],
    transferred: ['transferred', 'transfer', 'transferido', 'call transfer', 'human transfer', 'escalated'],
    abandoned: ['abandoned', 'abandonado', 'dropped', 'hung up'],
  };
  const aliases = outcomeAliases[outcomeWord] ?? [];
  if (normalized.some((choice) => Object.values(outcomeAliases).flat().includes(choice))) {
    const index = normalized.findIndex((choice) => aliases.includes(choice));
    if (index >= 0) return pick(index, 0.7, `The conversation outcome is ${inputs.outcome.outcome}: ${inputs.outcome.reason}`, inputs.outcome.contextStartIndex, inputs.outcome.contextEndIndex);
  }

  // Sentiment-like choices.
  const sentimentAliases: Record<SentimentLabel, string[]> = {
    POSITIVE: ['positive', 'positivo', 'happy', 'satisfied', 'satisfeito', 'good'],
    NEGATIVE: ['negative', 'negativo', 'angry', 'upset', 'unhappy', 'frustrated', 'insatisfeito', 'bad'],
    NEUTRAL: ['neutral', 'neutro', 'ok', 'calm'],
    MIXED: ['mixed', 'misto', 'misturado'],
  };
  if (normalized.some((choice) => Object.values(sentimentAliases).flat().includes(choice))) {
    const index = normalized.findIndex((choice) => sentimentAliases[inputs.sentiment.label].includes(choice));
    if (index >= 0) {
      return pick(index, 0.6, `The customer's overall sentiment is ${inputs.sentiment.label} (score ${inputs.sentiment.score}).`, inputs.sentiment.contextStartIndex, inputs.sentiment.contextEndIndex);
    }
  }

  // Objection types.
  const objection = inputs.detections.objections[0];
  if (objection) {
    const index = normalized.findIndex((choice) => choice === objection.type.toLowerCase());
    if (index >= 0) return pick(index, 0.7, `The customer raised a ${objection.type} objection.`, objection.sequence, objection.sequence);
  }

  // Choice words in what the customer said (whole words; multi-word choices need all their words).
  const scores = normalized.map((choice) => {
    const parts = choice.split(/\s+/).filter((part) => part.length > 1);
    let hits = 0;
    let firstHit: PreparedMessage | null = null;
    for (const message of context.messages) {
      if (message.role !== 'USER') continue;
      if (parts.length > 0 && parts.every((part) => new RegExp(`\\b${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'u').test(message.folded))) {
        hits++;
        firstHit ??= message;
      }
    }
    return { hits, firstHit };
  });
  let bestIndex = -1;
  for (let i = 0; i < scores.length; i++) {
    if (i === unknownIndex) continue;
    const score = scores[i];
    if (score && score.hits > 0 && (bestIndex < 0 || score.hits > (scores[bestIndex]?.hits ?? 0))) bestIndex = i;
  }
  if (bestIndex >= 0) {
    const best = scores[bestIndex];
    const tied = scores.filter((score, i) => i !== bestIndex && i !== unknownIndex && score.hits === best?.hits).length > 0;
    const message = best?.firstHit ?? null;
    return pick(
      bestIndex,
      tied ? 0.35 : 0.6,
      `The customer said "${shorten(message?.text ?? '')}", which matches "${choices[bestIndex]}"${tied ? ' (another choice matched as often)' : ''}.`,
      message?.sequence ?? null,
      message?.sequence ?? null,
    );
  }
  return fallback('No choice is mentioned by the customer.');
}

// ───────────── INTEGER ─────────────

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  um: 1, uma: 1, dois: 2, duas: 2, tres: 3, quatro: 4, cinco: 5, seis: 6, sete: 7, oito: 8, nove: 9, dez: 10,
};

function firstInteger(folded: string): number | null {
  const digits = /(?<![\d.,])(\d{1,9})(?![\d]|[.,]\d)/.exec(folded);
  if (digits?.[1]) return Number(digits[1]);
  for (const word of folded.split(/[^\p{L}]+/u)) {
    const value = NUMBER_WORDS[word];
    if (value !== undefined) return value;
  }
  return null;
}

function ratingIn(folded: string): number | null {
  const patterns = [
    /\b(\d{1,2}|\w+) (?:out of|of|de|em) (?:10|ten|5|five|dez|cinco)\b/,
    /\b(\d{1,2})\s*\/\s*(?:10|5)\b/,
    /\b(?:give (?:it |you |them )?(?:an? )?|rate (?:it |you |them )?(?:an? |as )?|i'?d say (?:an? )?|nota |dou (?:um |uma |nota )?|daria (?:um |uma |nota )?)(\d{1,2}|\w+)\b/,
  ];
  for (const pattern of patterns) {
    const raw = pattern.exec(folded)?.[1];
    if (!raw) continue;
    const value = /^\d+$/.test(raw) ? Number(raw) : NUMBER_WORDS[raw];
    if (value !== undefined && value >= 0 && value <= 10) return value;
  }
  return null;
}

function integerValue(metric: DispositionMetricDefinition, context: AnalysisContext, inputs: DispositionInputs, concepts: readonly Concept[]): Found {
  const { detections } = inputs;
  for (const concept of concepts) {
    if (concept === 'AGE') {
      const found = fromFact(inputs, 'AGE', 'age');
      if (found) return found;
    } else if (concept === 'EXAM_YEAR') {
      const found = fromFact(inputs, 'EXAM_YEAR', 'exam year');
      if (found) return found;
    } else if (concept === 'DISCOUNT') {
      const offer = detections.offers.find((candidate) => candidate.discountPercent !== null);
      if (offer?.discountPercent != null) {
        return { value: Math.round(offer.discountPercent), confidence: 0.75, reasoning: `The agent offered ${offer.discountPercent}% off.`, from: offer.sequence, to: offer.sequence };
      }
    } else if (concept === 'PRICE') {
      if (detections.sale) {
        return { value: Math.round(detections.sale.price), confidence: 0.75, reasoning: `The sale was closed at ${detections.sale.price} (rounded to an integer).`, from: detections.sale.offerSequence, to: detections.sale.acceptSequence };
      }
      const offer = detections.offers[detections.offers.length - 1];
      if (offer) return { value: Math.round(offer.price.value), confidence: 0.55, reasoning: `The last price offered was ${offer.price.text}.`, from: offer.sequence, to: offer.sequence };
    } else if (concept === 'RATING') {
      for (const message of context.messages) {
        if (message.role !== 'USER') continue;
        const rating = ratingIn(message.folded);
        if (rating !== null) return { value: rating, confidence: 0.75, reasoning: `The customer gave a rating: "${shorten(message.text)}".`, from: message.sequence, to: message.sequence };
      }
    }
  }
  // The customer's number in reply to the agent's matching question.
  const words = keywords(metric.prompt);
  const messages = context.messages;
  for (let i = 0; i < messages.length - 1 && words.length > 0; i++) {
    const question = messages[i];
    const reply = messages[i + 1];
    if (!question || !reply || question.role !== 'AGENT' || reply.role !== 'USER' || overlap(question.folded, words) === 0) continue;
    const value = firstInteger(reply.folded);
    if (value !== null) {
      return { value, confidence: 0.6, reasoning: `The customer answered "${shorten(reply.text)}" to "${shorten(question.text)}".`, from: question.sequence, to: reply.sequence };
    }
  }
  // A number in a customer sentence that mentions the prompt's keywords.
  for (const message of messages) {
    if (message.role !== 'USER' || words.length === 0 || overlap(message.folded, words) === 0) continue;
    const value = firstInteger(message.folded);
    if (value !== null) return { value, confidence: 0.4, reasoning: `A number next to the prompt's words in "${shorten(message.text)}".`, from: message.sequence, to: message.sequence };
  }
  return unknown('No number relevant to this question was said.');
}

// ───────────── DATETIME ─────────────

function datetimeValue(metric: DispositionMetricDefinition, context: AnalysisContext, inputs: DispositionInputs, concepts: readonly Concept[]): Found {
  const { detections } = inputs;
  for (const concept of concepts) {
    if (concept === 'FOLLOWUP') {
      const followUp = detections.followUps[0];
      if (followUp) return { value: followUp.date.instant, confidence: 0.8, reasoning: `A follow-up was agreed for ${followUp.date.iso}.`, from: followUp.sequenceFrom, to: followUp.sequenceTo };
    } else if (concept === 'MEETING') {
      const meeting = detections.meetings[0];
      if (meeting) return { value: meeting.date.instant, confidence: 0.8, reasoning: `A meeting was scheduled for ${meeting.date.iso} (${meeting.channel}).`, from: meeting.from, to: meeting.to };
    }
  }
  const words = keywords(metric.prompt);
  for (const message of context.messages) {
    if (words.length === 0 || overlap(message.folded, words) === 0) continue;
    const dates = findDates(message.text, context.lang, context.referenceTime, context.timeZone).filter((date) => date.hasDay);
    const date = dates[0];
    if (date) return { value: date.instant, confidence: 0.5, reasoning: `"${date.text}" (${date.iso}) is said next to the prompt's words in message ${message.sequence}.`, from: message.sequence, to: message.sequence };
  }
  return unknown('No date relevant to this question was said.');
}

// ───────────── STRING ─────────────

function stringValue(context: AnalysisContext, inputs: DispositionInputs, concepts: readonly Concept[], prompt: string): Found {
  const { detections, outcome } = inputs;
  for (const concept of concepts) {
    switch (concept) {
      case 'EMAIL': {
        for (const role of ['USER', 'AGENT'] as const) {
          for (const message of context.messages) {
            if (message.role !== role) continue;
            const email = message.text.match(EMAIL_PATTERN)?.[0];
            if (email) {
              return { value: email, confidence: role === 'USER' ? 0.9 : 0.6, reasoning: `${role === 'USER' ? 'The customer gave' : 'The agent confirmed'} the e-mail address in message ${message.sequence}.`, from: message.sequence, to: message.sequence };
            }
          }
        }
        return unknown('No e-mail address was said.');
      }
      case 'PHONE': {
        for (const message of context.messages) {
          if (message.role !== 'USER') continue;
          const phone = /(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,3}\)?[\s.-]?)?\d{4,5}[\s.-]?\d{4}\b/.exec(message.text)?.[0];
          if (phone) return { value: phone.trim(), confidence: 0.8, reasoning: `The customer gave a phone number in message ${message.sequence}.`, from: message.sequence, to: message.sequence };
        }
        return unknown('No phone number was said by the customer.');
      }
      case 'TICKET': {
        const ticket = context.input.tickets[0];
        if (ticket) {
          const [from, to] = ticketRange(context, ticket.ticketId);
          return { value: ticket.ticketId, confidence: 0.9, reasoning: `Ticket ${ticket.ticketId} was ${ticket.action.toLowerCase()} in the conversation.`, from, to };
        }
        const said = context.messages.find((message) => /\b(?:INC|REQ|RITM|CHG|CS|TKT)\d{5,}\b/.test(message.text));
        const id = said ? /\b(?:INC|REQ|RITM|CHG|CS|TKT)\d{5,}\b/.exec(said.text)?.[0] : undefined;
        if (said && id) return { value: id, confidence: 0.7, reasoning: `Ticket number ${id} is mentioned in message ${said.sequence}.`, from: said.sequence, to: said.sequence };
        return unknown('No ticket was recorded or mentioned.');
      }
      case 'INSTITUTION': {
        const wantsDesired = /\b(want|wants|desired|dream|target|get into|apply|attend|deseja|quer|sonho|pretende|entrar|almeja)\b/.test(fold(prompt));
        const found = wantsDesired
          ? (fromFact(inputs, 'DESIRED_INSTITUTION', 'desired institution') ?? fromFact(inputs, 'GRADUATION_INSTITUTION', 'school'))
          : (fromFact(inputs, 'GRADUATION_INSTITUTION', 'school') ?? fromFact(inputs, 'DESIRED_INSTITUTION', 'desired institution'));
        if (found) return found;
        break;
      }
      case 'COURSE': {
        const found = fromFact(inputs, 'COURSE_INTENDED', 'intended course');
        if (found) return found;
        break;
      }
      case 'PRODUCT': {
        if (detections.sale && detections.sale.product !== 'unspecified product') {
          return { value: detections.sale.product, confidence: 0.8, reasoning: `The customer bought ${detections.sale.product}.`, from: detections.sale.offerSequence, to: detections.sale.acceptSequence };
        }
        const last = context.messages[context.messages.length - 1];
        const named = last ? productName(context, last.sequence) : null;
        const offer = detections.offers[0];
        if (named) return { value: named, confidence: 0.5, reasoning: `The agent offered ${named}.`, from: offer?.sequence ?? null, to: offer?.sequence ?? null };
        break;
      }
      case 'COMPETITOR': {
        const objection = detections.objections.find((candidate) => candidate.competitor);
        if (objection?.competitor) return { value: objection.competitor, confidence: 0.75, reasoning: `The customer mentioned ${objection.competitor} as an alternative.`, from: objection.sequence, to: objection.sequence };
        break;
      }
      case 'NAME': {
        const found = fromFact(inputs, 'NAME', 'name');
        if (found) return found;
        return unknown('The customer did not say their name.');
      }
      case 'OBJECTION': {
        if (detections.objections.length > 0) {
          const types = [...new Set(detections.objections.map((objection) => objection.type))];
          const firstObjection = detections.objections[0];
          const lastObjection = detections.objections[detections.objections.length - 1];
          return { value: types.join(', '), confidence: 0.7, reasoning: `Objections detected: ${types.join(', ')}.`, from: firstObjection?.sequence ?? null, to: lastObjection?.sequence ?? null };
        }
        break;
      }
      case 'REASON':
        if (outcome.outcome !== 'UNKNOWN') return { value: outcome.reason, confidence: 0.5, reasoning: `Taken from the outcome analysis (${outcome.outcome}).`, from: outcome.contextStartIndex, to: outcome.contextEndIndex };
        break;
      case 'ISSUE': {
        const opening = context.messages.find((message) => message.role === 'USER' && message.text.split(/\s+/).length >= 4);
        if (opening) return { value: opening.text.trim(), confidence: 0.45, reasoning: "The customer's first substantive message states the issue.", from: opening.sequence, to: opening.sequence };
        break;
      }
      default:
        break;
    }
  }
  return unknown('The local provider has no extractor that answers this question from the conversation.');
}

// ───────────── all metrics ─────────────

function conceptsOf(prompt: string): Concept[] {
  const folded = fold(prompt);
  return CONCEPTS.filter(([, pattern]) => pattern.test(folded)).map(([concept]) => concept);
}

export function evaluateDispositionMetrics(context: AnalysisContext, inputs: DispositionInputs): DispositionValue[] {
  return context.input.config.dispositionMetrics.map((metric) => {
    const concepts = conceptsOf(metric.prompt);
    let found: Found;
    switch (metric.type) {
      case 'BOOLEAN':
        found = booleanValue(metric, context, inputs, concepts);
        break;
      case 'ENUM':
        found = enumValue(metric, context, inputs, concepts);
        break;
      case 'INTEGER':
        found = integerValue(metric, context, inputs, concepts);
        break;
      case 'DATETIME':
        found = datetimeValue(metric, context, inputs, concepts);
        break;
      case 'STRING':
        found = stringValue(context, inputs, concepts, metric.prompt);
        break;
    }
    // The contract: null values carry a low confidence; ENUM values are one of the choices.
    let value = found.value;
    if (metric.type === 'ENUM' && typeof value === 'string' && !(metric.choices ?? []).includes(value)) value = null;
    const confidence = value === null ? Math.min(found.confidence, 0.2) : found.confidence;
    return {
      identifier: metric.identifier,
      type: metric.type,
      value,
      confidence: Math.round(confidence * 100) / 100,
      reasoning: found.reasoning,
      contextStartIndex: value === null ? null : found.from,
      contextEndIndex: value === null ? null : found.to,
    };
  });
}
