import { XcaError } from '../errors';
import type { RegistryError, RimClassification, RimExternalIdentifier, RimExtrinsicObject, RimSlot } from '../model';
import { DEFAULT_ERROR_SEVERITY, NS } from '../soap/constants';
import { attrOf, childNamed, childrenNamed, type XmlNode } from '../xml/subtree';

/**
 * ebRIM 3.0 element trees → the wire-neutral model (ITI TF-3 4.2.3.2 DocumentEntry attributes as Slots,
 * Classifications and ExternalIdentifiers). Elements are matched by namespace URI + local name only.
 */

/** Drop undefined optional properties so results compare and serialise cleanly. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/** rim:Slot children of `node`: name plus ValueList/Value texts (trimmed: registries indent them). */
function readSlots(node: XmlNode): RimSlot[] {
  const slots: RimSlot[] = [];
  for (const slot of childrenNamed(node, NS.rim, 'Slot')) {
    const name = attrOf(slot, 'name');
    if (name === undefined) continue; // a nameless Slot carries nothing we could map
    const valueList = childNamed(slot, NS.rim, 'ValueList');
    const values = valueList ? childrenNamed(valueList, NS.rim, 'Value').map((v) => v.text.trim()) : [];
    slots.push({ name, values });
  }
  return slots;
}

/** Value of the first LocalizedString of a rim:Name or rim:Description child. */
function localized(node: XmlNode, local: 'Name' | 'Description'): string | undefined {
  const holder = childNamed(node, NS.rim, local);
  const first = holder && childNamed(holder, NS.rim, 'LocalizedString');
  return first && attrOf(first, 'value');
}

function readClassification(node: XmlNode): RimClassification {
  return compact({
    classificationScheme: attrOf(node, 'classificationScheme'),
    classificationNode: attrOf(node, 'classificationNode'),
    classifiedObject: attrOf(node, 'classifiedObject'),
    // nodeRepresentation="" is legal (author classifications); keep it as written.
    nodeRepresentation: node.attributes.get('nodeRepresentation'),
    name: localized(node, 'Name'),
    slots: readSlots(node),
  });
}

function readExternalIdentifiers(node: XmlNode): RimExternalIdentifier[] {
  const identifiers: RimExternalIdentifier[] = [];
  for (const ei of childrenNamed(node, NS.rim, 'ExternalIdentifier')) {
    const identificationScheme = attrOf(ei, 'identificationScheme');
    const value = attrOf(ei, 'value');
    if (identificationScheme === undefined || value === undefined) continue; // both required by ebRIM 3.0
    identifiers.push(compact({ identificationScheme, value, name: localized(ei, 'Name') }));
  }
  return identifiers;
}

/** One rim:ExtrinsicObject. An object without id cannot be referenced later and makes the answer unusable. */
export function readExtrinsicObject(node: XmlNode): RimExtrinsicObject {
  const id = attrOf(node, 'id');
  if (id === undefined) throw new XcaError('unparseable', 'The ITI-38 response holds an ExtrinsicObject without an id');
  return compact({
    id,
    lid: attrOf(node, 'lid'),
    home: attrOf(node, 'home'),
    mimeType: attrOf(node, 'mimeType'),
    status: attrOf(node, 'status'),
    objectType: attrOf(node, 'objectType'),
    name: localized(node, 'Name'),
    description: localized(node, 'Description'),
    slots: readSlots(node),
    classifications: childrenNamed(node, NS.rim, 'Classification').map(readClassification),
    externalIdentifiers: readExternalIdentifiers(node),
  });
}

/** One rs:RegistryError (ebRS 3.0 rs.xsd: codeContext may also come as element text). */
export function readRegistryError(node: XmlNode): RegistryError {
  return compact({
    errorCode: attrOf(node, 'errorCode') ?? '',
    codeContext: attrOf(node, 'codeContext') ?? node.text.trim(),
    severity: attrOf(node, 'severity') ?? DEFAULT_ERROR_SEVERITY,
    location: attrOf(node, 'location'),
  });
}
