import { escapeAttribute, escapeText } from '../../xca/xml/escape';
import { FhirXmlError, XHTML_NS } from './errors';
import { parseXmlTree, type XmlNode } from './xml-tree';

/**
 * Narrative.div in both formats (FHIR R4 narrative.html, json.html 2.6.2.4): in XML it is an XHTML `div` element
 * embedded in the resource; in JSON the same element as a string, with the XHTML namespace declared. Both
 * directions go through one tree so that the div is always re-serialised, never copied raw into the output:
 * a div that is not well-formed XHTML cannot corrupt the document around it.
 */

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** Largest narrative accepted from JSON (characters). */
const MAX_DIV_CHARS = 1024 * 1024;

function attributeText(key: string, value: string, path: string): string {
  const name = key === `{${XML_NS}}lang` ? 'xml:lang' : key;
  if (name.startsWith('{')) throw new FhirXmlError(`narrative attribute ${key} is not XHTML`, path);
  return ` ${name}="${escapeAttribute(value)}"`;
}

function write(node: XmlNode, path: string, root: boolean): string {
  if (node.uri !== XHTML_NS) throw new FhirXmlError(`narrative element {${node.uri}}${node.local} is not XHTML`, path);
  const xmlns = root ? ` xmlns="${XHTML_NS}"` : '';
  const attrs = [...node.attributes].map(([k, v]) => attributeText(k, v, path)).join('');
  if (node.children.length === 0) return `<${node.local}${xmlns}${attrs}/>`;
  const body = node.children.map((child) => (typeof child === 'string' ? escapeText(child) : write(child, path, false))).join('');
  return `<${node.local}${xmlns}${attrs}>${body}</${node.local}>`;
}

function checkDiv(node: XmlNode, path: string): void {
  if (node.uri !== XHTML_NS || node.local !== 'div') throw new FhirXmlError('Narrative.div must be an XHTML div element', path);
}

/** The XML of a JSON Narrative.div string (which must be one well-formed XHTML div). */
export function divToXml(div: string, path: string): string {
  let node: XmlNode;
  try {
    node = parseXmlTree(div, { maxChars: MAX_DIV_CHARS, maxDepth: 50 });
  } catch (err) {
    throw new FhirXmlError(`Narrative.div is not well-formed XHTML (${err instanceof Error ? err.message : String(err)})`, path);
  }
  checkDiv(node, path);
  return write(node, path, true);
}

/** The JSON string of an XML Narrative.div element. */
export function divFromXml(node: XmlNode, path: string): string {
  checkDiv(node, path);
  return write(node, path, true);
}
