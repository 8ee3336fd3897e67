import type { Logger } from 'pino';
import { openEntry, sealEntry } from './envelope';
import { deriveEntryKey, deriveLockKey } from './keys';
import { DEFAULT_LOCK_TTL_MS, toTtlMs } from './options';
import { SingleFlight, type FlightKeys } from './single-flight';
import type { ByteStore } from './store';
import type { Cache, CacheStatus, GetOptions, SingleFlightOptions, SingleFlightResult } from './types';

/** What an {@link EncryptedCache} needs: a byte store and the two secrets. */
export interface EncryptedCacheSettings {
  store: ByteStore;
  keyPrefix: string;
  keySecret: Buffer;
  encryptionKey: Buffer;
  defaultTtlMs: number;
  /** Life of a single-flight lock unless a call says otherwise; default {@link DEFAULT_LOCK_TTL_MS}. */
  lockTtlMs?: number;
  logger: Logger;
}

/** singleFlight defaults: a national XCA fan-out can take seconds; waiters poll Redis every 25 ms. */
const DEFAULT_MAX_WAIT_MS = 10_000;
const POLL_MS = 25;

/**
 * The cache over any byte store: HMAC'd key names (keys.ts), AES-GCM entries (envelope.ts), single-flight
 * (single-flight.ts). Store failures are absorbed here, so no call rejects because of the backend.
 */
export class EncryptedCache implements Cache {
  private readonly flights: SingleFlight;
  /**
   * Values handed to write() and not yet stored (sealing waits for the turn of the event loop that sends the
   * answer they belong to): reads in this process answer them, so a write is never "not there yet" here.
   */
  private readonly writing = new Map<string, { readonly value: unknown }>();

  constructor(private readonly settings: EncryptedCacheSettings) {
    this.flights = new SingleFlight({ read: (key) => this.read(key), write: (key, value, ttlMs) => this.write(key, value, ttlMs) }, settings.store);
  }

  async get<T>(namespace: string, keyMaterial: string, opts: GetOptions = {}): Promise<T | undefined> {
    const key = this.entryKey(namespace, keyMaterial);
    // The cast is sound as far as the writer's type was: the entry authenticated, so this service wrote it.
    const value = await this.read(key);
    if (value !== undefined || opts.awaitProducer !== true) return value as T | undefined;
    return (await this.flights.awaitHolder(this.flightKeys(namespace, keyMaterial), Math.max(0, opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS), POLL_MS)) as T | undefined;
  }

  async set(namespace: string, keyMaterial: string, value: unknown, ttlSeconds?: number): Promise<void> {
    const key = this.entryKey(namespace, keyMaterial);
    await this.write(key, value, ttlSeconds === undefined ? this.settings.defaultTtlMs : toTtlMs('ttlSeconds', ttlSeconds));
  }

  async delete(namespace: string, keyMaterial: string): Promise<void> {
    const key = this.entryKey(namespace, keyMaterial);
    this.writing.delete(key); // a write still waiting to be sealed is dropped with it
    await this.settings.store.delete(key).catch(() => undefined);
  }

  async singleFlight<T>(namespace: string, keyMaterial: string, produce: () => Promise<T>, opts: SingleFlightOptions = {}): Promise<SingleFlightResult<T>> {
    return await this.flights.run(this.flightKeys(namespace, keyMaterial), produce, {
      ttlMs: opts.ttlSeconds === undefined ? this.settings.defaultTtlMs : toTtlMs('ttlSeconds', opts.ttlSeconds),
      fresh: opts.fresh === true,
      lockTtlMs: Math.max(1, Math.round(opts.lockTtlMs ?? this.settings.lockTtlMs ?? DEFAULT_LOCK_TTL_MS)),
      maxWaitMs: Math.max(0, opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS),
      pollMs: POLL_MS,
    });
  }

  status(): CacheStatus {
    return { backend: this.settings.store.backend, state: this.settings.store.state() };
  }

  async close(): Promise<void> {
    await this.settings.store.close();
  }

  private entryKey(namespace: string, keyMaterial: string): string {
    return deriveEntryKey(this.settings.keyPrefix, this.settings.keySecret, namespace, keyMaterial);
  }

  /** An entry's key and the key of the single-flight lock that guards it. */
  private flightKeys(namespace: string, keyMaterial: string): FlightKeys {
    return { entry: this.entryKey(namespace, keyMaterial), lock: deriveLockKey(this.settings.keyPrefix, this.settings.keySecret, namespace, keyMaterial) };
  }

  /** The decrypted value under `key`; undefined on a miss, a store failure or an entry that does not open. */
  private async read(key: string): Promise<unknown> {
    const writing = this.writing.get(key);
    if (writing !== undefined) return writing.value;
    const stored = await this.settings.store.get(key).catch(() => undefined);
    if (stored === undefined) return undefined;
    const opened = openEntry(this.settings.encryptionKey, key, stored);
    if (opened.ok) return opened.value;
    // Tampered, moved from another key, written with another key, or not ours: a miss, and it goes.
    this.settings.logger.warn({ cache: this.settings.store.backend }, 'cache entry failed authentication; deleted');
    await this.settings.store.delete(key).catch(() => undefined);
    return undefined;
  }

  private async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    if (value === undefined) return;
    const pending = { value };
    this.writing.set(key, pending);
    try {
      // Sealing waits for the next turn of the event loop: the answer being built from this value goes out first,
      // and requests that arrived meanwhile get started, before the milliseconds a large entry takes to seal.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.writing.get(key) !== pending) return; // written again (a newer value) or deleted since
      let sealed: Buffer;
      try {
        sealed = sealEntry(this.settings.encryptionKey, key, value);
      } catch (err) {
        // Not JSON-serialisable (BigInt, cycle): a caller bug, but caching is optional, so log it and move on.
        this.settings.logger.warn({ cache: this.settings.store.backend, reason: err instanceof Error ? err.name : 'unknown' }, 'cache value not serialisable; not cached');
        return;
      }
      await this.settings.store.set(key, sealed, ttlMs).catch(() => undefined);
    } finally {
      if (this.writing.get(key) === pending) this.writing.delete(key);
    }
  }
}
