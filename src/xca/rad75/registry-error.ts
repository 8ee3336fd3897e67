import { Iti39RegistryError } from '../iti39/registry-error';
import type { RegistryError, RegistryResponseStatus } from '../model';

/**
 * A RAD-75 answer with RegistryErrors and not one of the instances asked for (RAD TF-3 4.69.4.2.3: e.g.
 * XDSRepositoryError when no requested transfer syntax can be produced, XDSDocumentUniqueIdError for unknown
 * instances). It extends Iti39RegistryError, so `errors`, `status` and `primaryCode` read the same and code
 * that maps retrieve registry errors (isIti39RegistryError) handles both transactions alike.
 *
 * The message names the error codes only: codeContext is free text from the peer and may quote patient data.
 */
export class Rad75RegistryError extends Iti39RegistryError {
  constructor(status: RegistryResponseStatus, errors: readonly RegistryError[]) {
    super(status, errors);
    const codes = [...new Set(errors.map((e) => e.errorCode || '(no code)'))].slice(0, 5).join(', ');
    this.message = `The responding imaging gateway returned no instance but RegistryError(s): ${codes} (status ${status})`;
    this.name = 'Rad75RegistryError';
  }
}

/** True when `err` is a Rad75RegistryError. */
export function isRad75RegistryError(err: unknown): err is Rad75RegistryError {
  return err instanceof Rad75RegistryError;
}
