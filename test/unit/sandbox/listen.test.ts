import http from 'node:http';
import { announcedHost, listen } from '../../../src/sandbox/listen';

describe('announcedHost', () => {
  it.each([
    ['0.0.0.0', '127.0.0.1'],
    ['::', '[::1]'],
    ['[::]', '[::1]'],
    ['::1', '[::1]'],
    ['127.0.0.1', '127.0.0.1'],
    ['localhost', 'localhost'],
  ])('%s is announced as %s', (host, announced) => {
    expect(announcedHost(host)).toBe(announced);
  });
});

describe('listen', () => {
  it('resolves with the ephemeral port bound, and rejects when the port is taken', async () => {
    const first = http.createServer();
    const second = http.createServer();
    try {
      const address = await listen(first, 0, '127.0.0.1');
      expect(address.port).toBeGreaterThan(0);
      await expect(listen(second, address.port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    } finally {
      first.close();
    }
  });
});
