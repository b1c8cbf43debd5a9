import { describe, expect, it } from 'vitest';
import type { DispositionMetricDefinition } from '../../../src/analysis/analysis-provider.js';
import { analyze, metric } from './helpers.js';
import { loadFixture, type FixtureName } from './load-fixture.js';

async function metricsFor(name: FixtureName, dispositionMetrics: DispositionMetricDefinition[]) {
  return analyze(loadFixture(name, { dispositionMetrics }));
}

describe('local provider: disposition metrics', () => {
  it('STRING: e-mail, name and ticket from the conversation; an unanswerable prompt is null with low confidence', async () => {
    const output = await metricsFor('en-support-password-reset', [
      { identifier: 'customer_email', prompt: "What is the customer's email? Return 'not provided' if not mentioned.", type: 'STRING' },
      { identifier: 'user_name', prompt: "What is the user's name? Return 'unknown' if not mentioned.", type: 'STRING' },
      { identifier: 'favorite_color', prompt: "What is the customer's favorite color?", type: 'STRING' },
    ]);
    expect(metric(output, 'customer_email')).toMatchObject({ type: 'STRING', value: 'daniel.brooks@example.com', contextStartIndex: 3, contextEndIndex: 3 });
    expect(metric(output, 'user_name')).toMatchObject({ value: 'Daniel Brooks', contextStartIndex: 1, contextEndIndex: 1 });
    expect(metric(output, 'user_name').confidence).toBeGreaterThan(0.8);
    const unknown = metric(output, 'favorite_color');
    expect(unknown.value).toBeNull();
    expect(unknown.confidence).toBeLessThanOrEqual(0.2);
    expect(unknown.reasoning.length).toBeGreaterThan(10);
    expect(unknown).toMatchObject({ contextStartIndex: null, contextEndIndex: null });

    const tickets = await metricsFor('en-support-ticket-transfer', [{ identifier: 'ticket_number', prompt: 'What ServiceNow ticket number was created?', type: 'STRING' }]);
    expect(metric(tickets, 'ticket_number')).toMatchObject({ value: 'INC0045123', contextStartIndex: 4, contextEndIndex: 4 });
  });

  it('BOOLEAN: from the outcome, from a purchase, from the answer to the agent question; unknown → null', async () => {
    const resolved = await metricsFor('en-support-password-reset', [{ identifier: 'issue_resolved', prompt: 'Was the customer issue resolved?', type: 'BOOLEAN' }]);
    expect(metric(resolved, 'issue_resolved')).toMatchObject({ type: 'BOOLEAN', value: true });

    const sale = await metricsFor('en-sales-discount-purchase', [{ identifier: 'purchased', prompt: 'Did the customer buy?', type: 'BOOLEAN' }]);
    // From the list-price offer to the agent's payment confirmation.
    expect(metric(sale, 'purchased')).toMatchObject({ value: true, contextStartIndex: 2, contextEndIndex: 8 });

    const lead = await metricsFor('en-education-lead', [{ identifier: 'former_student', prompt: 'Has the lead studied with us before?', type: 'BOOLEAN' }]);
    expect(metric(lead, 'former_student')).toMatchObject({ value: true, contextStartIndex: 6, contextEndIndex: 7 });
    expect(metric(lead, 'former_student').reasoning).toContain('Yes, I was a student here');

    const ptLead = await metricsFor('pt-education-lead', [{ identifier: 'ex_aluno', prompt: 'O cliente já foi aluno?', type: 'BOOLEAN' }]);
    expect(metric(ptLead, 'ex_aluno')).toMatchObject({ value: true, contextStartIndex: 6, contextEndIndex: 7 });

    const nothing = await metricsFor('pt-abandonado', [{ identifier: 'comprou', prompt: 'O cliente comprou?', type: 'BOOLEAN' }]);
    expect(metric(nothing, 'comprou').value).toBeNull();
    expect(metric(nothing, 'comprou').confidence).toBeLessThanOrEqual(0.2);
  });

  it('ENUM: only ever one of the choices, verbatim', async () => {
    const output = await metricsFor('en-sales-discount-purchase', [
      { identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM', choices: ['yes', 'no', 'unclear'] },
      { identifier: 'plan', prompt: 'Which plan did the customer choose?', type: 'ENUM', choices: ['Basic Plan', 'Pro Plan', 'Enterprise Plan'] },
      { identifier: 'budget_tier', prompt: 'Which budget tier? small, medium or large', type: 'ENUM', choices: ['small', 'medium', 'large'] },
    ]);
    expect(metric(output, 'user_interested')).toMatchObject({ type: 'ENUM', value: 'yes' });
    expect(metric(output, 'plan')).toMatchObject({ value: 'Pro Plan', contextStartIndex: 1, contextEndIndex: 1 });
    // Nothing matches and no choice means "unknown": null, never a value outside the choices.
    expect(metric(output, 'budget_tier').value).toBeNull();
    expect(metric(output, 'budget_tier').confidence).toBeLessThanOrEqual(0.2);
    for (const value of output.dispositionMetrics ?? []) {
      if (value.value !== null) expect(['yes', 'no', 'unclear', 'Basic Plan', 'Pro Plan', 'Enterprise Plan', 'small', 'medium', 'large']).toContain(value.value);
    }
  });

  it('ENUM: nothing to go on → the "unknown" choice with low confidence, or null without one', async () => {
    const output = await metricsFor('pt-abandonado', [
      { identifier: 'with_unknown', prompt: 'O cliente está interessado? sim, não ou indefinido', type: 'ENUM', choices: ['sim', 'não', 'indefinido'] },
      { identifier: 'without_unknown', prompt: 'O cliente está interessado? sim ou não', type: 'ENUM', choices: ['sim', 'não'] },
    ]);
    expect(metric(output, 'with_unknown')).toMatchObject({ value: 'indefinido' });
    expect(metric(output, 'with_unknown').confidence).toBeLessThanOrEqual(0.2);
    expect(metric(output, 'without_unknown').value).toBeNull();
    expect(metric(output, 'without_unknown').confidence).toBeLessThanOrEqual(0.2);
  });

  it('ENUM: outcome-like and sentiment-like choices follow the other analyses', async () => {
    const output = await metricsFor('en-support-ticket-transfer', [
      { identifier: 'call_result', prompt: 'How did the call end?', type: 'ENUM', choices: ['resolved', 'not_resolved', 'call_transfer'] },
      { identifier: 'caller_mood', prompt: 'What was the caller mood?', type: 'ENUM', choices: ['positive', 'neutral', 'negative', 'mixed'] },
    ]);
    expect(metric(output, 'call_result').value).toBe('call_transfer');
    // Sentiment labels are POSITIVE / NEUTRAL / NEGATIVE: angry turns then a polite thanks is negative.
    expect(metric(output, 'caller_mood').value).toBe('negative');
  });

  it('INTEGER: a rating, an age, a discount; unknown → null', async () => {
    const nps = await metricsFor('en-meeting-done-email-followup', [
      { identifier: 'nps', prompt: 'How likely is the customer to recommend us, on a scale of 0 to 10?', type: 'INTEGER' },
    ]);
    expect(metric(nps, 'nps')).toMatchObject({ type: 'INTEGER', value: 9, contextStartIndex: 3, contextEndIndex: 3 });

    const lead = await metricsFor('pt-education-lead', [
      { identifier: 'idade', prompt: 'Qual a idade do lead?', type: 'INTEGER' },
      { identifier: 'ano_enem', prompt: 'Em que ano o aluno vai prestar o ENEM?', type: 'INTEGER' },
      { identifier: 'renda', prompt: 'Qual a renda mensal da família?', type: 'INTEGER' },
    ]);
    expect(metric(lead, 'idade').value).toBe(17);
    expect(metric(lead, 'ano_enem').value).toBe(2026);
    expect(metric(lead, 'renda').value).toBeNull();
    expect(metric(lead, 'renda').confidence).toBeLessThanOrEqual(0.2);

    const sale = await metricsFor('en-sales-discount-purchase', [{ identifier: 'discount_pct', prompt: 'What discount percentage was offered?', type: 'INTEGER' }]);
    expect(metric(sale, 'discount_pct').value).toBe(20);
  });

  it('DATETIME: the meeting and the follow-up dates; unknown → null', async () => {
    const meeting = await metricsFor('en-sales-zoom-meeting', [
      { identifier: 'demo_time', prompt: 'When is the demo meeting scheduled?', type: 'DATETIME' },
      { identifier: 'contract_end', prompt: 'When does the current contract end?', type: 'DATETIME' },
    ]);
    expect(metric(meeting, 'demo_time')).toMatchObject({ type: 'DATETIME', value: new Date('2026-03-05T18:00:00Z'), contextStartIndex: 2, contextEndIndex: 3 });
    expect(metric(meeting, 'contract_end').value).toBeNull();
    expect(metric(meeting, 'contract_end').confidence).toBeLessThanOrEqual(0.2);

    const followUp = await metricsFor('pt-followup-ligacao', [{ identifier: 'retorno', prompt: 'Quando devemos retornar a ligação?', type: 'DATETIME' }]);
    expect(metric(followUp, 'retorno').value).toEqual(new Date('2026-03-05T18:00:00Z'));
  });

  it('every value has a reasoning, a confidence in [0, 1], and a range when it has a value', async () => {
    const output = await metricsFor('en-education-lead', [
      { identifier: 'age', prompt: 'How old is the lead?', type: 'INTEGER' },
      { identifier: 'desired_university', prompt: 'Which university does the lead want to get into?', type: 'STRING' },
      { identifier: 'course', prompt: 'What course does the lead want to study?', type: 'STRING' },
      { identifier: 'parent_income', prompt: "What is the parents' yearly income?", type: 'INTEGER' },
      { identifier: 'school_type', prompt: 'Is the lead at a public or private school?', type: 'ENUM', choices: ['public', 'private', 'unknown'] },
    ]);
    expect(metric(output, 'desired_university').value).toBe('Stanford University');
    expect(metric(output, 'course').value).toBe('Computer Science');
    expect(metric(output, 'school_type')).toMatchObject({ value: 'unknown' });
    for (const value of output.dispositionMetrics ?? []) {
      expect(value.reasoning).not.toBe('');
      expect(value.confidence).toBeGreaterThanOrEqual(0);
      expect(value.confidence).toBeLessThanOrEqual(1);
      if (value.value === null) expect(value.confidence).toBeLessThanOrEqual(0.2);
      if (value.value !== null && value.identifier !== 'school_type') expect(value.contextStartIndex).not.toBeNull();
    }
  });
});
