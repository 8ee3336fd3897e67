/**
 * A certificate or key the service must not use: expired, not yet valid, not matching its key, or not chaining to
 * the configured trust. Zero trust (NIR onboarding): this is a hard failure, the service refuses to start or to
 * call the community rather than fall back to anything weaker.
 */
export class CertificateError extends Error {
  /** What the certificate is for, e.g. "facade client (mTLS)". */
  readonly role: string;
  /** The file it came from, when known. */
  readonly source: string | undefined;
  readonly problems: readonly string[];

  constructor(role: string, source: string | undefined, problems: readonly string[], what: 'certificate' | 'revocation list' = 'certificate') {
    const where = source === undefined ? '' : ` (${source})`;
    super(`The ${role} ${what}${where} cannot be used: ${problems.join('; ')}`);
    this.name = 'CertificateError';
    this.role = role;
    this.source = source;
    this.problems = problems;
  }
}
