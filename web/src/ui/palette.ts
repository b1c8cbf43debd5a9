/** One restrained palette for every chart and badge (the same hues as styles.css). */
export const CHART_COLORS = ['#4263eb', '#12b886', '#f59f00', '#ae3ec9', '#15aabf', '#e8590c', '#868e96', '#94d82d'];
export const ACCENT = '#4263eb';
export const ACCENT_SOFT = '#bac8ff';
export const GRID = '#e9ecef';
export const AXIS = '#868e96';

const SEMANTIC: Record<string, string> = {
  RESOLVED: '#2f9e44',
  NOT_RESOLVED: '#e03131',
  ESCALATED: '#f08c00',
  TRANSFERRED: '#4263eb',
  ABANDONED: '#868e96',
  UNKNOWN: '#ced4da',
  POSITIVE: '#2f9e44',
  NEGATIVE: '#e03131',
  NEUTRAL: '#868e96',
  MIXED: '#f08c00',
  SUCCESS: '#2f9e44',
  FAIL: '#e03131',
  TIMEOUT: '#f08c00',
  RETRY: '#4263eb',
};

export function colorFor(key: string, index: number): string {
  return SEMANTIC[key] ?? CHART_COLORS[index % CHART_COLORS.length]!;
}

/** Sentiment −1…1 → a colour from red through grey to green. */
export function sentimentColor(score: number | null | undefined): string {
  if (score == null) return '#ced4da';
  if (score > 0.25) return '#2f9e44';
  if (score > 0.05) return '#8ce99a';
  if (score < -0.25) return '#e03131';
  if (score < -0.05) return '#ffa8a8';
  return '#ced4da';
}

/** Charts animate unless the person asked for reduced motion. */
export const ANIMATE_CHARTS = typeof window === 'undefined' || !window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** The axes and margins every chart shares. */
export const X_AXIS_PROPS = { tick: { fill: AXIS, fontSize: 12 }, tickLine: false, axisLine: { stroke: GRID } } as const;
export const Y_AXIS_PROPS = { tick: { fill: AXIS, fontSize: 12 }, tickLine: false, axisLine: false } as const;
export const CHART_MARGIN = { top: 8, right: 8, bottom: 0, left: -12 };
