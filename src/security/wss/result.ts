import type { XuaSubject } from '../xua/types';

/**
 * Why verifySecurityHeader refused a message. Each code is one check of verify.ts, in the order they run:
 * parse, locate (signature-wrapping guards), trust, algorithms, signature, times, attributes.
 */
export type WssRejectCode =
  | 'malformed'
  | 'no-security-header'
  | 'no-timestamp'
  | 'no-assertion'
  | 'wrapping'
  | 'no-signature'
  | 'bad-reference'
  | 'untrusted'
  | 'algorithm'
  | 'bad-signature'
  | 'expired-timestamp'
  | 'expired-assertion'
  | 'not-yet-valid'
  | 'audience'
  | 'missing-attribute';

/** The outcome: the verified subject, or a reason fit for a SOAP Fault (no secrets, no attribute values). */
export type WssVerifyResult = { readonly ok: true; readonly subject: XuaSubject } | { readonly ok: false; readonly code: WssRejectCode; readonly reason: string };

/** Thrown inside the verifier to stop at the first failed check; never escapes verifySecurityHeader. */
export class WssRejection extends Error {
  constructor(readonly code: WssRejectCode, reason: string) {
    super(reason);
    this.name = 'WssRejection';
  }
}

/** Shorthand: throw a rejection. */
export function reject(code: WssRejectCode, reason: string): never {
  throw new WssRejection(code, reason);
}
