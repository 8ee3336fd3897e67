/** Small timing helpers: a cache call must never wait on Redis longer than its command timeout. */

/** Resolve after `ms` milliseconds. The timer does not keep the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

/**
 * Settle like `work`, or reject with `onTimeout()` after `ms`, whichever comes first. A late settlement of `work` is
 * absorbed (Promise.race subscribes to it), so it never becomes an unhandled rejection.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}
