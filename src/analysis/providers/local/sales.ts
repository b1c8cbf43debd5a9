import type { DetectedEvent } from '../../analysis-provider.js';
import { findDiscount, findPrices, formatPercent, type FoundPrice } from './money.js';
import { futureDates } from './meetings.js';
import type { DetectedObjection } from './objections.js';
import { cleanCapture } from './text.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * The sales thread of a conversation: the agent's priced offers, the customer's acceptance
 * (SALE_MADE with PRODUCT, PRICE and DISCOUNT) and the stage changes (SALES_STAGE_CHANGE:
 * QUALIFIED → PROPOSAL → NEGOTIATION → CLOSED_WON / CLOSED_LOST, each with the previous stage).
 */

export type SalesStage = 'QUALIFIED' | 'PROPOSAL' | 'NEGOTIATION' | 'CLOSED_WON' | 'CLOSED_LOST';

const STAGE_RANK: Record<SalesStage, number> = { QUALIFIED: 1, PROPOSAL: 2, NEGOTIATION: 3, CLOSED_WON: 4, CLOSED_LOST: 4 };

export interface Offer {
  sequence: number;
  /** The offered price: the first amount of the message ("$1,161 instead of $1,290" → 1161). */
  price: FoundPrice;
  /** Percent off, said or computed from "X instead of Y". */
  discountPercent: number | null;
}

export interface Sale {
  product: string;
  price: number;
  currency: FoundPrice['currency'];
  discountPercent: number | null;
  offerSequence: number;
  acceptSequence: number;
  confidence: number;
}

/** Words that make a priced agent message an offer. */
const OFFER_CUE =
  /\b(costs?|price|priced|is \$|for (?:the|only|just)|full program|per month|a month|monthly|payments? of|installments?|investment|investimento|custa|fica|sai (?:por|a)|a vista|\d+x de|parcelas?|mensalidade|por (?:apenas|so|mes)|for \$|por r\$|instead of|em vez de|ao inves de|plan|plano|pacote|package|offer|oferta|consigo|can offer|posso oferecer|deal|brings it to|comes to|comes out to|scholarship|bolsa|discount|desconto|off)\b/;
/** Priced messages about money owed or returned, not offers. */
const NOT_OFFER = /\b(refund|refunded|charged|charge|charges|invoice|bill|billing|estorno|reembolso|fatura|cobranca|cobrancas|cobrado|boleto em atraso|debito)\b/;
/** Interest in buying, from the customer. */
const INTEREST =
  /\b(i'?m interested|interested in|sounds interesting|how much (?:does|is|would)|what(?:'s| is) the price|tell me more|i(?:'d| would) like to (?:know|enroll|sign up|buy|join)|i want to (?:enroll|sign up|buy|join)|tenho interesse|me interessa|quero (?:saber|me matricular|comprar|contratar|conhecer)|parece (?:bom|interessante|otimo)|quanto custa|qual (?:e )?o (?:valor|preco)|gostaria de (?:saber|me matricular|comprar|contratar))/;
/** The customer says yes to buying. */
const ACCEPT =
  /\b(let'?s do it|let'?s go|i'?ll take it|i will take it|sign me up|count me in|it'?s a deal|deal\b|i'?ll buy|i want to buy|i(?:'d| would) like to (?:buy|enroll|sign up)|we'?d like to enroll|i want to enroll|go ahead|send (?:me )?the (?:payment )?link|(?:that|it) works for me|fechado|fechamos|vamos fechar|quero fechar|pode mandar o link|pode (?:mandar|enviar)|manda o link|quero (?:comprar|me matricular|contratar|assinar)|queremos (?:fazer a matricula|fechar|nos matricular)|pode fazer (?:a )?(?:minha )?matricula|vou querer|bora|vamos nessa)\b/;
/** A plain yes, which is an acceptance only right after the agent asks to buy. */
const YES = /^(yes|yeah|yep|sure|of course|absolutely|definitely|ok|okay|sim|claro|pode sim|pode ser|pode mandar|isso|com certeza|beleza|quero)\b/;
/** A reply that puts the decision off is not an acceptance, whatever it starts with. */
const DEFERRAL = /\?|\b(later|think (?:about )?it|not now|next week|semana que vem|depois|pensar|agora nao|mais (?:pra|para) frente|mais alguns dias)\b/;
const PURCHASE_QUESTION =
  /\b(payment link|shall i (?:send|reserve|enroll|sign)|reserve your (?:spot|seat)|enroll you|sign you up|(?:want|like) to (?:enroll|go ahead|proceed|sign up|buy)|ready to (?:enroll|buy|proceed)|link de pagamento|garantir (?:a )?sua vaga|posso (?:garantir|mandar|enviar|fazer) (?:a |o )?(?:sua )?(?:vaga|link|matricula)|quer garantir|vamos fechar)/;
/** The agent confirms the purchase went through. */
const CONFIRMED =
  /\b(payment (?:is )?(?:confirmed|received|approved)|you'?re (?:now )?enrolled|enrollment (?:is )?confirmed|order (?:is )?confirmed|welcome aboard|welcome to|pagamento (?:confirmado|aprovado|recebido)|matricula (?:confirmada|realizada|feita|efetivada)|seja bem-vind|bem-vind[oa] ao)\b/;
/** The customer says no to buying. */
const DECLINE =
  /\b(no,? thanks?\.? i'?ll pass|i'?ll pass|not interested|no deal|i(?:'m| am) going (?:to go )?with|decided (?:to go with|not to)|i don'?t want (?:it|to buy)|nao,? obrigad[oa]\.? vou (?:deixar|passar)|vou deixar (?:pra|para) depois|vou passar|nao tenho interesse|desisto|nao quero (?:mais|comprar|fechar)|vou fechar com (?:o|a) outr)\b/;

function isOffer(message: PreparedMessage): boolean {
  return message.role === 'AGENT' && OFFER_CUE.test(message.folded) && !NOT_OFFER.test(message.folded);
}

export function findOffers(context: AnalysisContext): Offer[] {
  const offers: Offer[] = [];
  for (const message of context.messages) {
    if (!isOffer(message)) continue;
    const prices = findPrices(message.text, context.lang);
    const first = prices[0];
    if (!first) continue;
    let discountPercent = findDiscount(message.text)?.percent ?? null;
    if (discountPercent === null && /\b(instead of|em vez de|ao inves de|de .* por)\b/.test(message.folded)) {
      const original = prices[1];
      if (original && original.value > first.value) discountPercent = Math.round(((original.value - first.value) / original.value) * 1000) / 10;
    }
    offers.push({ sequence: message.sequence, price: first, discountPercent });
  }
  return offers;
}

const PRODUCT_WORDS = String.raw`\p{Lu}[\p{L}\d'’&+-]*(?:\s+(?:(?:de|do|da|of|for|e|and)\s+)?[\p{Lu}\d][\p{L}\d'’&+-]*){0,5}`;

/** The product named around the offers: "I'd recommend SAT Prep Premium:", "O Extensivo ENEM 2027 fica…". */
export function productName(context: AnalysisContext, upTo: number): string | null {
  const patterns = [
    new RegExp(String.raw`(?:scholarship|discount|bolsa|desconto|% off)\s+(?:on|no|na|em|for|para|in)\s+(?:the\s+|o\s+|a\s+)?(${PRODUCT_WORDS})`, 'u'),
    new RegExp(String.raw`(?:recommend|recomendo|sugiro|indico)\s+(?:the\s+|our\s+|o\s+|a\s+|nosso\s+|nossa\s+)?(${PRODUCT_WORDS})`, 'u'),
    new RegExp(String.raw`(?:enroll(?:ment)? in|sign you up for|finalize your enrollment in|subscribe to|matr[ií]cula no|matr[ií]cula na|assinatura do|plano)\s+(?:the\s+|o\s+|a\s+)?(${PRODUCT_WORDS})`, 'u'),
    new RegExp(String.raw`(?:^|[.!?]\s+|\b(?:The|O|A|the|o|a)\s+)(${PRODUCT_WORDS})\s+(?:is|costs|fica|custa|sai por|por)\s+(?:only\s+|apenas\s+|s[oó]\s+|de\s+)?(?:R\$|US\$|\$|€)`, 'u'),
    new RegExp(String.raw`(?:the|our|o|a|nosso|nossa)\s+(${PRODUCT_WORDS})\s+(?:plan|course|package|program|plano|curso|pacote)`, 'u'),
  ];
  const candidates = context.messages.filter((message) => message.role === 'AGENT' && message.sequence <= upTo).reverse();
  for (const pattern of patterns) {
    for (const message of candidates) {
      const raw = pattern.exec(message.text)?.[1];
      if (!raw) continue;
      const name = cleanCapture(raw).replace(/^(?:The|O|A|Os|As|Our|Nosso|Nossa)\s+/u, '');
      if (name.length >= 3 && !/^(I|It|This|That|We|Our|Isso|Esse|Essa|Este|Esta|Nosso|Nossa)$/u.test(name)) return name;
    }
  }
  return null;
}

/** The purchase: a yes to a priced offer or a purchase question, or the agent's confirmation. */
export function detectSale(context: AnalysisContext, offers: readonly Offer[]): Sale | null {
  const messages = context.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    if (!message || message.role !== 'USER') continue;
    const offer = [...offers].reverse().find((candidate) => candidate.sequence < message.sequence && message.sequence - candidate.sequence <= 6);
    if (!offer) continue;
    const previousAgent = [...messages.slice(0, i)].reverse().find((candidate) => candidate.role === 'AGENT');
    const explicit = ACCEPT.test(message.folded) && !/\b(not|don't|nao)\s+(?:\w+\s+)?(?:let'?s|take|buy|fechar|comprar)\b/.test(message.folded);
    const yesToPurchase = Boolean(previousAgent && PURCHASE_QUESTION.test(previousAgent.folded) && YES.test(message.folded));
    if (!explicit && !yesToPurchase) continue;
    if (DECLINE.test(message.folded) || DEFERRAL.test(message.folded)) continue;
    const confirmed = messages.slice(i + 1, i + 4).some((candidate) => candidate.role === 'AGENT' && CONFIRMED.test(candidate.folded));
    // An acceptance of something else ("Sure, Thursday works") needs the agent's purchase question, the offer
    // itself or a confirmation; an explicit "let's do it" also counts unless the agent just proposed a time.
    const answersPurchase = Boolean(previousAgent && (PURCHASE_QUESTION.test(previousAgent.folded) || previousAgent.sequence === offer.sequence));
    const answersSchedule = Boolean(previousAgent && futureDates(context, previousAgent).length > 0);
    if (!confirmed && !answersPurchase && !(explicit && !answersSchedule)) continue;
    const product = productName(context, message.sequence);
    const discountOffer = [...offers].reverse().find((candidate) => candidate.sequence <= message.sequence && candidate.discountPercent !== null);
    return {
      product: product ?? 'unspecified product',
      price: offer.price.value,
      currency: offer.price.currency,
      discountPercent: discountOffer && discountOffer.sequence >= (offers[0]?.sequence ?? 0) ? discountOffer.discountPercent : null,
      offerSequence: offer.sequence,
      acceptSequence: message.sequence,
      confidence: (confirmed ? 0.9 : 0.75) - (product ? 0 : 0.15),
    };
  }
  return null;
}

export function saleEvent(sale: Sale): DetectedEvent {
  const payload: Record<string, unknown> = {
    PRODUCT: sale.product,
    PRICE: sale.price,
    DISCOUNT: sale.discountPercent === null ? null : formatPercent(sale.discountPercent),
  };
  if (sale.currency) payload.CURRENCY = sale.currency;
  return {
    eventType: 'SALE_MADE',
    eventSubtype: null,
    payload,
    confidence: sale.confidence,
    contextStartIndex: sale.offerSequence,
    contextEndIndex: sale.acceptSequence,
  };
}

/** Whether the conversation is about selling something (stage changes are not read in support calls). */
export function isSalesConversation(context: AnalysisContext, offers: readonly Offer[]): boolean {
  if (offers.length > 0) return true;
  return context.messages.some((message) =>
    /\b(enroll|enrollment|sign up|buy|purchase|course|program|tuition|demo|quote|proposal|matricula|curso|comprar|contratar|plano|proposta|orcamento|mensalidade|vestibular|cursinho)\b/.test(message.folded),
  );
}

interface StageSignal {
  stage: SalesStage;
  sequence: number;
  from: number;
  confidence: number;
}

/** Stage changes in order; a stage never moves backwards and closes at most once. */
export function detectStageChanges(context: AnalysisContext, offers: readonly Offer[], sale: Sale | null, objections: readonly DetectedObjection[]): DetectedEvent[] {
  if (!isSalesConversation(context, offers)) return [];
  const signals: StageSignal[] = [];
  const firstOffer = offers[0];
  for (const message of context.messages) {
    if (message.role === 'USER' && INTEREST.test(message.folded) && (!firstOffer || message.sequence < firstOffer.sequence)) {
      signals.push({ stage: 'QUALIFIED', sequence: message.sequence, from: message.sequence, confidence: 0.7 });
    }
  }
  if (firstOffer) signals.push({ stage: 'PROPOSAL', sequence: firstOffer.sequence, from: firstOffer.sequence, confidence: 0.8 });
  const negotiation = offers.find(
    (offer) => firstOffer && offer.sequence > firstOffer.sequence && (offer.discountPercent !== null || objections.some((objection) => objection.sequence < offer.sequence)),
  );
  if (negotiation) signals.push({ stage: 'NEGOTIATION', sequence: negotiation.sequence, from: negotiation.sequence, confidence: 0.7 });
  if (sale) {
    signals.push({ stage: 'CLOSED_WON', sequence: sale.acceptSequence, from: sale.offerSequence, confidence: sale.confidence });
  } else if (firstOffer) {
    const competitors = objections.flatMap((objection) => (objection.competitor ? [objection.competitor.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()] : []));
    const choosesCompetitor = (folded: string): boolean =>
      competitors.some((name) => folded.includes(name)) && /\b(going with|go with|sign(?:ing)? up with|decided on|chose|fechar com|ficar com|vou com|decidi pel[oa]|escolhi)\b/.test(folded);
    const decline = context.messages.find(
      (message) => message.role === 'USER' && message.sequence > firstOffer.sequence && (DECLINE.test(message.folded) || choosesCompetitor(message.folded)),
    );
    if (decline) signals.push({ stage: 'CLOSED_LOST', sequence: decline.sequence, from: decline.sequence, confidence: 0.75 });
  }
  signals.sort((a, b) => a.sequence - b.sequence || STAGE_RANK[a.stage] - STAGE_RANK[b.stage]);

  const events: DetectedEvent[] = [];
  let current: SalesStage | null = null;
  let currentSequence: number | null = null;
  for (const signal of signals) {
    if (current && STAGE_RANK[signal.stage] <= STAGE_RANK[current]) continue;
    events.push({
      eventType: 'SALES_STAGE_CHANGE',
      eventSubtype: null,
      payload: { OLD_STAGE: current, NEW_STAGE: signal.stage },
      confidence: signal.confidence,
      contextStartIndex: Math.min(signal.from, currentSequence ?? signal.from),
      contextEndIndex: signal.sequence,
    });
    current = signal.stage;
    currentSequence = signal.sequence;
  }
  return events;
}

