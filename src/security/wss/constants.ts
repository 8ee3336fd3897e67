import { NS } from '../../xca/soap/constants';

/**
 * WS-Security 1.0 (OASIS WSS 2004, SOAP Message Security 1.0) as ITI TF-2 3.40.4.1 requires for carrying the XUA
 * assertion (WSS SAML Token Profile 1.1: the assertion is a direct child of wsse:Security).
 */
export const WSS_NS = {
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  /** The envelope namespace: SOAP 1.2, as src/xca/soap/envelope.ts writes it (ITI TF-2 Appendix V). */
  soap: NS.soap12,
} as const;

/**
 * Prefixes we write. `soap` is the one src/xca/soap/envelope.ts declares on soap:Envelope; the header declares it
 * again (same URI) so that it stays well-formed on its own and whatever prefix the envelope ever uses.
 */
export const WSS_PREFIX = { wsse: 'wsse', wsu: 'wsu', soap: 'soap' } as const;
