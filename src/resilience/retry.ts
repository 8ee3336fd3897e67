import { DeadlineExceededError } from './deadline';

/**
 * Retry for idempotent upstream calls (an ITI-38 query, a retrieve): only errors the caller calls retryable
 * (the facade: connection refused/reset before any answer, see failure-policy.ts), with "full jitter"
 * exponential backoff (delay = random(0, min(maxDelayMs, baseDelayMs * 2^(retry-1))), so that many requests
 * that failed together do not come back together), and never past the request deadline.
 */

export interface RetryOptions {
  /** Total attempts, the first included (1 = no retry). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Epoch ms (e.g. Deadline.at): a retry that could not finish before it is not attempted. */
  readonly deadline: number;
  readonly isRetryable: (err: unknown) => boolean;
  /** Aborting stops the wait at once and rejects with the signal's reason; no further attempt starts. */
  readonly signal?: AbortSignal;
  /**
   * The least time an attempt needs. A retry starts only if backoff + max(minAttemptMs, the duration of the
   * attempt that just failed) still ends before `deadline`. Default 0 (only the failed attempt's duration).
   */
  readonly minAttemptMs?: number;
  /** [0, 1) random source for the jitter (default Math.random). */
  readonly random?: () => number;
  /** Clock, epoch ms (default Date.now). */
  readonly now?: () => number;
}

/**
 * Run `task` (given the 1-based attempt number), retrying as above. Resolves with the first success; rejects
 * with the last attempt's error when it is not retryable, attempts are used up or the deadline leaves no room;
 * with DeadlineExceededError if the deadline has passed before the first attempt; with the signal's reason on abort.
 */
export async function retryIdempotent<T>(task: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  validate(opts);
  const now = opts.now ?? Date.now;
  opts.signal?.throwIfAborted();
  if (now() >= opts.deadline) throw new DeadlineExceededError(0);
  for (let attempt = 1; ; attempt += 1) {
    const started = now();
    try {
      return await task(attempt);
    } catch (err) {
      if (attempt >= opts.attempts || opts.signal?.aborted || !opts.isRetryable(err)) throw err;
      const delay = backoffMs(attempt, opts);
      const needed = Math.max(opts.minAttemptMs ?? 0, now() - started);
      if (now() + delay + needed >= opts.deadline) throw err;
      await sleep(delay, opts.signal);
    }
  }
}

/** Full-jitter delay before retry number `retry` (1 = the first retry). */
export function backoffMs(retry: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (retry - 1));
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}

/** Wait `ms`, rejecting with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function validate(opts: RetryOptions): void {
  if (!Number.isInteger(opts.attempts) || opts.attempts < 1) throw new RangeError('retry: attempts must be a positive integer');
  if (!(opts.baseDelayMs >= 0) || !(opts.maxDelayMs >= 0)) throw new RangeError('retry: delays must be non-negative numbers');
  if (!Number.isFinite(opts.deadline)) throw new RangeError('retry: deadline must be an epoch time in ms');
}
