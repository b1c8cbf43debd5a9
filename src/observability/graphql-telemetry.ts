import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Kind, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import { secondsSince, type Metrics } from './metrics.js';
import { currentRequest } from './request-telemetry.js';

/** The operation of a document that failed validation (no operation was resolved), when it has one. */
function soleOperation(document: DocumentNode | undefined): OperationDefinitionNode | undefined {
  const operations = document?.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 ? operations[0] : undefined;
}

function errorsOf(response: GraphQLRequestContext<object>['response']): readonly GraphQLFormattedError[] {
  const body = response.body;
  if (body?.kind === 'single') return body.singleResult.errors ?? [];
  return body?.initialResult.errors ?? [];
}

/**
 * Per GraphQL operation: its duration and errors (by `extensions.code`) as metrics, its name and
 * type on the access-log line, and on the operation's span (`query Dashboard`), which graphql-handler
 * opens around the execution so SQL spans nest under it.
 */
export function graphqlTelemetryPlugin(metrics: Metrics | undefined): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      const span = trace.getActiveSpan();
      return {
        async didResolveOperation({ operationName, operation }) {
          const type = operation?.operation ?? 'unknown';
          const telemetry = currentRequest();
          if (telemetry) {
            telemetry.operationName = operationName ?? undefined;
            telemetry.operationType = type;
          }
          span?.updateName(`${type}${operationName ? ` ${operationName}` : ''}`);
          span?.setAttribute('graphql.operation.type', type);
          if (operationName) span?.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse(requestContext) {
          const errors = errorsOf(requestContext.response);
          const sole = requestContext.operation ?? soleOperation(requestContext.document);
          const name = requestContext.operationName ?? requestContext.request.operationName ?? sole?.name?.value;
          if (errors.length > 0) span?.setStatus({ code: SpanStatusCode.ERROR, message: String(errors[0]!.extensions?.code ?? 'ERROR') });
          if (!metrics) return;
          const operation = metrics.operationLabel(name);
          const type = sole?.operation ?? 'unknown';
          metrics.graphqlOperations.observe({ operation, type, outcome: errors.length > 0 ? 'error' : 'ok' }, secondsSince(started));
          for (const error of errors) metrics.graphqlErrors.inc({ operation, code: String(error.extensions?.code ?? 'UNKNOWN') });
        },
      };
    },
  };
}
