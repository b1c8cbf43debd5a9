// Equivalence check: sends each scenario's request(s) once to our API and to PostGraphile, and compares
// what came back (conversation ids in order, numbers of messages/agents/events/analyses/…, totalCounts)
// and the response sizes. Prints a table; writes CHECK_OUT (default check.json).
// Run from the checkout with `node --import tsx`.
import { readFileSync, writeFileSync } from 'node:fs';
import { bodies } from './queries.mjs';

const ctx = JSON.parse(readFileSync(process.env.CONTEXT || 'context.json', 'utf8'));
const urls = { ours: process.env.OURS_URL || 'http://127.0.0.1:4731', pgl: process.env.PGL_URL || 'http://127.0.0.1:5678' };
const headers = { ours: { 'x-api-key': ctx.apiKey }, pgl: {} };
const list = (value) => (Array.isArray(value) ? value : value?.nodes ?? []);

async function post(side, body) {
  const started = performance.now();
  const response = await fetch(`${urls[side]}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers[side] }, body });
  const text = await response.text();
  const ms = performance.now() - started;
  const json = JSON.parse(text);
  if (response.status !== 200 || json.errors) throw new Error(`${side}: HTTP ${response.status} ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  return { data: json.data, bytes: Buffer.byteLength(text), ms };
}

function summarizeDashboard(data) {
  const edges = data.conversations.edges;
  const sum = (f) => edges.reduce((n, e) => n + f(e.node), 0);
  return {
    conversations: edges.length,
    totalCount: data.conversations.totalCount,
    hasNextPage: data.conversations.pageInfo.hasNextPage,
    idsHash: edges.map((e) => e.node.id).join(','),
    messages: sum((n) => n.messages.edges.length),
    messageTotalCounts: sum((n) => n.messages.totalCount),
    agents: sum((n) => list(n.agents).length),
    events: sum((n) => list(n.events).length),
    eventsWithFollowUp: sum((n) => list(n.events).filter((e) => e.followUp).length),
    analyses: sum((n) => list(n.analyses).length),
    analysisResultBytes: sum((n) => list(n.analyses).reduce((b, a) => b + JSON.stringify(a.result).length, 0)),
    messagesWithAgentSender: sum((n) => n.messages.edges.filter((e) => e.node.sender).length),
    messagesWithContactSender: sum((n) => n.messages.edges.filter((e) => e.node.senderContact).length),
  };
}

function summarizeList(data) {
  const edges = data.conversations.edges;
  return { conversations: edges.length, hasNextPage: data.conversations.pageInfo.hasNextPage, idsHash: edges.map((e) => e.node.id).join(',') };
}

function summarizeDetail(c) {
  return {
    found: c ? 1 : 0,
    agents: list(c.agents).length, participants: list(c.participants).length, messages: c.messages.edges.length, messageCount: c.messages.totalCount,
    actions: list(c.actions).length, tickets: list(c.tickets).length, transfers: list(c.transfers).length, events: list(c.events).length,
    followUps: list(c.followUps).filter((f) => !f.event || f.event.supersededAt === null).length,
    followUpsIncludingSuperseded: list(c.followUps).length,
    analyses: list(c.analyses).length, dispositionMetrics: list(c.dispositionMetrics).length, metrics: c.metrics ? 1 : 0,
  };
}

const result = {};
for (const scenario of ['dashboard', 'detail', 'list']) {
  const perSide = {};
  for (const side of ['ours', 'pgl']) {
    const reqs = bodies(scenario, side, ctx);
    const answers = [];
    for (const body of reqs) answers.push(await post(side, body));
    let summary;
    if (scenario === 'dashboard') summary = summarizeDashboard(answers[0].data);
    else if (scenario === 'list') summary = summarizeList(answers[0].data);
    else {
      summary = {};
      for (const a of answers) for (const [k, v] of Object.entries(summarizeDetail(a.data.conversation))) summary[k] = (summary[k] ?? 0) + v;
      summary.requests = answers.length;
    }
    const bytes = answers.map((a) => a.bytes);
    perSide[side] = { summary, bytesMean: Math.round(bytes.reduce((s, b) => s + b, 0) / bytes.length), bytesMin: Math.min(...bytes), bytesMax: Math.max(...bytes) };
  }
  const keys = Object.keys(perSide.ours.summary);
  const diffs = keys.filter((k) => k in perSide.pgl.summary && perSide.ours.summary[k] !== perSide.pgl.summary[k]);
  result[scenario] = { ...perSide, differences: diffs };
  console.log(`\n${scenario}: ours ${(perSide.ours.bytesMean / 1024).toFixed(1)} KB, PostGraphile ${(perSide.pgl.bytesMean / 1024).toFixed(1)} KB (mean per response)`);
  for (const k of keys) {
    if (k === 'idsHash') { console.log(`  same ids in the same order: ${perSide.ours.summary[k] === perSide.pgl.summary[k]}`); continue; }
    console.log(`  ${k.padEnd(28)} ours ${String(perSide.ours.summary[k]).padStart(8)}   pgl ${String(perSide.pgl.summary[k] ?? '—').padStart(8)}`);
  }
  for (const k of Object.keys(perSide.pgl.summary).filter((k) => !(k in perSide.ours.summary))) console.log(`  ${k.padEnd(28)} ours        —   pgl ${String(perSide.pgl.summary[k]).padStart(8)}`);
}
for (const s of Object.values(result)) { delete s.ours.summary.idsHash; delete s.pgl.summary.idsHash; }
writeFileSync(process.env.CHECK_OUT || 'check.json', `${JSON.stringify(result, null, 2)}\n`);
const differing = Object.entries(result).filter(([, s]) => s.differences.length).map(([name, s]) => `${name}: ${s.differences.join(', ')}`);
if (differing.length) {
  console.error(`\nthe answers differ — ${differing.join('; ')}`);
  process.exit(1);
}
