import type { CallResult, Confusion, EvalReport, PRF, Scores } from './scorer.js';

/** The evaluation report as text: headline numbers, then per type, key and label, per language. */

const pct = (value: number): string => value.toFixed(2);

function prfLine(name: string, value: PRF): string {
  return `  ${name.padEnd(44)} P ${pct(value.precision)}  R ${pct(value.recall)}  F1 ${pct(value.f1)}   (tp ${value.tp}, fp ${value.fp}, fn ${value.fn})`;
}

function confusionLines(confusion: Confusion): string[] {
  const labels = [...new Set([...Object.keys(confusion), ...Object.values(confusion).flatMap((row) => Object.keys(row))])].sort();
  const width = Math.max(12, ...labels.map((label) => label.length + 1));
  const lines = [`    ${'expected \\ got'.padEnd(width)}${labels.map((label) => label.padStart(width)).join('')}`];
  for (const expected of labels.filter((label) => confusion[label])) {
    lines.push(`    ${expected.padEnd(width)}${labels.map((label) => String(confusion[expected]?.[label] ?? 0).padStart(width)).join('')}`);
  }
  return lines;
}

function scoresLines(title: string, scores: Scores): string[] {
  const lines = [`== ${title} (${scores.calls} calls)`];
  lines.push(
    `  headline: event F1 ${pct(scores.events.overall.f1)} · payload ${pct(scores.payload.overall.accuracy)} · outcome ${pct(scores.outcome.accuracy)} · sentiment ${pct(scores.sentiment.accuracy)} · customer-info recall ${pct(scores.customerInfo.overall.recall)}`,
  );
  lines.push('  events by type:');
  lines.push(prfLine('(all but customer information)', scores.events.overall));
  for (const [type, value] of Object.entries(scores.events.byType)) lines.push(prfLine(type, value));
  for (const [type, value] of Object.entries(scores.events.bySubtype)) lines.push(prfLine(type, value));
  lines.push('  customer information (subtype and value):');
  lines.push(prfLine('(all)', scores.customerInfo.overall));
  for (const [subtype, value] of Object.entries(scores.customerInfo.bySubtype)) lines.push(prfLine(`CUSTOMER_INFORMATION_DETECTION/${subtype}`, value));
  lines.push(`  payload accuracy on matched events: ${pct(scores.payload.overall.accuracy)} (${scores.payload.overall.correct}/${scores.payload.overall.total})`);
  for (const [key, value] of Object.entries(scores.payload.byKey)) lines.push(`    ${key.padEnd(42)} ${pct(value.accuracy)} (${value.correct}/${value.total})`);
  lines.push(`  outcome accuracy ${pct(scores.outcome.accuracy)} (${scores.outcome.correct}/${scores.outcome.total})`, ...confusionLines(scores.outcome.confusion));
  lines.push(`  sentiment accuracy ${pct(scores.sentiment.accuracy)} (${scores.sentiment.correct}/${scores.sentiment.total})`, ...confusionLines(scores.sentiment.confusion));
  return lines;
}

function callLines(call: CallResult): string[] {
  const lines: string[] = [];
  if (call.outcome.expected !== call.outcome.predicted) lines.push(`outcome ${call.outcome.expected} → ${call.outcome.predicted}`);
  if (call.sentiment.expected !== call.sentiment.predicted) lines.push(`sentiment ${call.sentiment.expected} → ${call.sentiment.predicted}`);
  for (const event of call.missedEvents) lines.push(`missed ${event.type} ${JSON.stringify(event.payload)}`);
  for (const event of call.spuriousEvents) lines.push(`spurious ${event.type} ${JSON.stringify(event.payload)}`);
  for (const error of call.payloadErrors) lines.push(`${error.type}.${error.key}: expected ${JSON.stringify(error.expected)}, got ${JSON.stringify(error.predicted)}`);
  for (const [subtype, value] of Object.entries(call.customerInfo.missed)) lines.push(`missed info ${subtype}=${JSON.stringify(value)}`);
  for (const [subtype, value] of Object.entries(call.customerInfo.wrong)) lines.push(`wrong info ${subtype}: expected ${JSON.stringify(value.expected)}, got ${JSON.stringify(value.predicted)}`);
  for (const [subtype, value] of Object.entries(call.customerInfo.spurious)) lines.push(`spurious info ${subtype}=${JSON.stringify(value)}`);
  return lines.length ? [`  ${call.id}`, ...lines.map((line) => `      ${line}`)] : [];
}

export function formatReport(report: EvalReport, options: { title: string; details: boolean }): string {
  const lines = scoresLines(options.title, report.overall);
  for (const [lang, scores] of Object.entries(report.byLanguage)) lines.push('', ...scoresLines(`${options.title} · ${lang}`, scores));
  if (options.details) {
    lines.push('', '== per call (only what differs from the labels)');
    for (const call of report.calls) lines.push(...callLines(call));
  }
  return lines.join('\n');
}
