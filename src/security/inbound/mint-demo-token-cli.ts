import { parseArgs } from 'node:util';
import { createDemoSigningKey, DEMO_AUDIENCE, DEMO_ISSUER, mintDemoToken, readDemoSigningKey } from './demo-token';

/**
 * Print a demo access token for the sandbox's demo issuer:
 *   node dist/src/security/inbound/mint-demo-token-cli.js --key-dir .demo-issuer [--sub ...] [--scope "..."]
 * The key directory gets a signing key on first use; its demo-jwks.json is what the facade verifies against.
 * The token goes to stdout, nothing else does (so `TOKEN=$(... )` works); messages go to stderr.
 */

const USAGE = `usage: mint-demo-token --key-dir DIR [--issuer URL] [--audience AUD] [--sub ID] [--name NAME] [--ods CODE]
  [--org-name NAME] [--role CODE] [--purpose VALUE] [--scope "SCOPES"] [--expires SECONDS] [--alg ES256|RS256]\n`;

const OPTIONS = {
  'key-dir': { type: 'string' },
  issuer: { type: 'string', default: DEMO_ISSUER },
  audience: { type: 'string', default: DEMO_AUDIENCE },
  sub: { type: 'string', default: 'demo-clinician' },
  name: { type: 'string', default: 'Demo Clinician' },
  ods: { type: 'string', default: 'SANDBOX' },
  'org-name': { type: 'string', default: 'mhd-xca-facade sandbox' },
  role: { type: 'string', default: 'R8000' },
  purpose: { type: 'string', default: 'TREATMENT' },
  scope: { type: 'string', default: 'user/DocumentReference.rs user/Binary.r user/ImagingStudy.rs' },
  expires: { type: 'string', default: '3600' },
  alg: { type: 'string', default: 'ES256' },
  help: { type: 'boolean', default: false },
} as const;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Run the CLI; resolves to the exit code. */
export async function runMintCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true }).values;
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help || values['key-dir'] === undefined || (values.alg !== 'ES256' && values.alg !== 'RS256')) {
    io.stderr(USAGE);
    return values.help ? 0 : 2;
  }
  const dir = values['key-dir'];
  const key = readDemoSigningKey(dir) ?? (await createDemoSigningKey(dir, values.alg));
  io.stderr(`verify with jwksFile ${key.jwksFile} (issuer ${values.issuer}, audience ${values.audience})\n`);
  const token = await mintDemoToken({
    privateJwk: key.privateJwk,
    kid: key.kid,
    issuer: values.issuer,
    audience: values.audience,
    expiresInSeconds: Number(values.expires),
    claims: {
      sub: values.sub, name: values.name, ods: values.ods, org_name: values['org-name'],
      role: values.role, purpose_of_use: values.purpose, scope: values.scope,
    },
  });
  io.stdout(`${token}\n`);
  return 0;
}

if (require.main === module) {
  runMintCli(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
