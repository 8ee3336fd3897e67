/**
 * One deadline per inbound request, bounding the whole fan-out (every community, every retry). Its signal is
 * what gets passed down (fanOut's `signal`, undici's `signal`); remainingMs() lets a step decide whether it
 * still has time to start (retryIdempotent reads `at`).
 */

/** Default budget of one inbound request. */
export const DEFAULT_REQUEST_DEADLINE_MS = 30_000;

/**
 * The abort reason when a deadline passes. Named 'TimeoutError' like the DOMException of AbortSignal.timeout(),
 * so code that classifies aborts by name (xca/errors.ts toXcaError) sees a timeout.
 */
export class DeadlineExceededError extends Error {
  readonly budgetMs: number;

  constructor(budgetMs: number) {
    super(`The request did not complete within its deadline of ${budgetMs} ms`);
    this.name = 'TimeoutError';
    this.budgetMs = budgetMs;
  }
}

/** A request deadline. */
export interface Deadline {
  /** Aborts when the deadline passes (reason: DeadlineExceededError) or when the parent aborts (its reason). */
  readonly signal: AbortSignal;
  /** The deadline as epoch milliseconds (Date.now() scale). */
  readonly at: number;
  /** Milliseconds left; 0 once passed or aborted. */
  remainingMs(): number;
  /** True once the deadline passed or the signal aborted for any reason. */
  expired(): boolean;
  /** Stop the timer and detach from the parent when the request is done (the signal then never aborts). */
  release(): void;
}

/**
 * Start a deadline of `ms` from now, optionally chained to a parent signal (e.g. the client disconnecting).
 * The timer is unref'd: a pending deadline never keeps the process alive.
 */
export function createDeadline(ms: number = DEFAULT_REQUEST_DEADLINE_MS, parent?: AbortSignal): Deadline {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('deadline: ms must be a positive number');
  const at = Date.now() + ms;
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError(ms)), ms);
  timer.unref();
  const release = (): void => {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  };
  controller.signal.addEventListener('abort', release, { once: true });
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const remainingMs = (): number => (controller.signal.aborted ? 0 : Math.max(0, at - Date.now()));
  return {
    signal: controller.signal,
    at,
    remainingMs,
    expired: () => remainingMs() === 0,
    release,
  };
}
