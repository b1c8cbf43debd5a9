import { describe, expect, it } from 'vitest';
import type { AnalysisInput } from '../../../src/analysis/analysis-provider.js';
import { findDates } from '../../../src/analysis/providers/local/dates.js';
import { findDiscount, findPrices } from '../../../src/analysis/providers/local/money.js';
import { normalizeStage } from '../../../src/analysis/providers/local/system-facts.js';
import { sentimentLabel } from '../../../src/analysis/providers/local/sentiment.js';
import { analyze, customerInfo, eventsOf, onlyEvent } from './helpers.js';

const REFERENCE = new Date('2026-05-04T13:20:00-04:00'); // a Monday, 13:20 in New York

function input(lines: string[], timeZone = 'America/New_York', reference = REFERENCE): AnalysisInput {
  const roles = { A: 'AGENT', U: 'USER', S: 'SYSTEM' } as const;
  return {
    conversation: { id: 'c', channel: 'VOICE', status: 'COMPLETED', startedAt: null, endedAt: reference, durationSeconds: null, endedBy: null, endReason: null },
    messages: lines.map((line, sequence) => ({ sequence, senderRole: roles[line[0] as 'A' | 'U' | 'S'], content: line.slice(3), sentAt: null })),
    actions: [],
    tickets: [],
    transfers: [],
    config: { version: 1, summaryPrompt: null, dispositionMetrics: [], enabledAnalyses: ['EVENT_DETECTION', 'OUTCOME', 'SENTIMENT_ANALYSIS', 'SUMMARY'] },
    referenceTime: reference,
    timeZone,
  };
}

const isoOf = (text: string, lang: 'en' | 'pt' = 'en', timeZone = 'America/New_York') => findDates(text, lang, REFERENCE, timeZone).map((date) => date.iso);

describe('local provider: reading times as said on a call', () => {
  it('relative days, weekdays, days of the month, and a day without a clock time stays a date', () => {
    expect(isoOf('the day after tomorrow at 9:30')).toEqual(['2026-05-06T09:30:00-04:00']);
    expect(isoOf('depois de amanhã às 14h', 'pt', 'America/Sao_Paulo')).toEqual(['2026-05-06T14:00:00-03:00']);
    expect(isoOf('call me next Tuesday')).toEqual(['2026-05-12']);
    expect(isoOf('me liga no dia 15 às 9 da manhã', 'pt', 'America/Sao_Paulo')).toEqual(['2026-05-15T09:00:00-03:00']);
    // A schedule ("on Saturdays") is not a date.
    expect(isoOf('It is in person, on Saturdays.')).toEqual([]);
  });

  it('clock times in words, a part of the day shared by a list, afternoon for 1–7 o’clock, today when no day is said', () => {
    expect(isoOf('Could you call me back at half past five?')).toEqual(['2026-05-04T17:30:00-04:00']);
    expect(isoOf('pode me ligar às cinco e meia?', 'pt', 'America/Sao_Paulo')).toEqual(['2026-05-04T17:30:00-03:00']);
    expect(isoOf('We have Saturday at 10 or 11 in the morning.')).toEqual(['2026-05-09T10:00:00-04:00', '2026-05-09T11:00:00-04:00']);
    expect(isoOf('quinta às 2 ou às 4 da tarde', 'pt', 'America/Sao_Paulo')).toEqual(['2026-05-07T14:00:00-03:00', '2026-05-07T16:00:00-03:00']);
    expect(isoOf("I'll email you the confirmation today by five.")).toEqual(['2026-05-04T17:00:00-04:00']);
    // Prices, counts and durations are not times.
    expect(isoOf("The plan is $49 per user; with your 6 users that's $294. It takes 3 to 5 business days.")).toEqual([]);
    // A bare number answers a proposal only when asked to read it so.
    expect(findDates('Four works for me.', 'en', REFERENCE, 'America/New_York').length).toBe(0);
    expect(findDates('Four works for me.', 'en', REFERENCE, 'America/New_York', { bareTimes: true, defaultDay: '2026-05-07' })[0]?.iso).toBe('2026-05-07T16:00:00-04:00');
  });
});

describe('local provider: money and stages', () => {
  it('amounts in words and pounds; discounts said as words or "less"', () => {
    expect(findPrices('Our course is twelve hundred dollars.', 'en').map((price) => [price.value, price.currency])).toEqual([[1200, 'USD']]);
    expect(findPrices('custa dois mil reais', 'pt').map((price) => [price.value, price.currency])).toEqual([[2000, 'BRL']]);
    expect(findPrices('Growth is £1,500 per year', 'en').map((price) => [price.value, price.currency])).toEqual([[1500, 'GBP']]);
    expect(findDiscount('there is a twenty percent scholarship')?.percent).toBe(20);
    expect(findDiscount('bolsa de trinta por cento')?.percent).toBe(30);
    expect(findDiscount("with the safe-driver discount it's 10% less")?.percent).toBe(10);
  });

  it('CRM stage names in either language map to the catalog', () => {
    expect(['Closed Won', 'Ganho', 'Perdido', 'Negociação', 'Proposal', 'Qualificado'].map(normalizeStage)).toEqual([
      'CLOSED_WON',
      'CLOSED_WON',
      'CLOSED_LOST',
      'NEGOTIATION',
      'PROPOSAL',
      'QUALIFIED',
    ]);
  });
});

describe('local provider: conversation structure', () => {
  it('facts in SYSTEM lines: a stated stage change, a connected transfer, a ticket, a meeting start and end', async () => {
    const stage = await analyze(input(['A: Hi, following up on the proposal.', 'U: We will pass, thanks.', 'S: CRM: opportunity stage changed from Proposal to Closed Lost.']));
    expect(onlyEvent(stage, 'SALES_STAGE_CHANGE').payload).toEqual({ OLD_STAGE: 'PROPOSAL', NEW_STAGE: 'CLOSED_LOST' });
    const transfer = await analyze(input(['U: I need to dispute a charge.', 'A: Let me connect you.', 'S: Transfer initiated to queue Disputes.', 'S: Transfer connected.']));
    expect(transfer.outcome?.outcome).toBe('TRANSFERRED');
    const ticket = await analyze(input(['U: The internet is down.', 'A: I will open a ticket.', 'S: ServiceNow ticket INC0012345 created, assigned to Field Ops.']));
    expect(ticket.outcome).toMatchObject({ outcome: 'ESCALATED' });
    expect(ticket.outcome?.reason).toContain('INC0012345');
    const meeting = await analyze(input(['S: [14:00] Meeting started (Zoom).', 'A: Thanks for joining.', 'U: Sure.', 'S: [14:42] Meeting ended.']));
    expect(onlyEvent(meeting, 'MEETING_DONE').payload).toEqual({ ATTENDED: true, DURATION: 2520 });
  });

  it('a slot picked by its hour keeps the proposal’s day and afternoon; a refused slot is dropped for the counter-proposal', async () => {
    const picked = await analyze(input(['A: Our advisors have Thursday at 2 pm or 4 pm on Zoom.', 'U: Four works for me.', 'A: Perfect, see you then.']));
    expect(onlyEvent(picked, 'MEETING_SCHEDULED').payload).toMatchObject({ TIME_SCHEDULED: '2026-05-07T16:00:00-04:00', MEETING_CHANNEL: 'ZOOM' });
    const countered = await analyze(input(['A: Can I show you a demo tomorrow at 10 am?', "U: Tomorrow's no good. Wednesday at 3 would work.", 'A: Wednesday at 3 pm it is.']));
    expect(eventsOf(countered, 'MEETING_SCHEDULED').map((event) => event.payload.TIME_SCHEDULED)).toEqual(['2026-05-06T15:00:00-04:00']);
    // A refused slot is not a timing objection.
    expect(eventsOf(countered, 'OBJECTION_DETECTION')).toEqual([]);
  });

  it('a product’s format followed by a refusal is neither a meeting nor a sale', async () => {
    const output = await analyze(input(['A: The bootcamp is in person, on Saturdays from 9 to 1. It is $3,200.', "U: Saturdays don't work for me. I'll pass for now."]));
    expect(eventsOf(output, 'MEETING_SCHEDULED')).toEqual([]);
    expect(eventsOf(output, 'SALE_MADE')).toEqual([]);
    expect(onlyEvent(output, 'OBJECTION_DETECTION').payload).toEqual({ OBJECTION_TYPE: 'TIMING' });
    expect(output.outcome?.outcome).toBe('NOT_RESOLVED');
  });

  it('SALE_MADE: list price, discount as a fraction, confirmed by the payment line', async () => {
    const output = await analyze(input(['A: The Business plan is $2,400 a year.', 'U: That is more than we budgeted for.', 'A: I can take 15% off the first year.', "U: Okay, let's go ahead with it.", 'S: Payment of $2,040.00 confirmed.']));
    expect(onlyEvent(output, 'SALE_MADE').payload).toEqual({ PRODUCT: 'Business plan', PRICE: 2400, CURRENCY: 'USD', DISCOUNT: 0.15 });
  });

  it('customer information from bare answers to the agent’s questions', async () => {
    const output = await analyze(
      input(['A: Who am I speaking with?', 'U: Dana Whitfield.', 'A: How old are you?', 'U: Seventeen.', 'A: When are you planning to take the SAT?', 'U: Next year.', 'A: What would you like to study?', 'U: Nursing at Boston College.']),
    );
    expect(customerInfo(output)).toEqual({ NAME: 'Dana Whitfield', AGE: 17, EXAM_YEAR: 2027, COURSE_INTENDED: 'Nursing', DESIRED_INSTITUTION: 'Boston College' });
  });

  it('sentiment: one angry turn makes the call negative, politeness alone is neutral, a later delight wins', async () => {
    expect(sentimentLabel([0, -0.8, 0])).toBe('NEGATIVE');
    expect(sentimentLabel([0.3, 0.2])).toBe('NEUTRAL');
    expect(sentimentLabel([-0.8, 0.8])).toBe('POSITIVE');
    const polite = await analyze(input(['A: Hello!', 'U: Hi, thanks so much, good morning!', 'A: Your access is unlocked.', 'U: Thank you, have a wonderful day!']));
    expect(polite.sentiment?.label).toBe('NEUTRAL');
    const angry = await analyze(input(['A: Hello!', 'U: I was charged twice.', 'A: Let me check.', "U: I'm honestly fed up with this company.", 'A: Refund issued.', 'U: Okay.']));
    expect(angry.sentiment?.label).toBe('NEGATIVE');
  });

  it('the summary prompt sets the length, the focus, the next steps and whether the outcome is stated', async () => {
    const lines = [
      'A: Hi, this is Priya from Ledgerly.',
      'U: We need bookkeeping for a team of eight.',
      'A: The Business plan is $2,400 a year.',
      'U: Honestly that is more than we budgeted for.',
      'A: I can call you back on Thursday at 10 am with a better offer.',
      'U: Okay, talk then.',
    ];
    const withPrompt = (summaryPrompt: string | null) => {
      const base = input(lines);
      return analyze({ ...base, config: { ...base.config, summaryPrompt } });
    };
    const oneSentence = (await withPrompt('In one sentence, focus on the price.')).summary!.text;
    expect(oneSentence).toBe('Agent: The Business plan is $2,400 a year.');
    const nextSteps = (await withPrompt('Summarize the call and list the next steps.')).summary!.text;
    expect(nextSteps).toContain('Next steps: call follow-up 2026-05-07T10:00:00-04:00.');
    expect(nextSteps).toContain('Outcome: NOT_RESOLVED');
    const plain = (await withPrompt(null)).summary!.text;
    expect(plain.startsWith('Customer: We need bookkeeping for a team of eight.')).toBe(true);
  });

  it('wordings outside the evaluation set: a meeting named in the answer, soft objections, a reschedule, a pending fix, relief', async () => {
    const teams = await analyze(
      input(['A: Following up on the wellness quote.', 'U: Ninety dollars per employee is way over what we can spend.', 'U: And I still need my CFO to sign off.', 'A: Could we get fifteen minutes with both of you on Friday at 11?', 'U: Friday at 11 is fine, send me a Teams link.', 'A: Done, invite sent.']),
    );
    expect(eventsOf(teams, 'OBJECTION_DETECTION').map((event) => event.payload.OBJECTION_TYPE)).toEqual(['PRICE', 'AUTHORITY']);
    expect(onlyEvent(teams, 'MEETING_SCHEDULED').payload).toEqual({ TIME_SCHEDULED: '2026-05-08T11:00:00-04:00', MEETING_CHANNEL: 'TEAMS' });
    expect(eventsOf(teams, 'FOLLOWUP_DETECTION')).toEqual([]);

    const reschedule = await analyze(input(['A: Boa tarde, Clínica Vida.', 'U: Queria remarcar minha consulta de amanhã.', 'A: Tenho quarta às 9h ou às 15h.', 'U: Quarta às três da tarde.', 'A: Remarcado para quarta às 15h.'], 'America/Sao_Paulo'));
    expect(onlyEvent(reschedule, 'MEETING_SCHEDULED').payload.TIME_SCHEDULED).toBe('2026-05-06T15:00:00-03:00');

    const outage = await analyze(input(['U: My phone has had no signal since yesterday, I cannot work like this.', 'A: There is an outage; our engineers expect it fixed by 6 pm today.', 'U: Okay.']));
    expect(outage.outcome?.outcome).toBe('NOT_RESOLVED');
    expect(outage.sentiment?.label).toBe('NEGATIVE');

    const relief = await analyze(input(['U: Meu cartão foi bloqueado e estou no mercado, que vergonha.', 'A: Foi um bloqueio preventivo. Já desbloqueei.', 'U: Passou! Ufa, obrigado.'], 'America/Sao_Paulo'));
    expect(relief.sentiment?.label).toBe('POSITIVE');
  });
});
