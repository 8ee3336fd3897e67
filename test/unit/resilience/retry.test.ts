import { DeadlineExceededError } from '../../../src/resilience/deadline';
import { backoffMs, retryIdempotent, type RetryOptions } from '../../../src/resilience/retry';

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const isRetryable = (err: unknown): boolean => err === refused;

/** Options with delays of 0 ms (random() = 0) so tests do not wait, and a far deadline. */
function options(extra: Partial<RetryOptions> = {}): RetryOptions {
  return { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, deadline: Date.now() + 60_000, isRetryable, random: () => 0, ...extra };
}

/** A task failing with `errors` in turn, then answering; records attempt numbers. */
function scripted(errors: unknown[]) {
  const attempts: number[] = [];
  const task = (attempt: number): Promise<string> => {
    attempts.push(attempt);
    const err = errors.shift();
    return err === undefined ? Promise.resolve(`answer ${attempt}`) : Promise.reject(err);
  };
  return { task, attempts };
}

describe('retryIdempotent', () => {
  it('retries a retryable error and resolves with the first success', async () => {
    const { task, attempts } = scripted([refused, refused]);
    await expect(retryIdempotent(task, options())).resolves.toBe('answer 3');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('never retries an error that is not retryable', async () => {
    const other = new Error('HTTP 500');
    const { task, attempts } = scripted([other]);
    await expect(retryIdempotent(task, options())).rejects.toBe(other);
    expect(attempts).toEqual([1]);
  });

  it('stops after `attempts` attempts with the last error', async () => {
    const { task, attempts } = scripted([refused, refused, refused, refused]);
    await expect(retryIdempotent(task, options({ attempts: 2 }))).rejects.toBe(refused);
    expect(attempts).toEqual([1, 2]);
  });

  it('does not start a retry that could not finish before the deadline', async () => {
    let now = 10_000;
    const { task, attempts } = scripted([refused, refused]);
    const opts = options({ now: () => now, deadline: 10_500, minAttemptMs: 400, random: () => 0.999 });
    // backoff up to 100 ms + 400 ms needed from t=10 000 ends at 10 499: allowed once; then 200 ms + 400 ms is not.
    const run = retryIdempotent((attempt) => { now += attempt === 1 ? 0 : 10; return task(attempt); }, opts);
    await expect(run).rejects.toBe(refused);
    expect(attempts).toEqual([1, 2]);
  });

  it('counts the failed attempt’s own duration as the time a retry needs', async () => {
    let now = 0;
    const { task, attempts } = scripted([refused]);
    const slowFailure = (attempt: number): Promise<string> => { now += 600; return task(attempt); };
    await expect(retryIdempotent(slowFailure, options({ now: () => now, deadline: 1000 }))).rejects.toBe(refused);
    expect(attempts).toEqual([1]);
  });

  it('rejects without calling the task when the deadline has already passed', async () => {
    const task = jest.fn(() => Promise.resolve('never'));
    await expect(retryIdempotent(task, options({ deadline: Date.now() - 1 }))).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(task).not.toHaveBeenCalled();
  });

  it('is abortable during the backoff wait, rejecting with the signal’s reason', async () => {
    const controller = new AbortController();
    const { task, attempts } = scripted([refused, refused]);
    const run = retryIdempotent(task, options({ signal: controller.signal, baseDelayMs: 60_000, maxDelayMs: 60_000, random: () => 0.5 }));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('client went away'));
    await expect(run).rejects.toThrow('client went away');
    expect(attempts).toEqual([1]);
  });

  it('does not start when the signal has already aborted', async () => {
    const task = jest.fn(() => Promise.resolve('never'));
    await expect(retryIdempotent(task, options({ signal: AbortSignal.abort(new Error('gone')) }))).rejects.toThrow('gone');
    expect(task).not.toHaveBeenCalled();
  });

  it('waits a full-jitter backoff: random share of min(max, base * 2^(retry-1))', () => {
    const at = (random: number, retry: number): number => backoffMs(retry, { baseDelayMs: 100, maxDelayMs: 1000, random: () => random });
    expect([at(0.5, 1), at(0.5, 2), at(0.5, 3), at(0.5, 5), at(0.999, 9)]).toEqual([50, 100, 200, 500, 999]);
    expect(at(0, 4)).toBe(0);
  });

  it('refuses nonsense options', async () => {
    await expect(retryIdempotent(() => Promise.resolve(1), options({ attempts: 0 }))).rejects.toThrow(RangeError);
    await expect(retryIdempotent(() => Promise.resolve(1), options({ deadline: Number.NaN }))).rejects.toThrow(RangeError);
  });
});
