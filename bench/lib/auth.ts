import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDemoSigningKey, DEMO_AUDIENCE, DEMO_ISSUER, mintDemoToken } from '../../src/security/inbound';

/** The facade's settings that trust this issuer, and the headers of its load. */
export interface BenchAuth {
  readonly env: Record<string, string>;
  /** Bearer token of the default caller (organisation R9Z01). */
  readonly headers: Record<string, string>;
  /**
   * Headers of a caller from another organisation (an ODS-shaped code). Callers of different organisations are
   * different access contexts, so the facade caches their searches apart: used to keep concurrent cache-miss
   * searches from joining one another's upstream call.
   */
  headersFor(organisation: string): Promise<Record<string, string>>;
}

const SCOPE = 'user/DocumentReference.rs user/Binary.r user/ImagingStudy.rs';

/** A throwaway token issuer for a benchmark run: the facade trusts its JWKS file, the load carries its token. */
export async function benchAuth(): Promise<BenchAuth> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mxf-bench-auth-'));
  const key = await createDemoSigningKey(dir);
  const headersFor = async (organisation: string): Promise<Record<string, string>> => {
    const token = await mintDemoToken({
      privateJwk: key.privateJwk,
      kid: key.kid,
      issuer: DEMO_ISSUER,
      audience: DEMO_AUDIENCE,
      expiresInSeconds: 3600,
      claims: { sub: 'bench', ods: organisation, role: 'R8000', scope: SCOPE },
    });
    return { Authorization: `Bearer ${token}` };
  };
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
    headers: await headersFor('R9Z01'),
    headersFor,
  };
}
