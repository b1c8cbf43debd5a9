import { describe, expect, it } from 'vitest';
import { findDates } from '../../../src/analysis/providers/local/dates.js';
import { findDiscount, findPrices } from '../../../src/analysis/providers/local/money.js';
import { messageSentiment } from '../../../src/analysis/providers/local/sentiment.js';

// Wednesday 2026-03-04, 15:30 in São Paulo (UTC−3), 18:30 UTC.
const REFERENCE = new Date('2026-03-04T18:30:00Z');

describe('local provider: money', () => {
  it.each([
    ['It is $1,299.90 per year.', 'en', 1299.9, 'USD'],
    ['Fica R$ 1.299,90 à vista.', 'pt', 1299.9, 'BRL'],
    ['Custa 99 reais por mês.', 'pt', 99, 'BRL'],
    ['O investimento é de R$ 4.800.', 'pt', 4800, 'BRL'],
    ['$1,290 for the full program', 'en', 1290, 'USD'],
    ['only $12.50 a month', 'en', 12.5, 'USD'],
    ['R$89,90 no Pix', 'pt', 89.9, 'BRL'],
  ] as const)('%s → %d %s', (text, lang, value, currency) => {
    expect(findPrices(text, lang)[0]).toMatchObject({ value, currency });
  });

  it('reads discounts only in a discount context', () => {
    expect(findDiscount('I can offer 10% off today')?.percent).toBe(10);
    expect(findDiscount('that gives you 20% off')?.percent).toBe(20);
    expect(findDiscount('consigo um desconto de 15% para você')?.percent).toBe(15);
    expect(findDiscount('the battery is at 80%')).toBeNull();
  });
});

describe('local provider: dates', () => {
  it.each([
    ['en', 'Can you call me back tomorrow at 3pm?', 'America/Sao_Paulo', '2026-03-05T15:00:00-03:00'],
    ['en', "Let's do next Monday 10am", 'America/Sao_Paulo', '2026-03-09T10:00:00-03:00'],
    ['en', 'How about Thursday, March 12 at 7 PM?', 'UTC', '2026-03-12T19:00:00+00:00'],
    ['pt', 'Pode me ligar amanhã às 15h?', 'America/Sao_Paulo', '2026-03-05T15:00:00-03:00'],
    ['pt', 'Pode ser segunda-feira às 10h', 'America/Sao_Paulo', '2026-03-09T10:00:00-03:00'],
    ['pt', 'Tenho horário quinta-feira, 05/03, às 19h30.', 'America/Sao_Paulo', '2026-03-05T19:30:00-03:00'],
    ['pt', 'na sexta às 3 da tarde', 'UTC', '2026-03-06T15:00:00+00:00'],
  ] as const)('%s: %s (%s) → %s', (lang, text, zone, iso) => {
    const dates = findDates(text, lang, REFERENCE, zone);
    expect(dates[dates.length - 1]?.iso).toBe(iso);
  });

  it('durations, bare numbers and the SAT exam are not dates', () => {
    expect(findDates('The IT team usually responds within 4 hours.', 'en', REFERENCE, 'UTC')).toEqual([]);
    expect(findDates('a equipe responde em até 24h', 'pt', REFERENCE, 'UTC')).toEqual([]);
    expect(findDates("I'm taking the SAT in 2027. I'm 17.", 'en', REFERENCE, 'UTC')).toEqual([]);
    expect(findDates('following up on SAT Prep Premium', 'en', REFERENCE, 'UTC')).toEqual([]);
  });
});

describe('local provider: sentiment', () => {
  it.each([
    ['en', 'Perfect, that fixed it. Thanks so much!', 1],
    ['en', 'This is really frustrating and the service is terrible.', -1],
    ['en', 'That is not good at all.', -1],
    ['en', 'Can you confirm the account number?', 0],
    ['pt', 'Perfeito, consegui entrar. Obrigado!', 1],
    ['pt', 'Achei muito caro, péssimo atendimento.', -1],
    ['pt', 'Não gostei nada do serviço.', -1],
    ['pt', 'Estou muito irritado, isso é um absurdo.', -1],
  ] as const)('%s: %s → sign %d', (lang, text, sign) => {
    expect(Math.sign(messageSentiment(text, lang))).toBe(sign);
  });
});
