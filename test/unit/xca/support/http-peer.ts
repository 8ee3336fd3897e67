import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP peer on 127.0.0.1:0 for transport/client tests; records every request it saw. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Peer {
  readonly url: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export type PeerHandler = (req: SeenRequest, res: http.ServerResponse) => void | Promise<void>;

/** Start a server whose handler gets the fully read request. */
export async function startPeer(handler: PeerHandler): Promise<Peer> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const request: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8') };
      seen.push(request);
      void Promise.resolve(handler(request, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/xca/iti38`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answer with a SOAP 1.2 body. */
export function sendSoap(res: http.ServerResponse, body: string | Buffer, status = 200, contentType = 'application/soap+xml; charset=UTF-8'): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

/** A port that was just free and is now closed: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/xca/iti38`;
}
