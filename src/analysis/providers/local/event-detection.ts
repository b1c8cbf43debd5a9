import type { DetectedEvent } from '../../analysis-provider.js';
import { customerInformationEvents, extractCustomerFacts, type CustomerFact } from './customer-information.js';
import { detectFollowUps, followUpEvents, type FollowUp } from './followups.js';
import { detectMeetingsDone, detectScheduledMeetings, meetingScheduledEvents, type ScheduledMeeting } from './meetings.js';
import { detectObjections, objectionEvents, type DetectedObjection } from './objections.js';
import { detectSale, detectStageChanges, findOffers, saleEvent, type Offer, type Sale } from './sales.js';
import { readSystemFacts, type SystemFact } from './system-facts.js';
import type { AnalysisContext } from './types.js';

/** Everything the event detectors found; outcome, summary and disposition metrics reuse it. */
export interface Detections {
  events: DetectedEvent[];
  /** What the SYSTEM lines and the structured records state. */
  facts: SystemFact[];
  customerFacts: CustomerFact[];
  offers: Offer[];
  sale: Sale | null;
  objections: DetectedObjection[];
  meetings: ScheduledMeeting[];
  meetingsDone: DetectedEvent[];
  followUps: FollowUp[];
  stageChanges: DetectedEvent[];
}

const TYPE_ORDER: Record<DetectedEvent['eventType'], number> = {
  CUSTOMER_INFORMATION_DETECTION: 0,
  SALES_STAGE_CHANGE: 1,
  OBJECTION_DETECTION: 2,
  SALE_MADE: 3,
  MEETING_DONE: 4,
  MEETING_SCHEDULED: 5,
  FOLLOWUP_DETECTION: 6,
};

export function detectEvents(context: AnalysisContext): Detections {
  // Stated facts first: the dialogue is read around them.
  const facts = readSystemFacts(context);
  const customerFacts = extractCustomerFacts(context);
  const offers = findOffers(context);
  const sale = detectSale(context, offers, facts);
  const objections = detectObjections(context);
  const meetings = detectScheduledMeetings(context);
  const meetingsDone = detectMeetingsDone(context, facts);
  const followUps = detectFollowUps(context, meetings);
  const stageChanges = detectStageChanges(context, facts);
  const events = [
    ...customerInformationEvents(customerFacts),
    ...stageChanges,
    ...objectionEvents(objections),
    ...(sale ? [saleEvent(sale)] : []),
    ...meetingsDone,
    ...meetingScheduledEvents(meetings),
    ...followUpEvents(followUps),
  ];
  // In conversation order (by where the evidence ends), then by type, so equal inputs give equal lists.
  events.sort(
    (a, b) =>
      (a.contextEndIndex ?? 0) - (b.contextEndIndex ?? 0) ||
      (a.contextStartIndex ?? 0) - (b.contextStartIndex ?? 0) ||
      TYPE_ORDER[a.eventType] - TYPE_ORDER[b.eventType],
  );
  return { events, facts, customerFacts, offers, sale, objections, meetings, meetingsDone, followUps, stageChanges };
}
