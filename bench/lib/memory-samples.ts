import type { Child } from './processes';
import { MiB } from './processes';

/** One reading of the facade's memory (after a forced GC), `atSeconds` into the run. */
export interface MemorySample {
  readonly atSeconds: number;
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
}

interface ProbeLine {
  benchMemory?: { heapUsed: number; rss: number };
}

/**
 * Reads the facade's memory through bench/servers/memory-probe.js: `take()` signals SIGUSR2 and resolves with the
 * next {"benchMemory"} line, which `onLine` (given to startNode) feeds in.
 */
export class MemoryProbe {
  private waiting: ((line: ProbeLine['benchMemory']) => void) | undefined;
  private child: Child | undefined;
  private readonly started = Date.now();

  readonly onLine = (line: string): void => {
    if (!line.startsWith('{"benchMemory"')) return;
    const reading = (JSON.parse(line) as ProbeLine).benchMemory;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.(reading);
  };

  attach(child: Child): void {
    this.child = child;
  }

  async take(timeoutMs = 10_000): Promise<MemorySample> {
    const child = this.child;
    if (child === undefined) throw new Error('memory probe not attached');
    const reading = await new Promise<ProbeLine['benchMemory']>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the facade did not answer the memory probe')), timeoutMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
      child.process.kill('SIGUSR2');
    });
    if (reading === undefined) throw new Error('empty memory reading');
    return { atSeconds: (Date.now() - this.started) / 1000, heapUsedMiB: reading.heapUsed / MiB, rssMiB: reading.rss / MiB };
  }
}
