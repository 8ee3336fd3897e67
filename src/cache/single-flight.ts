import { randomBytes } from 'node:crypto';
import type { ByteStore } from './store';
import { sleep } from './timing';
import type { SingleFlightResult } from './types';

/** Reads and writes decrypted entries; both swallow store failures (a miss, a no-op). */
export interface EntryAccess {
  read(key: string): Promise<unknown>;
  write(key: string, value: unknown, ttlMs: number): Promise<void>;
}

/** The entry and its lock, both already derived (HMAC'd). */
export interface FlightKeys {
  entry: string;
  lock: string;
}

/** A singleFlight call with defaults applied. */
export interface FlightPlan {
  ttlMs: number;
  fresh: boolean;
  lockTtlMs: number;
  maxWaitMs: number;
  pollMs: number;
}

type LockAttempt = { kind: 'held'; token: string } | { kind: 'busy' } | { kind: 'unavailable' };
type WaitOutcome = { kind: 'value'; value: unknown } | { kind: 'lock-gone' } | { kind: 'give-up' };

/**
 * Single-flight read-through. In this process, identical concurrent calls share one promise. Across processes a
 * Redis lock (SET NX PX, compare-and-delete release) elects one producer; the others poll for its value until it
 * appears, the lock vanishes (holder done or dead: try to take it) or maxWaitMs passes (produce themselves). A
 * crashed holder therefore delays others by at most lockTtlMs, and a Redis failure degrades to "just produce".
 */
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<SingleFlightResult<unknown>>>();

  constructor(
    private readonly entries: EntryAccess,
    private readonly store: ByteStore,
  ) {}

  /** Run (or join) the flight for `keys`. */
  run<T>(keys: FlightKeys, produce: () => Promise<T>, plan: FlightPlan): Promise<SingleFlightResult<T>> {
    // Fresh calls only join fresh calls: a plain call in flight may be answered from the cache.
    const id = `${plan.fresh ? 'fresh' : 'read'}|${keys.entry}`;
    const joined = this.inFlight.get(id);
    if (joined !== undefined) return joined as Promise<SingleFlightResult<T>>;
    const flight = (plan.fresh ? this.produceFresh(keys, produce, plan) : this.lead(keys, produce, plan)).finally(() => {
      this.inFlight.delete(id);
    });
    this.inFlight.set(id, flight);
    return flight;
  }

  private async lead<T>(keys: FlightKeys, produce: () => Promise<T>, plan: FlightPlan): Promise<SingleFlightResult<T>> {
    const deadline = Date.now() + plan.maxWaitMs;
    for (;;) {
      const cached = await this.entries.read(keys.entry);
      if (cached !== undefined) return { value: cached as T, fromCache: true };
      const lock = await this.tryLock(keys.lock, plan.lockTtlMs);
      if (lock.kind === 'held') return this.produceHolding(keys, produce, plan, lock.token);
      if (lock.kind === 'unavailable') return this.produceAndStore(keys.entry, produce, plan.ttlMs);
      const waited = await this.waitForHolder(keys, deadline, plan.pollMs);
      if (waited.kind === 'value') return { value: waited.value as T, fromCache: true };
      // Bounded wait: past maxWaitMs we stop trusting the holder and produce ourselves.
      if (waited.kind === 'give-up') return this.produceAndStore(keys.entry, produce, plan.ttlMs);
      // lock-gone: loop, re-read the entry, then try to take the lock.
    }
  }

  private async produceFresh<T>(keys: FlightKeys, produce: () => Promise<T>, plan: FlightPlan): Promise<SingleFlightResult<T>> {
    // Take the lock if free (others then wait for our fresh value) but never wait for someone else's.
    const lock = await this.tryLock(keys.lock, plan.lockTtlMs);
    try {
      return await this.produceAndStore(keys.entry, produce, plan.ttlMs);
    } finally {
      if (lock.kind === 'held') await this.release(keys.lock, lock.token);
    }
  }

  private async produceHolding<T>(keys: FlightKeys, produce: () => Promise<T>, plan: FlightPlan, token: string): Promise<SingleFlightResult<T>> {
    try {
      // The previous holder may have stored the value between our read and our lock: read once more.
      const cached = await this.entries.read(keys.entry);
      if (cached !== undefined) return { value: cached as T, fromCache: true };
      return await this.produceAndStore(keys.entry, produce, plan.ttlMs);
    } finally {
      // Released even when produce throws, so waiters take over at once instead of after lockTtlMs.
      await this.release(keys.lock, token);
    }
  }

  private async produceAndStore<T>(entry: string, produce: () => Promise<T>, ttlMs: number): Promise<SingleFlightResult<T>> {
    const value = await produce();
    await this.entries.write(entry, value, ttlMs);
    return { value, fromCache: false };
  }

  private async waitForHolder(keys: FlightKeys, deadline: number, pollMs: number): Promise<WaitOutcome> {
    while (Date.now() < deadline) {
      await sleep(Math.min(pollMs, deadline - Date.now()));
      const value = await this.entries.read(keys.entry);
      if (value !== undefined) return { kind: 'value', value };
      try {
        if (!(await this.store.lockExists(keys.lock))) return { kind: 'lock-gone' };
      } catch {
        return { kind: 'give-up' };
      }
    }
    return { kind: 'give-up' };
  }

  private async tryLock(key: string, ttlMs: number): Promise<LockAttempt> {
    const token = randomBytes(16).toString('hex');
    try {
      return (await this.store.acquireLock(key, token, ttlMs)) ? { kind: 'held', token } : { kind: 'busy' };
    } catch {
      return { kind: 'unavailable' };
    }
  }

  private async release(key: string, token: string): Promise<void> {
    // A failed release is harmless: the lock expires after lockTtlMs.
    await this.store.releaseLock(key, token).catch(() => undefined);
  }
}
