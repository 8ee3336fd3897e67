import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendStream } from '../../../src/sandbox/http-io';

/** sendStream over a real node:http server: back-pressure ends at the client, failures never look like a clean end. */
async function serve(body: () => AsyncIterable<Buffer>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => sendStream(res, 200, 'application/octet-stream', body()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('sendStream', () => {
  it('a source that fails part-way cuts the response off: the client sees an error, not a short body', async () => {
    const server = await serve(async function* () {
      yield Buffer.alloc(1024, 1);
      throw new Error('disk went away');
    });
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer()).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('a client that goes away stops the source (its generator is closed), long before it could have ended', async () => {
    let produced = 0;
    let closed!: () => void;
    const stopped = new Promise<void>((resolve) => (closed = resolve));
    const server = await serve(async function* () {
      try {
        for (;;) {
          produced += 1;
          yield Buffer.alloc(64 * 1024);
        }
      } finally {
        closed();
      }
    });
    try {
      const controller = new AbortController();
      const res = await fetch(server.url, { signal: controller.signal });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await stopped;
      expect(produced).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });
});
