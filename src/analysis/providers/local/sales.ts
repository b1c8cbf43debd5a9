import type { DetectedEvent } from '../../analysis-provider.js';
import { previousAgentTurn } from './dialogue.js';
import { discountFraction, findDiscount, findPrices, type FoundPrice } from './money.js';
import { factsOf, type SystemFact } from './system-facts.js';
import { cleanCapture } from './text.js';
import type { AnalysisContext, PreparedMessage } from './types.js';

/**
 * The sales thread: the agent's priced offers, then the customer's answer to them — accept,
 * refuse, postpone — paired across turns, and what the platform confirms (a payment, an
 * e-signature). SALE_MADE carries the list price before any discount (PRICE, with CURRENCY) and
 * the discount as a fraction (DISCOUNT, only when one was offered before the yes). Stage changes
 * (SALES_STAGE_CHANGE) are reported when stated — by a CRM line or the agent — never inferred.
 */

export interface Offer {
  sequence: number;
  /** The price of what is offered: the total when a per-unit price is followed by one. */
  price: FoundPrice;
  /** Percent off offered in the same turn. */
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

/** Priced agent messages about money owed or returned, not offers. */
const NOT_OFFER = /\b(refund|refunded|charged|charges|invoice|bill|billing|usage|estorno|reembolso|fatura|cobranca|cobrancas|cobrado|consumo|boleto em atraso|debito|shipping is)\b/;
const PER_UNIT = /\b(per (?:user|seat|agent|person|location|license)|por (?:usuario|pessoa|atendente|loja|licenca))\b/;
const TOTAL_CUE = /\b(that'?s|that is|comes to|total(?:ing)?|in total|so it'?s|fica|ficando|totaliza|da um total)\b/;

/** The customer says yes to buying. */
const ACCEPT =
  /\b(let'?s do it|let'?s go(?: ahead)?|go ahead|i'?ll take it|i will take it|we'?ll take it|sign me up|sign us up|count me in|it'?s a deal|deal\b|i'?ll buy|i want to buy|i'?ll enroll|i want to enroll|i'?d like to (?:buy|enroll|sign up|go ahead)|let'?s (?:upgrade|sign|proceed|move forward|go with)|bind (?:the|my) policy|you'?ve convinced me|send (?:me )?the (?:payment )?link|what'?s next|where do i sign|fechado|fechamos|vamos fechar|quero fechar|pode (?:mandar|enviar) o (?:contrato|link)|manda o link|quero (?:comprar|me matricular|contratar|assinar|fazer a matricula|fazer o upgrade)|pode fazer (?:a |o )?(?:minha )?(?:matricula|upgrade)|pode emitir|pode fechar|vou querer|bora|vamos nessa|como faco|onde assino)\b/;
/** A plain yes, which is an acceptance only right after the agent asks to buy. */
const YES = /^(yes|yeah|yep|sure|of course|absolutely|definitely|ok|okay|fine|sim|claro|pode sim|pode ser|isso|com certeza|beleza|quero|ta bom)\b/;
/** A reply that puts the decision off or declines is not an acceptance, whatever it starts with. */
const NOT_NOW =
  /\b(later|think (?:about )?it|not now|i'?ll pass|no,? thanks|not interested|need to (?:talk|check|ask|run)|run (?:it|that) by|ask my|depois|pensar|agora nao|mais (?:pra|para) frente|vou passar|nao vai dar|nao,? obrigad|ver com|falar com (?:o|a|meu|minha)|consultar)\b/;
const PURCHASE_QUESTION =
  /\b(payment link|shall i (?:send|reserve|enroll|sign|go ahead)|reserve (?:your |a )?(?:spot|seat)|enroll you|sign you up|(?:want|like) (?:me )?to (?:enroll|go ahead|proceed|sign up|buy|reserve)|ready to (?:enroll|buy|proceed|sign)|link de pagamento|garantir (?:a )?sua vaga|reservar (?:uma |a )?vaga|posso (?:garantir|mandar|enviar|fazer) (?:a |o )?(?:sua )?(?:vaga|link|matricula)|quer (?:garantir|que eu faca)|vamos fechar)/;
/** The agent confirms the purchase went through. */
const CONFIRMED =
  /\b(payment (?:is )?(?:confirmed|received|approved)|you'?re (?:now )?enrolled|enrollment (?:is )?confirmed|order (?:is )?confirmed|policy is bound|(?:is|are) bound|welcome aboard|welcome to|upgraded|upgrade (?:is )?done|done on my side|signed and done|everything'?s signed|pagamento (?:confirmado|aprovado|recebido)|matricula (?:confirmada|realizada|feita|efetivada)|apolice emitida|upgrade feito|contrato assinado|tudo assinado|seja bem-vind|bem-vind[oa] (?:ao|a))\b/;

function isOffer(message: PreparedMessage): boolean {
  return message.role === 'AGENT' && !NOT_OFFER.test(message.folded);
}

export function findOffers(context: AnalysisContext): Offer[] {
  const offers: Offer[] = [];
  for (const message of context.messages) {
    if (!isOffer(message)) continue;
    const prices = findPrices(message.text, context.lang);
    let price = prices[0];
    if (!price) continue;
    // "$49 per user per month; with your 6 users that's $294": the total is the price.
    if (prices.length > 1 && PER_UNIT.test(message.folded) && TOTAL_CUE.test(message.folded) && !findDiscount(message.text)) price = prices[prices.length - 1]!;
    offers.push({ sequence: message.sequence, price, discountPercent: findDiscount(message.text)?.percent ?? null });
  }
  return offers;
}

const PRODUCT_WORDS = String.raw`\p{Lu}[\p{L}\d'’&+-]*(?:\s+(?:(?:de|do|da|of|for|e|and)\s+)?[\p{Lu}\d][\p{L}\d'’&+-]*){0,5}`;
const KIND = String.raw`(?:plan|policy|course|package|program|membership|bootcamp|subscription|coverage|plano|curso|pacote|programa|assinatura|seguro|cobertura|apolice|apólice|turma)`;

/** The product named around the offers: "the Business plan", "O Extensivo ENEM", "your term life quote", "a cobertura completa". */
export function productName(context: AnalysisContext, upTo: number): string | null {
  const patterns = [
    new RegExp(String.raw`(?:upgrade (?:us |me )?to|upgrade para|switch (?:us )?to)\s+(?:the\s+|o\s+|a\s+)?((?:plano\s+)?${PRODUCT_WORDS}(?:\s+${KIND})?)`, 'u'),
    new RegExp(String.raw`(?:^|[.!?:]\s+|\b(?:The|O|A|Our|Nosso|Nossa|the|o|a|our|nosso|nossa)\s+)((?:plano\s+)?${PRODUCT_WORDS}(?:\s+${KIND})?)\s+(?:is|costs|comes to|fica|custa|sai por|por)\b`, 'u'),
    new RegExp(String.raw`\b(?:[Tt]he|[Oo]ur|[Yy]our|[Oo]|[Aa]|do|da|sua|seu)\s+((?:[\p{Ll}-]+\s+){0,2}${KIND}(?:\s+(?:de\s+)?[\p{Ll}-]+){0,2}?)\s+(?:is|costs|comes to|fica|custa|sai por|ficou)\b`, 'u'),
    new RegExp(String.raw`(?:recommend|recomendo|sugiro|indico)\s+(?:the\s+|our\s+|o\s+|a\s+|nosso\s+|nossa\s+)?(${PRODUCT_WORDS})`, 'u'),
    new RegExp(String.raw`(?:enroll(?:ment)? in|sign you up for|subscribe to|matr[ií]cula no|matr[ií]cula na|about the|sobre o|sobre a)\s+(?:the\s+|o\s+|a\s+)?((?:plano\s+)?${PRODUCT_WORDS}(?:\s+${KIND})?)`, 'u'),
    new RegExp(String.raw`\b((?:plano|plan)\s+${PRODUCT_WORDS}|${PRODUCT_WORDS}\s+(?:plan|plano|course|curso|policy))\b`, 'u'),
    new RegExp(String.raw`\b(?:cota[cç][aã]o|quote)\s+(?:do|da|for the|for)\s+((?:seguro|${KIND})(?:\s+(?:de\s+)?[\p{Ll}-]+){0,2})`, 'u'),
    new RegExp(String.raw`\b(?:your|sua|seu)\s+((?:[\p{Ll}-]+\s+){0,2}[\p{Ll}-]+)\s+(?:quote|cotacao|cotação)\b`, 'u'),
  ];
  const candidates = context.messages.filter((message) => message.role !== 'SYSTEM' && message.sequence <= upTo).reverse();
  for (const pattern of patterns) {
    for (const message of candidates) {
      const raw = pattern.exec(message.text)?.[1];
      if (!raw) continue;
      const name = cleanCapture(raw).replace(/^(?:The|O|A|Os|As|Our|Nosso|Nossa|the|our|o|a)\s+/u, '');
      if (name.length >= 3 && !/^(I|It|This|That|We|Our|Isso|Esse|Essa|Este|Esta|Nosso|Nossa|Hi|Oi|Olá|Sure|Great)\b/u.test(name)) return name;
    }
  }
  return null;
}

/**
 * The purchase: the customer's yes to an offer (or to the agent's purchase question), or a
 * payment / e-signature the platform confirms after an offer; not when the answer declines or
 * puts the decision off.
 */
export function detectSale(context: AnalysisContext, offers: readonly Offer[], facts: readonly SystemFact[]): Sale | null {
  const messages = context.messages;
  const firstOffer = offers[0];
  if (!firstOffer) return null;
  const platformConfirms = [...factsOf(facts, 'PAYMENT'), ...factsOf(facts, 'SIGNATURE')].filter((fact) => fact.sequence > firstOffer.sequence);
  let accept: PreparedMessage | null = null;
  let confidence = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'USER' || message.sequence < firstOffer.sequence) continue;
    if (NOT_NOW.test(message.folded)) continue;
    const previousAgent = previousAgentTurn(messages, i);
    const explicit = ACCEPT.test(message.folded);
    const yesToPurchase = Boolean(previousAgent && PURCHASE_QUESTION.test(previousAgent.folded) && YES.test(message.folded));
    const yesToOffer = Boolean(previousAgent && offers.some((offer) => offer.sequence === previousAgent.sequence) && /^(?:okay|ok|fine|alright|that works|sounds good|ta bom|tudo bem|ok,? (?:pode|vamos))\b/.test(message.folded) && /\b(go ahead|do it|pay|pagar|emitir|fechar|upgrade|enroll|matricul)/.test(message.folded));
    if (!explicit && !yesToPurchase && !yesToOffer) continue;
    accept = message;
    confidence = 0.8;
    break;
  }
  const confirmation = platformConfirms[0] ?? null;
  const agentConfirms = messages.find((message) => message.role === 'AGENT' && message.sequence > (accept?.sequence ?? firstOffer.sequence) && CONFIRMED.test(message.folded));
  if (!accept && !confirmation) return null;
  if (accept && (confirmation || agentConfirms)) confidence = 0.92;
  if (!accept) confidence = 0.75;
  const end = accept?.sequence ?? confirmation!.sequence;
  const offered = offers.filter((offer) => offer.sequence < end);
  if (offered.length === 0) return null;
  const listOffer = offered[0]!;
  // A discount the agent offered between the first offer and the yes, priced or not ("I can take 15% off").
  const discount =
    messages.filter((message) => message.role === 'AGENT' && message.sequence >= listOffer.sequence && message.sequence < end && !NOT_OFFER.test(message.folded)).map((message) => findDiscount(message.text)?.percent ?? null).find((value) => value !== null) ?? null;
  const product = productName(context, end);
  return {
    product: product ?? 'unspecified product',
    price: listOffer.price.value,
    currency: listOffer.price.currency ?? (context.lang === 'pt' ? 'BRL' : null),
    discountPercent: discount,
    offerSequence: listOffer.sequence,
    acceptSequence: Math.max(end, agentConfirms && agentConfirms.sequence - end <= 3 ? agentConfirms.sequence : end),
    confidence: confidence - (product ? 0 : 0.15),
  };
}

export function saleEvent(sale: Sale): DetectedEvent {
  const payload: Record<string, unknown> = { PRODUCT: sale.product, PRICE: sale.price };
  if (sale.currency) payload.CURRENCY = sale.currency;
  if (sale.discountPercent !== null) payload.DISCOUNT = discountFraction(sale.discountPercent);
  return {
    eventType: 'SALE_MADE',
    eventSubtype: null,
    payload,
    confidence: Math.round(sale.confidence * 100) / 100,
    contextStartIndex: sale.offerSequence,
    contextEndIndex: sale.acceptSequence,
  };
}

/** The agent saying it moved the deal: "I've moved your opportunity to Negotiation". */
const AGENT_STAGE = /\b(?:i'?ve |i have |i )?(?:moved|updated|marked) (?:your |the )?(?:deal|opportunity) (?:to|as) ([\p{L} ]+?)(?=[.,;!]|$)/u;

/** Stage changes as stated, in order; the previous stage is the one stated, else the last one seen. */
export function detectStageChanges(context: AnalysisContext, facts: readonly SystemFact[]): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  let last: string | null = null;
  const stated = factsOf(facts, 'STAGE_CHANGE').map((fact) => ({ sequence: fact.sequence, oldStage: fact.oldStage, newStage: fact.newStage, confidence: 0.95 }));
  for (const message of context.messages) {
    if (message.role !== 'AGENT') continue;
    const match = AGENT_STAGE.exec(message.folded);
    if (match?.[1]) stated.push({ sequence: message.sequence, oldStage: null, newStage: match[1].toUpperCase().replace(/\s+/g, '_'), confidence: 0.8 });
  }
  stated.sort((a, b) => a.sequence - b.sequence);
  for (const change of stated) {
    const oldStage = change.oldStage ?? last;
    const payload: Record<string, unknown> = { NEW_STAGE: change.newStage };
    if (oldStage) payload.OLD_STAGE = oldStage;
    events.push({ eventType: 'SALES_STAGE_CHANGE', eventSubtype: null, payload, confidence: change.confidence, contextStartIndex: change.sequence, contextEndIndex: change.sequence });
    last = change.newStage;
  }
  return events;
}
