/**
 * @module
 * `abortableSleep`: wait a while, or less when a signal aborts, without leaving a timer behind. The HTTP
 * client's retry backoff and the agent's clock both wait this way.
 */

/**
 * Wait `ms` milliseconds, or less when `signal` aborts (then it resolves, it never rejects).
 * @param ms time to wait; 0 or less resolves at once
 * @param signal stops the wait early; its listener is removed when the wait ends
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
