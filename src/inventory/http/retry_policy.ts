/**
 * @module
 * How the HTTP client retries: exponential backoff with full jitter (a random wait between zero and the
 * capped exponential step), bounded by a total deadline per call.
 */

/** Retry tuning; every field has a default. */
export interface RetryPolicy {
  /** Give up on a call once this long has passed since its first attempt. Default 60,000 ms. */
  deadlineMs?: number;
  /** First backoff step. Default 200 ms. */
  baseDelayMs?: number;
  /** Largest backoff step. Default 5,000 ms. */
  maxDelayMs?: number;
  /** Abort one attempt when no byte arrived for this long. Default 120,000 ms. */
  attemptTimeoutMs?: number;
}

/** The policy with every default filled in. */
export type FullRetryPolicy = Required<RetryPolicy>;

/** Fill in the defaults of a policy. */
export function fullRetryPolicy(policy: RetryPolicy = {}): FullRetryPolicy {
  return {
    deadlineMs: policy.deadlineMs ?? 60_000,
    baseDelayMs: policy.baseDelayMs ?? 200,
    maxDelayMs: policy.maxDelayMs ?? 5_000,
    attemptTimeoutMs: policy.attemptTimeoutMs ?? 120_000,
  };
}

/**
 * The wait before the next attempt: uniform in [0, min(max, base * 2^(attempt - 1))).
 * @param attempt attempts made so far (1 after the first failure)
 * @param random a uniform number in [0, 1)
 */
export function backoffDelay(policy: FullRetryPolicy, attempt: number, random: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random * step);
}
