import { randomUUID } from 'node:crypto';
import { el } from '../../xca/xml/writer';
import { xuaAttributes } from '../xua/attributes';
import { buildSignedAssertion } from '../xua/sign';
import { renderCompact } from '../xua/xml-compact';
import { toXsDateTime } from '../xua/xs-datetime';
import type { XuaSigner, XuaSubject } from '../xua/types';
import { WSS_NS, WSS_PREFIX } from './constants';

/** Options of buildSecurityHeader. */
export interface SecurityHeaderOptions {
  readonly subject: XuaSubject;
  readonly signer: XuaSigner;
  /** Creation instant of Timestamp and assertion (tests pin it); defaults to the current time. */
  readonly now?: Date;
  /** wsu:Expires - wsu:Created; defaults to the table's timestampValiditySeconds. */
  readonly timestampSeconds?: number;
  /** Lifetime of the assertion's Conditions; defaults to the table's assertionValiditySeconds. */
  readonly assertionSeconds?: number;
  /** saml2:Issuer (defaults to the signing certificate's subject). */
  readonly issuer?: string;
  /** AudienceRestriction of the assertion, e.g. the responding gateway's endpoint. */
  readonly audience?: string;
}

const wsu = (local: string): string => `${WSS_PREFIX.wsu}:${local}`;

/** wsu:Timestamp with wsu:Id, Created and Expires (WSS 1.0 section 10). */
function timestamp(now: Date, seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError('timestampSeconds must be a positive number');
  const expires = new Date(now.getTime() + seconds * 1000);
  return renderCompact(
    el(wsu('Timestamp'), [[wsu('Id'), `TS-${randomUUID()}`]], [el(wsu('Created'), [], toXsDateTime(now)), el(wsu('Expires'), [], toXsDateTime(expires))]),
  );
}

/**
 * The whole `<wsse:Security soap:mustUnderstand="1">` header block of an outbound ITI-38 / ITI-39 / RAD-75 request
 * (ITI TF-2 3.40.4.1: WS-Security header carrying the XUA assertion), for buildSoapEnvelope's `securityHeader`:
 * a wsu:Timestamp, then the signed assertion, inserted as signed (its signature covers only the assertion, so
 * the envelope around it cannot break it).
 */
export function buildSecurityHeader(opts: SecurityHeaderOptions): string {
  const now = opts.now ?? new Date();
  const defaults = xuaAttributes().defaults;
  const assertion = buildSignedAssertion(opts.subject, opts.signer, {
    now,
    validitySeconds: opts.assertionSeconds ?? defaults.assertionValiditySeconds,
    ...(opts.issuer === undefined ? {} : { issuer: opts.issuer }),
    ...(opts.audience === undefined ? {} : { audience: opts.audience }),
  });
  const open =
    `<${WSS_PREFIX.wsse}:Security xmlns:${WSS_PREFIX.wsse}="${WSS_NS.wsse}" xmlns:${WSS_PREFIX.wsu}="${WSS_NS.wsu}"` +
    ` xmlns:${WSS_PREFIX.soap}="${WSS_NS.soap}" ${WSS_PREFIX.soap}:mustUnderstand="1">`;
  return `${open}${timestamp(now, opts.timestampSeconds ?? defaults.timestampValiditySeconds)}${assertion}</${WSS_PREFIX.wsse}:Security>`;
}
