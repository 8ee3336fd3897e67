import { randomBytes } from 'node:crypto';
import type { ByteStore } from './store';
import { sleep } from './timing';
import type { SingleFlightResult } from './types';

/**
 * Reads and writes decrypted entries; both swallow store failures (a miss, a no-op). `write` resolves once the entry
 * is stored (or could not be); from the moment it is called, `read` of that key in this process answers the value.
 */
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
 * A flight's value and when its entry is stored. The value is handed to the callers as soon as it is produced; the
 * entry is written after (sealing a large result takes a millisecond or two that the answer need not wait for).
 */
interface Flight<T> {
  readonly result: SingleFlightResult<T>;
  readonly stored: Promise<void>;
}

const NOTHING_TO_STORE: Promise<void> = Promise.resolve();

/**
 * Single-flight read-through. In this process, identical concurrent calls share one promise. Across processes a
 * Redis lock (SET NX PX, compare-and-delete release) elects one producer; the others poll for its value until it
 * appears, the lock vanishes (holder done or dead: try to take it) or maxWaitMs passes (produce themselves). The
 * holder extends its lock while it produces, so a slow producer keeps it; a crashed holder delays others by at most
 * lockTtlMs, and a Redis failure degrades to "just produce".
 *
 * A producer hands its value to its callers before the entry is written and keeps its lock until the entry is there:
 * another process waiting on the lock never finds the lock gone and the entry missing (and in this process, reads
 * answer a value being written: EntryAccess).
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
    // Once the value is there, later calls no longer join: while it is being stored, the entry read answers it.
    const result = (plan.fresh ? this.produceFresh(keys, produce, plan) : this.lead(keys, produce, plan))
      .then((f) => f.result)
      .finally(() => {
        this.inFlight.delete(id);
      });
    this.inFlight.set(id, result);
    return result;
  }

  /**
   * The value of an entry another flight is producing or storing right now (its lock is held), waiting for it at
   * most `maxWaitMs`; undefined when no flight holds the lock, or it ends without storing a value.
   */
  async awaitHolder(keys: FlightKeys, maxWaitMs: number, pollMs: number): Promise<unknown> {
    try {
      if (!(await this.store.lockExists(keys.lock))) return undefined;
    } catch {
      return undefined;
    }
    const waited = await this.waitForHolder(keys, Date.now() + maxWaitMs, pollMs);
    return waited.kind === 'value' ? waited.value : undefined;
  }

  private async lead<T>(keys: FlightKeys, produce: () => Promise<T>, plan: FlightPlan): Promise<Flight<T>> {
    const deadline = Date.now() + plan.maxWaitMs;
    for (;;) {
      const cached = await this.entries.read(keys.entry);
      if (cached !== undefined) return fromCache(cached as T);
      const lock = await this.tryLock(keys.lock, plan.lockTtlMs);
      if (lock.kind === 'held') return this.holding(keys.lock, lock.token, plan.lockTtlMs, () => this.produceUnlessStored(keys.entry, produce, plan.ttlMs));
      if (lock.kind === 'unavailable') return this.produceAndStore(keys.entry, produce, plan.ttlMs);
      const waited = await this.waitForHolder(keys, deadline, plan.pollMs);
      if (waited.kind === 'value') return fromCache(waited.value as T);
      // Bounded wait: past maxWaitMs we stop trusting the holder and produce ourselves.
      if (waited.kind === 'give-up') return this.produceAndStore(keys.entry, produce, plan.ttlMs);
      // lock-gone: loop, re-read the entry, then try to take the lock.
    }
  }

  private async produceFresh<T>(keys: FlightKeys, produce: () => Promise<T>, plan: FlightPlan): Promise<Flight<T>> {
    // Take the lock if free (others then wait for our fresh value) but never wait for someone else's.
    const lock = await this.tryLock(keys.lock, plan.lockTtlMs);
    const run = (): Promise<Flight<T>> => this.produceAndStore(keys.entry, produce, plan.ttlMs);
    return lock.kind === 'held' ? this.holding(keys.lock, lock.token, plan.lockTtlMs, run) : run();
  }

  /** The previous holder may have stored the value between our read and our lock: read once more, then produce. */
  private async produceUnlessStored<T>(entry: string, produce: () => Promise<T>, ttlMs: number): Promise<Flight<T>> {
    const cached = await this.entries.read(entry);
    return cached !== undefined ? fromCache(cached as T) : this.produceAndStore(entry, produce, ttlMs);
  }

  /**
   * Run `step` holding the lock: released once its entry is stored, or at once when it fails, so that waiters take
   * over at once instead of after lockTtlMs. While the holder works, the lock is extended every third of its life:
   * a slow producer (a community that takes longer than lockTtlMs to answer, within its own timeout) keeps its lock
   * and the other replicas keep waiting for its value instead of querying the communities again; a crashed one
   * stops extending, and its lock goes within lockTtlMs.
   */
  private async holding<T>(lockKey: string, token: string, lockTtlMs: number, step: () => Promise<Flight<T>>): Promise<Flight<T>> {
    const keepAlive = this.keepLock(lockKey, token, lockTtlMs);
    const release = async (): Promise<void> => {
      keepAlive.stop();
      await this.release(lockKey, token);
    };
    let flight: Flight<T>;
    try {
      flight = await step();
    } catch (err) {
      await release();
      throw err;
    }
    const stored = flight.stored.catch(() => undefined).then(release);
    return { result: flight.result, stored };
  }

  /** Extend the lock every third of `ttlMs` until stopped, or until it is found lost (expired, taken by another). */
  private keepLock(lockKey: string, token: string, ttlMs: number): { stop(): void } {
    let extending = false;
    const timer = setInterval(() => {
      if (extending) return;
      extending = true;
      this.store
        .extendLock(lockKey, token, ttlMs)
        // A store that cannot answer now may answer at the next tick; a lock found lost is not taken back.
        .then((held) => (held ? undefined : clearInterval(timer)), () => undefined)
        .finally(() => {
          extending = false;
        });
    }, Math.max(1, Math.floor(ttlMs / 3)));
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  private async produceAndStore<T>(entry: string, produce: () => Promise<T>, ttlMs: number): Promise<Flight<T>> {
    const value = await produce();
    return { result: { value, fromCache: false }, stored: this.entries.write(entry, value, ttlMs) };
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

function fromCache<T>(value: T): Flight<T> {
  return { result: { value, fromCache: true }, stored: NOTHING_TO_STORE };
}
