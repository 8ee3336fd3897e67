import { LRUCache } from 'lru-cache';

/**
 * Per-caller token bucket, in memory. Each caller key (e.g. accessContextOf + subject, or the client id) has a
 * bucket of `capacity` tokens refilled continuously at `refillPerSecond`; a request takes one token. The number
 * of tracked callers is bounded (least recently seen evicted first), so a flood of distinct keys cannot exhaust
 * memory; an evicted caller simply starts again with a full bucket. One process only: behind a load balancer
 * each instance limits on its own.
 */

export interface RateLimiterOptions {
  /** Burst size: requests allowed at once from a rested caller. */
  readonly capacity: number;
  /** Sustained requests per second. */
  readonly refillPerSecond: number;
  /** Most callers tracked at once (default 10 000). */
  readonly maxTrackedCallers?: number;
  /** Clock in milliseconds (tests drive it). */
  readonly now?: () => number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Take one token from `callerKey`'s bucket. */
  take(callerKey: string): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Create a limiter. @throws TypeError on a non-positive capacity or refill rate */
export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const { capacity, refillPerSecond } = opts;
  if (!(capacity >= 1) || !Number.isFinite(capacity)) throw new TypeError('capacity must be a number >= 1');
  if (!(refillPerSecond > 0) || !Number.isFinite(refillPerSecond)) throw new TypeError('refillPerSecond must be a positive number');
  const now = opts.now ?? Date.now;
  const buckets = new LRUCache<string, Bucket>({ max: opts.maxTrackedCallers ?? 10_000 });

  return {
    take(callerKey: string): RateDecision {
      const at = now();
      const bucket = buckets.get(callerKey) ?? { tokens: capacity, updatedAt: at };
      const elapsedSeconds = Math.max(0, at - bucket.updatedAt) / 1000;
      bucket.tokens = Math.min(capacity, bucket.tokens + elapsedSeconds * refillPerSecond);
      bucket.updatedAt = at;
      buckets.set(callerKey, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      // Whole seconds until one token is back (RFC 9110 10.2.3 Retry-After is delay-seconds), at least 1.
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)) };
    },
  };
}
