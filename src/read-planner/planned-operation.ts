// Loaded by graphql-handler before the schema: the type-graphql classes it reaches need the metadata polyfill.
import 'reflect-metadata';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { isUuid } from '../ingest/ingest.service.js';
import type { ConversationFilter, ConversationOrder } from '../conversations/conversation.types.js';
import type { GraphQLContext } from '../graphql/context.js';
import { readPlanned } from './planned-read.js';
import type { EventFilter, FollowUpFilter } from '../events/event.types.js';
import type { TicketFilter } from '../tickets/ticket.types.js';
import { planAgent, planAgents, planConversation, planConversations, planEvents, planFollowUps, planTickets, type PlannedStatement, type PlanningInfo } from './read-planner.js';

/**
 * The fast path: a query whose every root field the planner covers (`conversations`,
 * `conversation`, `agents`, `agent`, `events`, `followUps`, `tickets`) is answered without graphql-js execution — the statements' JSON, built by
 * PostgreSQL keyed by response name, already is the response's `data`. Anything else (another
 * root field, a directive, an argument or credential the resolvers would refuse, a conversation
 * that isn't there) returns null, and the operation executes as usual — with the same errors.
 */
export async function executePlannedOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
  context: GraphQLContext,
): Promise<Record<string, unknown> | null> {
  if (operation.operation !== 'query' || operation.directives?.length) return null;
  const credential = context.credential;
  if (!('organizationId' in credential) || !credential.scopes.includes('READ')) return null; // the resolvers say why
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return null;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const queryType = schema.getQueryType()!;
  const planned: Array<{ key: string; statement: PlannedStatement }> = [];
  const keys = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
    const key = selection.alias?.value ?? selection.name.value;
    if (keys.has(key)) return null; // merged fields: leave to graphql-js
    keys.add(key);
    const field = queryType.getFields()[selection.name.value];
    if (!field) return null;
    const info: PlanningInfo = { schema, fragments, variableValues: coerced.coerced, fieldNodes: [selection as FieldNode], parentType: queryType };
    const args = getArgumentValues(field, selection, coerced.coerced);
    let statement: PlannedStatement | null = null;
    if (field.name === 'conversations') {
      statement = planConversations(
        info,
        { filter: args.filter as ConversationFilter | null, orderBy: (args.orderBy as ConversationOrder | undefined) ?? ('STARTED_AT_DESC' as ConversationOrder), first: args.first as number | null, after: args.after as string | null },
        false,
      );
    } else if (field.name === 'conversation' && typeof args.id === 'string' && isUuid(args.id)) {
      statement = planConversation(info, args.id, false);
    } else if (field.name === 'agent' && typeof args.id === 'string' && isUuid(args.id)) {
      statement = planAgent(info, args.id, false);
    } else if (field.name === 'agents') {
      statement = planAgents(info, { first: args.first as number | null, after: args.after as string | null }, false);
    } else if (field.name === 'events') {
      statement = planEvents(info, { filter: args.filter as EventFilter | null, first: args.first as number | null, after: args.after as string | null }, false);
    } else if (field.name === 'followUps') {
      statement = planFollowUps(info, { filter: args.filter as FollowUpFilter | null, first: args.first as number | null, after: args.after as string | null }, false);
    } else if (field.name === 'tickets') {
      statement = planTickets(info, { filter: args.filter as TicketFilter | null, first: args.first as number | null, after: args.after as string | null }, false);
    }
    if (!statement) return null;
    planned.push({ key, statement });
  }
  if (planned.length === 0) return null;
  const scope = context.tenant();
  const answers = await Promise.all(planned.map(({ statement }) => readPlanned(scope, statement)));
  if (answers.some((answer) => answer === null)) return null; // NOT_FOUND: as the resolver says it
  const data: Record<string, unknown> = {};
  planned.forEach(({ key }, index) => (data[key] = answers[index]));
  return data;
}

/** The fast path as an Apollo plugin (`responseForOperation`); off with GRAPHQL_READ_PLANNER=false. */
export const plannedOperationPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async responseForOperation(requestContext) {
        const { contextValue } = requestContext;
        if (!contextValue.readPlanner) return null;
        let data: Record<string, unknown> | null;
        try {
          data = await executePlannedOperation(
            requestContext.schema, requestContext.document, requestContext.operation, requestContext.request.variables, contextValue,
          );
        } catch (error) {
          // Executed as usual instead, where a failure is reported (and masked) like any other.
          contextValue.logger.warn({ err: error }, 'planned read failed; executing the operation instead');
          return null;
        }
        if (!data) return null;
        return { http: requestContext.response.http, body: { kind: 'single', singleResult: { data } } };
      },
    };
  },
};
