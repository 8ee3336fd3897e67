import { FacadeError } from '../errors/facade-error';
import { classifyTransportFailure, classifyXdsError } from '../mappings/xds-errors';
import { maskNhsNumbers } from '../nhs/nhs-number';
import { XcaError } from '../xca/errors';
import type { Community, RegistryError } from '../xca/model';

/**
 * Upstream failures of a single-community call (read, retrieve) as FacadeErrors, through the XDS error table
 * (mappings/xds-errors.json): the client sees the Spine code and which community said what, never a stack.
 */
export function label(community: Community): string {
  return `Community '${community.name}' (${community.homeCommunityId})`;
}

/** Registry errors of a response that carried no usable result. */
export function registryFailure(community: Community, errors: readonly RegistryError[]): FacadeError {
  const first = errors.find((e) => /:Error$/.test(e.severity)) ?? errors[0];
  const entry = classifyXdsError(first?.errorCode ?? 'default');
  const detail = errors.map((e) => `${e.errorCode}${e.codeContext ? `: ${e.codeContext}` : ''}`).join('; ');
  return new FacadeError(entry.errorCode, maskNhsNumbers(`${label(community)} reported ${detail}`));
}

/** Transport / SOAP / parse failures; anything else is left for the error handler to normalise. */
export function transportFailure(community: Community, err: unknown): unknown {
  if (!(err instanceof XcaError)) return err;
  const entry = classifyTransportFailure(err.kind);
  return new FacadeError(entry.errorCode, maskNhsNumbers(`${label(community)} failed: ${err.message}`), { cause: err });
}
