import { describe, expect, it } from 'vitest';
import { analyze, eventsOf, onlyEvent, stagePath } from './helpers.js';
import { loadFixture } from './load-fixture.js';

describe('local provider: sales conversations', () => {
  it('price objection, 20% off, purchase (EN): SALE_MADE with the list price and the discount as a fraction; no stage is invented', async () => {
    const output = await analyze(loadFixture('en-sales-discount-purchase'));
    // Stage changes are reported when stated (a CRM line, the agent), never inferred from a quoted price.
    expect(stagePath(output)).toEqual([]);
    expect(onlyEvent(output, 'OBJECTION_DETECTION')).toMatchObject({ payload: { OBJECTION_TYPE: 'PRICE' }, contextStartIndex: 3, contextEndIndex: 3 });
    const sale = onlyEvent(output, 'SALE_MADE');
    expect(sale.payload).toEqual({ PRODUCT: 'Pro Plan', PRICE: 1299.9, DISCOUNT: 0.2, CURRENCY: 'USD' });
    // From the list-price offer to the agent's payment confirmation.
    expect(sale).toMatchObject({ contextStartIndex: 2, contextEndIndex: 8 });
    expect(sale.confidence).toBeGreaterThanOrEqual(0.85);
    expect(output.outcome).toMatchObject({ outcome: 'RESOLVED', endedBy: 'USER' });
    expect(output.outcome?.reason).toContain('Pro Plan');
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['pricing', 'discount', 'payment']));
    expect(output.summary?.text).toContain('$1,039.92');
  });

  it('authority objection and a Zoom demo tomorrow at 3pm (EN, São Paulo)', async () => {
    const output = await analyze(loadFixture('en-sales-zoom-meeting'));
    expect(onlyEvent(output, 'OBJECTION_DETECTION').payload).toEqual({ OBJECTION_TYPE: 'AUTHORITY' });
    const meeting = onlyEvent(output, 'MEETING_SCHEDULED');
    expect(meeting.payload).toEqual({ TIME_SCHEDULED: '2026-03-05T15:00:00-03:00', MEETING_CHANNEL: 'ZOOM', LINK: 'https://zoom.us/j/98765432100' });
    expect(meeting).toMatchObject({ contextStartIndex: 2, contextEndIndex: 3 });
    expect(eventsOf(output, 'FOLLOWUP_DETECTION')).toEqual([]);
    expect(output.outcome).toMatchObject({ outcome: 'RESOLVED', endedBy: 'SYSTEM' });
    expect(output.topics?.topics).toContain('meeting');
  });

  it('the same conversation read in UTC books the meeting at 15:00 UTC', async () => {
    const output = await analyze(loadFixture('en-sales-zoom-meeting', { timeZone: 'UTC' }));
    expect(onlyEvent(output, 'MEETING_SCHEDULED').payload.TIME_SCHEDULED).toBe('2026-03-05T15:00:00+00:00');
  });

  it('competitor objection and "call me back next Monday at 10am" (EN): firm call follow-up', async () => {
    const output = await analyze(loadFixture('en-sales-competitor-followup'));
    expect(eventsOf(output, 'OBJECTION_DETECTION').map((event) => event.payload)).toEqual([
      { OBJECTION_TYPE: 'COMPETITOR', COMPETITOR: 'BrightPath Tutoring' },
      { OBJECTION_TYPE: 'TIMING' },
    ]);
    const followUp = onlyEvent(output, 'FOLLOWUP_DETECTION');
    expect(followUp.payload).toEqual({ FOLLOWUP_TRY: 1, FOLLOWUP_TIME: '2026-03-09T10:00:00-03:00', FOLLOWUP_TYPE: 'CALL' });
    expect(followUp.followUp).toEqual({ score: 95, date: new Date('2026-03-09T13:00:00Z') });
    expect(followUp).toMatchObject({ contextStartIndex: 3, contextEndIndex: 5 });
    expect(output.outcome).toMatchObject({ outcome: 'NOT_RESOLVED', endedBy: 'AGENT' });
    expect(output.topics?.topics).toContain('follow-up');
  });

  it('meeting done (45 minutes, recording) and an e-mail follow-up on Friday at 9am (EN, UTC)', async () => {
    const output = await analyze(loadFixture('en-meeting-done-email-followup'));
    const done = onlyEvent(output, 'MEETING_DONE');
    // DURATION in seconds; keys not detected are absent, not null.
    expect(done.payload).toEqual({ ATTENDED: true, DURATION: 2700, VIDEO: 'https://vimeo.com/acme/demo-881' });
    expect(done).toMatchObject({ contextStartIndex: 0, contextEndIndex: 1 });
    const followUp = onlyEvent(output, 'FOLLOWUP_DETECTION');
    expect(followUp.payload).toEqual({ FOLLOWUP_TRY: 1, FOLLOWUP_TIME: '2026-03-06T09:00:00+00:00', FOLLOWUP_TYPE: 'EMAIL' });
    expect(followUp.followUp).toEqual({ score: 95, date: new Date('2026-03-06T09:00:00Z') });
    expect(output.sentiment?.label).toBe('POSITIVE');
  });

  it('price objection, "desconto de 15%", "Fechado!" (PT): R$ 1.299,90 list price parsed, DISCOUNT 0.15', async () => {
    const output = await analyze(loadFixture('pt-sales-desconto-venda'));
    expect(stagePath(output)).toEqual([]);
    expect(onlyEvent(output, 'OBJECTION_DETECTION').payload).toEqual({ OBJECTION_TYPE: 'PRICE' });
    expect(onlyEvent(output, 'SALE_MADE').payload).toEqual({ PRODUCT: 'Plano Premium', PRICE: 1299.9, DISCOUNT: 0.15, CURRENCY: 'BRL' });
    expect(output.outcome?.outcome).toBe('RESOLVED');
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['pricing', 'discount', 'payment']));
  });

  it('Google Meet meeting "segunda-feira às 10h" with a link (PT)', async () => {
    const output = await analyze(loadFixture('pt-sales-reuniao-meet'));
    expect(onlyEvent(output, 'MEETING_SCHEDULED').payload).toEqual({
      TIME_SCHEDULED: '2026-03-09T10:00:00-03:00',
      MEETING_CHANNEL: 'GOOGLE_MEET',
      LINK: 'https://meet.google.com/abc-defg-hij',
    });
    expect(onlyEvent(output, 'OBJECTION_DETECTION').payload).toEqual({ OBJECTION_TYPE: 'AUTHORITY' });
    expect(output.outcome?.outcome).toBe('RESOLVED');
    // "Pode ser… está ótimo", "Perfeito, obrigado!": agreement and politeness, not enthusiasm.
    expect(output.sentiment?.label).toBe('NEUTRAL');
  });

  it('"Me liga amanhã às 15h?" (PT): call follow-up tomorrow 15:00 São Paulo, firm', async () => {
    const output = await analyze(loadFixture('pt-followup-ligacao'));
    const followUp = onlyEvent(output, 'FOLLOWUP_DETECTION');
    expect(followUp.payload).toEqual({ FOLLOWUP_TRY: 1, FOLLOWUP_TIME: '2026-03-05T15:00:00-03:00', FOLLOWUP_TYPE: 'CALL' });
    expect(followUp.followUp).toEqual({ score: 95, date: new Date('2026-03-05T18:00:00Z') });
    expect(output.outcome).toMatchObject({ outcome: 'NOT_RESOLVED', endedBy: 'AGENT' });
  });

  it('the same follow-up read in UTC is tomorrow 15:00 UTC', async () => {
    const output = await analyze(loadFixture('pt-followup-ligacao', { timeZone: 'UTC' }));
    const followUp = onlyEvent(output, 'FOLLOWUP_DETECTION');
    expect(followUp.payload.FOLLOWUP_TIME).toBe('2026-03-05T15:00:00+00:00');
    expect(followUp.followUp?.date).toEqual(new Date('2026-03-05T15:00:00Z'));
  });

  it('a hedged WhatsApp follow-up "talvez… semana que vem" scores lower than a firm one', async () => {
    const output = await analyze(loadFixture('pt-education-lead'));
    const followUp = onlyEvent(output, 'FOLLOWUP_DETECTION');
    // "Semana que vem" names a day, not a time: the date stays a date (its local midnight for the follow-up row).
    expect(followUp.payload).toEqual({ FOLLOWUP_TRY: 1, FOLLOWUP_TIME: '2026-03-11', FOLLOWUP_TYPE: 'WHATSAPP' });
    expect(followUp.followUp?.score).toBe(45);
    expect(followUp.followUp?.date).toEqual(new Date('2026-03-11T03:00:00Z'));
    expect(stagePath(output)).toEqual([]);
    expect(output.outcome?.outcome).toBe('NOT_RESOLVED');
  });
});
