import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/config';

function communitiesFile(content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facade-config-'));
  const file = path.join(dir, 'communities.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The security settings a configured (non-sandbox) facade must have: real files, as startup checks. */
function securedEnv(): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facade-sec-env-'));
  const file = (name: string): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, 'placeholder');
    return f;
  };
  return {
    TLS_CLIENT_CERT: file('chain.pem'),
    TLS_CLIENT_KEY: file('key.pem'),
    TLS_CA: file('ca.pem'),
    SAML_SIGNING_KEY: file('saml-key.pem'),
    SAML_SIGNING_CERT: file('saml-cert.pem'),
    AUTH_JWKS_FILE: file('jwks.json'),
    AUTH_ISSUER: 'https://issuer.example',
    AUTH_AUDIENCE: 'mhd-xca-facade',
    AUDIT_FILE: path.join(dir, 'audit.jsonl'),
    HOME_COMMUNITY_ID: 'urn:oid:2.999.7.99',
  };
}

const good = { homeCommunityId: 'urn:oid:2.999.7.1', name: 'North', iti38Url: 'https://north.example/xca/iti38' };

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs the sandbox when COMMUNITIES_FILE is unset', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.port).toBe(8080);
    expect(config.patientAssigningAuthority).toBe('2.16.840.1.113883.2.1.4.1');
  });

  it('reads and validates a communities file, with a default timeout and a routing key', () => {
    const config = loadConfig({ ...securedEnv(), COMMUNITIES_FILE: communitiesFile({ communities: [good, { ...good, homeCommunityId: 'urn:oid:2.999.7.2', timeoutMs: 2500 }] }) });
    expect(config.mode).toBe('configured');
    expect(config.communities.map((c) => c.timeoutMs)).toEqual([10000, 2500]);
    expect(config.communities[0]?.key).toMatch(/^[0-9a-f]{8}$/);
    expect(config.communities[0]?.key).not.toBe(config.communities[1]?.key);
  });

  it.each([
    ['a missing file', '/nonexistent/communities.json', /cannot be read/],
    ['not JSON', '{', /cannot be read/],
    ['an unknown top-level key', { communities: [good], extra: 1 }, /unknown key\(s\) extra/],
    ['an unknown community key', { communities: [{ ...good, colour: 'red' }] }, /\/communities\/0 must NOT have additional properties/],
    ['a wrong type', { communities: [{ ...good, timeoutMs: 'soon' }] }, /\/communities\/0\/timeoutMs must be integer/],
    ['a URL that is not a URL', { communities: [{ ...good, iti38Url: 'not a url' }] }, /\/communities\/0\/iti38Url/],
    ['a homeCommunityId that is not urn:oid', { communities: [{ ...good, homeCommunityId: '2.999.7.1' }] }, /homeCommunityId must match/],
    ['a duplicate homeCommunityId', { communities: [good, good] }, /\/communities\/1 homeCommunityId urn:oid:2.999.7.1 duplicates/],
    ['plain http', { communities: [{ ...good, iti38Url: 'http://north.example/xca/iti38' }] }, /plain http.*ALLOW_INSECURE_UPSTREAM/],
  ])('stops startup on %s, naming what is wrong', (_why, content, message) => {
    const file = typeof content === 'string' && content.startsWith('/') ? content : communitiesFile(content);
    expect(configError({ ...securedEnv(), COMMUNITIES_FILE: file })).toMatch(message);
  });

  it('allows plain http only when ALLOW_INSECURE_UPSTREAM=true', () => {
    const file = communitiesFile({ communities: [{ ...good, iti38Url: 'http://127.0.0.1:9/xca/iti38' }] });
    expect(loadConfig({ ...securedEnv(), COMMUNITIES_FILE: file, ALLOW_INSECURE_UPSTREAM: 'true' }).communities).toHaveLength(1);
  });

  it.each([
    ['TLS_CLIENT_CERT', /TLS_CLIENT_CERT, TLS_CLIENT_KEY and TLS_CA are required/],
    ['SAML_SIGNING_KEY', /SAML_SIGNING_KEY and SAML_SIGNING_CERT are required/],
    ['AUTH_JWKS_FILE', /AUTH_JWKS_URL or AUTH_JWKS_FILE is required/],
    ['AUTH_ISSUER', /AUTH_ISSUER and AUTH_AUDIENCE are required/],
    ['AUDIT_FILE', /AUDIT_FILE is required/],
    ['HOME_COMMUNITY_ID', /HOME_COMMUNITY_ID/],
  ])('refuses to run outside the sandbox without %s', (name, message) => {
    const env: NodeJS.ProcessEnv = { ...securedEnv(), COMMUNITIES_FILE: communitiesFile({ communities: [good] }) };
    delete env[name];
    expect(configError(env)).toMatch(message);
  });

  it('refuses a security file that does not exist, naming the setting', () => {
    expect(configError({ ...securedEnv(), TLS_CA: '/nonexistent/ca.pem', COMMUNITIES_FILE: communitiesFile({ communities: [good] }) })).toMatch(/TLS_CA names a file that does not exist/);
  });

  it('refuses a revocation list without the CA it belongs to', () => {
    const env: NodeJS.ProcessEnv = { ...securedEnv(), COMMUNITIES_FILE: communitiesFile({ communities: [good] }) };
    const crl = env.TLS_CA as string;
    const noCa: NodeJS.ProcessEnv = { ...env, TLS_CRL: crl };
    delete noCa.TLS_CA;
    expect(configError({ ...noCa, ALLOW_INSECURE_UPSTREAM: 'true' })).toMatch(/TLS_CRL needs TLS_CA/);
    expect(configError({ ...env, INBOUND_CLIENT_CRL: crl })).toMatch(/INBOUND_CLIENT_CRL needs INBOUND_CLIENT_CA/);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ ALLOW_INSECURE_UPSTREAM: 'yes' }, /ALLOW_INSECURE_UPSTREAM must be "true" or "false"/],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, /PUBLIC_BASE_URL/],
    [{ PATIENT_ASSIGNING_AUTHORITY: 'nhs' }, /PATIENT_ASSIGNING_AUTHORITY must be an OID/],
  ])('refuses bad settings %o', (env, message) => {
    expect(configError(env)).toMatch(message);
  });
});
