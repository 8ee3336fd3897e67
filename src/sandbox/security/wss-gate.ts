import { verifySecurityHeader, type WssRejectCode } from '../../security/wss';
import { NS } from '../soap/constants';
import { SoapFault } from '../soap/fault';
import type { StatsRecorder } from '../stats';

/**
 * The WS-Security check of a secured sandbox gateway, run on every SOAP request once its envelope and
 * WS-Addressing headers have been read: the wsse:Security header must carry a fresh wsu:Timestamp and a XUA
 * assertion signed by a certificate issued under the trusted anchors (verifySecurityHeader, ITI TF-2 3.40.4.1).
 * A refusal is a SOAP 1.2 env:Sender fault with a WS-Security 1.0 section 12 subcode and the reason in its text,
 * sent with HTTP 400 as SOAP 1.2 Part 2 (7.5.2.2, Table 20) maps env:Sender; the facade reads the fault either way.
 * The verified subject is used for nothing and kept nowhere: the sandbox only counts (stats securityAccepted /
 * securityRefusals).
 */

/** The two WS-Security 1.0 (section 12, Table 1) fault subcodes the sandbox answers with. */
export type WssFaultSubcode = 'InvalidSecurity' | 'FailedAuthentication';

/**
 * Which subcode each refusal gets. InvalidSecurity: "an error was discovered processing the wsse:Security header"
 * (it is missing, malformed, stale, or signed in a way we do not accept). FailedAuthentication: "the security
 * token could not be authenticated or authorized" (untrusted signer, signature that does not verify, an
 * assertion out of its validity window, not for us, or lacking the XUA attributes).
 */
const SUBCODE: Readonly<Record<WssRejectCode, WssFaultSubcode>> = {
  'malformed': 'InvalidSecurity',
  'no-security-header': 'InvalidSecurity',
  'no-timestamp': 'InvalidSecurity',
  'no-assertion': 'InvalidSecurity',
  'wrapping': 'InvalidSecurity',
  'no-signature': 'InvalidSecurity',
  'bad-reference': 'InvalidSecurity',
  'algorithm': 'InvalidSecurity',
  'expired-timestamp': 'InvalidSecurity',
  'untrusted': 'FailedAuthentication',
  'bad-signature': 'FailedAuthentication',
  'expired-assertion': 'FailedAuthentication',
  'not-yet-valid': 'FailedAuthentication',
  'audience': 'FailedAuthentication',
  'missing-attribute': 'FailedAuthentication',
};

/** What the transaction handlers call; absent from the context of an open (plain HTTP) gateway. */
export interface SecurityCheck {
  /** Verify the envelope's wsse:Security header; throws the SoapFault to answer with when it is refused. */
  check(envelope: Buffer | string): void;
}

/** The SOAP fault for a refused header (SOAP 1.2 Part 1 5.4.6 env:Sender; WS-Security 1.0 section 12). */
export function wssFault(code: WssRejectCode, reason: string): SoapFault {
  return SoapFault.sender(`WS-Security: ${reason}`, { ns: NS.wsse, local: SUBCODE[code] });
}

/** A SecurityCheck over `trustedCertsPem`, counting into `stats`. */
export class WsSecurityGate implements SecurityCheck {
  constructor(
    private readonly trustedCertsPem: readonly string[],
    private readonly stats: StatsRecorder,
    private readonly clockSkewSeconds?: number,
  ) {}

  check(envelope: Buffer | string): void {
    const xml = typeof envelope === 'string' ? envelope : envelope.toString('utf8');
    const result = verifySecurityHeader(xml, {
      trustedCertsPem: this.trustedCertsPem,
      ...(this.clockSkewSeconds === undefined ? {} : { clockSkewSeconds: this.clockSkewSeconds }),
    });
    this.stats.security(result.ok);
    if (!result.ok) throw wssFault(result.code, result.reason);
  }
}
