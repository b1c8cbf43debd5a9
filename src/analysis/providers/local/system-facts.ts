import { findPrices, type FoundPrice } from './money.js';
import type { AnalysisContext } from './types.js';

/**
 * Facts stated by the platform, read before any dialogue: SYSTEM lines (CRM, telephony, payments,
 * e-signature, meeting tools) and the structured tickets and transfers of the input. A fact is
 * stated, not inferred, so it outranks what the dialogue suggests.
 */

export type SalesStage = 'QUALIFIED' | 'PROPOSAL' | 'NEGOTIATION' | 'CLOSED_WON' | 'CLOSED_LOST';

export type SystemFact =
  | { kind: 'STAGE_CHANGE'; sequence: number; oldStage: string | null; newStage: string }
  | { kind: 'TICKET'; sequence: number | null; ticketId: string | null; team: string | null }
  | { kind: 'TRANSFER'; sequence: number | null; destination: string | null; connected: boolean; status: string | null }
  | { kind: 'PAYMENT'; sequence: number; price: FoundPrice | null }
  | { kind: 'SIGNATURE'; sequence: number }
  | { kind: 'MEETING_START'; sequence: number; minuteOfDay: number | null }
  | { kind: 'MEETING_END'; sequence: number; minuteOfDay: number | null }
  | { kind: 'DISCONNECT'; sequence: number; who: 'USER' | 'SYSTEM' }
  | { kind: 'QUEUE_ABANDONED'; sequence: number };

const STAGES: Array<[RegExp, SalesStage]> = [
  [/^(?:closed[ _-]?won|won|ganh[oa]|fechad[oa](?: ganh[oa])?|venda fechada)$/, 'CLOSED_WON'],
  [/^(?:closed[ _-]?lost|lost|perdid[oa]|fechad[oa] perdid[oa])$/, 'CLOSED_LOST'],
  [/^(?:negotiation|negotiating|negociacao|em negociacao)$/, 'NEGOTIATION'],
  [/^(?:proposal|proposal sent|proposta|proposta enviada)$/, 'PROPOSAL'],
  [/^(?:qualified|qualification|qualificad[oa]|qualificacao)$/, 'QUALIFIED'],
];

/** A stage as the CRM writes it → the catalog's name (unknown stages in SCREAMING_CASE). */
export function normalizeStage(raw: string): string {
  const folded = raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[."']/g, '')
    .trim();
  for (const [pattern, stage] of STAGES) if (pattern.test(folded)) return stage;
  return folded.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

const STAGE_CHANGE =
  /\b(?:stage|estagio|etapa|fase)\b[^.]*?\b(?:changed|moved|updated|alterad[oa]|mudou|movid[oa]|atualizad[oa])\b[^.]*?\b(?:from|de|do|da)\s+([\p{L} -]+?)\s+(?:to|para|pra)\s+([\p{L} -]+?)(?=[.;,]|$)/u;
const STAGE_SET = /\b(?:stage|estagio|etapa|fase)\b[^.]*?\b(?:set to|changed to|moved to|is now|alterad[oa] para|mudou para|agora e)\s+([\p{L} -]+?)(?=[.;,]|$)/u;
const TICKET = /\b(?:ticket|incident|incidente|chamado|case|caso)\b[^.]*?\b(?:created|opened|logged|criad[oa]|abert[oa]|registrad[oa])\b/;
const TICKET_ID = /\b([A-Z]{2,6}\d{4,}|#\d{4,})\b/;
const TEAM = /\b(?:assigned to|assignment group|assigned group|atribuid[oa] (?:a|ao|à|para)(?: equipe| fila)?|grupo|equipe)\s+([\p{L}0-9 &-]+?)(?=[.;,]|$)/iu;
const TRANSFER = /\b(?:transfer|transferred|transferencia|transferid[oa]|encaminhad[oa]|escalated to|escalad[oa] para)\b/;
const CONNECTED = /\b(?:connected|joined|conectad[oa]|entrou na (?:chamada|ligacao)|atendeu)\b/;
const NOT_CONNECTED = /\b(?:failed|not connected|no answer|abandoned|requested|solicitad[oa]|estimated wait|tempo estimado|em espera|waiting|aguardando|falhou|nao conectad[oa])\b/;
const DESTINATION = /\b(?:to|para|pra)\s+(?:the\s+|a\s+|o\s+)?(?:queue|fila)?\s*([\p{L}0-9][\p{L}0-9 _-]*?)(?=[.;,]|\s+(?:started|requested|initiated|iniciad|solicitad)|$)/u;
const PAYMENT = /\b(?:payment|pagamento|charge|cobranca)\b[^.]*?\b(?:confirmed|received|approved|succeeded|completed|captured|confirmad[oa]|aprovad[oa]|recebid[oa]|concluid[oa]|realizad[oa])\b|\b(?:payment|pagamento)\s+(?:received|confirmed|approved|recebido|confirmado|aprovado)\b/;
const SIGNATURE = /\b(?:e-?signature|docusign|clicksign|signed|assinad[oa]|assinatura (?:eletronica )?concluida|envelope completed|contract signed|order form signed)\b/;
const MEETING_START = /\b(?:meeting|call|session|webinar|reuniao|chamada|sessao)\s+(?:started|began|iniciad[oa]|comecou)\b/;
const MEETING_END = /\b(?:meeting|call|session|webinar|reuniao|chamada|sessao)\s+(?:ended|finished|closed|encerrad[oa]|finalizad[oa]|terminou)\b/;
const DISCONNECT = /\b(?:caller|customer|user|client|cliente|usuario)\b[^.]*?\b(?:disconnected|hung up|left|dropped|desconectou|desligou|saiu|abandonou)\b|\b(?:call dropped|ligacao caiu|chamada caiu|chamada encerrada: cliente)\b/;
const QUEUE_ABANDONED = /\b(?:abandoned (?:while )?(?:waiting|in queue)|abandonou (?:a fila|na fila|enquanto aguardava))\b/;

const fold = (text: string): string => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** "[14:00]", "14:42", "às 10:35", or an ISO time in the line → minutes since midnight. */
function minuteOfDay(text: string): number | null {
  const iso = /T(\d{2}):(\d{2})/.exec(text);
  const clock = iso ?? /\b(\d{1,2})[:h](\d{2})\b/.exec(text);
  return clock ? Number(clock[1]) * 60 + Number(clock[2]) : null;
}

export function readSystemFacts(context: AnalysisContext): SystemFact[] {
  const facts: SystemFact[] = [];
  for (const message of context.messages) {
    if (message.role !== 'SYSTEM') continue;
    const text = message.text;
    const folded = fold(text);
    const sequence = message.sequence;
    const change = STAGE_CHANGE.exec(folded);
    const set = change ? null : STAGE_SET.exec(folded);
    if (change) facts.push({ kind: 'STAGE_CHANGE', sequence, oldStage: normalizeStage(change[1]!), newStage: normalizeStage(change[2]!) });
    else if (set) facts.push({ kind: 'STAGE_CHANGE', sequence, oldStage: null, newStage: normalizeStage(set[1]!) });
    if (TICKET.test(folded)) facts.push({ kind: 'TICKET', sequence, ticketId: TICKET_ID.exec(text)?.[1] ?? null, team: TEAM.exec(text)?.[1]?.trim() ?? null });
    if (TRANSFER.test(folded)) {
      const connected = CONNECTED.test(folded) && !NOT_CONNECTED.test(folded.replace(/not connected/, ''));
      const previous = facts.find((fact): fact is Extract<SystemFact, { kind: 'TRANSFER' }> => fact.kind === 'TRANSFER');
      const destination = DESTINATION.exec(text)?.[1]?.trim() ?? null;
      if (previous) {
        previous.connected ||= connected;
        previous.destination ??= destination;
      } else facts.push({ kind: 'TRANSFER', sequence, destination, connected, status: null });
    } else if (CONNECTED.test(folded) && /\b(?:agent|atendente)\b/.test(folded)) {
      const previous = facts.find((fact): fact is Extract<SystemFact, { kind: 'TRANSFER' }> => fact.kind === 'TRANSFER');
      if (previous) previous.connected = true;
    }
    if (PAYMENT.test(folded)) facts.push({ kind: 'PAYMENT', sequence, price: findPrices(text, context.lang)[0] ?? null });
    else if (SIGNATURE.test(folded)) facts.push({ kind: 'SIGNATURE', sequence });
    if (MEETING_START.test(folded)) facts.push({ kind: 'MEETING_START', sequence, minuteOfDay: minuteOfDay(text) });
    if (MEETING_END.test(folded)) facts.push({ kind: 'MEETING_END', sequence, minuteOfDay: minuteOfDay(text) });
    if (QUEUE_ABANDONED.test(folded)) facts.push({ kind: 'QUEUE_ABANDONED', sequence });
    else if (DISCONNECT.test(folded)) facts.push({ kind: 'DISCONNECT', sequence, who: 'USER' });
  }
  // The structured records of the input say the same kind of thing.
  for (const ticket of context.input.tickets) {
    if (ticket.action !== 'CREATED') continue;
    if (facts.some((fact) => fact.kind === 'TICKET' && fact.ticketId === ticket.ticketId)) continue;
    facts.push({ kind: 'TICKET', sequence: null, ticketId: ticket.ticketId, team: null });
  }
  for (const transfer of context.input.transfers) {
    const connected = /connected|completed|success|conectad/i.test(transfer.status ?? '');
    const known = facts.find((fact): fact is Extract<SystemFact, { kind: 'TRANSFER' }> => fact.kind === 'TRANSFER');
    if (known) {
      known.connected ||= connected;
      known.status ??= transfer.status;
    } else facts.push({ kind: 'TRANSFER', sequence: null, destination: transfer.destination, connected, status: transfer.status });
  }
  return facts;
}

export function factsOf<K extends SystemFact['kind']>(facts: readonly SystemFact[], kind: K): Array<Extract<SystemFact, { kind: K }>> {
  return facts.filter((fact): fact is Extract<SystemFact, { kind: K }> => fact.kind === kind);
}
