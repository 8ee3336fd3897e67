import http from 'node:http';
import { request } from 'undici';
import { buildCrossGatewayRetrieve, encodeMtomRequest } from '../src/xca/iti39';

/**
 * Baseline for bench:retrieve: a plain HTTP pass-through. GET /?url=&hcid=&repo=&doc= sends the same ITI-39 request
 * the facade would send and pipes the upstream body to the client untouched (no MTOM parsing, no XML), so the
 * ratio facade/pass-through isolates what the facade's streaming MTOM path costs.
 */
const server = http.createServer((req, res) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const to = q.get('url') ?? '';
  const envelope = buildCrossGatewayRetrieve(
    { homeCommunityId: q.get('hcid') ?? '', repositoryUniqueId: q.get('repo') ?? '', documentUniqueId: q.get('doc') ?? '' },
    { to, messageId: 'urn:uuid:00000000-0000-4000-8000-00000000beef' },
  );
  const mtom = encodeMtomRequest(envelope);
  request(to, { method: 'POST', headers: { 'content-type': mtom.contentType }, body: mtom.body }).then(
    (upstream) => {
      res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/octet-stream') });
      upstream.body.pipe(res);
    },
    () => res.writeHead(502).end(),
  );
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`passthrough listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
