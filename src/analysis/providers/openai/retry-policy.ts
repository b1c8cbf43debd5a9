/** Waiting between attempts: exponential backoff without jitter, so tests and logs are predictable. */

/** The delay before attempt `attempt + 1` when the server gave no Retry-After: base × 2^(attempt-1), capped. */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** The reason `signal` was aborted with, as something to throw. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The analysis was aborted', 'AbortError');
}

/** Resolves after `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      if (signal) reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
