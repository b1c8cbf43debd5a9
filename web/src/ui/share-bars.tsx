import { colorFor } from './palette';
import { formatInteger, formatPercent, humanize } from './format';

export interface ShareRow {
  key: string;
  count: number;
  share?: number | null;
  label?: string;
}

/** Horizontal bars with count and share: exact numbers, readable without hovering. */
export function ShareBars({ rows, testId, humanizeKeys = true, semantic = true }: { rows: ShareRow[]; testId: string; humanizeKeys?: boolean; semantic?: boolean }) {
  const max = Math.max(1, ...rows.map((row) => row.count));
  return (
    <ul className="share-bars" data-testid={testId}>
      {rows.map((row, index) => (
        <li key={row.key} data-key={row.key}>
          <span className="share-label" title={row.label ?? row.key}>
            {row.label ?? (humanizeKeys ? humanize(row.key) : row.key)}
          </span>
          <span className="share-track" aria-hidden="true">
            <span className="share-fill" style={{ width: `${(row.count / max) * 100}%`, background: semantic ? colorFor(row.key, index) : colorFor('', 0) }} />
          </span>
          <span className="share-count">{formatInteger(row.count)}</span>
          {row.share != null ? <span className="share-percent">{formatPercent(row.share)}</span> : null}
        </li>
      ))}
    </ul>
  );
}
