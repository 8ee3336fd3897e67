import { SaxesParser, type SaxesTagNS } from 'saxes';
import { FhirXmlError } from './errors';

/**
 * Safe, bounded parsing of one FHIR XML document into a small namespace-resolved tree.
 * saxes never reads a DTD: no external entities, no entity expansion beyond the five XML built-ins and character
 * references. Any DOCTYPE refuses the document outright (FHIR R4 xml.html: "FHIR resources SHALL NOT contain
 * DTD declarations"), as does any processing instruction other than the XML declaration. Input size and element
 * depth are capped so that a hostile document costs bounded memory and time.
 */

export interface XmlNode {
  readonly uri: string;
  readonly local: string;
  /** Attributes: unqualified by local name, namespaced as `{uri}local`; namespace declarations are left out. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: Array<XmlNode | string>;
}

export interface XmlLimits {
  /** Largest accepted document, in UTF-16 code units of the decoded text (default 16 MiB). */
  readonly maxChars?: number;
  /** Deepest element nesting (default 100). */
  readonly maxDepth?: number;
}

const XMLNS_URI = 'http://www.w3.org/2000/xmlns/';
const DEFAULTS = { maxChars: 16 * 1024 * 1024, maxDepth: 100 } as const;

function decode(input: string | Buffer): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input); // TextDecoder drops a UTF-8 BOM itself
  } catch {
    throw new FhirXmlError('the document is not valid UTF-8', '');
  }
}

function attributesOf(tag: SaxesTagNS): Map<string, string> {
  const out = new Map<string, string>();
  for (const attr of Object.values(tag.attributes)) {
    if (attr.uri === XMLNS_URI || attr.name === 'xmlns') continue;
    out.set(attr.uri === '' ? attr.local : `{${attr.uri}}${attr.local}`, attr.value);
  }
  return out;
}

/** Parse a whole FHIR XML document (string or UTF-8 bytes) into its document element. Throws FhirXmlError. */
export function parseXmlTree(input: string | Buffer, limits: XmlLimits = {}): XmlNode {
  const maxChars = limits.maxChars ?? DEFAULTS.maxChars;
  const maxDepth = limits.maxDepth ?? DEFAULTS.maxDepth;
  if (typeof input !== 'string' && input.length > maxChars * 3) throw new FhirXmlError(`the document is larger than ${maxChars} characters`, '');
  const text = decode(input);
  if (text.length > maxChars) throw new FhirXmlError(`the document is larger than ${maxChars} characters`, '');
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let failure: Error | undefined;
  const fail = (message: string): never => {
    throw new FhirXmlError(message, '');
  };
  parser.on('doctype', () => fail('DOCTYPE declarations are not accepted'));
  parser.on('processinginstruction', (pi) => fail(`processing instruction <?${pi.target}?> is not accepted`));
  parser.on('xmldecl', (decl) => {
    if (decl.version !== undefined && decl.version !== '1.0') fail('only XML version 1.0 is accepted');
    if (decl.encoding !== undefined && decl.encoding.toLowerCase() !== 'utf-8') fail('only UTF-8 encoded XML is accepted');
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= maxDepth) fail(`elements are nested deeper than ${maxDepth}`);
    const node: XmlNode = { uri: tag.uri, local: tag.local, attributes: attributesOf(tag), children: [] };
    stack.at(-1)?.children.push(node);
    if (stack.length === 0) root = node;
    stack.push(node);
  });
  parser.on('closetag', () => void stack.pop());
  const onText = (value: string): void => void stack.at(-1)?.children.push(value);
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (err) => {
    failure ??= err;
  });
  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof FhirXmlError) throw err;
    failure ??= err instanceof Error ? err : new Error(String(err));
  }
  if (failure !== undefined) throw new FhirXmlError(`not well-formed XML: ${failure.message}`, '');
  if (root === undefined) throw new FhirXmlError('the document has no element', '');
  return root;
}
