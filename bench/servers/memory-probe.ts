/**
 * Preloaded into the facade by bench:soak (`node --expose-gc --require memory-probe.js server.js`): on SIGUSR2 it
 * collects garbage (so heapUsed is what is retained, not what happens to be uncollected) and writes one line
 * {"benchMemory": {...}} with process.memoryUsage() to stderr. Nothing else; the facade does not know it is there.
 */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ benchMemory: { heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers } })}\n`);
});
