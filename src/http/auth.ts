import type { NextFunction, Request, Response } from 'express';
import type { TLSSocket } from 'node:tls';
import { requireScope, type Authenticator, type Caller, type RateLimiter, sandboxCaller, accessContextOf, RateLimitedError } from '../security/inbound';
import type { ClientCertificateInfo, ScopeOperation } from '../security/inbound';

/**
 * Inbound trust: every FHIR and DICOMweb request is authenticated (bearer JWT through jose, or a client
 * certificate the TLS layer verified), rate-limited per caller, and checked for the SMART scope its route needs.
 * Only the sandbox may run open, and then every request is the one documented sandbox caller.
 */
export interface InboundAuth {
  readonly open: boolean;
  readonly authenticator: Authenticator | undefined;
  readonly limiter: RateLimiter;
  /**
   * True for a client certificate (its serial number in hex, and its DER, read only when that serial is listed) that
   * the revocation lists in force revoke. node:tls checked revocation at the handshake; a kept-alive connection may
   * outlast a list revoking its certificate since (a reload), so every request asks again.
   */
  readonly isRevoked?: (serialNumber: string, certificateDer: () => Uint8Array) => boolean;
}

function clientCertificateOf(req: Request, isRevoked: InboundAuth['isRevoked']): ClientCertificateInfo | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.fingerprint256) return undefined;
  const cn = cert.subject?.CN;
  const validTo = Date.parse(cert.valid_to);
  return {
    ...(typeof cn === 'string' ? { subjectCN: cn } : {}),
    fingerprint256: cert.fingerprint256,
    trusted: socket.authorized === true && !(isRevoked !== undefined && isRevoked(cert.serialNumber, () => cert.raw)),
    ...(Number.isFinite(validTo) ? { validTo: new Date(validTo).toISOString() } : {}),
  };
}

/** Authenticate the request and apply the per-caller rate limit; the caller goes to res.locals.caller. */
export function authenticate(auth: InboundAuth) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const resolve = async (): Promise<Caller> => {
      if (auth.open || auth.authenticator === undefined) return sandboxCaller();
      const authorization = req.get('Authorization');
      const clientCertificate = clientCertificateOf(req, auth.isRevoked);
      return auth.authenticator.authenticate({ ...(authorization ? { authorization } : {}), ...(clientCertificate ? { clientCertificate } : {}) });
    };
    resolve().then(
      (caller) => {
        const decision = auth.limiter.take(`${accessContextOf(caller)}\u0000${caller.subject}`);
        if (!decision.allowed) {
          next(new RateLimitedError(decision.retryAfterSeconds));
          return;
        }
        res.locals.caller = caller;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

/** The caller of this request (set by `authenticate`). */
export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

/** Refuse (403) a caller whose scopes do not cover `resourceType` / `operation`. */
export function scope(resourceType: string, operation: ScopeOperation) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    try {
      requireScope(callerOf(res), resourceType, operation);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Refuse (403) a caller whose scopes cover none of `resourceTypes` for `operation`. */
export function scopeAny(resourceTypes: readonly string[], operation: ScopeOperation) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    let firstError: unknown;
    for (const type of resourceTypes) {
      try {
        requireScope(callerOf(res), type, operation);
        next();
        return;
      } catch (err) {
        firstError ??= err;
      }
    }
    next(firstError);
  };
}
