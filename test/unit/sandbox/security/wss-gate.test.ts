import { WsSecurityGate, wssFault } from '../../../../src/sandbox/security/wss-gate';
import { NS } from '../../../../src/sandbox/soap/constants';
import { soapFaultResponse } from '../../../../src/sandbox/soap/envelope-out';
import { SoapFault } from '../../../../src/sandbox/soap/fault';
import { StatsRecorder } from '../../../../src/sandbox/stats';
import { issueCertificate, type IssuedCertificate } from '../../../../src/security/pki/demo-pki';
import { buildSecurityHeader, type WssRejectCode } from '../../../../src/security/wss';
import { SANDBOX_TEST_SUBJECT } from '../../../support/sandbox-client';

/** The sandbox's WS-Security check: which fault each refusal becomes, what it counts, and what it lets through. */
let signer: IssuedCertificate;
let stranger: IssuedCertificate;
beforeAll(async () => {
  [signer, stranger] = await Promise.all([issueCertificate({ commonName: 'facade.test' }), issueCertificate({ commonName: 'stranger.test' })]);
});

/** A minimal SOAP 1.2 envelope carrying `header` (or no header block at all). */
function envelope(header = ''): string {
  return `<env:Envelope xmlns:env="${NS.soap12}"><env:Header>${header}</env:Header><env:Body><x xmlns="urn:x"/></env:Body></env:Envelope>`;
}
const headerBy = (who: IssuedCertificate, now?: Date): string =>
  buildSecurityHeader({ subject: SANDBOX_TEST_SUBJECT, signer: { certPem: who.certPem, keyPem: who.keyPem }, ...(now ? { now } : {}) });

function refusal(gate: WsSecurityGate, xml: string): SoapFault {
  try {
    gate.check(xml);
  } catch (err) {
    if (err instanceof SoapFault) return err;
    throw err;
  }
  throw new Error('the gate let the envelope through');
}

describe('wssFault', () => {
  const codes: Array<[WssRejectCode, string]> = [
    ['no-security-header', 'InvalidSecurity'], ['malformed', 'InvalidSecurity'], ['no-timestamp', 'InvalidSecurity'],
    ['wrapping', 'InvalidSecurity'], ['algorithm', 'InvalidSecurity'], ['expired-timestamp', 'InvalidSecurity'],
    ['untrusted', 'FailedAuthentication'], ['bad-signature', 'FailedAuthentication'], ['expired-assertion', 'FailedAuthentication'],
    ['audience', 'FailedAuthentication'], ['missing-attribute', 'FailedAuthentication'],
  ];

  it.each(codes)('%s → env:Sender / wsse:%s, HTTP 400, the reason in the text', (code, subcode) => {
    const fault = wssFault(code, 'the reason');
    expect([fault.code, fault.subcode, fault.httpStatus, fault.message]).toEqual(['Sender', { ns: NS.wsse, local: subcode }, 400, 'WS-Security: the reason']);
  });

  it('is written with the wsse prefix declared on env:Subcode (WS-Security 1.0 section 12 QName)', () => {
    const { body, status } = soapFaultResponse(wssFault('no-security-header', 'no header'));
    expect(status).toBe(400);
    expect(body).toContain(`<env:Subcode xmlns:wsse="${NS.wsse}"><env:Value>wsse:InvalidSecurity</env:Value></env:Subcode>`);
    expect(body).toContain('<env:Text xml:lang="en">WS-Security: no header</env:Text>');
  });
});

describe('WsSecurityGate', () => {
  it('lets a fresh header of a trusted signer through (string or bytes) and counts it', () => {
    const stats = new StatsRecorder([]);
    const gate = new WsSecurityGate([signer.certPem], stats);
    const xml = envelope(headerBy(signer));
    expect(() => gate.check(xml)).not.toThrow();
    expect(() => gate.check(Buffer.from(xml, 'utf8'))).not.toThrow();
    expect(stats.snapshot()).toMatchObject({ securityAccepted: 2, securityRefusals: 0 });
  });

  it('refuses a missing header, an untrusted signer and a stale Timestamp, and counts each refusal', () => {
    const stats = new StatsRecorder([]);
    const gate = new WsSecurityGate([signer.certPem], stats);
    expect(refusal(gate, envelope()).subcode?.local).toBe('InvalidSecurity');
    expect(refusal(gate, envelope(headerBy(stranger))).subcode?.local).toBe('FailedAuthentication');
    expect(refusal(gate, envelope(headerBy(signer, new Date(Date.now() - 3600_000)))).message).toMatch(/Timestamp has expired/);
    expect(stats.snapshot()).toMatchObject({ securityAccepted: 0, securityRefusals: 3 });
  });

  it('allows the configured clock skew', () => {
    const ahead = new Date(Date.now() + 120_000);
    const strict = new WsSecurityGate([signer.certPem], new StatsRecorder([]), 10);
    const lenient = new WsSecurityGate([signer.certPem], new StatsRecorder([]), 300);
    expect(refusal(strict, envelope(headerBy(signer, ahead))).message).toMatch(/future|not valid yet/);
    expect(() => lenient.check(envelope(headerBy(signer, ahead)))).not.toThrow();
  });
});
