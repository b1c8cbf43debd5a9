import type { AnalysisConfigSnapshot, AnalysisInput } from '../../../src/analysis/analysis-provider.js';

/** A sales call in São Paulo (UTC-3 all year): a name, an objection, a call-back "tomorrow at 3pm". */

export const fullConfig: AnalysisConfigSnapshot = {
  version: 4,
  summaryPrompt: 'Summarize this sales call briefly.',
  dispositionMetrics: [
    { identifier: 'user_interested', prompt: 'Was the user interested? yes, no, or unclear', type: 'ENUM', choices: ['yes', 'no', 'unclear'] },
    { identifier: 'user_name', prompt: "What is the user's name?", type: 'STRING' },
    { identifier: 'callback_time', prompt: 'When should we call the user back?', type: 'DATETIME' },
    { identifier: 'interest_rating', prompt: 'Rate the interest from 1 to 5.', type: 'INTEGER' },
    { identifier: 'wants_payment_plan', prompt: 'Does the user want a payment plan?', type: 'BOOLEAN' },
    { identifier: 'user_email', prompt: "What is the user's email?", type: 'STRING' },
  ],
  enabledAnalyses: ['SUMMARY', 'SENTIMENT_ANALYSIS', 'TOPICS_DETECTED', 'OUTCOME', 'EVENT_DETECTION', 'DISPOSITION_METRICS'],
};

export function salesCallInput(config: AnalysisConfigSnapshot = fullConfig): AnalysisInput {
  return {
    conversation: {
      id: '7d1f0a52-3a53-4c55-9b1e-4f3f1c0d2a10',
      channel: 'VOICE',
      status: 'COMPLETED',
      startedAt: new Date('2025-03-10T13:55:00Z'),
      endedAt: new Date('2025-03-10T14:00:00Z'),
      durationSeconds: 300,
      endedBy: 'USER',
      endReason: 'user_hangup',
    },
    messages: [
      { sequence: 1, senderRole: 'AGENT', content: 'Hi, this is Ava from Alma Prep. Am I speaking with Maria?', sentAt: null },
      { sequence: 2, senderRole: 'USER', content: "Yes, I'm Maria Silva. I'm interested in your medicine prep course.", sentAt: null },
      { sequence: 3, senderRole: 'AGENT', content: 'Great! The intensive course is 1200 dollars. When is your exam?', sentAt: null },
      { sequence: 4, senderRole: 'USER', content: "In 2026.\nIt's a bit expensive though.", sentAt: null },
      { sequence: 5, senderRole: 'AGENT', content: 'I can call you back tomorrow at 3pm to go over payment plans.', sentAt: null },
      { sequence: 6, senderRole: 'USER', content: 'Sounds good, thanks! Bye.', sentAt: null },
    ],
    actions: [{ functionName: 'lookup_course_price', status: 'SUCCESS', messageSequence: 3 }],
    tickets: [],
    transfers: [],
    config,
    referenceTime: new Date('2025-03-10T14:00:00Z'),
    timeZone: 'America/Sao_Paulo',
  };
}

/** What a well-behaved model answers for `salesCallInput()` with `fullConfig`. */
export function goodAnswer(): Record<string, unknown> {
  return {
    summary: { text: 'Maria is interested in the medicine prep course; a call-back was set to discuss payment plans.', contextStartIndex: 1, contextEndIndex: 6 },
    sentiment: {
      score: 0.4,
      label: 'POSITIVE',
      perMessage: [
        { sequence: 2, score: 0.6 },
        { sequence: 4, score: -0.2 },
        { sequence: 6, score: 0.7 },
      ],
      contextStartIndex: 1,
      contextEndIndex: 6,
    },
    topics: { topics: ['medicine prep course', 'pricing', 'payment plans'], contextStartIndex: 2, contextEndIndex: 5 },
    outcome: { outcome: 'RESOLVED', reason: 'A call-back was agreed.', endedBy: 'USER', contextStartIndex: 5, contextEndIndex: 6 },
    events: [
      {
        eventType: 'CUSTOMER_INFORMATION_DETECTION',
        eventSubtype: 'NAME',
        payload: { VALUE: 'Maria Silva' },
        confidence: 0.95,
        followUpScore: null,
        contextStartIndex: 2,
        contextEndIndex: 2,
      },
      {
        eventType: 'OBJECTION_DETECTION',
        eventSubtype: null,
        payload: { OBJECTION_TYPE: 'PRICE' },
        confidence: 0.8,
        followUpScore: null,
        contextStartIndex: 4,
        contextEndIndex: 4,
      },
      {
        eventType: 'FOLLOWUP_DETECTION',
        eventSubtype: null,
        payload: { FOLLOWUP_TRY: null, FOLLOWUP_TIME: '2025-03-11T15:00:00-03:00', FOLLOWUP_TYPE: 'CALL' },
        confidence: 0.9,
        followUpScore: 80,
        contextStartIndex: 5,
        contextEndIndex: 6,
      },
    ],
    dispositionMetrics: {
      user_interested: { value: 'yes', confidence: 1, reasoning: 'She said she is interested.', contextStartIndex: 2, contextEndIndex: 2 },
      user_name: { value: 'Maria Silva', confidence: 1, reasoning: 'She gave her name.', contextStartIndex: 2, contextEndIndex: 2 },
      callback_time: { value: '2025-03-11T15:00:00-03:00', confidence: 0.9, reasoning: 'Tomorrow at 3pm.', contextStartIndex: 5, contextEndIndex: 6 },
      interest_rating: { value: 4, confidence: 0.7, reasoning: 'Interested but price-sensitive.', contextStartIndex: 2, contextEndIndex: 4 },
      wants_payment_plan: { value: true, confidence: 0.8, reasoning: 'She agreed to discuss payment plans.', contextStartIndex: 5, contextEndIndex: 6 },
      user_email: { value: null, confidence: 0.6, reasoning: 'No email was given.', contextStartIndex: null, contextEndIndex: null },
    },
  };
}
