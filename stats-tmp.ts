import { generateDemoConversations } from './src/demo/demo-conversations.js';
import { LocalAnalysisProvider } from './src/analysis/providers/local/local-provider.js';
import type { AnalysisInput } from './src/analysis/analysis-provider.js';
import { validateEvent } from './src/events/event-payload.js';
const convs = generateDemoConversations({ count: Number(process.argv[2] ?? 200), seed: Number(process.argv[3] ?? 7) });
const p = new LocalAnalysisProvider();
const outcomeConf = new Map<string, number>();
const missing = new Map<string, number>(); const extra = new Map<string, number>(); const payloadDiff = new Map<string, number>();
const examples = new Map<string, string>();
let n = 0;
for (const [i, c] of convs.entries()) {
  if (c.status !== 'COMPLETED') continue;
  n++;
  const lang = (c.metaData as Record<string, string>).language;
  const input: AnalysisInput = {
    conversation: { id: c.externalId, channel: c.channel, status: c.status, startedAt: c.startedAt ?? null, endedAt: c.endedAt ?? null, durationSeconds: c.durationSeconds ?? null, endedBy: c.endedBy ?? null, endReason: c.endReason ?? null },
    messages: (c.messages ?? []).map(m => ({ sequence: m.sequence, senderRole: m.senderRole, content: m.content, sentAt: m.sentAt ?? null })),
    actions: [], tickets: (c.tickets ?? []).map(t => ({ ticketId: t.ticketId, action: t.action })),
    transfers: (c.transfers ?? []).map(t => ({ destination: t.destination ?? null, status: t.status ?? null })),
    config: { version: 1, summaryPrompt: null, dispositionMetrics: [], enabledAnalyses: ['SENTIMENT_ANALYSIS','TOPICS_DETECTED','SUMMARY','OUTCOME','EVENT_DETECTION'] },
    referenceTime: c.endedAt ?? c.startedAt ?? new Date(0), timeZone: lang === 'pt-BR' ? 'America/Sao_Paulo' : 'America/New_York',
  };
  const out = await p.analyze(input);
  for (const e of out.events ?? []) validateEvent(e.eventType, e.eventSubtype, e.payload, 'x');
  const k = `${c.outcome}->${out.outcome?.outcome}`; outcomeConf.set(k, (outcomeConf.get(k) ?? 0) + 1);
  if (c.outcome !== out.outcome?.outcome && !examples.has(k)) examples.set(k, `#${i}`);
  const key = (e: { eventType: string; eventSubtype?: string | null; payload: Record<string, unknown> }) => e.eventType === 'SALES_STAGE_CHANGE' ? `STAGE:${e.payload.NEW_STAGE}` : e.eventType === 'OBJECTION_DETECTION' ? `OBJ:${e.payload.OBJECTION_TYPE}` : `${e.eventType}${e.eventSubtype ? '/' + e.eventSubtype : ''}`;
  const val = (e: { payload: Record<string, unknown> }) => JSON.stringify({ ...e.payload, FOLLOWUP_TRY: undefined, TRANSCRIPTION: undefined, VIDEO: undefined, DURATION: undefined, DISCOUNT: e.payload.DISCOUNT === '0%' ? null : e.payload.DISCOUNT });
  const exp = (c.events ?? []).filter(e => !(e.eventType === 'SALES_STAGE_CHANGE' && (e.payload as Record<string, unknown>).NEW_STAGE === 'LEAD'));
  const got = out.events ?? [];
  for (const e of exp) { const g = got.find(x => key(x) === key(e as never)); if (!g) { missing.set(key(e as never), (missing.get(key(e as never)) ?? 0) + 1); if (!examples.has('miss ' + key(e as never))) examples.set('miss ' + key(e as never), `#${i}`); } else if (!['SALES_STAGE_CHANGE'].includes(g.eventType) && val(g) !== val(e as never)) { payloadDiff.set(key(g), (payloadDiff.get(key(g)) ?? 0) + 1); if (!examples.has('diff ' + key(g))) examples.set('diff ' + key(g), `#${i} got ${val(g)} exp ${val(e as never)}`); } }
  for (const g of got) if (!exp.find(e => key(e as never) === key(g))) { extra.set(key(g), (extra.get(key(g)) ?? 0) + 1); if (!examples.has('extra ' + key(g))) examples.set('extra ' + key(g), `#${i}`); }
}
console.log('n', n); console.log('outcomes', [...outcomeConf].sort()); console.log('missing', [...missing]); console.log('extra', [...extra]); console.log('payloadDiff', [...payloadDiff]); console.log(examples);
