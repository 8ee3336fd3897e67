import { execFileSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import type { Resource } from 'fhir/r4';
import { fromFhirXml, toFhirXml } from '../../../../src/fhir/xml';
import { validateR4 } from '../../../support/r4-validator';
import { EMITTED_KINDS, emittedResources, type Emitted } from './emitted-resources';

/**
 * Every resource kind the service emits, built by the service's own code, survives JSON -> XML -> JSON and
 * XML -> JSON -> XML unchanged, and its XML is well-formed (xmllint), in the FHIR namespace and in R4 order.
 */

/** R4 json.html 2.6.2 forbids empty arrays, and XML cannot express one: they are the only thing a trip loses. */
function withoutEmptyArrays(resource: Resource): unknown {
  return JSON.parse(JSON.stringify(resource, (_k, v: unknown) => (Array.isArray(v) && v.length === 0 ? undefined : v)));
}

/** Child element names in document order, read by fast-xml-parser (independent of src/fhir/xml). */
type Ordered = Array<Record<string, unknown>>;
const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false });
function childNames(nodes: Ordered): string[] {
  return nodes.map((n) => Object.keys(n).find((k) => k !== ':@') ?? '');
}
function child(nodes: Ordered, name: string): Ordered {
  return (nodes.find((n) => name in n)?.[name] ?? []) as Ordered;
}

/** xmllint as the referee of well-formedness only (no FHIR XSD offline); prints the root's namespace URI. */
function xmllintRootNamespace(xml: string): string {
  return execFileSync('xmllint', ['--nonet', '--xpath', 'namespace-uri(/*)', '-'], { input: xml, encoding: 'utf8' }).trim();
}

let emitted: Emitted[] = [];
beforeAll(async () => {
  emitted = await emittedResources();
});

/** The freshly built instance of one kind. */
function instance(kind: string): Emitted {
  const found = emitted.find((e) => e.name === kind);
  if (!found) throw new Error(`no emitted ${kind}`);
  return found;
}

describe.each(EMITTED_KINDS)('%s', (kind) => {
  const get = (): Emitted => instance(kind);

  it('is one of the instances built', () => {
    expect(emitted.map((e) => e.name)).toEqual([...EMITTED_KINDS]);
  });

  it('JSON -> XML -> JSON gives the same resource, still valid R4', () => {
    const { resource } = get();
    const back = fromFhirXml(toFhirXml(resource));
    expect(back).toEqual(withoutEmptyArrays(resource));
    expect(validateR4(back).issues).toEqual([]);
  });

  it('XML -> JSON -> XML gives the same document, byte for byte', () => {
    const xml = toFhirXml(get().resource);
    expect(toFhirXml(fromFhirXml(xml))).toBe(xml);
    expect(toFhirXml(fromFhirXml(Buffer.from(xml, 'utf8')))).toBe(xml);
  });

  it('is well-formed XML (xmllint) with the root in the FHIR namespace', () => {
    const { resource } = get();
    const xml = toFhirXml(resource);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xmllintRootNamespace(xml)).toBe('http://hl7.org/fhir');
    expect(childNames(ordered.parse(xml) as Ordered)).toEqual(['?xml', resource.resourceType]);
  });
});

describe('DocumentReference element order is R4 order', () => {
  // FHIR R4 DocumentReference (documentreference.html, "XML Template"), its backbone elements and Attachment.
  const R4_ORDER: Readonly<Record<string, readonly string[]>> = {
    DocumentReference: ['id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension', 'masterIdentifier', 'identifier', 'status', 'docStatus', 'type', 'category', 'subject', 'date', 'author', 'authenticator', 'custodian', 'relatesTo', 'description', 'securityLabel', 'content', 'context'],
    content: ['extension', 'modifierExtension', 'attachment', 'format'],
    attachment: ['extension', 'contentType', 'language', 'data', 'url', 'size', 'hash', 'title', 'creation'],
    context: ['extension', 'modifierExtension', 'encounter', 'event', 'period', 'facilityType', 'practiceSetting', 'sourcePatientInfo', 'related'],
  };

  /** Names must follow the R4 order (each at or after the previous one; repeats stay together). */
  function expectR4Order(names: readonly string[], order: readonly string[]): void {
    const positions = names.map((n) => order.indexOf(n));
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }

  it.each(['DocumentReference (PDF report)', 'DocumentReference (MADO KOS)'])('%s', (kind) => {
    const doc = child(ordered.parse(toFhirXml(instance(kind).resource)) as Ordered, 'DocumentReference');
    const top = childNames(doc);
    expectR4Order(top, R4_ORDER.DocumentReference ?? []);
    expect(top).toEqual(expect.arrayContaining(['id', 'meta', 'extension', 'masterIdentifier', 'identifier', 'status', 'type', 'category', 'subject', 'content', 'context']));
    const content = child(doc, 'content');
    expectR4Order(childNames(content), R4_ORDER.content ?? []);
    expectR4Order(childNames(child(content, 'attachment')), R4_ORDER.attachment ?? []);
    expectR4Order(childNames(child(doc, 'context')), R4_ORDER.context ?? []);
  });

  it('the PDF report uses every element it maps, in that order', () => {
    const doc = child(ordered.parse(toFhirXml(instance('DocumentReference (PDF report)').resource)) as Ordered, 'DocumentReference');
    expect([...new Set(childNames(doc))]).toEqual(['id', 'meta', 'contained', 'extension', 'masterIdentifier', 'identifier', 'status', 'type', 'category', 'subject', 'date', 'author', 'authenticator', 'description', 'securityLabel', 'content', 'context']);
    expect(childNames(child(child(doc, 'content'), 'attachment'))).toEqual(['contentType', 'language', 'url', 'size', 'hash', 'title', 'creation']);
  });
});
