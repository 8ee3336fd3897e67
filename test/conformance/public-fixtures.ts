import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/config/paths';

/**
 * What every conformance test uses: the public IHE material (PUBLIC_FIXTURES_DIR, default ../shared/fixtures beside
 * the project; its README says how to use it) and xmllint as the referee of what goes on the wire.
 */
export const PUBLIC_FIXTURES = process.env.PUBLIC_FIXTURES_DIR ?? path.resolve(projectRoot(), '../shared/fixtures');

/** SOAP 1.2 envelope schema importing the IHE XDS/XCA body schemas. */
export const SOAP_ENVELOPE_XSD = path.join(PUBLIC_FIXTURES, 'soap-envelope-ihe.xsd');

export interface XmllintResult {
  /** xmllint's exit code: 0 when the document validates. */
  readonly code: number;
  readonly stderr: string;
  /** The validity and parser errors of stderr, one per line. */
  readonly errors: string[];
}

/** `xmllint --noout --nonet --schema <schema>` on a file, or on XML text through standard input. */
export function xmllint(source: { readonly file: string } | { readonly text: string }, schema: string = SOAP_ENVELOPE_XSD): XmllintResult {
  const target = 'file' in source ? source.file : '-';
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, target], { encoding: 'utf8', ...('text' in source ? { input: source.text } : {}) });
  if (run.error) throw run.error;
  const stderr = run.stderr ?? '';
  return { code: run.status ?? 1, stderr, errors: stderr.split('\n').filter((l) => /validity error|parser error/.test(l)) };
}
