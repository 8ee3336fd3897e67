import { CircuitBreaker, CircuitOpenError, type CircuitStateChange } from '../../../src/resilience/circuit-breaker';
import { CircuitBreakers } from '../../../src/resilience/circuit-breakers';

/** A hand-driven clock and a breaker on it: 3 consecutive failures open, 1 s reset. */
function setup(threshold = 3) {
  let now = 1_000_000;
  const changes: CircuitStateChange[] = [];
  const breaker = new CircuitBreaker({
    community: 'community-a',
    failureThreshold: threshold,
    resetTimeoutMs: 1000,
    isFailure: (err) => err instanceof Error && err.message === 'down',
    now: () => now,
  });
  breaker.onStateChange((c) => changes.push(c));
  return { breaker, changes, advance: (ms: number) => { now += ms; }, at: () => now };
}

const down = (): Promise<never> => Promise.reject(new Error('down'));
const noDocuments = (): Promise<never> => Promise.reject(new Error('no documents'));
const ok = (): Promise<string> => Promise.resolve('answer');

async function failTimes(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await expect(breaker.run(down)).rejects.toThrow('down');
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and then rejects at once without calling the task', async () => {
    const { breaker, changes, advance } = setup();
    await failTimes(breaker, 2);
    expect(breaker.state()).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state()).toBe('open');
    expect(changes).toEqual([{ community: 'community-a', from: 'closed', to: 'open', at: 1_000_000 }]);

    advance(400);
    const task = jest.fn(ok);
    const err = await breaker.run(task).catch((e: unknown) => e);
    expect(task).not.toHaveBeenCalled();
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect(err).toMatchObject({ community: 'community-a', retryAfterMs: 600, state: 'open' });
  });

  it('counts only consecutive failures: a success, or an error that is not a failure, resets the count', async () => {
    const { breaker } = setup();
    await failTimes(breaker, 2);
    await expect(breaker.run(ok)).resolves.toBe('answer');
    await failTimes(breaker, 2);
    await expect(breaker.run(noDocuments)).rejects.toThrow('no documents');
    await failTimes(breaker, 2);
    expect(breaker.state()).toBe('closed');
  });

  it('goes half-open after resetTimeoutMs, admits ONE probe, and closes when it succeeds', async () => {
    const { breaker, changes, advance } = setup();
    await failTimes(breaker, 3);
    advance(1000);
    expect(breaker.state()).toBe('half-open');

    let answer: (v: string) => void = () => undefined;
    const probe = breaker.run(() => new Promise<string>((resolve) => { answer = resolve; }));
    const second = jest.fn(ok);
    await expect(breaker.run(second)).rejects.toMatchObject({ name: 'CircuitOpenError', state: 'half-open', retryAfterMs: 0 });
    expect(second).not.toHaveBeenCalled();

    answer('probe answer');
    await expect(probe).resolves.toBe('probe answer');
    expect(breaker.state()).toBe('closed');
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['closed>open', 'open>half-open', 'half-open>closed']);
    await failTimes(breaker, 2);
    expect(breaker.state()).toBe('closed'); // the count started again from zero
  });

  it('reopens for a full resetTimeoutMs when the probe fails', async () => {
    const { breaker, advance, at } = setup();
    await failTimes(breaker, 3);
    advance(1500);
    await failTimes(breaker, 1);
    expect(breaker.state()).toBe('open');
    const opened = at();
    advance(999);
    await expect(breaker.run(ok)).rejects.toMatchObject({ retryAfterMs: 1 });
    advance(1);
    expect(at() - opened).toBe(1000);
    await expect(breaker.run(ok)).resolves.toBe('answer');
    expect(breaker.state()).toBe('closed');
  });

  it('does not count an error thrown after the caller aborted, and frees the probe slot', async () => {
    const { breaker, advance } = setup(1);
    const caller = new AbortController();
    caller.abort();
    await expect(breaker.run(down, { signal: caller.signal })).rejects.toThrow('down');
    expect(breaker.state()).toBe('closed');

    await failTimes(breaker, 1);
    advance(1000);
    await expect(breaker.run(down, { signal: caller.signal })).rejects.toThrow('down');
    expect(breaker.state()).toBe('half-open');
    await expect(breaker.run(ok)).resolves.toBe('answer'); // the slot is free for a new probe
    expect(breaker.state()).toBe('closed');
  });

  it('ignores outcomes of calls admitted before the last transition', async () => {
    const { breaker } = setup(1);
    let late: (v: string) => void = () => undefined;
    const slow = breaker.run(() => new Promise<string>((resolve) => { late = resolve; }));
    await failTimes(breaker, 1);
    expect(breaker.state()).toBe('open');
    late('late answer');
    await expect(slow).resolves.toBe('late answer');
    expect(breaker.state()).toBe('open');
  });

  it('survives a throwing listener and stops notifying after unsubscribe', async () => {
    const { breaker } = setup(1);
    const seen: string[] = [];
    breaker.onStateChange(() => { throw new Error('metrics bug'); });
    const off = breaker.onStateChange((c) => seen.push(c.to));
    await failTimes(breaker, 1);
    off();
    expect(seen).toEqual(['open']);
  });

  it('refuses nonsense settings', () => {
    expect(() => new CircuitBreaker({ community: 'x', failureThreshold: 0, isFailure: () => true })).toThrow(RangeError);
    expect(() => new CircuitBreaker({ community: 'x', resetTimeoutMs: 1.5, isFailure: () => true })).toThrow(RangeError);
  });
});

describe('CircuitBreakers', () => {
  it('keeps one breaker per community: one community opening leaves the other closed', async () => {
    const breakers = new CircuitBreakers({ failureThreshold: 1, resetTimeoutMs: 1000, isFailure: () => true });
    const seen: string[] = [];
    breakers.onStateChange(() => { throw new Error('ignored'); });
    breakers.onStateChange((c) => seen.push(`${c.community}:${c.to}`));
    expect(breakers.for('a')).toBe(breakers.for('a'));
    await expect(breakers.for('a').run(down)).rejects.toThrow('down');
    await expect(breakers.for('b').run(ok)).resolves.toBe('answer');
    expect(seen).toEqual(['a:open']);
    expect([...breakers.states()]).toEqual([['a', 'open'], ['b', 'closed']]);
  });
});
