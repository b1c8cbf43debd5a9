import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  isListType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { ErrorCode } from '../errors/domain-error.js';
import { MAX_BULK_CONVERSATIONS, MAX_LIST_ITEMS, MAX_MESSAGES_PER_CONVERSATION, MAX_UPSERT_AGENTS } from './input-limits.js';

/** Values one filter may match on (channels, outcomes, topics, disposition choices…). */
export const MAX_FILTER_VALUES = 100;
/** Disposition conditions of one filter: each is a join in the filter's SQL. */
export const MAX_DISPOSITION_CONDITIONS = 20;
/** Disposition metrics of one analysis config, and choices of one metric. */
export const MAX_DISPOSITION_METRICS = 50;

/**
 * The cap on every list a client can send, keyed by schema coordinate: `Type.field` for an input
 * field, `Type.field(argument:)` for an argument. Checked before anything runs (literals and
 * variables alike), so no list makes a request do unbounded work; the server refuses to start when
 * the schema has a list this table does not name (assertEveryListBounded), so a list added later
 * cannot ship unbounded.
 */
export const LIST_LIMITS: Readonly<Record<string, number>> = {
  'ConversationFilter.analysisStatuses': MAX_FILTER_VALUES,
  'ConversationFilter.channels': MAX_FILTER_VALUES,
  'ConversationFilter.outcomes': MAX_FILTER_VALUES,
  'ConversationFilter.sentiments': MAX_FILTER_VALUES,
  'ConversationFilter.statuses': MAX_FILTER_VALUES,
  'ConversationFilter.topics': MAX_FILTER_VALUES,
  'ConversationFilter.disposition': MAX_DISPOSITION_CONDITIONS,
  'DispositionFilterInput.in': MAX_FILTER_VALUES,
  'EventFilter.eventTypes': MAX_FILTER_VALUES,
  'ConversationActivityFilter.kinds': MAX_FILTER_VALUES,
  'ConversationActivityFilter.statuses': MAX_FILTER_VALUES,
  'ConversationActivityFilter.channels': MAX_FILTER_VALUES,
  'CreateApiKeyInput.scopes': 10,
  'CreateWebhookEndpointInput.eventTypes': 50,
  'SetAnalysisConfigInput.dispositionMetrics': MAX_DISPOSITION_METRICS,
  'SetAnalysisConfigInput.enabledAnalyses': 20,
  'DispositionMetricInput.choices': MAX_DISPOSITION_METRICS,
  'IngestConversationInput.agents': MAX_LIST_ITEMS,
  'IngestConversationInput.contacts': MAX_LIST_ITEMS,
  'IngestConversationInput.events': MAX_LIST_ITEMS,
  'IngestConversationInput.tickets': MAX_LIST_ITEMS,
  'IngestConversationInput.topics': MAX_LIST_ITEMS,
  'IngestConversationInput.transfers': MAX_LIST_ITEMS,
  'IngestConversationInput.actions': MAX_MESSAGES_PER_CONVERSATION,
  'IngestConversationInput.messages': MAX_MESSAGES_PER_CONVERSATION,
  'ConversationAgentInput.usages': MAX_LIST_ITEMS,
  'ContactInput.sessions': MAX_LIST_ITEMS,
  'Mutation.appendMessages(messages:)': MAX_MESSAGES_PER_CONVERSATION,
  'Mutation.ingestConversations(inputs:)': MAX_BULK_CONVERSATIONS,
  'Mutation.recordEvents(events:)': MAX_LIST_ITEMS,
  'Mutation.upsertAgents(agents:)': MAX_UPSERT_AGENTS,
};

/** The coordinate of every list-typed input field and argument in the schema. */
export function listCoordinates(schema: GraphQLSchema): string[] {
  const coordinates: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (isListType(getNullableType(field.type))) coordinates.push(`${type.name}.${field.name}`);
    } else if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const argument of field.args) if (isListType(getNullableType(argument.type))) coordinates.push(`${type.name}.${field.name}(${argument.name}:)`);
      }
    }
  }
  return coordinates.sort();
}

/** Throws (at startup) when a list in the schema has no cap, or a cap names no list. */
export function assertEveryListBounded(schema: GraphQLSchema): void {
  const inSchema = listCoordinates(schema);
  const unbounded = inSchema.filter((coordinate) => LIST_LIMITS[coordinate] === undefined);
  const stale = Object.keys(LIST_LIMITS).filter((coordinate) => !inSchema.includes(coordinate));
  if (unbounded.length > 0 || stale.length > 0) {
    throw new Error(
      `LIST_LIMITS (src/limits/list-limits.ts) is out of step with the schema:` +
        (unbounded.length ? ` lists without a cap: ${unbounded.join(', ')}.` : '') +
        (stale.length ? ` caps naming no list: ${stale.join(', ')}.` : ''),
    );
  }
}

/** Input types that hold a list at any depth: only arguments of these types are walked. */
function typesHoldingLists(schema: GraphQLSchema): Set<string> {
  const holding = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isInputObjectType(type) || holding.has(type.name)) continue;
      const holds = Object.values(type.getFields()).some((field) => isListType(getNullableType(field.type)) || holding.has(getNamedType(field.type).name));
      if (holds) {
        holding.add(type.name);
        grew = true;
      }
    }
  }
  return holding;
}

const holdsLists = (type: GraphQLInputType, holding: Set<string>) => isListType(getNullableType(type)) || holding.has(getNamedType(type).name);

/** A field of the operation with at least one argument that can carry a list. */
interface ListSite {
  parentType: string;
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/** The fields of `operation` (fragments included) whose arguments can carry lists. */
function listSites(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, holding: Set<string>): ListSite[] {
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  const sites: ListSite[] = [];
  const queued = new Set<string>();
  const pending: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  while (pending.length > 0) {
    const typeInfo = new TypeInfo(schema);
    visit(
      pending.pop()!,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (field && parent && node.arguments?.length && field.args.some((argument) => holdsLists(argument.type, holding))) {
            sites.push({ parentType: parent.name, field, node });
          }
        },
        FragmentSpread(node) {
          const fragment = fragments.get(node.name.value);
          if (fragment && !queued.has(fragment.name.value)) {
            queued.add(fragment.name.value);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  return sites;
}

export interface ListLimitViolation {
  /** Where the list is, from the argument: `filter.topics`, `inputs[3].messages`. */
  field: string;
  maxItems: number;
  items: number;
}

/** The first list of `value` (of `type`, at `path`) longer than its cap. */
function violationIn(type: GraphQLInputType, value: unknown, path: string, coordinate: string, holding: Set<string>): ListLimitViolation | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return violationIn(nullable.ofType, value, path, coordinate, holding);
    const maxItems = LIST_LIMITS[coordinate]!;
    if (value.length > maxItems) return { field: path, maxItems, items: value.length };
    if (!holding.has(getNamedType(nullable.ofType).name)) return undefined;
    for (let index = 0; index < value.length; index++) {
      const found = violationIn(nullable.ofType, value[index], `${path}[${index}]`, coordinate, holding);
      if (found) return found;
    }
    return undefined;
  }
  if (!isInputObjectType(nullable) || typeof value !== 'object') return undefined;
  for (const field of Object.values(nullable.getFields())) {
    if (!holdsLists(field.type, holding)) continue;
    const found = violationIn(field.type, (value as Record<string, unknown>)[field.name], `${path}.${field.name}`, `${nullable.name}.${field.name}`, holding);
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks every list an operation sends (literals and variables) against LIST_LIMITS. Variables
 * that do not coerce are left to execution, which reports them.
 */
export function createListLimitChecker(schema: GraphQLSchema) {
  assertEveryListBounded(schema);
  const holding = typesHoldingLists(schema);
  // Apollo reuses the parsed document of a repeated query: its sites are found once.
  const sitesByDocument = new WeakMap<DocumentNode, Map<string, ListSite[]>>();

  return function firstViolation(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): ListLimitViolation | undefined {
    let byOperation = sitesByDocument.get(document);
    if (!byOperation) sitesByDocument.set(document, (byOperation = new Map()));
    const name = operation.name?.value ?? '';
    let sites = byOperation.get(name);
    if (!sites) byOperation.set(name, (sites = listSites(schema, document, operation, holding)));
    if (sites.length === 0) return undefined;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    if (coerced.errors) return undefined;
    for (const site of sites) {
      let values: Record<string, unknown>;
      try {
        values = getArgumentValues(site.field, site.node, coerced.coerced);
      } catch {
        continue; // an invalid literal: execution reports it
      }
      for (const argument of site.field.args) {
        if (!holdsLists(argument.type, holding)) continue;
        const found = violationIn(argument.type, values[argument.name], argument.name, `${site.parentType}.${site.field.name}(${argument.name}:)`, holding);
        if (found) return found;
      }
    }
    return undefined;
  };
}

/** The error a list past its cap gets: 400 BAD_USER_INPUT naming the list, its cap and its length. */
export function listLimitError(violation: ListLimitViolation): GraphQLError {
  return new GraphQLError(`${violation.field} may have at most ${violation.maxItems} items (got ${violation.items})`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field: violation.field, maxItems: violation.maxItems, http: { status: 400 } },
  });
}

/** Refuses, before anything runs, an operation that sends a list past its cap. */
export function listLimitPlugin(schema: GraphQLSchema): ApolloServerPlugin {
  const firstViolation = createListLimitChecker(schema);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const violation = firstViolation(document, operation, request.variables);
          if (violation) throw listLimitError(violation);
        },
      };
    },
  };
}
