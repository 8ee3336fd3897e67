import type { JWTPayload } from 'jose';
import { rememberVerified, TokenRejected, VERIFIED_TOKEN_TTL_MS } from '../../../../src/security/inbound/jwt';

/** A verifier that counts its calls and accepts tokens named in `claims` (exp in seconds). */
function countingVerifier(claims: Record<string, JWTPayload>) {
  const calls: string[] = [];
  const verify = async (token: string): Promise<JWTPayload> => {
    calls.push(token);
    const payload = claims[token];
    if (payload === undefined) throw new TokenRejected('signature verification failed');
    return { ...payload };
  };
  return { verify, calls };
}

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('rememberVerified', () => {
  test('a token verified once is not verified again while remembered, and the same claims come back', async () => {
    let now = T0;
    const inner = countingVerifier({ good: { sub: 'user-1', exp: T0 / 1000 + 3600 } });
    const verify = rememberVerified(inner.verify, { toleranceSeconds: 0, now: () => now });
    const first = await verify('good');
    now += 1000;
    const second = await verify('good');
    expect(inner.calls).toEqual(['good']);
    expect(second).toEqual(first);
    expect(second.sub).toBe('user-1');
  });

  test('a remembered token is verified again after the remembrance period', async () => {
    let now = T0;
    const inner = countingVerifier({ good: { sub: 'user-1', exp: T0 / 1000 + 3600 } });
    const verify = rememberVerified(inner.verify, { toleranceSeconds: 0, now: () => now });
    await verify('good');
    now += VERIFIED_TOKEN_TTL_MS - 1;
    await verify('good');
    expect(inner.calls).toHaveLength(1);
    now += 1;
    await verify('good');
    expect(inner.calls).toHaveLength(2);
  });

  test('never past exp (plus the clock tolerance): an expiring token is handed back to the verifier, which refuses it', async () => {
    let now = T0;
    const exp = T0 / 1000 + 10; // expires in 10 s, well inside the remembrance period
    const claims: Record<string, JWTPayload> = { short: { sub: 'user-1', exp } };
    const inner = countingVerifier(claims);
    const verify = rememberVerified(inner.verify, { toleranceSeconds: 5, now: () => now });
    await verify('short');
    now = T0 + 14_999; // exp + tolerance not yet reached
    await verify('short');
    expect(inner.calls).toHaveLength(1);
    now = T0 + 15_000;
    delete claims.short; // the real verifier refuses an expired token
    await expect(verify('short')).rejects.toThrow(TokenRejected);
    expect(inner.calls).toHaveLength(2);
  });

  test('refusals are not remembered: each attempt is verified', async () => {
    const inner = countingVerifier({});
    const verify = rememberVerified(inner.verify, { toleranceSeconds: 0, now: () => T0 });
    await expect(verify('forged')).rejects.toThrow('signature verification failed');
    await expect(verify('forged')).rejects.toThrow('signature verification failed');
    expect(inner.calls).toEqual(['forged', 'forged']);
  });

  test('a remembered payload cannot be altered by one request for the next', async () => {
    const inner = countingVerifier({ good: { sub: 'user-1', exp: T0 / 1000 + 3600 } });
    const verify = rememberVerified(inner.verify, { toleranceSeconds: 0, now: () => T0 });
    await verify('good');
    const remembered = await verify('good');
    expect(Object.isFrozen(remembered)).toBe(true);
    expect(() => {
      (remembered as { sub?: string }).sub = 'someone-else';
    }).toThrow(TypeError);
    expect((await verify('good')).sub).toBe('user-1');
  });

  test('different tokens are remembered apart', async () => {
    const inner = countingVerifier({ a: { sub: 'a', exp: T0 / 1000 + 3600 }, b: { sub: 'b', exp: T0 / 1000 + 3600 } });
    const verify = rememberVerified(inner.verify, { toleranceSeconds: 0, now: () => T0 });
    expect((await verify('a')).sub).toBe('a');
    expect((await verify('b')).sub).toBe('b');
    expect((await verify('a')).sub).toBe('a');
    expect(inner.calls).toEqual(['a', 'b']);
  });
});
