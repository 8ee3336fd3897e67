import type { CacheHealth } from './health';
import { warmUp, type RedisClient } from './redis-client';
import { StoreUnavailableError, type ByteStore } from './store';
import { withTimeout } from './timing';
import type { CacheBackend, CacheState } from './types';

/** Compare-and-delete: free the lock only if it still holds our token (Redis docs, "Distributed locks"). */
const RELEASE_LOCK_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** Compare-and-extend: a new expiry only while the lock still holds our token. */
const EXTEND_LOCK_LUA = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/** A short label for a failure, safe to log: an error code or kind, never a message that could echo arguments. */
export function failureReason(err: unknown): string {
  if (err instanceof StoreUnavailableError) return err.reason;
  if (!(err instanceof Error)) return 'unknown';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code)) return code;
  if (/timed out/i.test(err.message)) return 'timeout';
  // A Redis error reply starts with an upper-case code (OOM, READONLY, CLUSTERDOWN...): keep only that word.
  if (err.name === 'ReplyError') return /^[A-Z]{2,20}\b/.exec(err.message)?.[0] ?? 'ReplyError';
  return err.name.slice(0, 40);
}

function isWrongType(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError' && err.message.startsWith('WRONGTYPE');
}

/**
 * The Redis byte store. Every command goes through `run`: refused at once while disconnected (or while degraded,
 * between probes), bounded by the command timeout, and its outcome feeds the health state.
 */
export class RedisStore implements ByteStore {
  private closed = false;
  private readonly firstConnection: Promise<void>;
  private firstSettle: () => void = () => undefined;

  constructor(
    private readonly client: RedisClient,
    readonly backend: CacheBackend,
    private readonly health: CacheHealth,
    private readonly commandTimeoutMs: number,
    private readonly warmUpTimeoutMs: number,
  ) {
    // First connection: settled when usable (warmed up) or failed, whichever comes first.
    this.firstConnection = new Promise((resolve) => {
      this.firstSettle = resolve;
    });
    client.on('ready', () => void this.onReady());
    // An 'error' listener is mandatory (EventEmitter would throw); connection errors mean degraded.
    client.on('error', (err: unknown) => this.onFailure(failureReason(err)));
    client.on('close', () => this.onFailure('connection closed'));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return (await this.run(() => this.client.getBuffer(key))) ?? undefined;
    } catch (err) {
      if (!isWrongType(err)) throw err;
      // Not a string value: garbage under our key. Treat as a miss and remove it.
      await this.delete(key);
      return undefined;
    }
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    await this.run(() => this.client.set(key, value, 'PX', ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(key));
  }

  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.client.set(key, token, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async releaseLock(key: string, token: string): Promise<void> {
    await this.run(() => this.client.eval(RELEASE_LOCK_LUA, 1, key, token));
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.run(() => this.client.eval(EXTEND_LOCK_LUA, 1, key, token, String(ttlMs)))) === 1;
  }

  async lockExists(key: string): Promise<boolean> {
    return (await this.run(() => this.client.exists(key))) > 0;
  }

  state(): CacheState {
    return this.health.state();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.health.silence();
    if (this.client.status === 'ready') {
      await withTimeout(this.client.quit(), this.commandTimeoutMs * 5, () => new Error('quit timed out')).catch(() => undefined);
    }
    this.client.disconnect();
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    await this.admit();
    try {
      const result = await withTimeout(command(), this.commandTimeoutMs, () => new StoreUnavailableError('timeout'));
      this.health.markOk();
      return result;
    } catch (err) {
      if (isWrongType(err)) {
        this.health.markOk(); // Redis answered; the data was wrong, not the connection.
        throw err;
      }
      const reason = failureReason(err);
      this.health.markDegraded(reason);
      throw new StoreUnavailableError(reason);
    }
  }

  /** Refuse a command that cannot succeed now, without touching the network. */
  private async admit(): Promise<void> {
    if (this.closed) throw new StoreUnavailableError('closed');
    if (this.health.isStarting()) {
      // Right after startup, wait (briefly) for the first connection rather than miss needlessly; still connecting
      // after that is a plain miss, not an outage.
      await withTimeout(this.firstConnection, this.commandTimeoutMs, () => new Error('not connected')).catch(() => undefined);
      if (this.health.isStarting()) throw new StoreUnavailableError('starting');
    }
    if (this.client.status !== 'ready') throw new StoreUnavailableError('not connected');
    if (this.health.isDegraded() && !this.health.allowProbe()) throw new StoreUnavailableError('degraded');
  }

  private async onReady(): Promise<void> {
    try {
      await warmUp(this.client, this.warmUpTimeoutMs);
      this.health.markOk();
    } catch (err) {
      this.health.markDegraded(failureReason(err));
    }
    this.firstSettle();
  }

  private onFailure(reason: string): void {
    this.health.markDegraded(reason);
    this.firstSettle();
  }
}
