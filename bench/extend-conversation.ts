import type { IngestConversationCommand, IngestMessage } from '../src/ingest/ingest.command.js';
import { Prng, round2 } from './prng.js';

/**
 * The demo conversations have ~13 messages; the benchmark wants ≈20. A completed conversation
 * gets a short post-call survey appended (satisfaction 1–5, callback wanted and when, the product
 * of interest, contact confirmation, a summary by e-mail, goodbye) until it reaches a per-
 * conversation target of 19–25 messages. The answers are what the disposition metrics of the
 * dataset are "extracted" from, so values and evidence ranges agree with the transcript.
 */
export interface SurveyAnswers {
  satisfaction: { value: number; sequence: number } | null;
  callback: { value: boolean; sequence: number } | null;
  callbackTime: { value: Date; sequence: number } | null;
  product: { value: string; sequence: number } | null;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const PLANS = ['Fiber 300', 'Fiber 500', 'Fiber 1 Giga', 'Mobile Unlimited'] as const;
const PRODUCTS_EN = ['SAT Prep Premium', 'MCAT Bootcamp', 'LSAT Live Online', 'GRE Self-Paced'] as const;
const PRODUCTS_PT = ['Extensivo ENEM', 'Semiextensivo ENEM', 'Extensivo Medicina', 'Intensivo Fuvest'] as const;
const WEEKDAYS_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const WEEKDAYS_PT = ['domingo', 'segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado'] as const;

type Step = 'satisfaction' | 'callback' | 'callbackTime' | 'product' | 'contact' | 'email';

/** Appends the survey in place (messages, end time, duration and everything that ended with the call). */
export function extendConversation(command: IngestConversationCommand, rng: Prng): SurveyAnswers {
  const answers: SurveyAnswers = { satisfaction: null, callback: null, callbackTime: null, product: null };
  const messages = command.messages ?? [];
  if (command.status !== 'COMPLETED' || command.outcome === 'ABANDONED' || messages.length === 0 || !command.endedAt) return answers;
  const target = rng.int(19, 25);
  if (messages.length + 2 > target) return answers;

  const pt = (command.metaData as { language?: string } | null)?.language === 'pt-BR';
  const t = (en: string, ptText: string) => (pt ? ptText : en);
  const voice = command.channel === 'VOICE';
  const analyzed = command.sentimentScore != null;
  const last = messages[messages.length - 1]!;
  const agentId = [...messages].reverse().find((message) => message.senderRole === 'AGENT')?.agentExternalId ?? null;
  const contactId = messages.find((message) => message.senderRole === 'USER')?.contactExternalId ?? null;
  const oldEnd = command.endedAt.getTime();
  let clock = last.sentAt?.getTime() ?? oldEnd;
  const mood = command.outcome === 'RESOLVED' ? 0.5 : command.outcome === 'NOT_RESOLVED' ? -0.3 : 0;

  const push = (role: 'AGENT' | 'USER', content: string, score: number): number => {
    const previous = messages[messages.length - 1];
    clock += role === 'AGENT' ? rng.int(900, 2_800) : rng.int(1_500, 7_000);
    if (voice && previous) clock += Math.min(10_000, previous.content.length * 60);
    const message: IngestMessage = {
      sequence: messages.length,
      senderRole: role,
      agentExternalId: role === 'AGENT' ? agentId : null,
      contactExternalId: role === 'USER' ? contactId : null,
      content,
      type: 'TEXT',
      subchannel: last.subchannel ?? null,
      sentAt: new Date(clock),
      sentimentScore: analyzed ? round2(Math.max(-1, Math.min(1, score + rng.float(-0.15, 0.15)))) : null,
      speechToTextConfidence: voice && role === 'USER' ? round2(rng.float(0.7, 0.99)) : null,
    };
    messages.push(message);
    return message.sequence;
  };

  if (last.senderRole === 'AGENT') push('USER', t('Thanks, you too!', 'Obrigado, igualmente!'), 0.4);
  const satisfied = command.outcome === 'RESOLVED' ? rng.int(4, 5) : command.outcome === 'TRANSFERRED' || command.outcome === 'ESCALATED' ? rng.int(2, 4) : rng.int(1, 3);
  const wantsCallback = rng.chance(command.outcome === 'RESOLVED' ? 0.15 : 0.6);
  const saleProduct = command.events?.find((event) => event.eventType === 'SALE_MADE')?.payload as { PRODUCT?: string } | undefined;
  const scenario = (command.metaData as { scenario?: string } | null)?.scenario;
  const product = saleProduct?.PRODUCT ?? (scenario === 'support' ? rng.pick(PLANS) : rng.pick(pt ? PRODUCTS_PT : PRODUCTS_EN));
  const phone = command.contacts?.[0]?.phoneNumber ?? null;
  const steps: Step[] = ['satisfaction', 'callback', ...(wantsCallback ? (['callbackTime'] as const) : []), 'product', 'contact', 'email'];

  for (const step of steps) {
    if (messages.length + 2 > target - 1) break;
    switch (step) {
      case 'satisfaction':
        push('AGENT', t('Before you go: on a scale from 1 to 5, how satisfied are you with this conversation?', 'Antes de encerrar: de 1 a 5, qual a sua satisfação com este atendimento?'), 0.3);
        answers.satisfaction = { value: satisfied, sequence: push('USER', t(`I'd say ${satisfied}.`, `Eu daria ${satisfied}.`), (satisfied - 3) / 2) };
        break;
      case 'callback':
        push('AGENT', t('Would you like us to call you back about this?', 'Você gostaria que retornássemos a ligação sobre isso?'), 0.3);
        answers.callback = {
          value: wantsCallback,
          sequence: push('USER', wantsCallback ? t('Yes, please call me back.', 'Sim, por favor me liguem.') : t("No, that's not necessary.", 'Não precisa, obrigado.'), mood),
        };
        break;
      case 'callbackTime': {
        const offsetHours = pt ? -3 : -5;
        const day = new Date(oldEnd + rng.int(1, 3) * DAY_MS);
        const hour = rng.int(9, 17);
        const when = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour - offsetHours, 0));
        const weekday = new Date(when.getTime() + offsetHours * 60 * MINUTE_MS).getUTCDay();
        push('AGENT', t("What's the best time to reach you?", 'Qual o melhor horário para falarmos?'), 0.3);
        const h12 = hour % 12 === 0 ? 12 : hour % 12;
        answers.callbackTime = {
          value: when,
          sequence: push('USER', t(`${WEEKDAYS_EN[weekday]} at ${h12} ${hour < 12 ? 'AM' : 'PM'} works best.`, `Na ${WEEKDAYS_PT[weekday]} às ${hour}h fica ótimo.`), mood),
        };
        break;
      }
      case 'product':
        push('AGENT', t('Which of our products or plans were you most interested in today?', 'Qual dos nossos produtos ou planos mais te interessou hoje?'), 0.3);
        answers.product = { value: product, sequence: push('USER', t(`Mostly the ${product}.`, `Principalmente o ${product}.`), 0.2) };
        break;
      case 'contact':
        push('AGENT', phone ? t(`Can I confirm that ${phone} is still the best number to reach you?`, `Posso confirmar que ${phone} ainda é o melhor número para contato?`) : t('Is this still the best way to reach you?', 'Este ainda é o melhor canal para falar com você?'), 0.3);
        push('USER', t("Yes, that's right.", 'Sim, isso mesmo.'), 0.1);
        break;
      case 'email':
        push('AGENT', t('Would you like a summary of this conversation by e-mail?', 'Quer receber um resumo desta conversa por e-mail?'), 0.3);
        push('USER', rng.chance(0.6) ? t('Sure, send it over.', 'Pode mandar, sim.') : t('No thanks.', 'Não, obrigado.'), 0.1);
        break;
    }
  }
  if (messages.length + 2 <= target + 1) {
    push('AGENT', t('Thank you for your feedback. Goodbye!', 'Obrigado pelo retorno. Até logo!'), 0.5);
    push('USER', t('Bye!', 'Tchau!'), 0.3);
  }

  // Everything that ended with the call now ends with the survey.
  const end = new Date(clock);
  command.endedAt = end;
  if (command.startedAt) command.durationSeconds = Math.round((clock - command.startedAt.getTime()) / 1000);
  command.externalUpdatedAt = end;
  for (const transfer of command.transfers ?? []) {
    if (transfer.endedAt?.getTime() === oldEnd) transfer.endedAt = end;
    if (transfer.userLeftAt?.getTime() === oldEnd) transfer.userLeftAt = end;
  }
  for (const agent of command.agents ?? []) {
    for (const usage of agent.usages ?? []) if (usage.deactivatedAt?.getTime() === oldEnd) usage.deactivatedAt = end;
  }
  for (const contact of command.contacts ?? []) {
    for (const session of contact.sessions ?? []) if (session.leftAt?.getTime() === oldEnd) session.leftAt = end;
  }
  return answers;
}
