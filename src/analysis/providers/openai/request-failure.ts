import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

/**
 * What a failed chat-completions request means for the analysis: worth another attempt
 * (rate limit, server error, timeout, network), or a rejection that will not change (bad key,
 * bad request, unknown model).
 */
export type RequestFailure =
  | { kind: 'transient'; message: string; retryAfterMs: number | undefined }
  | { kind: 'rejected'; message: string };

/** HTTP statuses worth retrying: request timeout, rate limit, and every server error. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The delay the server asks for, from `retry-after-ms`, or `Retry-After` in seconds or as an HTTP
 * date; undefined when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(headers: Headers | undefined, nowMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) return Math.ceil(Number(milliseconds));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Classifies an error thrown by `client.chat.completions.create`. `timedOut` tells that our own
 * per-attempt timer aborted the request (the client then reports a user abort).
 */
export function classifyRequestError(error: unknown, timedOut: boolean, timeoutMs: number): RequestFailure {
  if (timedOut || error instanceof APIConnectionTimeoutError) {
    return { kind: 'transient', message: `the request timed out after ${timeoutMs} ms`, retryAfterMs: undefined };
  }
  if (error instanceof APIConnectionError) {
    return { kind: 'transient', message: `the endpoint could not be reached (${error.message})`, retryAfterMs: undefined };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const message = `the endpoint answered HTTP ${error.status} (${error.message})`;
    return isTransientStatus(error.status)
      ? { kind: 'transient', message, retryAfterMs: parseRetryAfter(error.headers) }
      : { kind: 'rejected', message };
  }
  // A 200 whose body is not a chat completion (a proxy's HTML page, a cut connection): transient.
  const detail = error instanceof Error ? error.message : String(error);
  return { kind: 'transient', message: `the response could not be read (${detail})`, retryAfterMs: undefined };
}
