import { buildSoapEnvelope } from '../../../../src/xca/soap/envelope';
import { WSA } from '../../../../src/xca/soap/constants';
import { buildAdhocQueryRequest } from '../../../../src/xca/iti38/request';
import { buildSecurityHeader, type SecurityHeaderOptions } from '../../../../src/security/wss/security-header';
import { GOLDEN_ADDRESSING, goldenQueries } from '../../../golden/iti38-queries';

/** A complete outbound ITI-38 request (golden FindDocuments body) carrying our WS-Security header. */
export function iti38Envelope(header: SecurityHeaderOptions): string {
  const query = goldenQueries()['find-documents.xml'];
  if (!query) throw new Error('golden FindDocuments query missing');
  return buildSoapEnvelope({
    action: WSA.iti38Request,
    addressing: { ...GOLDEN_ADDRESSING, securityHeader: buildSecurityHeader(header) },
    body: buildAdhocQueryRequest(query),
  });
}

/**
 * The tests' clock: everything is built at T0 and checked relative to it. It is "now" (whole seconds) because
 * the test certificates openssl makes are valid from now for two days.
 */
export const T0 = new Date(Math.floor(Date.now() / 1000) * 1000);

/** T0 plus some seconds. */
export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}
