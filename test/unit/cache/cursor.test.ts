import { CacheConfigError, CursorError, openCursor, sealCursor } from '../../../src/cache';

const SECRET = 'cursor-secret-0123456789abcdef-XYZ';
const PAYLOAD = { search: 'ab12', offset: 40, patient: '9000000009' };

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CursorError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('paging cursor', () => {
  it('seals to a URL-safe token that opens to the same payload', () => {
    const token = sealCursor(PAYLOAD, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openCursor(token, SECRET)).toEqual(PAYLOAD);
  });

  it('does not reveal the payload, in clear or in base64', () => {
    const token = sealCursor(PAYLOAD, SECRET);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    for (const text of [token, decoded]) {
      expect(text).not.toContain('9000000009');
      expect(text).not.toContain('offset');
    }
    expect(sealCursor(PAYLOAD, SECRET)).not.toBe(token);
  });

  it('rejects an altered token as forged', () => {
    const token = sealCursor(PAYLOAD, SECRET);
    const bytes = Buffer.from(token, 'base64url');
    for (const index of [1, 14, 30, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[index] = (altered[index] as number) ^ 0x01;
      expect(reasonOf(() => openCursor(altered.toString('base64url'), SECRET))).toBe('forged');
    }
  });

  it('rejects a token sealed with another secret as forged', () => {
    expect(reasonOf(() => openCursor(sealCursor(PAYLOAD, `${SECRET}-other`), SECRET))).toBe('forged');
  });

  it('rejects tokens that are not ours in shape as malformed', () => {
    const token = sealCursor(PAYLOAD, SECRET);
    const wrongVersion = Buffer.from(token, 'base64url');
    wrongVersion[0] = 9;
    for (const bad of ['', 'abc', `${token}=`, `${token.slice(0, 10)}+/${token.slice(12)}`, token.slice(0, 30), wrongVersion.toString('base64url'), 'A'.repeat(20_000)]) {
      expect(reasonOf(() => openCursor(bad, SECRET))).toBe('malformed');
    }
  });

  it('refuses a short secret', () => {
    expect(() => sealCursor(PAYLOAD, 'short')).toThrow(CacheConfigError);
    expect(() => openCursor('abc', 'short')).toThrow(CacheConfigError);
  });
});
