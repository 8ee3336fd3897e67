import type { AddressInfo, Server } from 'node:net';

/** Listening helpers of the sandbox gateways (node:http or node:https servers alike). */

/** Listen on `host`:`port` (0: an ephemeral port); resolves with the bound address, rejects on a listen error. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** The host to put in announced URLs: a wildcard listen address is not one a client can connect to. */
export function announcedHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
