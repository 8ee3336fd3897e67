import type { Logger } from 'pino';
import type { CacheBackend, CacheState } from './types';

/** Milliseconds between probe commands while degraded but connected (a slow Redis is tried again, not hammered). */
const PROBE_INTERVAL_MS = 500;

/**
 * Health of a Redis-backed cache: `starting` until the first connection, then `ok` or `degraded`. Each change is
 * logged once (a warning, so operators see both the outage and its end); the log carries the backend and a short
 * reason label only, never a key, key material or value.
 */
export class CacheHealth {
  private current: 'starting' | CacheState = 'starting';
  private lastProbeAt = 0;
  private silenced = false;

  constructor(
    private readonly logger: Logger,
    private readonly backend: CacheBackend,
  ) {}

  /** Reported state: anything but a confirmed working Redis is `degraded`. */
  state(): CacheState {
    return this.current === 'ok' ? 'ok' : 'degraded';
  }

  /** True after a failure, until Redis answers again. */
  isDegraded(): boolean {
    return this.current === 'degraded';
  }

  /** True until the first connection succeeded or failed. */
  isStarting(): boolean {
    return this.current === 'starting';
  }

  /** Redis answered: mark ok, logging the recovery if it was degraded. */
  markOk(): void {
    if (this.current === 'ok' || this.silenced) return;
    const was = this.current;
    this.current = 'ok';
    if (was === 'degraded') this.logger.warn({ cache: this.backend }, 'cache recovered: Redis answers again, caching resumed');
    else this.logger.info({ cache: this.backend }, 'cache connected to Redis');
  }

  /** Redis failed: mark degraded, logging the first failure only. */
  markDegraded(reason: string): void {
    if (this.current === 'degraded' || this.silenced) return;
    this.current = 'degraded';
    this.logger.warn({ cache: this.backend, reason }, 'cache degraded: Redis unavailable, serving without cache');
  }

  /** While degraded, let one command through per interval to find out whether Redis is back. */
  allowProbe(now: number = Date.now()): boolean {
    if (now - this.lastProbeAt < PROBE_INTERVAL_MS) return false;
    this.lastProbeAt = now;
    return true;
  }

  /** Stop logging state changes (the cache is closing: a closed connection is not an outage). */
  silence(): void {
    this.silenced = true;
  }
}
