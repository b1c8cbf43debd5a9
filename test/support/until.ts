/**
 * Polls `probe` until it returns something other than undefined, and returns that: tests wait for a
 * condition, never for a fixed time. Past `timeoutMs` it fails naming `what` it waited for.
 */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until `condition` holds (see `until`). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void> {
  await until(async () => ((await condition()) ? true : undefined), what, timeoutMs);
}
