import { ERROR_CATALOGUE, type ErrorCode } from './catalogue';

/**
 * The one typed error of the service. Everything thrown inside the core is either a FacadeError or is
 * normalised into one (INTERNAL_SERVER_ERROR) by `toFacadeError`, and becomes an OperationOutcome in
 * http/error-handler.ts only.
 */
export class FacadeError extends Error {
  readonly code: ErrorCode;
  /** FHIRPath-ish location of the offending input, e.g. the search parameter name. */
  readonly expression: string[] | undefined;
  /** Extra HTTP headers the answer must carry (e.g. Retry-After). */
  readonly headers: Readonly<Record<string, string>>;
  /** Further diagnostics, one OperationOutcome issue each (e.g. one per failed community). */
  readonly details: readonly string[];

  constructor(code: ErrorCode, diagnostics: string, options: { expression?: string | string[]; headers?: Record<string, string>; details?: string[]; cause?: unknown } = {}) {
    super(diagnostics, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FacadeError';
    this.code = code;
    this.expression = options.expression === undefined ? undefined : ([] as string[]).concat(options.expression);
    this.headers = options.headers ?? {};
    this.details = options.details ?? [];
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

/** Normalise anything thrown into a FacadeError; unknown errors never leak their message or stack. */
export function toFacadeError(err: unknown): FacadeError {
  if (err instanceof FacadeError) return err;
  return new FacadeError('INTERNAL_SERVER_ERROR', 'An unexpected error occurred', { cause: err });
}
