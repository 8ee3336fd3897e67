import path from 'node:path';
import { fromRoot } from '../../../src/config/paths';
import { largeDocumentBytes, sandboxSettings } from '../../../src/sandbox/settings';

describe('sandboxSettings', () => {
  it('defaults: ports 9081 / 9082, loopback, a 256 MiB large document, secured with the PKI in .sandbox/pki', () => {
    expect(sandboxSettings({})).toEqual({ portA: 9081, portB: 9082, host: '127.0.0.1', largeDocumentBytes: 268_435_456, insecure: false, pkiDir: fromRoot('.sandbox', 'pki'), pkiHosts: [] });
  });

  it('reads SANDBOX_A_PORT, SANDBOX_B_PORT, SANDBOX_HOST and SANDBOX_LARGE_DOCUMENT_BYTES (1 GiB for a benchmark)', () => {
    expect(sandboxSettings({ SANDBOX_A_PORT: '0', SANDBOX_B_PORT: '19082', SANDBOX_HOST: '0.0.0.0', SANDBOX_LARGE_DOCUMENT_BYTES: '1073741824' })).toMatchObject({
      portA: 0,
      portB: 19082,
      host: '0.0.0.0',
      largeDocumentBytes: 1_073_741_824,
    });
    expect(sandboxSettings({ SANDBOX_HOST: '[::1]' }).host).toBe('::1');
  });

  it.each([
    [{ SANDBOX_A_PORT: 'eighty' }, /SANDBOX_A_PORT/],
    [{ SANDBOX_B_PORT: '70000' }, /SANDBOX_B_PORT/],
    [{ SANDBOX_HOST: 'not a host!' }, /SANDBOX_HOST/],
    [{ SANDBOX_LARGE_DOCUMENT_BYTES: '1e9' }, /SANDBOX_LARGE_DOCUMENT_BYTES/],
    [{ SANDBOX_LARGE_DOCUMENT_BYTES: '100' }, /from 4096/],
    [{ SANDBOX_INSECURE: 'yes' }, /SANDBOX_INSECURE must be "true" or "false"/],
    [{ SANDBOX_PKI_HOSTS: 'sandbox,,x' }, /SANDBOX_PKI_HOSTS must be a comma-separated list/],
    [{ SANDBOX_PKI_HOSTS: 'not a host!' }, /SANDBOX_PKI_HOSTS must be an IP address or host name/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => sandboxSettings(env)).toThrow(message);
  });

  it('reads SANDBOX_INSECURE ("true" / "false") and SANDBOX_PKI_DIR (made absolute)', () => {
    expect(sandboxSettings({ SANDBOX_INSECURE: 'true' }).insecure).toBe(true);
    expect(sandboxSettings({ SANDBOX_INSECURE: 'false' }).insecure).toBe(false);
    expect(sandboxSettings({ SANDBOX_PKI_DIR: '/tmp/sandbox-pki' }).pkiDir).toBe('/tmp/sandbox-pki');
    expect(sandboxSettings({ SANDBOX_PKI_DIR: 'relative/pki' }).pkiDir).toBe(path.resolve('relative/pki'));
  });

  it('reads SANDBOX_PKI_HOSTS: extra certificate names, e.g. a docker compose service', () => {
    expect(sandboxSettings({ SANDBOX_PKI_HOSTS: 'sandbox, 10.0.0.7,[fd00::1]' }).pkiHosts).toEqual(['sandbox', '10.0.0.7', 'fd00::1']);
  });

  it('largeDocumentBytes alone (what startSandbox uses when no size is given)', () => {
    expect(largeDocumentBytes(undefined)).toBe(268_435_456);
    expect(largeDocumentBytes('8192')).toBe(8192);
  });
});
