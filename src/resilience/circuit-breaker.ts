/**
 * A small circuit breaker, one per responding community, so that a community that is down costs one fast
 * rejection instead of a connection attempt and a full timeout on every search (the "Circuit Breaker" pattern,
 * M. Nygard, Release It!, ch. 5).
 *
 * Policy: CONSECUTIVE failures, not a failure ratio over a rolling window. Traffic per community is uneven and
 * can be low; a ratio needs a minimum volume before it means anything, while "N failures in a row, nothing in
 * between that worked" is predictable at any volume and easy to explain in an incident.
 *
 *   closed ──N consecutive failures──▶ open ──resetTimeoutMs──▶ half-open ──probe ok──▶ closed
 *                                        ▲                          │
 *                                        └──────probe failed────────┘
 *
 * Half-open admits exactly ONE probe; other calls are rejected until it settles. open → half-open happens
 * lazily, on the next run() or state() after resetTimeoutMs (no timers: time comes from the injected clock).
 */

/** The three states; metrics map them to 0 (closed), 1 (half-open), 2 (open). */
export type CircuitState = 'closed' | 'half-open' | 'open';

/** Thrown by run() without calling the task while the circuit is open (or half-open with its probe out). */
export class CircuitOpenError extends Error {
  readonly community: string;
  /** Milliseconds until a probe may be admitted; 0 when a probe is already under way (ask again shortly). */
  readonly retryAfterMs: number;
  readonly state: Exclude<CircuitState, 'closed'>;

  constructor(community: string, retryAfterMs: number, state: Exclude<CircuitState, 'closed'>) {
    super(`Community "${community}" is not being called: its circuit is ${state} after repeated failures`);
    this.name = 'CircuitOpenError';
    this.community = community;
    this.retryAfterMs = retryAfterMs;
    this.state = state;
  }
}

/** One transition, as given to onStateChange listeners. */
export interface CircuitStateChange {
  readonly community: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  /** Clock time of the transition (ms). */
  readonly at: number;
}

export interface CircuitBreakerOptions {
  /** Configured community name (or homeCommunityId): used in errors, events and metric labels. */
  readonly community: string;
  /** Consecutive failures that open the circuit (default 5). */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one probe is let through (default 30 000 ms). */
  readonly resetTimeoutMs?: number;
  /** Which errors count against the community (see failure-policy.ts). Other errors count as "it answered". */
  readonly isFailure: (err: unknown) => boolean;
  /** Clock in ms (default Date.now); tests inject their own. */
  readonly now?: () => number;
}

/** Per-call options of run(). */
export interface RunOptions {
  /** The caller's signal: an error thrown once it has aborted is the caller giving up, not the community failing. */
  readonly signal?: AbortSignal;
}

type Verdict = 'success' | 'failure' | 'neutral';

/** Closed/open/half-open circuit for one community. */
export class CircuitBreaker {
  readonly community: string;
  private readonly threshold: number;
  private readonly resetTimeoutMs: number;
  private readonly isFailure: (err: unknown) => boolean;
  private readonly now: () => number;
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeOut = false;
  /** Bumped on every transition: outcomes of calls admitted under an earlier state are not counted. */
  private generation = 0;
  private readonly listeners = new Set<(change: CircuitStateChange) => void>();

  constructor(opts: CircuitBreakerOptions) {
    this.community = opts.community;
    this.threshold = positiveInteger(opts.failureThreshold ?? 5, 'failureThreshold');
    this.resetTimeoutMs = positiveInteger(opts.resetTimeoutMs ?? 30_000, 'resetTimeoutMs');
    this.isFailure = opts.isFailure;
    this.now = opts.now ?? Date.now;
  }

  /** The state now (moves open → half-open when resetTimeoutMs has passed). */
  state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.resetTimeoutMs) this.transition('half-open');
    return this.current;
  }

  /**
   * Subscribe to transitions (metrics, logs). Returns an unsubscribe function. Listeners must not throw; one
   * that does is ignored so that a metrics bug can never break calls to a community.
   */
  onStateChange(listener: (change: CircuitStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Run `task` if the circuit admits it; rejects with CircuitOpenError (task not called) otherwise. */
  async run<T>(task: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
    const { generation, probe } = this.admit();
    let value: T;
    try {
      value = await task();
    } catch (err) {
      this.settle(generation, probe, this.verdictOf(err, opts.signal));
      throw err;
    }
    this.settle(generation, probe, 'success');
    return value;
  }

  private admit(): { generation: number; probe: boolean } {
    const state = this.state();
    if (state === 'open') {
      throw new CircuitOpenError(this.community, Math.max(0, this.openedAt + this.resetTimeoutMs - this.now()), 'open');
    }
    if (state === 'half-open') {
      if (this.probeOut) throw new CircuitOpenError(this.community, 0, 'half-open');
      this.probeOut = true;
      return { generation: this.generation, probe: true };
    }
    return { generation: this.generation, probe: false };
  }

  private verdictOf(err: unknown, signal: AbortSignal | undefined): Verdict {
    if (signal?.aborted) return 'neutral';
    return this.isFailure(err) ? 'failure' : 'success';
  }

  private settle(generation: number, probe: boolean, verdict: Verdict): void {
    if (generation !== this.generation) return;
    if (probe) this.probeOut = false;
    if (verdict === 'neutral') return;
    if (verdict === 'success') {
      this.failures = 0;
      if (this.current === 'half-open') this.transition('closed');
      return;
    }
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.threshold) this.transition('open');
  }

  private transition(to: CircuitState): void {
    const from = this.current;
    if (from === to) return;
    const at = this.now();
    this.current = to;
    this.generation += 1;
    this.probeOut = false;
    this.failures = 0;
    if (to === 'open') this.openedAt = at;
    const change: CircuitStateChange = { community: this.community, from, to, at };
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // Deliberately ignored: see onStateChange.
      }
    }
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`circuit breaker: ${name} must be a positive integer`);
  return value;
}
