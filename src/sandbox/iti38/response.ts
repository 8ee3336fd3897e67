import type { XdsRegistryProtocol } from '../protocol';
import { el, type XmlNode } from '../xml/write';
import { extrinsicObject } from './extrinsic-object';
import type { FoundDocument } from './registry';

/**
 * The body of an ITI-38 response (ITI TF-2 3.38.4.2): an ebRS AdhocQueryResponse whose status is Success or
 * Failure, a RegistryErrorList on failure (each error's location is this gateway's homeCommunityId, as a
 * responding gateway reports it), and the RegistryObjectList, required by query.xsd even when empty. Every
 * returned object carries `home` (ITI TF-2 3.38.4.1.2.1).
 */
export interface RegistryErrorEntry {
  readonly errorCode: string;
  readonly codeContext: string;
}

export interface AdhocQueryResponseInput {
  readonly home: string;
  readonly repositoryUniqueId: string;
  readonly returnType: 'LeafClass' | 'ObjectRef';
  readonly documents: readonly FoundDocument[];
  readonly errors: readonly RegistryErrorEntry[];
}

function errorList(input: AdhocQueryResponseInput, protocol: XdsRegistryProtocol): XmlNode[] {
  if (input.errors.length === 0) return [];
  const severity = protocol.ebrs.errorSeverity;
  const errors = input.errors.map((e) => el('rs:RegistryError', { errorCode: e.errorCode, codeContext: e.codeContext, severity, location: input.home }));
  return [el('rs:RegistryErrorList', { highestSeverity: severity }, errors)];
}

function registryObjects(input: AdhocQueryResponseInput, protocol: XdsRegistryProtocol): XmlNode[] {
  if (input.returnType === 'ObjectRef') {
    return input.documents.map((d) => el('rim:ObjectRef', { id: d.document.entryUUID, home: input.home }));
  }
  return input.documents.map((d) => extrinsicObject(d.document, d.nhsNumber, input.home, input.repositoryUniqueId, protocol));
}

/** query:AdhocQueryResponse for the envelope writer. Failure when there are errors, with no objects. */
export function adhocQueryResponse(input: AdhocQueryResponseInput, protocol: XdsRegistryProtocol): XmlNode {
  const failed = input.errors.length > 0;
  const status = failed ? protocol.ebrs.responseStatus.Failure : protocol.ebrs.responseStatus.Success;
  const objects = failed ? [] : registryObjects(input, protocol);
  return el('query:AdhocQueryResponse', { status }, [...errorList(input, protocol), el('rim:RegistryObjectList', undefined, objects)]);
}
