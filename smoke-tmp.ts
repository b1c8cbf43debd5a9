import { generateDemoConversations } from './src/demo/demo-conversations.js';
import { LocalAnalysisProvider } from './src/analysis/providers/local/local-provider.js';
import type { AnalysisInput } from './src/analysis/analysis-provider.js';
const convs = generateDemoConversations({ count: Number(process.argv[2] ?? 10), seed: Number(process.argv[3] ?? 1) });
const p = new LocalAnalysisProvider();
const only = process.argv[4] ? Number(process.argv[4]) : -1;
for (const [i, c] of convs.entries()) {
  if (only >= 0 && i !== only) continue;
  const lang = (c.metaData as Record<string, string>).language;
  const input: AnalysisInput = {
    conversation: { id: c.externalId, channel: c.channel, status: c.status, startedAt: c.startedAt ?? null, endedAt: c.endedAt ?? null, durationSeconds: c.durationSeconds ?? null, endedBy: c.endedBy ?? null, endReason: c.endReason ?? null },
    messages: (c.messages ?? []).map(m => ({ sequence: m.sequence, senderRole: m.senderRole, content: m.content, sentAt: m.sentAt ?? null })),
    actions: (c.actions ?? []).map(a => ({ functionName: a.functionName, status: a.status, messageSequence: a.messageSequence ?? null })),
    tickets: (c.tickets ?? []).map(t => ({ ticketId: t.ticketId, action: t.action })),
    transfers: (c.transfers ?? []).map(t => ({ destination: t.destination ?? null, status: t.status ?? null })),
    config: { version: 1, summaryPrompt: null, dispositionMetrics: [], enabledAnalyses: ['SENTIMENT_ANALYSIS','TOPICS_DETECTED','SUMMARY','OUTCOME','EVENT_DETECTION'] },
    referenceTime: c.endedAt ?? c.startedAt ?? new Date(0),
    timeZone: lang === 'pt-BR' ? 'America/Sao_Paulo' : 'America/New_York',
  };
  const out = await p.analyze(input);
  console.log(`\n===== #${i} ${c.externalId} ${lang} ${c.channel} expected=${c.outcome} got=${out.outcome?.outcome} | ${out.outcome?.reason}`);
  if (only >= 0) for (const m of input.messages) console.log(`  [${m.sequence}] ${m.senderRole}: ${m.content}`);
  console.log('  topics', JSON.stringify(out.topics?.topics), 'expected', JSON.stringify(c.topics), 'sent', out.sentiment?.label, out.sentiment?.score, 'exp', c.sentimentLabel);
  const fmt = (e: { eventType: string; eventSubtype?: string | null; payload: unknown; contextStartIndex?: number | null; contextEndIndex?: number | null; followUpScore?: number; followUp?: { score: number } }) => `${e.eventType}${e.eventSubtype ? '/' + e.eventSubtype : ''} ${JSON.stringify(e.payload)} [${e.contextStartIndex},${e.contextEndIndex}]${e.followUp ? ' score=' + e.followUp.score : ''}${e.followUpScore !== undefined ? ' score=' + e.followUpScore : ''}`;
  const got = (out.events ?? []).map(fmt);
  const exp = (c.events ?? []).map(fmt);
  console.log('  GOT:\n    ' + got.join('\n    '));
  console.log('  EXP:\n    ' + exp.join('\n    '));
  if (only >= 0) console.log('  SUMMARY', out.summary?.text);
}
