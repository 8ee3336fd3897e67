import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDemoSigningKey, DEMO_AUDIENCE, DEMO_ISSUER, mintDemoToken } from '../../src/security/inbound';

/** A throwaway token issuer for a benchmark run: the facade trusts its JWKS file, the load carries its token. */
export async function benchAuth(): Promise<{ env: Record<string, string>; headers: Record<string, string> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-bench-auth-'));
  const key = await createDemoSigningKey(dir);
  const token = await mintDemoToken({
    privateJwk: key.privateJwk,
    kid: key.kid,
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    expiresInSeconds: 3600,
    claims: { sub: 'bench', ods: 'R9Z01', role: 'R8000', scope: 'user/DocumentReference.rs user/Binary.r user/ImagingStudy.rs' },
  });
  return {
    env: {
      AUTH_JWKS_FILE: key.jwksFile,
      AUTH_ISSUER: DEMO_ISSUER,
      AUTH_AUDIENCE: DEMO_AUDIENCE,
      HOME_COMMUNITY_ID: 'urn:oid:2.999.1.99',
      AUDIT_FILE: path.join(dir, 'audit.jsonl'),
      RATE_LIMIT_BURST: '1000000',
      RATE_LIMIT_PER_SECOND: '1000000',
    },
    headers: { Authorization: `Bearer ${token}` },
  };
}
