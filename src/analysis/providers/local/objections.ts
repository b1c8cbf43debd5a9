import type { DetectedEvent } from '../../analysis-provider.js';
import type { AnalysisContext } from './types.js';

/**
 * OBJECTION_DETECTION from the customer's messages: PRICE, COMPETITOR, TIMING, AUTHORITY, TRUST,
 * NEED (one per message, in that order of precedence; a repeat of the same type within three
 * messages is the same objection). COMPETITOR carries the competitor's name when it is said.
 */

export type ObjectionType = 'PRICE' | 'COMPETITOR' | 'TIMING' | 'AUTHORITY' | 'TRUST' | 'NEED';

const CUES: ReadonlyArray<readonly [ObjectionType, RegExp]> = [
  [
    'PRICE',
    /\b(too expensive|(?:is|it's|that's|seems|sounds|a bit|kind of|really|very|pretty|quite|so) (?:too )?(?:expensive|pricey)|can't afford|cannot afford|can not afford|over (?:my|our) budget|out of (?:my|our) (?:budget|price range)|above (?:my|our) budget|more than i (?:expected|can pay|can afford|wanted to spend)|too much (?:money|for me)|costs? too much|(?:muito|meio|bem|um pouco|achei|ta|esta|fica|ficou|e|mais|tao) caro|acima do (?:que (?:eu )?posso pagar|meu orcamento)|fora do (?:meu )?orcamento|nao (?:tenho (?:como pagar|condicoes)|consigo pagar|cabe no (?:meu )?orcamento)|sem (?:grana|dinheiro)|nao tenho (?:esse )?dinheiro|pesad[oa] (?:pra|para) mim)/,
  ],
  [
    'COMPETITOR',
    /\b((?:quoted|offered|gave) me a (?:lower|better|cheaper) (?:price|deal|quote)|(?:cheaper|better price|lower price|better deal) (?:at|with|from|elsewhere)|comparing (?:it |you )?(?:with|to)|other (?:company|companies|course|provider|school|option)s? (?:is|are|offer|offers)|competitor|already (?:use|using|have|signed up with) (?:another|a different)|(?:me )?(?:ofereceu|ofereceram|cobra|cobram) (?:um )?(?:valor|preco) (?:menor|melhor|mais baixo)|comparando com|outro (?:curso|cursinho|colegio|fornecedor)|concorrente|mais barato (?:no|na|em|ali|la))/,
  ],
  [
    'TIMING',
    /\b(not (?:sure )?(?:if )?(?:this is |it's )?(?:the right|a good) (?:time|moment)|not the right time|not right now|maybe later|(?:need|needs|give me) (?:some )?(?:more )?time|few more days|(?:think|thinking) (?:about it|it over)|not ready|next (?:year|semester|month)|(?:nao sei se )?(?:e|eh) o momento certo|nao e (?:o|um bom) momento|agora nao|mais (?:pra|para) frente|preciso pensar|vou pensar|mais alguns dias|ainda nao (?:estou|to) pronto|ano que vem|semestre que vem)/,
  ],
  [
    'AUTHORITY',
    /\b((?:talk|speak|check) (?:to|with) my (?:parents|mom|dad|mother|father|wife|husband|partner|boss|manager|team)|ask my (?:parents|mom|dad|wife|husband|partner|boss|manager)|my (?:parents|boss|manager|husband|wife) (?:decide|decides|has to|have to|need to|needs to)|(?:conversar|falar|ver|consultar|checar) com (?:o |a |os |as )?(?:meus pais|minha (?:esposa|mae|mulher|chefe|socia|familia)|meu (?:marido|pai|chefe|socio|gestor|diretor))|(?:meus pais|meu chefe|meu marido|minha esposa) (?:que )?(?:decide|decidem|precisam aprovar|tem que aprovar))/,
  ],
  [
    'TRUST',
    /\b(scam|sounds too good|don't trust|do not trust|is this legit|is it legit|not sure (?:it|this) works|bad reviews|golpe|nao confio|e confiavel|sera que funciona|reclame aqui|desconfiad[oa])/,
  ],
  ['NEED', /\b((?:don't|do not) (?:really )?need (?:it|this|that|one)|not interested|no need|nao (?:preciso (?:disso|de curso)|tenho interesse|me interessa)|sem interesse)/],
];

/** "Apex Prep quoted me…", "comparing with BrightPath", "comparando com o Cursinho Alfa". */
function competitorName(text: string): string | null {
  const name = String.raw`(\p{Lu}[\p{L}\d'’&-]*(?:\s+\p{Lu}[\p{L}\d'’&-]*){0,3})`;
  const patterns = [
    new RegExp(String.raw`${name}\s+(?:quoted|offered|gave|has|charges|is cheaper)`, 'u'),
    new RegExp(String.raw`(?:comparing (?:it |you )?(?:with|to)|cheaper (?:at|with)|better (?:price|deal) (?:at|with|from)|signed up with|going with)\s+(?:the\s+)?${name}`, 'u'),
    new RegExp(String.raw`(?:comparando com|cotei n[oa]|fechar com|mais barato n[oa])\s+(?:[oa]\s+)?${name}`, 'u'),
    new RegExp(String.raw`\b[OA]\s+${name}\s+(?:me ofereceu|cobra|ofereceu|tem)`, 'u'),
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match?.[1] && !/^(I|It|They|We|He|She|Eu|Ele|Ela)$/.test(match[1])) return match[1];
  }
  return null;
}

/** Negated mentions that are not objections: "that's not expensive", "não é caro", "fits my budget". */
const NOT_AN_OBJECTION = /\b(not (?:too |that |very )?expensive|nao (?:e|eh|esta|ta|acho) (?:tao |muito )?caro|fits (?:my|our) budget|cabe no (?:meu )?orcamento)\b/;

export interface DetectedObjection {
  type: ObjectionType;
  sequence: number;
  competitor: string | null;
}

export function detectObjections(context: AnalysisContext): DetectedObjection[] {
  const found: DetectedObjection[] = [];
  const lastByType = new Map<ObjectionType, number>();
  for (const message of context.messages) {
    if (message.role !== 'USER') continue;
    if (NOT_AN_OBJECTION.test(message.folded) && !/\b(but|mas|porem)\b/.test(message.folded)) continue;
    const hit = CUES.find(([, pattern]) => pattern.test(message.folded));
    if (!hit) continue;
    const [type] = hit;
    const previous = lastByType.get(type);
    lastByType.set(type, message.sequence);
    if (previous !== undefined && message.sequence - previous <= 3) continue;
    found.push({ type, sequence: message.sequence, competitor: type === 'COMPETITOR' ? competitorName(message.text) : null });
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
