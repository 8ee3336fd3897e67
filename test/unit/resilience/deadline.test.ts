import { createDeadline, DeadlineExceededError } from '../../../src/resilience/deadline';
import { toXcaError } from '../../../src/xca/errors';

describe('createDeadline', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('counts down and aborts its signal with DeadlineExceededError when the time is up', () => {
    const deadline = createDeadline(30_000);
    expect(deadline.at).toBe(1_700_000_030_000);
    jest.advanceTimersByTime(12_000);
    expect(deadline.remainingMs()).toBe(18_000);
    expect(deadline.expired()).toBe(false);
    expect(deadline.signal.aborted).toBe(false);

    jest.advanceTimersByTime(18_000);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.expired()).toBe(true);
  });

  it('reads as a timeout to the XCA layer (toXcaError)', () => {
    const deadline = createDeadline(10);
    jest.advanceTimersByTime(10);
    expect(toXcaError(deadline.signal.reason).kind).toBe('timeout');
  });

  it('follows its parent: a parent abort aborts it at once with the parent’s reason', () => {
    const parent = new AbortController();
    const deadline = createDeadline(30_000, parent.signal);
    parent.abort(new Error('client disconnected'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('client disconnected');
    expect(deadline.expired()).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
    expect(jest.getTimerCount()).toBe(0); // its timer was cleared
  });

  it('starts aborted under an already aborted parent', () => {
    const deadline = createDeadline(30_000, AbortSignal.abort(new Error('gone')));
    expect(deadline.signal.aborted).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never aborts once released', () => {
    const parent = new AbortController();
    const deadline = createDeadline(100, parent.signal);
    deadline.release();
    jest.advanceTimersByTime(1000);
    parent.abort();
    expect(deadline.signal.aborted).toBe(false);
  });

  it('refuses a budget that is not a positive number', () => {
    expect(() => createDeadline(0)).toThrow(RangeError);
    expect(() => createDeadline(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
