import fs from 'node:fs';
import express from 'express';

/**
 * Baseline for bench:search (cache hits): a bare Express endpoint that answers every GET /fhir/DocumentReference
 * with the same pre-built Bundle JSON (fetched once from the facade, BENCH_BUNDLE_FILE). No auth, no cache, no
 * audit, no serialising: the ratio facade/bare is what all the facade's own work on a cache hit costs.
 */
const body = fs.readFileSync(process.env.BENCH_BUNDLE_FILE ?? '', 'utf8');
const app = express();
app.disable('x-powered-by');
app.get('/fhir/DocumentReference', (_req, res) => {
  res.type('application/fhir+json').send(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
server.keepAliveTimeout = 60_000;
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
