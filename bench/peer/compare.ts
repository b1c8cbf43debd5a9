/**
 * `BENCH_PEER=postgraphile npm run bench`: the same three reads (dashboard, one conversation in
 * detail, a scalars-only list) against our server and PostGraphile v5 on the same database, the
 * answers checked to be the same data, then interleaved A/B autocannon runs and the ratios
 * ours ÷ PostGraphile (throughput, latency, server CPU per request).
 *
 * PostGraphile is a peer we measure against, never a dependency: `node@22` and `postgraphile@5`
 * are installed with npm into a scratch folder outside the repository (BENCH_PEER_DIR). Both
 * servers run as their own processes, so that each one's CPU per request is read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repository = path.resolve(here, '..', '..');

export interface PeerSettings {
  databaseUrl: string;
  poolSize: number;
  /** seconds per measured run, and of the discarded warm-up before each */
  durationSeconds: number;
  warmupSeconds: number;
}

const env = process.env;
const log = (line: string) => console.log(line);

function peerOptions() {
  return {
    dir: env.BENCH_PEER_DIR || path.join(os.tmpdir(), 'alma-bench-peer'),
    oursPort: Number(env.BENCH_PEER_OURS_PORT || 4731),
    peerPort: Number(env.BENCH_PEER_PORT || 5678),
    reps: Number(env.BENCH_PEER_REPS || 2),
    connections: env.BENCH_PEER_CONNECTIONS || '1,16',
    scenarios: env.BENCH_PEER_SCENARIOS || 'dashboard,detail,list',
  };
}

/** npm i node@22 postgraphile@5 in the scratch folder (once) and the config beside it. */
function installPeer(dir: string) {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'node_modules', 'postgraphile')) || !existsSync(path.join(dir, 'node_modules', '.bin', 'node'))) {
    log(`installing node@22 and postgraphile@5 into ${dir} (outside the repository)`);
    if (!existsSync(path.join(dir, 'package.json'))) writeFileSync(path.join(dir, 'package.json'), '{ "name": "alma-bench-peer", "private": true }\n');
    const installed = spawnSync('npm', ['install', '--no-audit', '--no-fund', 'node@22', 'postgraphile@5'], { cwd: dir, stdio: 'inherit' });
    if (installed.status !== 0) throw new Error('npm install of the PostGraphile peer failed');
  }
  copyFileSync(path.join(here, 'graphile.config.mjs'), path.join(dir, 'graphile.config.mjs'));
}

async function waitFor(url: string, init: RequestInit, child: ChildProcess, name: string, logFile: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}); see ${logFile}`);
    try {
      const response = await fetch(url, init);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${name} did not answer within 120 s; see ${logFile}`);
}

function startProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }): ChildProcess {
  const out = openSync(options.log, 'w');
  return spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', out, out] });
}

/** Runs a harness script with the repository's tsx (it imports the app and bench/queries.ts). */
function runScript(script: string, scriptEnv: NodeJS.ProcessEnv, args: string[] = []) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, script), ...args], { cwd: repository, env: scriptEnv, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${script} failed (exit ${result.status})`);
}

export async function runPeerComparison(settings: PeerSettings): Promise<void> {
  const options = peerOptions();
  log(`\n── PostGraphile v5 side by side (same database, same queries) ──`);
  installPeer(options.dir);
  const scratch = path.join(options.dir, 'run');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const jwtSecret = 'bench-peer-secret-0123456789abcdef0123456789';
  const oursLog = path.join(scratch, 'ours.log');
  const peerLog = path.join(scratch, 'postgraphile.log');
  const ours = startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repository,
    log: oursLog,
    env: {
      ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(options.oursPort), DATABASE_URL: settings.databaseUrl,
      DATABASE_POOL_SIZE: String(settings.poolSize), MIGRATE_ON_START: 'false', WORKER_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn', JWT_SECRET: jwtSecret,
    },
  });
  const peer = startProcess(path.join(options.dir, 'node_modules', '.bin', 'node'), ['node_modules/postgraphile/dist/cli-run.js', '-C', 'graphile.config.mjs'], {
    cwd: options.dir,
    log: peerLog,
    env: { ...env, NODE_ENV: 'production', PGL_PORT: String(options.peerPort), PGL_DATABASE_URL: settings.databaseUrl, PGL_POOL_SIZE: String(settings.poolSize) },
  });
  try {
    const oursUrl = `http://127.0.0.1:${options.oursPort}`;
    const peerUrl = `http://127.0.0.1:${options.peerPort}`;
    await waitFor(`${oursUrl}/healthz`, {}, ours, 'our server', oursLog);
    await waitFor(`${peerUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }, peer, 'PostGraphile', peerLog);
    const scriptEnv = {
      ...env, ALMA_DIR: repository, BENCH_DATABASE_URL: settings.databaseUrl, PERF_JWT_SECRET: jwtSecret, OURS_URL: oursUrl, PGL_URL: peerUrl,
      CONTEXT: path.join(scratch, 'context.json'), CHECK_OUT: path.join(scratch, 'check.json'), OUT: path.join(scratch, 'ab.jsonl'),
      OURS_PID: String(ours.pid), PGL_PID: String(peer.pid), REPS: String(options.reps), DURATION: String(settings.durationSeconds),
      WARMUP: String(settings.warmupSeconds), CONNS: options.connections, SCENARIOS: options.scenarios,
    };
    runScript('context.mjs', scriptEnv);
    runScript('check.mjs', scriptEnv); // exits non-zero when the two sides' answers differ
    runScript('ab.mjs', scriptEnv);
    runScript('summarize.mjs', scriptEnv, [path.join(scratch, 'ab.jsonl')]);
    log(`runs: ${path.join(scratch, 'ab.jsonl')}; server logs in ${scratch}`);
  } finally {
    ours.kill('SIGTERM');
    peer.kill('SIGTERM');
  }
}
