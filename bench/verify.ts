/**
 * Checks that the hand-written SQL computed the same answer as the API (so the timing comparison
 * is like with like). Returns the differences found (empty = same answer).
 */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function normalize(value: unknown): unknown {
  if (typeof value === 'string' && ISO.test(value)) return new Date(value).toISOString();
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map(normalize).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** Deep comparison with a relative tolerance for floats; arrays compared as multisets. */
export function differences(api: unknown, sql: unknown, path = '', out: string[] = []): string[] {
  const a = normalize(api);
  const b = normalize(sql);
  compare(a, b, path, out);
  return out;
}

function compare(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 10) return;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(a), Math.abs(b))) out.push(`${path}: API ${a} ≠ SQL ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(`${path}: API has ${a.length} items, SQL ${b.length}`);
      return;
    }
    a.forEach((item, i) => compare(item, b[i], `${path}[${i}]`, out));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) compare((a as Record<string, unknown>)[key] ?? null, (b as Record<string, unknown>)[key] ?? null, `${path}.${key}`, out);
    return;
  }
  if (a !== b) out.push(`${path}: API ${JSON.stringify(a)} ≠ SQL ${JSON.stringify(b)}`);
}

/** The API's analyticsOverview reshaped like the SQL's JSON. */
export function overviewFromApi(overview: Record<string, any>): Record<string, unknown> {
  return {
    ...overview,
    agents: (overview.agents as Array<Record<string, any>>).map(({ agent, ...rest }) => ({ ...rest, name: agent?.name ?? null })),
  };
}

/** dispositionMetricStats (INTEGER or ENUM) reshaped like the SQL rows. */
export function dispositionFromApi(stats: Record<string, any>, type: 'INTEGER' | 'ENUM'): unknown[] {
  const groups = [{ ...stats.overall, agentId: null, bucketStart: null }, ...stats.groups];
  if (type === 'INTEGER') {
    return groups.map((group) => ({
      agent_id: group.agentId, bucket: group.bucketStart, count: group.count, average: group.average, min: group.min, max: group.max,
      median: group.median, p90: group.p90, p95: group.p95,
    }));
  }
  return groups.flatMap((group) =>
    (group.choices as Array<{ key: string; count: number }>).filter((choice) => choice.count > 0).map((choice) => ({ agent_id: group.agentId, bucket: group.bucketStart, key: choice.key, count: choice.count })),
  );
}

export function sqlDispositionRows(rows: Array<Record<string, any>>): unknown[] {
  return rows.map((row) => ({ ...row, bucket: row.bucket instanceof Date ? row.bucket.toISOString() : row.bucket }));
}
