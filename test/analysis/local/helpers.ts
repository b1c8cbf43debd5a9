import type { AnalysisInput, AnalysisOutput, DetectedEvent } from '../../../src/analysis/analysis-provider.js';
import { LocalAnalysisProvider } from '../../../src/analysis/providers/local/local-provider.js';

export const provider = new LocalAnalysisProvider();

export async function analyze(input: AnalysisInput): Promise<AnalysisOutput> {
  return provider.analyze(input);
}

/** The events of a type (and subtype), in order. */
export function eventsOf(output: AnalysisOutput, eventType: DetectedEvent['eventType'], subtype?: string): DetectedEvent[] {
  return (output.events ?? []).filter((event) => event.eventType === eventType && (subtype === undefined || event.eventSubtype === subtype));
}

/** The one event of a type; fails when there is not exactly one. */
export function onlyEvent(output: AnalysisOutput, eventType: DetectedEvent['eventType'], subtype?: string): DetectedEvent {
  const events = eventsOf(output, eventType, subtype);
  if (events.length !== 1) throw new Error(`expected one ${eventType}${subtype ? `/${subtype}` : ''}, got ${events.length}: ${JSON.stringify(events)}`);
  return events[0] as DetectedEvent;
}

/** The stage path, e.g. ['null→QUALIFIED', 'QUALIFIED→PROPOSAL']. */
export function stagePath(output: AnalysisOutput): string[] {
  return eventsOf(output, 'SALES_STAGE_CHANGE').map((event) => `${String(event.payload.OLD_STAGE)}→${String(event.payload.NEW_STAGE)}`);
}

/** Customer information as { SUBTYPE: VALUE }. */
export function customerInfo(output: AnalysisOutput): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  for (const event of eventsOf(output, 'CUSTOMER_INFORMATION_DETECTION')) info[event.eventSubtype ?? '?'] = event.payload.VALUE;
  return info;
}

export function metric(output: AnalysisOutput, identifier: string): NonNullable<AnalysisOutput['dispositionMetrics']>[number] {
  const found = output.dispositionMetrics?.find((value) => value.identifier === identifier);
  if (!found) throw new Error(`no disposition metric ${identifier}`);
  return found;
}
