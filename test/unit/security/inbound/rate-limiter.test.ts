import { createRateLimiter } from '../../../../src/security/inbound/rate-limiter';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

describe('token bucket per caller', () => {
  test('a burst of `capacity` is allowed, the next is refused with Retry-After', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 0.5, now: clock.now });
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    // One token takes 2 s to come back at 0.5/s.
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  test('tokens refill with time, never above capacity', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 1, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(1000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(60_000); // a long rest refills to capacity (2), not 60
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, false]);
  });

  test('Retry-After is the whole seconds until one token is back, at least 1', () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 0.25, now: clock.now });
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    clock.advance(2500); // 0.625 of a token back: 1.5 s to go -> 2
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    clock.advance(1500);
    expect(limiter.take('a')).toEqual({ allowed: true });
    const fast = createRateLimiter({ capacity: 1, refillPerSecond: 100, now: clock.now });
    fast.take('b');
    expect(fast.take('b')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  test('callers have separate buckets', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1, now: manualClock().now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  test('the number of tracked callers is bounded: the least recently seen is forgotten', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 0.001, maxTrackedCallers: 2, now: manualClock().now });
    limiter.take('a');
    limiter.take('b');
    expect(limiter.take('a').allowed).toBe(false); // a is still tracked (and now most recent)
    limiter.take('c'); // evicts b, the least recently seen
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true); // b starts again with a full bucket
  });

  test('nonsense settings are refused', () => {
    expect(() => createRateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(TypeError);
    expect(() => createRateLimiter({ capacity: 5, refillPerSecond: 0 })).toThrow(TypeError);
    expect(() => createRateLimiter({ capacity: Number.NaN, refillPerSecond: 1 })).toThrow(TypeError);
  });
});
