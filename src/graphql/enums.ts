import { registerEnumType } from 'type-graphql';
import * as enums from '../generated/prisma/enums.js';

/** The database enums are the API's enums: one definition, registered once. */
const descriptions: Partial<Record<keyof typeof enums, string>> = {
  OrganizationStatus: 'Inactive organizations keep their data; their credentials stop working',
  ApiKeyScope: 'READ: read data · INGEST: push data · MANAGE: own keys, webhooks, analysis config',
  Outcome: 'How the conversation ended for the customer',
  EventType: 'The seed 001 event catalog',
  ValuePrecedence:
    "Which value a conversation's top-level outcome, outcomeReason, summary, sentiment and topics show when both exist: " +
    'REPORTED_FIRST (the default) shows what the partner or provider reported, else our analysis; ANALYSED_FIRST shows our analysis, else what was reported',
};

export function registerEnums(): void {
  for (const [name, values] of Object.entries(enums)) {
    registerEnumType(values as Record<string, string>, { name, description: descriptions[name as keyof typeof enums] });
  }
}
registerEnums();

export { enums };
