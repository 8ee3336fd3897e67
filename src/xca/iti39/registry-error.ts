import type { RegistryError, RegistryResponseStatus } from '../model';

/**
 * An ITI-39 answer that carries RegistryErrors and not the document asked for (ITI TF-2 3.43.4.2.3: e.g.
 * XDSDocumentUniqueIdError, XDSMissingDocument, XDSRepositoryError). Not an XcaError: the exchange worked and
 * the responder said why there is no document; the caller reads `errors` through the xds-errors table
 * (classifyXdsError), as it does for ITI-38 RegistryErrors.
 *
 * The message names the error codes only: codeContext is free text from the peer and may quote patient data.
 */
export class Iti39RegistryError extends Error {
  /** RegistryResponse@status of the answer. */
  readonly status: RegistryResponseStatus;
  /** Every RegistryError of the answer, in document order. */
  readonly errors: readonly RegistryError[];

  constructor(status: RegistryResponseStatus, errors: readonly RegistryError[]) {
    const codes = [...new Set(errors.map((e) => e.errorCode || '(no code)'))].slice(0, 5).join(', ');
    super(`The responding gateway returned no document but RegistryError(s): ${codes} (status ${status})`);
    this.name = 'Iti39RegistryError';
    this.status = status;
    this.errors = errors;
  }

  /** The errorCode of the first error of severity Error (else of the first error): the one to classify. */
  get primaryCode(): string | undefined {
    const first = this.errors.find((e) => /:Error$/.test(e.severity)) ?? this.errors[0];
    return first?.errorCode;
  }
}

/** True when `err` is an Iti39RegistryError. */
export function isIti39RegistryError(err: unknown): err is Iti39RegistryError {
  return err instanceof Iti39RegistryError;
}
