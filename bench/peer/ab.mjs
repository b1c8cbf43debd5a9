// Interleaved A/B load runs: our API (A) and PostGraphile (B), the same autocannon settings, runs in the
// order A, B, A, B… per scenario and connection count, each after a discarded warm-up.
// Per run: req/s, p50/p95/p99 (from every response's time), failures (HTTP errors, non-2xx, and 200s
// carrying GraphQL `errors`), bytes per response, the server process's CPU per request (from
// /proc/<pid>/stat), the CPU of the bench database's postgres backends, and the machine's load (loadavg, /proc/stat busy).
// Appends one JSON line per run to OUT (default ./ab.jsonl; compare.ts passes its scratch folder). Run from the checkout with
// `node --import tsx` (autocannon from its node_modules).
//   SCENARIOS=dashboard,detail,list  CONNS=1,16  REPS=2  DURATION=15  WARMUP=3  SIDES=ours,pgl(,ours2)  OURS_PID, PGL_PID(, OURS2_URL, OURS2_PID)
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bodies } from './queries.mjs';

const require = createRequire(path.join(process.env.ALMA_DIR || process.cwd(), 'package.json'));
const autocannon = require('autocannon');
const env = process.env;
const ctx = JSON.parse(readFileSync(env.CONTEXT || 'context.json', 'utf8'));
const scenarios = (env.SCENARIOS || 'dashboard,detail,list').split(',');
const connsList = (env.CONNS || '1,16').split(',').map(Number);
const reps = Number(env.REPS || 2);
const duration = Number(env.DURATION || 15);
const warmup = Number(env.WARMUP || 3);
const out = env.OUT || 'ab.jsonl';
const sideOrder = (env.SIDES || 'ours,pgl').split(',');
const sides = {
  ours: { url: `${env.OURS_URL || 'http://127.0.0.1:4731'}/graphql`, headers: { 'x-api-key': ctx.apiKey }, pid: Number(env.OURS_PID) || null },
  pgl: { url: `${env.PGL_URL || 'http://127.0.0.1:5678'}/graphql`, headers: {}, pid: Number(env.PGL_PID) || null },
  // optional: a second instance of our server (e.g. other Node flags), our queries and key
  ours2: { url: `${env.OURS2_URL || 'http://127.0.0.1:4733'}/graphql`, headers: { 'x-api-key': ctx.apiKey }, pid: Number(env.OURS2_PID) || null },
};
const CLK_TCK = 100;
const benchDb = new URL(env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/alma_bench').pathname.slice(1);

const cpuOf = (pid) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime, seconds
  } catch { return null; }
};
/** CPU seconds per backend pid of the bench database ("postgres: 15/main: postgres alma_bench 127.0.0.1(…) …"). */
const postgresCpu = () => {
  const perPid = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${benchDb} `)) continue;
      const fields = stat.split(') ')[1].split(' ');
      perPid.set(entry, (Number(fields[11]) + Number(fields[12])) / CLK_TCK);
    } catch { /* exited */ }
  }
  return perPid;
};
/** CPU the backends used between two snapshots (a backend that exited in between is missed; a new one counts from 0). */
const postgresDelta = (before, after) => {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
};
const machine = () => {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const v = cpu.split(/\s+/).slice(1).map(Number);
  const idle = v[3] + v[4];
  const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
  return { idle, total };
};
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);
const okBody = (body) => body.startsWith('{"data":') && !body.includes('"errors":[');

function load(side, reqBodies, connections, seconds) {
  const latencies = [];
  let i = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: sides[side].url, connections, duration: seconds, timeout: 60, method: 'POST',
        headers: { 'content-type': 'application/json', ...sides[side].headers },
        requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: reqBodies[i++ % reqBodies.length] }) }],
        verifyBody: okBody,
      },
      (error, result) => (error ? reject(error) : resolve({ result, latencies })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

async function measured(scenario, side, connections, rep) {
  const reqBodies = bodies(scenario, side === 'ours2' ? 'ours' : side, ctx);
  await load(side, reqBodies, connections, warmup);
  const before = { server: cpuOf(sides[side].pid), pg: postgresCpu(), machine: machine(), load: loadavg(), t: performance.now(), epoch: Date.now() };
  const { result, latencies } = await load(side, reqBodies, connections, duration);
  const after = { server: cpuOf(sides[side].pid), pg: postgresCpu(), machine: machine(), load: loadavg(), t: performance.now() };
  const elapsed = (after.t - before.t) / 1000;
  latencies.sort((a, b) => a - b);
  const requests = result.requests.total;
  const failures = result.errors + result.timeouts + result.non2xx + (result.mismatches ?? 0);
  const row = {
    scenario, side, connections, rep, at: new Date().toISOString(), startedAtMs: before.epoch, endedAtMs: Date.now(), seconds: Math.round(elapsed * 10) / 10, requests,
    rps: Math.round((requests / elapsed) * 100) / 100,
    p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), mean: latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length),
    failures, errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, graphqlErrors: result.mismatches ?? 0,
    bytesPerResponse: requests ? Math.round(result.throughput.total / requests) : null,
    serverCpuMsPerReq: before.server !== null && after.server !== null && requests ? Math.round(((after.server - before.server) * 1000 / requests) * 100) / 100 : null,
    serverCpuShare: before.server !== null && after.server !== null ? Math.round(((after.server - before.server) / elapsed) * 100) / 100 : null,
    postgresCpuMsPerReq: requests ? Math.round((postgresDelta(before.pg, after.pg) * 1000 / requests) * 100) / 100 : null,
    machineBusy: Math.round((1 - (after.machine.idle - before.machine.idle) / (after.machine.total - before.machine.total)) * 1000) / 10,
    loadavg1: after.load[0],
  };
  appendFileSync(out, `${JSON.stringify(row)}\n`);
  console.log(
    `${scenario.padEnd(9)} ${side.padEnd(4)} c=${String(connections).padStart(2)} rep ${rep}: ${String(row.rps).padStart(7)} req/s  p50 ${row.p50} p95 ${row.p95} p99 ${row.p99} ms  ` +
      `${(row.bytesPerResponse / 1024).toFixed(1)} KB  server CPU ${row.serverCpuMsPerReq} ms/req (${row.serverCpuShare} cores)  pg ${row.postgresCpuMsPerReq} ms/req  machine ${row.machineBusy}% load ${row.loadavg1}  fail ${failures}`,
  );
}

for (const scenario of scenarios) {
  for (const connections of connsList) {
    for (let rep = 1; rep <= reps; rep++) {
      for (const side of sideOrder) await measured(scenario, side, connections, rep);
    }
  }
}
