export interface ScenarioReport {
  name: string;
  title: string;
  status: 'ok' | 'skipped' | 'failed';
  note?: string;
  connections: number;
  durationSeconds: number;
  requests?: number;
  requestsPerSecond?: number;
  /** autocannon's p50/p99; p95 from the same responses (autocannon has no p95). */
  latencyMs?: { p50: number; p95: number | null; p99: number; mean: number; max: number };
  failures?: { errors: number; timeouts: number; non2xx: number; graphqlErrors: number };
  /** SQL statements Prisma sent for one request (sequential requests, averaged). */
  statementsPerRequest?: number;
  singleConnection?: { requests: number; p50: number; p95: number | null; mean: number };
  sql?: {
    statements: number;
    runs: number;
    p50: number;
    p95: number;
    mean: number;
    /** The same SQL run back to back on as many connections as the API scenario had. */
    throughput?: { connections: number; answers: number; perSecond: number };
  };
  ratio?: { basis: string; value: number };
  /** Whether the hand-written SQL returned the same answer as the API (null: not compared). */
  sameAnswer?: boolean | null;
  differences?: string[];
  ingest?: {
    conversationsPerRequest: number;
    messagesPerRequest: number;
    messagesPerSecond: number;
    oneRequestMs: number;
    sqlMessagesPerSecondOneConnection: number;
    /** Inserts only (agents and contacts already exist), on as many connections as the API scenario. */
    sqlMessagesPerSecondConcurrent: number;
  };
  /** What the database's backends were doing during the measured load (pg_stat_activity samples). */
  dbActivity?: { samples: number; activeBackends: number; waits: Record<string, number>; lockedStatements: Array<{ statement: string; samples: number }> };
  target?: string;
  pass?: boolean;
}

const fixed = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '–' : value.toFixed(digits));

export function renderTable(reports: ScenarioReport[]): string {
  const header = ['scenario', 'conns', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'fail', 'stmts/req', 'API 1c p50', 'SQL p50', 'SQL p95', 'API/SQL', 'SQL/s', 'target'];
  const rows = reports.map((r) => {
    if (r.status !== 'ok') return [r.name, String(r.connections), r.note ?? r.status, '', '', '', '', '', '', '', '', '', '', ''];
    const failures = r.failures ? r.failures.errors + r.failures.timeouts + r.failures.non2xx + r.failures.graphqlErrors : 0;
    const target = r.target ? `${r.pass ? 'PASS' : 'MISS'} (${r.target})` : '';
    const rps = r.ingest ? `${fixed(r.requestsPerSecond, 2)} (${Math.round(r.ingest.messagesPerSecond).toLocaleString('en-US')} msg/s)` : fixed(r.requestsPerSecond);
    return [
      r.name, String(r.connections), rps, fixed(r.latencyMs?.p50), fixed(r.latencyMs?.p95), fixed(r.latencyMs?.p99), String(failures),
      fixed(r.statementsPerRequest), fixed(r.singleConnection?.p50), fixed(r.sql?.p50, 2), fixed(r.sql?.p95, 2),
      r.ratio ? `${r.ratio.value.toFixed(2)}×${r.sameAnswer === false ? ' (≠ answer)' : ''}` : '–',
      r.ingest ? `${r.ingest.sqlMessagesPerSecondConcurrent.toLocaleString('en-US')} msg/s` : fixed(r.sql?.throughput?.perSecond), target,
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
