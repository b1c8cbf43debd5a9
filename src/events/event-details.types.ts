import { createUnionType, Field, Float, Int, ObjectType } from 'type-graphql';
import type { EventType } from '../generated/prisma/enums.js';
import { JSONScalar } from '../graphql/scalars.js';
import { describeKey, EVENT_PAYLOADS, storedValue, type PayloadKind } from './event-catalog.js';

/**
 * `Event.details`: one object type per event type, built from the catalog (event-catalog.ts) —
 * a field per payload key, described with its unit. Read from the stored payload; keys the
 * catalog does not know stay in `payload` only.
 */

const GRAPHQL_TYPES: Record<PayloadKind, () => unknown> = {
  text: () => String,
  string: () => String,
  time: () => String,
  url: () => String,
  currency: () => String,
  number: () => Float,
  integer: () => Int,
  boolean: () => Boolean,
  scalar: () => JSONScalar,
};

/** The details object of one event type: `__typename` names its type, the rest are its fields. */
export type EventDetailsValue = { __typename: string } & Record<string, unknown>;

function detailsClass(eventType: EventType): new () => object {
  const definition = EVENT_PAYLOADS[eventType];
  // A class named as its GraphQL type, decorated field by field from the catalog.
  const target = { [definition.detailsType]: class {} }[definition.detailsType]!;
  for (const spec of definition.keys) {
    const description = `${describeKey(spec)} (payload key ${spec.key})`;
    Field(GRAPHQL_TYPES[spec.kind] as () => StringConstructor, { nullable: true, description })(target.prototype, spec.field);
  }
  ObjectType(definition.detailsType, { description: `${definition.description}. Each field is its payload key in the stated unit, null when not detected` })(target);
  return target;
}

const detailsClasses = (Object.keys(EVENT_PAYLOADS) as EventType[]).map(detailsClass);

export const EventDetails = createUnionType({
  name: 'EventDetails',
  description: 'The typed payload of an event, one object type per event type; a key that was not detected is null here and absent from payload',
  types: () => detailsClasses as [new () => object, ...Array<new () => object>],
  resolveType: (value) => (value as EventDetailsValue).__typename,
});

/**
 * The details of an event from its stored payload: each catalog key in its unit, or null when
 * absent (or stored, before units were checked, in another type or range — it stays in `payload`).
 */
export function eventDetails(eventType: EventType, payload: unknown): EventDetailsValue {
  const definition = EVENT_PAYLOADS[eventType];
  const stored = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  const details: EventDetailsValue = { __typename: definition.detailsType };
  for (const spec of definition.keys) details[spec.field] = storedValue(spec, stored[spec.key]);
  return details;
}
