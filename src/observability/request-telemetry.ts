import { AsyncLocalStorage } from 'node:async_hooks';
import type http from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '../logging/logger.js';
import { secondsSince, type Metrics } from './metrics.js';
import { contextFromHeaders, traceIdOf, tracer } from './tracing.js';

/** What the handlers learn about a request that its access-log line and span report. */
export interface RequestTelemetry {
  readonly requestId: string;
  readonly route: string;
  organizationId?: string;
  operationName?: string;
  operationType?: string;
}

const current = new AsyncLocalStorage<RequestTelemetry>();

/** The request being handled (for handlers that add what they learn: organization, operation). */
export function currentRequest(): RequestTelemetry | undefined {
  return current.getStore();
}

/** A client that went away before the answer was written (nginx's convention). */
const CLIENT_CLOSED = 499;

export interface RequestObservers {
  logger: Logger;
  metrics?: Metrics;
}

/**
 * Observes one request: a server span continuing the caller's `traceparent`, and when the
 * response is done (or the client left) the request-duration metric and ONE access-log line —
 * method, route, status, duration, request id, operation, organization, trace id; never the URL's
 * query string, headers or body. `route` is the matched route (`unmatched` / `invalid` otherwise),
 * so labels stay bounded. Returns the runner that handles the request inside that context.
 */
export function observeRequest(
  { logger, metrics }: RequestObservers,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  requestId: string,
  route: string,
): <T>(work: () => T) => T {
  const started = process.hrtime.bigint();
  const method = request.method ?? 'GET';
  const telemetry: RequestTelemetry = { requestId, route };
  const parent = contextFromHeaders(request.headers);
  const span = tracer().startSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'http.route': route, 'alma.request_id': requestId } },
    parent,
  );
  response.once('close', () => {
    const status = response.writableFinished ? response.statusCode : CLIENT_CLOSED;
    const seconds = secondsSince(started);
    span.setAttribute('http.response.status_code', status);
    if (telemetry.organizationId) span.setAttribute('alma.organization_id', telemetry.organizationId);
    if (telemetry.operationName) span.setAttribute('graphql.operation.name', telemetry.operationName);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    metrics?.httpRequests.observe({ method, route, status: String(status) }, seconds);
    logger.info(
      {
        method,
        route,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        requestId,
        operationName: telemetry.operationName,
        operationType: telemetry.operationType,
        organizationId: telemetry.organizationId,
        traceId: traceIdOf(span, request.headers.traceparent),
      },
      'request',
    );
  });
  const active = trace.setSpan(parent, span);
  return (work) => context.with(active, () => current.run(telemetry, work));
}
