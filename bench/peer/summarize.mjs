// Medians of the A/B runs (ab.jsonl) per scenario × connections × side, as a markdown table, with the
// ratio ours ÷ PostGraphile (req/s: < 1 means we serve fewer; latency: > 1 means we are slower).
// Usage: node summarize.mjs [ab.jsonl] [check.json]
import { readFileSync } from 'node:fs';

const file = process.argv[2] || 'ab.jsonl';
const rows = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const median = (xs) => { const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b); if (!s.length) return null; const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const groups = new Map();
for (const r of rows) {
  const k = `${r.scenario}|${r.connections}|${r.side}`;
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(r);
}
const stat = (scenario, c, side) => {
  const g = groups.get(`${scenario}|${c}|${side}`) ?? [];
  const m = (f) => median(g.map(f));
  return { n: g.length, rps: m((r) => r.rps), p50: m((r) => r.p50), p95: m((r) => r.p95), p99: m((r) => r.p99), kb: m((r) => r.bytesPerResponse / 1024), cpu: m((r) => r.serverCpuMsPerReq), pg: m((r) => r.postgresCpuMsPerReq), busy: m((r) => r.machineBusy), fail: g.reduce((s, r) => s + r.failures, 0), all: g.map((r) => r.rps) };
};
const f = (x, d = 1) => (x === null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const scenarios = [...new Set(rows.map((r) => r.scenario))];
const conns = [...new Set(rows.map((r) => r.connections))].sort((a, b) => a - b);
console.log('| scenario | conns | side | runs | req/s (each run) | p50 ms | p95 ms | p99 ms | KB/resp | server CPU ms/req | PG CPU ms/req | fail |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
const ratios = [];
for (const s of scenarios) for (const c of conns) {
  const o = stat(s, c, 'ours');
  const p = stat(s, c, 'pgl');
  for (const [name, x] of [['ours', o], ['PostGraphile', p]]) {
    if (!x.n) continue;
    console.log(`| ${s} | ${c} | ${name} | ${x.n} | **${f(x.rps)}** (${x.all.map((v) => f(v)).join(', ')}) | ${f(x.p50, 0)} | ${f(x.p95, 0)} | ${f(x.p99, 0)} | ${f(x.kb)} | ${f(x.cpu, 1)} | ${f(x.pg, 1)} | ${x.fail} |`);
  }
  if (o.n && p.n) ratios.push(`| ${s} | ${c} | ${f(o.rps / p.rps, 2)}× | ${f(o.p50 / p.p50, 2)}× | ${f(o.p95 / p.p95, 2)}× | ${f(o.cpu / p.cpu, 2)}× |`);
}
console.log('\n| scenario | conns | req/s ours÷PGL | p50 ours÷PGL | p95 ours÷PGL | server CPU/req ours÷PGL |');
console.log('|---|---|---|---|---|---|');
for (const r of ratios) console.log(r);
const busy = rows.map((r) => r.machineBusy);
const la = rows.map((r) => r.loadavg1);
console.log(`\nmachine during the ${rows.length} runs: CPU busy median ${f(median(busy))} % (min ${f(Math.min(...busy))}, max ${f(Math.max(...busy))}); load average (1 min) median ${f(median(la), 2)} (min ${f(Math.min(...la), 2)}, max ${f(Math.max(...la), 2)}); first ${rows[0].at}, last ${rows.at(-1).at}`);
