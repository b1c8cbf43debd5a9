import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

export { SpanKind };

export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT (spans go to `<endpoint>/v1/traces`) or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (as is). */
  tracesEndpoint?: string;
  serviceName: string;
}

export interface Tracing {
  /** Sends the spans still buffered and stops exporting. */
  shutdown(): Promise<void>;
}

const TRACER_NAME = 'alma-analytics';
const MAX_STATEMENT_LENGTH = 2_000;

/**
 * Turns on OpenTelemetry tracing for this process when an OTLP endpoint is configured (or an
 * exporter is given, e.g. an in-memory one in tests): HTTP server spans that continue a caller's
 * `traceparent`, GraphQL operation spans, SQL spans, job spans, and `traceparent` on outbound
 * calls. Without it every span below is OpenTelemetry's no-op and costs next to nothing.
 * The provider is process-global (OpenTelemetry's API is), so one app per process registers it.
 */
export function startTracing(settings: TracingSettings, exporter?: SpanExporter): Tracing | undefined {
  if (!exporter && !settings.tracesEndpoint) return undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: [
      exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesEndpoint })),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** The context a request continues: its `traceparent` / `tracestate` headers (W3C), if any. */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/** Adds `traceparent` (and `tracestate`) for the active span to outbound request headers. */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace id to log for a request: its span's when tracing is on, else the caller's
 * `traceparent` (so log lines still join the caller's trace), else none.
 */
export function traceIdOf(span: Span | undefined, traceparent: string | string[] | undefined): string | undefined {
  if (span?.isRecording()) return span.spanContext().traceId;
  const value = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const match = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  return match && !/^0+$/.test(match[1]!) ? match[1] : undefined;
}

/** Runs `work` in a new span (a child of the active one), recording a thrown error on it. */
export async function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes }, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * A span for one SQL statement when a span is active (none for statements outside any traced
 * work: no root spans for background polls). `db.query.text` is the parameterized text: values
 * are bound separately and never recorded.
 */
export function startStatementSpan(text: string, system: 'postgresql'): Span | undefined {
  const parent = trace.getSpan(context.active());
  if (!parent?.isRecording()) return undefined;
  const operation = /^\s*(?:\/\*.*?\*\/\s*)?(\w+)/s.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
  return tracer().startSpan(operation, {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': system, 'db.operation.name': operation, 'db.query.text': text.slice(0, MAX_STATEMENT_LENGTH) },
  });
}

/** Ends a statement's span when it settles (a promise or a node-style callback as the last argument). */
export function traceStatement(text: unknown, args: unknown[], run: (args: unknown[]) => unknown): unknown {
  const span = typeof text === 'string' ? startStatementSpan(text, 'postgresql') : undefined;
  if (!span) return run(args);
  const end = (error?: unknown) => {
    if (error) failSpan(span, error);
    span.end();
  };
  const last = args.at(-1);
  if (typeof last === 'function') {
    const callback = last as (error: unknown, ...rest: unknown[]) => unknown;
    return run([...args.slice(0, -1), (error: unknown, ...rest: unknown[]) => (end(error), callback(error, ...rest))]);
  }
  try {
    const result = run(args);
    if (result && typeof (result as { then?: unknown }).then === 'function') (result as Promise<unknown>).then(() => end(), end);
    else end();
    return result;
  } catch (error) {
    end(error);
    throw error;
  }
}
