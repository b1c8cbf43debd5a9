import { describe, expect, it } from 'vitest';
import { analyze, customerInfo, eventsOf } from './helpers.js';
import { loadFixture } from './load-fixture.js';

describe('local provider: customer information', () => {
  it('an English education lead', async () => {
    const output = await analyze(loadFixture('en-education-lead'));
    expect(customerInfo(output)).toEqual({
      NAME: 'Sofia Martinez',
      COURSE_INTENDED: 'Computer Science',
      DESIRED_INSTITUTION: 'Stanford University',
      AGE: 17,
      EXAM_YEAR: 2027,
      GRADUATION_INSTITUTION: 'Lincoln High School',
      EXSTUDENT: true,
    });
    const age = eventsOf(output, 'CUSTOMER_INFORMATION_DETECTION', 'AGE')[0];
    expect(age).toMatchObject({ contextStartIndex: 5, contextEndIndex: 5 });
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['sat', 'courses']));
  });

  it('a Portuguese education lead', async () => {
    const output = await analyze(loadFixture('pt-education-lead'));
    expect(customerInfo(output)).toEqual({
      NAME: 'João Pedro Oliveira',
      COURSE_INTENDED: 'Direito',
      DESIRED_INSTITUTION: 'USP',
      AGE: 17,
      EXAM_YEAR: 2026,
      GRADUATION_INSTITUTION: 'Colégio Bandeirantes',
      EXSTUDENT: true,
    });
    expect(output.topics?.topics).toEqual(expect.arrayContaining(['enem', 'law']));
  });

  it('only from the customer: the agent introducing itself is not the customer name', async () => {
    const output = await analyze(loadFixture('en-support-ticket-transfer'));
    expect(eventsOf(output, 'CUSTOMER_INFORMATION_DETECTION')).toEqual([]);
  });

  it('statements about someone else, negations and prices are not customer facts', async () => {
    const base = loadFixture('en-abandoned');
    const input = {
      ...base,
      messages: [
        { sequence: 0, senderRole: 'AGENT' as const, content: 'Hi, this is Leo. Who am I talking to?', sentAt: null },
        { sequence: 1, senderRole: 'USER' as const, content: "I'm calling for my son, he is 17 and wants to study medicine.", sentAt: null },
        { sequence: 2, senderRole: 'AGENT' as const, content: 'Great! Have you studied with us before?', sentAt: null },
        { sequence: 3, senderRole: 'USER' as const, content: "No, this is my first time. I'm not sure about the $1,290 price.", sentAt: null },
      ],
    };
    const output = await analyze(input);
    expect(customerInfo(output)).toEqual({ EXSTUDENT: false });
  });
});

describe('local provider: customer information phrasings', () => {
  async function factsOf(lines: string[]): Promise<Record<string, unknown>> {
    const base = loadFixture('pt-abandonado');
    const messages = lines.flatMap((content, i) => [
      { sequence: i * 2, senderRole: 'AGENT' as const, content: 'Pode me contar um pouco sobre você?', sentAt: null },
      { sequence: i * 2 + 1, senderRole: 'USER' as const, content, sentAt: null },
    ]);
    return customerInfo(await analyze({ ...base, messages }));
  }

  it('Portuguese: "sou a", "me formei na", "quero entrar na", "quero cursar", "ENEM 2027", "já fui aluna"', async () => {
    expect(
      await factsOf([
        'Oi, sou a Ana Beatriz da Silva.',
        'Tenho 18 anos e me formei na Escola Estadual Fernão Dias Paes.',
        'Quero cursar Medicina e meu sonho é entrar na Unicamp.',
        'Vou prestar o ENEM 2027.',
        'Já fui aluna de vocês em 2024.',
      ]),
    ).toEqual({
      NAME: 'Ana Beatriz da Silva',
      AGE: 18,
      GRADUATION_INSTITUTION: 'Escola Estadual Fernão Dias Paes',
      COURSE_INTENDED: 'Medicina',
      DESIRED_INSTITUTION: 'Unicamp',
      EXAM_YEAR: 2027,
      EXSTUDENT: true,
    });
  });

  it('English: "I\'m", "I graduated from", "I want to get into", "exam in"', async () => {
    expect(
      await factsOf([
        "Hi, I'm Marcus Reed.",
        "I'm 24 years old and I graduated from Ohio State University.",
        'I want to get into Johns Hopkins and I want to study Medicine.',
        'My exam is in 2027.',
      ]),
    ).toEqual({
      NAME: 'Marcus Reed',
      AGE: 24,
      GRADUATION_INSTITUTION: 'Ohio State University',
      DESIRED_INSTITUTION: 'Johns Hopkins',
      COURSE_INTENDED: 'Medicine',
      EXAM_YEAR: 2027,
    });
  });
});
