import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { XcaError, toXcaError } from './errors';
import type { Community } from './model';

/**
 * Asking every configured community at once (XCA Initiating Gateway behaviour, ITI TF-1 18.2: one ITI-38 per
 * responding gateway). One slow or broken community never holds up or breaks the others' answers.
 */

/** The outcome for one community: its value, or the XcaError it failed with. */
export type FanOutResult<T> =
  | { readonly community: Community; readonly ok: true; readonly value: T; readonly durationMs: number }
  | { readonly community: Community; readonly ok: false; readonly error: XcaError; readonly durationMs: number };

export interface FanOutOptions {
  /** Aborting it stops every community still running (each then fails with 'timeout', or the reason if an XcaError). */
  readonly signal?: AbortSignal;
}

function cancelled(reason: unknown): XcaError {
  return reason instanceof XcaError
    ? reason
    : new XcaError('timeout', 'The request was cancelled before the community answered', { cause: reason });
}

/** Call `onAbort` once `signal` aborts (at once if it already has); returns what detaches it. */
function whenAbortedCall(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return () => undefined;
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/** A promise that rejects with the signal's reason once it aborts (never settles otherwise). */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

async function runOne<T>(
  community: Community,
  task: (community: Community, signal: AbortSignal) => Promise<T>,
  outer: AbortSignal | undefined,
): Promise<FanOutResult<T>> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new XcaError('timeout', `Community "${community.name}" did not answer within ${community.timeoutMs} ms`)),
    community.timeoutMs,
  );
  const detach = whenAbortedCall(outer, () => controller.abort(cancelled(outer?.reason)));
  try {
    if (controller.signal.aborted) throw controller.signal.reason; // cancelled before it started: do not start
    // A task that ignores its signal still loses the race against the deadline; its late outcome is dropped.
    const work = Promise.resolve().then(() => task(community, controller.signal));
    work.catch(() => undefined);
    const value = await Promise.race([work, whenAborted(controller.signal)]);
    return { community, ok: true, value, durationMs: elapsed() };
  } catch (err) {
    // Once our deadline or the outer signal fired, that reason wins over whatever the task threw on abort.
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : err;
    return { community, ok: false, error: toXcaError(reason), durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
    detach();
  }
}

/**
 * Run `task` for every community in parallel, each bounded by its own timeoutMs. Never rejects: failures
 * (timeouts, transport errors, even unexpected exceptions) are normalised to XcaError in the result. Results
 * come back in the configured order of `communities`.
 */
export function fanOut<T>(
  communities: readonly Community[],
  task: (community: Community, signal: AbortSignal) => Promise<T>,
  opts: FanOutOptions = {},
): Promise<FanOutResult<T>[]> {
  return fanOutSettling(communities, task, async (result) => result, opts);
}

/**
 * {@link fanOut}, with each community's result handed to `settle` as soon as that community is done (answered,
 * failed or timed out), while the others are still running: what is done with one answer overlaps the wait for the
 * rest. `settle`'s time does not count against the community's timeout. Results in the order of `communities`.
 */
export function fanOutSettling<T, U>(
  communities: readonly Community[],
  task: (community: Community, signal: AbortSignal) => Promise<T>,
  settle: (result: FanOutResult<T>) => Promise<U>,
  opts: FanOutOptions = {},
): Promise<U[]> {
  const shared = fanOutSignal(opts.signal, communities.length);
  return Promise.all(communities.map((community) => runOne(community, task, shared?.signal).then(settle))).finally(() => shared?.release());
}

/**
 * The signal every community of one fan-out listens to: one listener on the caller's signal (the request's deadline,
 * which other parts of the request listen to as well) however many communities are configured, and room on this
 * one for a listener per community, so that Node's leak warning (past 10 listeners) keeps its meaning for both.
 */
function fanOutSignal(outer: AbortSignal | undefined, communities: number): { signal: AbortSignal; release(): void } | undefined {
  if (outer === undefined) return undefined;
  const controller = new AbortController();
  setMaxListeners(Math.max(10, communities + 1), controller.signal);
  return { signal: controller.signal, release: whenAbortedCall(outer, () => controller.abort(outer.reason)) };
}
