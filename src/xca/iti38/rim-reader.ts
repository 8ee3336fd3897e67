import type { RegistryError } from '../model';
import { DEFAULT_ERROR_SEVERITY } from '../soap/constants';
import { attrOf, type XmlNode } from '../xml/subtree';

/**
 * ebRS 3.0 element trees → the wire-neutral model: RegistryErrors (of ITI-38 and ITI-39 answers). ExtrinsicObjects
 * are read without a tree, straight from the parser's events (extrinsic-object-reader.ts).
 */

/**
 * Copy `value` without its undefined properties, so results compare and serialise cleanly. A copy rather than
 * `delete`: deleting turns an object into a slow dictionary, and every later read of the model would pay for it.
 */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
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
