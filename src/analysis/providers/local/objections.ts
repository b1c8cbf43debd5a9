import type { DetectedEvent } from '../../analysis-provider.js';
import { questionOf } from './customer-information.js';
import { previousAgentTurn } from './dialogue.js';
import { findDates } from './dates.js';
import { findPrices } from './money.js';
import type { AnalysisContext } from './types.js';

/**
 * OBJECTION_DETECTION from the customer's turns, EN and PT-BR: PRICE (said directly or not: "a
 * bit steep", "more than we budgeted", "pesa bastante", "tá salgado"), COMPETITOR ("we already
 * use Asana", "signed with Gusto", "a concorrência me passou um valor menor"), TIMING ("not
 * before the summer", "vou pensar", "Saturdays don't work for me" about the product), AUTHORITY
 * (someone else decides), TRUST, NEED. One event per type and call (its first turn). A "no" to a
 * proposed meeting slot is not an objection: a schedule refusal counts only against an offer.
 */

export type ObjectionType = 'PRICE' | 'COMPETITOR' | 'TIMING' | 'AUTHORITY' | 'TRUST' | 'NEED';

const CUES: ReadonlyArray<readonly [ObjectionType, RegExp]> = [
  [
    'PRICE',
    /\b(too expensive|(?:is|it's|that's|seems|sounds|a bit|kind of|really|very|pretty|quite|so|way) (?:too )?(?:expensive|pricey|steep)|steep(?:er)? than|(?:a bit|bit|too|pretty|kind of) steep|can't afford|cannot afford|over (?:my|our) budget|more than (?:i|we) (?:expected|budgeted|can pay|can afford|wanted to spend|thought)|out of (?:my|our) (?:budget|price range)|above (?:my|our) budget|is a lot (?:for|of money)|too much (?:money|for (?:me|us))|costs? too much|money'?s tight|check (?:our|my|the) budget|(?:ver|checar|conferir) (?:o |meu |nosso )?orcamento|(?:way |well |a bit |far )?(?:over|above|beyond) (?:what )?(?:we|i) (?:can|could) (?:spend|pay|afford)|tight (?:budget|on money)|(?:muito|meio|bem|um pouco|achei|ta|esta|fica|ficou|e|mais|tao) caro|salgad[oa]|pesa (?:bastante|muito|no bolso)|acima do (?:que (?:eu )?(?:posso pagar|imaginava|esperava)|meu orcamento)|fora do (?:meu |nosso )?orcamento|nao (?:tenho (?:como pagar|condicoes)|consigo pagar|cabe no (?:meu |nosso )?orcamento)|sem (?:grana|dinheiro)|dinheiro (?:esta|ta) curto|nao tenho (?:esse )?dinheiro|pesad[oa] (?:pra|para) (?:mim|nos))/,
  ],
  [
    'COMPETITOR',
    /\b((?:quoted|offered|gave) me a (?:lower|better|cheaper) (?:price|deal|quote)|other (?:vendor|company|provider|school|option)s?\b.{0,30}\b(?:cheaper|better|lower)|(?:cheaper|better price|lower price|better deal) (?:at|with|from|elsewhere)|comparing (?:it |you )?(?:with|to)|competitor|already (?:use|using|have|work with|signed (?:up )?with)\b|we use \p{Lu}|signed with|went with|going with|(?:me )?(?:ofereceu|ofereceram|cobra|cobram|passou|passaram) (?:um )?(?:valor|preco) (?:menor|melhor|mais baixo)|a concorrencia|concorrente|comparando com|(?:a gente|nos|eu) (?:ja )?(?:usa|usamos|uso|tem|temos) (?:o|a) \p{Lu}|ja usamos|fechamos com|fechei com|assinamos com|mais barato (?:no|na|em|ali|la)|(?:na|no|em) outr[ao] (?:escola|empresa|loja|lugar|curso|academia)\b.{0,30}\b(?:paguei|pago|cobram|custa|sai) (?:menos|mais barato)|(?:at|with) (?:another|the other) (?:school|company|gym|provider|place|vendor)\b.{0,30}\b(?:paid|pay|cheaper|less))/u,
  ],
  [
    'TIMING',
    /\b(not (?:sure )?(?:if )?(?:this is |it's )?(?:the right|a good) (?:time|moment)|not the right time|not right now|maybe later|(?:need|needs|give me) (?:some )?(?:more )?time|few more days|(?:think|thinking) (?:about it|it over)|not ready|can'?t (?:do it|start|commit) (?:before|until|now)|(?:before|until) (?:the )?(?:summer|fall|next (?:year|month|quarter))|next (?:year|semester|quarter)|i'?ll pass for now|(?:nao sei se )?(?:e|eh) o momento certo|nao e (?:o|um bom) momento|agora nao|mais (?:pra|para) frente|preciso pensar|vou pensar|deixar (?:pra|para) depois|mais alguns dias|ainda nao (?:estou|to) pront[oa]|ano que vem|semestre que vem|so (?:consigo|posso|da) (?:fazer )?(?:depois|no|em|a partir))/,
  ],
  [
    'AUTHORITY',
    /\b((?:talk|speak|check|run (?:it|that|this) by|discuss it) (?:to |with )?my (?:parents|mom|dad|mother|father|wife|husband|partner|business partner|boss|manager|team|cfo)|run (?:it|that|this) by (?:my|our)|ask my (?:parents|mom|dad|wife|husband|partner|boss|manager)|my (?:parents|boss|manager|husband|wife|partner) (?:decide|decides|has to|have to|need to|needs to)|not my decision|(?:need|needs|have to get|has to|got to get) (?:my|our|the) (?:cfo|ceo|boss|manager|director|partner|board|finance team|wife|husband|parents)\b.{0,25}\b(?:sign off|approve|approval|okay|ok|decide|look)|preciso (?:da aprovacao|do ok) d[oa] (?:meu |minha )?(?:diretor|diretora|chefe|financeiro|socio|socia|gerente)|(?:conversar|falar|ver|consultar|checar) com (?:o |a |os |as )?(?:meus pais|minha (?:esposa|mae|mulher|chefe|socia|familia)|meu (?:marido|pai|chefe|socio|gestor|diretor))|(?:meus pais|meu chefe|meu marido|minha esposa|meu socio) (?:que )?(?:decide|decidem|precisa(?:m)? aprovar|tem que aprovar)|nao (?:sou eu|e comigo) que decido)/,
  ],
  [
    'TRUST',
    /\b(scam|sounds too good|(?:don't|do not|not sure (?:i|we)) trust|is (?:this|it) legit|not sure (?:it|this) works|bad reviews|complaints (?:about|online)|golpe|nao confio|e confiavel|sera que funciona|reclame aqui|reclamac(?:ao|oes)|pe atras|desconfiad[oa])/,
  ],
  [
    'NEED',
    /\b((?:don't|do not) (?:really )?need (?:it|this|that|one|another|any)|no need\b|not interested|nao (?:preciso (?:disso|de)|temos necessidade|tenho necessidade|tenho interesse|me interessa)|sem (?:interesse|necessidade))/,
  ],
];

/** A schedule refusal ("Saturdays don't work for me", "aos sábados eu trabalho, não vai dar"): TIMING against an offer only. */
const SCHEDULE_REFUSAL = /\b(don'?t work for me|doesn'?t work for me|not for me|nao vai dar|nao da (?:pra|para) mim|nao consigo)\b/;

/** "BrightPath quoted me…", "we already use Asana", "fechamos com a Contabilizei". */
function competitorName(text: string): string | null {
  const name = String.raw`(\p{Lu}[\p{L}\d'’&-]*(?:\s+\p{Lu}[\p{L}\d'’&-]*){0,3})`;
  const patterns = [
    new RegExp(String.raw`(?:already use|already using|we use|signed with|went with|going with|comparing (?:it |you )?(?:with|to)|cheaper (?:at|with)|better (?:price|deal) (?:at|with|from)|signed up with)\s+(?:the\s+)?${name}`, 'u'),
    new RegExp(String.raw`(?:j[aá] usa(?:mos)?|usamos|uso|fechamos com|fechei com|assinamos com|comparando com|cotei n[oa]|mais barato n[oa])\s+(?:[oa]\s+)?${name}`, 'u'),
    new RegExp(String.raw`${name}\s+(?:quoted|offered|gave|charges|is cheaper)`, 'u'),
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match?.[1] && !/^(I|It|They|We|He|She|Eu|Ele|Ela)$/.test(match[1])) return match[1];
  }
  return null;
}

/** Negated mentions that are not objections: "that's not expensive", "não é caro", "fits my budget", "in line with what I expected". */
const NOT_AN_OBJECTION = /\b(not (?:too |that |very )?expensive|nao (?:e|eh|esta|ta|acho) (?:tao |muito )?caro|fits (?:my|our) budget|in line with|dentro do que (?:eu )?esperava|cabe no (?:meu )?orcamento)\b/;

export interface DetectedObjection {
  type: ObjectionType;
  sequence: number;
  competitor: string | null;
}

export function detectObjections(context: AnalysisContext): DetectedObjection[] {
  const found: DetectedObjection[] = [];
  const seen = new Set<ObjectionType>();
  const messages = context.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'USER') continue;
    if (NOT_AN_OBJECTION.test(message.folded) && !/\b(but|mas|porem)\b/.test(message.folded)) continue;
    const previous = previousAgentTurn(messages, i);
    const types = CUES.filter(([, pattern]) => pattern.test(message.folded)).map(([type]) => type);
    // A competitor is a name, so it is read on the text as written.
    if (!types.includes('COMPETITOR') && competitorName(message.text)) types.push('COMPETITOR');
    if (!types.includes('TIMING') && SCHEDULE_REFUSAL.test(message.folded) && previous && findPrices(previous.text, context.lang).length > 0) types.push('TIMING');
    for (const type of types) {
      // "Next year." answers "when will you take the exam?": information, not an objection.
      if (type === 'TIMING' && questionOf(previous ?? undefined) !== null) continue;
      // "Tomorrow's no good": a refused slot, answered to a proposed time, is not a timing objection.
      if (type === 'TIMING' && previous && findPrices(previous.text, context.lang).length === 0 && findDates(previous.text, context.lang, context.referenceTime, context.timeZone).some((date) => date.timePrecision === 'exact')) continue;
      if (seen.has(type)) continue;
      seen.add(type);
      found.push({ type, sequence: message.sequence, competitor: type === 'COMPETITOR' ? competitorName(message.text) : null });
    }
  }
  return found;
}

export function objectionEvents(objections: readonly DetectedObjection[]): DetectedEvent[] {
  return objections.map((objection) => ({
    eventType: 'OBJECTION_DETECTION',
    eventSubtype: null,
    payload: objection.competitor ? { OBJECTION_TYPE: objection.type, COMPETITOR: objection.competitor } : { OBJECTION_TYPE: objection.type },
    confidence: 0.75,
    contextStartIndex: objection.sequence,
    contextEndIndex: objection.sequence,
  }));
}
