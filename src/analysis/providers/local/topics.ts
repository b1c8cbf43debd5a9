import { eng, porBr } from 'stopword';
import type { AnalysisOutput } from '../../analysis-provider.js';
import { fold } from './text.js';
import type { AnalysisContext } from './types.js';

/**
 * Topics: a short list of lowercase labels. First the catalog below (English labels whatever the
 * conversation's language, matched on English and Portuguese cue words), ranked by how many
 * messages mention them; then, while there is room, the most repeated key phrases of the
 * conversation itself (RAKE-style: runs of words between stop words — the `stopword` package's
 * English and Brazilian Portuguese lists plus conversational filler — kept if said at least twice).
 */

const MAX_TOPICS = 6;

const CATALOG: ReadonlyArray<readonly [string, RegExp]> = [
  ['password reset', /\b(password|senha)\b.*\b(reset|forgot|forgotten|change|redefin\w*|esqueci|trocar|recuperar)\b|\b(reset|forgot|redefin\w*|esqueci|recuperar) (?:my |the |a |minha )?(?:password|senha)\b/],
  ['account access', /\b(log ?in|sign ?in|logon|can'?t access|access (?:my|the) account|locked out|entrar na (?:minha )?conta|acessar (?:a|minha) conta|login|logar)\b/],
  ['account locked', /\b(account (?:is |was )?locked|locked out|conta (?:foi )?bloqueada|bloqueio)\b/],
  ['billing', /\b(invoice|bill|billing|charged|charge|fatura|cobranca|cobrad[oa]|boleto|mensalidade atrasada)\b/],
  ['duplicate charge', /\b(charged twice|double charged|duplicate charge|cobrad[oa] duas vezes|cobranca duplicada|cobranca em dobro)\b/],
  ['refund', /\b(refund|reembolso|estorno|devolucao do dinheiro)\b/],
  ['order status', /\b(my order|order (?:status|number)|the order|o pedido|meu pedido|status do pedido)\b/],
  ['delivery', /\b(deliver\w*|shipping|shipped|tracking|carrier|entrega|transportadora|rastreio|rastreamento|frete)\b/],
  ['delivery delay', /\b(delayed|hasn'?t arrived|still hasn'?t|late delivery|atrasad[oa]|ainda nao chegou|nao chegou|atraso na entrega)\b/],
  ['connectivity', /\b(internet|connection|wi-?fi|wifi|dropping|no signal|conexao|sinal|caindo|sem internet)\b/],
  ['outage', /\b(outage|service interruption|instabilidade|fora do ar|queda geral)\b/],
  ['technician visit', /\b(technician|tecnico)\b.*\b(visit|visita)\b|\b(visit|visita)\b.*\b(technician|tecnico)\b/],
  ['support ticket', /\b(ticket|incident|chamado|protocolo|inc\d{5,})\b/],
  ['escalation', /\b((?:speak|talk) (?:to|with) (?:a |an )?(?:real )?(?:human|person|agent|supervisor|manager)|real person|falar com (?:um |uma )?(?:atendente|humano|pessoa|supervisor|gerente)|transferring you|vou transferir)\b/],
  ['cancellation', /\b(cancel\w*|cancelar|cancelamento)\b/],
  ['pricing', /\b(how much|price|prices|pricing|cost|costs|expensive|afford|quanto custa|preco|valor|investimento|caro|parcel\w*)\b/],
  ['discount', /\b(discount|\d+% off|coupon|scholarship|desconto|cupom|bolsa)\b/],
  ['enrollment', /\b(enroll\w*|sign up|registration|matricula|inscricao|matricular)\b/],
  ['payment', /\b(payment link|pay|paid|credit card|pix|boleto|pagamento|pagar|cartao)\b/],
  ['meeting', /\b(meeting|appointment|demo|video ?call|zoom|google meet|reuniao|videochamada|agendar|agendado)\b/],
  ['follow-up', /\b(call (?:me|you) back|callback|follow(?:ing)? up|me liga|te ligo|retorno|retornar)\b/],
  ['competitor', /\b(competitor|comparing|other course|concorrente|comparando|outro cursinho)\b/],
  ['courses', /\b(courses?|classes|curso|cursos|aulas|cursinho)\b/],
  ['enem', /\benem\b/],
  ['vestibular', /\b(vestibular|fuvest)\b/],
  ['sat', /\bsat\b/],
  ['mcat', /\bmcat\b/],
  ['lsat', /\blsat\b/],
  ['gre', /\bgre\b/],
  ['medicine', /\b(medicine|medical school|medicina)\b/],
  ['law', /\b(law school|direito)\b/],
];

const FILLER = [
  'hi', 'hello', 'hey', 'thanks', 'thank', 'okay', 'ok', 'yes', 'yeah', 'sure', 'please', 'great', 'perfect', 'good', 'bye', 'day', 'today', 'moment',
  'help', 'just', 'like', 'know', 'got', 'get', 'let', 'need', 'want', 'would', 'could', 'can', 'will', 'one', 'also', 'right', 'well', 'really',
  'oi', 'ola', 'obrigado', 'obrigada', 'valeu', 'claro', 'bom', 'boa', 'otimo', 'perfeito', 'dia', 'hoje', 'momento', 'ajuda', 'ajudar', 'pode',
  'posso', 'quero', 'aqui', 'entao', 'ta', 'tudo', 'agora', 'ainda', 'sim', 'nao', 'vou', 'vai', 'fazer', 'tem', 'tenho', 'ser', 'sera', "i'm",
  "it's", "that's", "i'll", "you're", "can't", "don't", 'im', 'ill',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july',
  'august', 'september', 'october', 'november', 'december', 'segunda', 'terca', 'quarta', 'quinta', 'sexta', 'sabado', 'domingo', 'feira',
  'janeiro', 'fevereiro', 'marco', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro', 'tomorrow', 'amanha',
  'week', 'semana', 'minutes', 'minutos', 'hours', 'horas', 'study', 'taking', 'take', 'looking', 'talk', 'send', 'sent', 'make', 'going', 'think',
  'work', 'check', 'call', 'calling', 'said', 'tell', 'give', 'come', 'see', 'thing', 'things', 'time', 'way', 'lot',
];
const STOP: ReadonlySet<string> = new Set([...eng, ...porBr, ...FILLER].map(fold));

/** E-mail addresses and URLs are not words. */
function withoutAddresses(text: string): string {
  return text.replace(/\S+@\S+|https?:\/\/\S+|www\.\S+/g, ' ');
}

function keyPhrases(context: AnalysisContext): string[] {
  // Words never written in lowercase are names (people, brands): not topics.
  const lowercaseWords = new Set<string>();
  const texts = context.messages.map((message) => ({ text: withoutAddresses(message.text), folded: withoutAddresses(message.folded) }));
  for (const message of texts) {
    for (const word of message.text.split(/[^\p{L}'-]+/u)) if (word && word === word.toLowerCase()) lowercaseWords.add(fold(word));
  }
  const counts = new Map<string, { count: number; first: number }>();
  let position = 0;
  for (const message of texts) {
    for (const chunk of message.folded.split(/[.,;:!?()"“”\n—–]+/u)) {
      let run: string[] = [];
      const flush = (): void => {
        if (run.length > 0 && run.length <= 3) {
          const phrase = run.join(' ');
          if (phrase.length >= 4 && !/\d/.test(phrase)) {
            const entry = counts.get(phrase) ?? { count: 0, first: position };
            entry.count++;
            counts.set(phrase, entry);
          }
        }
        run = [];
      };
      for (const word of chunk.split(/\s+/)) {
        position++;
        const clean = word.replace(/[^\p{L}\d'@-]/gu, '').replace(/^['-]+|['-]+$/g, '');
        if (!clean || STOP.has(clean) || clean.length < 3 || /^\d/.test(clean) || /@/.test(clean) || !lowercaseWords.has(clean)) flush();
        else run.push(clean);
      }
      flush();
    }
  }
  return [...counts.entries()]
    .filter(([, entry]) => entry.count >= 2)
    .sort((a, b) => b[1].count * b[0].split(' ').length - a[1].count * a[0].split(' ').length || a[1].first - b[1].first)
    .map(([phrase]) => phrase);
}

export function detectTopics(context: AnalysisContext): NonNullable<AnalysisOutput['topics']> {
  const ranked: Array<{ topic: string; count: number; first: number }> = [];
  for (const [topic, pattern] of CATALOG) {
    const hits = context.messages.filter((message) => pattern.test(message.folded));
    if (hits.length > 0) ranked.push({ topic, count: hits.length, first: hits[0]?.sequence ?? 0 });
  }
  if (context.input.transfers.length > 0 && !ranked.some((entry) => entry.topic === 'escalation')) {
    ranked.push({ topic: 'escalation', count: 1, first: Number.MAX_SAFE_INTEGER });
  }
  if (context.input.tickets.length > 0 && !ranked.some((entry) => entry.topic === 'support ticket')) {
    ranked.push({ topic: 'support ticket', count: 1, first: Number.MAX_SAFE_INTEGER });
  }
  ranked.sort((a, b) => b.count - a.count || a.first - b.first);
  const topics = ranked.slice(0, MAX_TOPICS).map((entry) => entry.topic);
  if (topics.length < 3) {
    const covered = new Set(topics.flatMap((topic) => topic.split(' ')));
    for (const phrase of keyPhrases(context)) {
      if (topics.length >= Math.min(MAX_TOPICS, 4)) break;
      if (phrase.split(' ').every((word) => covered.has(word))) continue;
      topics.push(phrase);
      for (const word of phrase.split(' ')) covered.add(word);
    }
  }
  const first = context.messages[0];
  const last = context.messages[context.messages.length - 1];
  return { topics, contextStartIndex: first ? first.sequence : null, contextEndIndex: last ? last.sequence : null };
}
