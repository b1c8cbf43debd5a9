const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const signed = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

/** Shown for a value the API returned as null (nothing to compute it from). */
export const NO_VALUE = '—';

export function formatInteger(value: number | null | undefined): string {
  return value == null ? NO_VALUE : integer.format(value);
}

export function formatDecimal(value: number | null | undefined): string {
  return value == null ? NO_VALUE : decimal.format(value);
}

/** A share or rate 0–1 as a percentage. */
export function formatPercent(value: number | null | undefined): string {
  return value == null ? NO_VALUE : percent.format(value);
}

/** A sentiment score −1…1. */
export function formatSentiment(value: number | null | undefined): string {
  return value == null ? NO_VALUE : signed.format(value);
}

export function formatUsd(value: number | null | undefined): string {
  return value == null ? NO_VALUE : usd.format(value);
}

export function formatMilliseconds(value: number | null | undefined): string {
  if (value == null) return NO_VALUE;
  return value >= 1000 ? `${decimal.format(value / 1000)} s` : `${integer.format(value)} ms`;
}

/** Seconds as `1 h 02 min`, `3 min 05 s` or `42 s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return NO_VALUE;
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return NO_VALUE;
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function formatTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return NO_VALUE;
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** A bucket start as its label: `14:00` (hour), `Nov 28` (day, week), `Nov 2026` (month). */
export function formatBucket(iso: string, bucket: string, timeZone: string): string {
  const date = new Date(iso);
  if (bucket === 'HOUR') return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  if (bucket === 'MONTH') return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', year: 'numeric' }).format(date);
  return new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' }).format(date);
}

/** SCREAMING_CASE → `Screaming case`. */
export function humanize(value: string | null | undefined): string {
  if (!value) return NO_VALUE;
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
