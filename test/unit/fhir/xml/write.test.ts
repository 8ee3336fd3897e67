import type { Resource } from 'fhir/r4';
import { FhirXmlError, fromFhirXml, toFhirXml } from '../../../../src/fhir/xml';

/**
 * JSON -> XML on the cases FHIR R4 xml.html and json.html spell out, each checked against XML written by hand
 * from the spec, and read back. These are the cases a naive converter gets wrong.
 */

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const asResource = (json: Record<string, unknown>): Resource => json as unknown as Resource;

/** The XML, and that reading it back gives the JSON again. */
function xmlOf(json: Record<string, unknown>): string {
  const xml = toFhirXml(asResource(json));
  expect(fromFhirXml(xml)).toEqual(json);
  return xml.slice(DECL.length);
}

function errorOf(json: Record<string, unknown>): FhirXmlError {
  try {
    toFhirXml(asResource(json));
  } catch (err) {
    if (err instanceof FhirXmlError) return err;
    throw err;
  }
  throw new Error('expected a FhirXmlError');
}

describe('toFhirXml: R4 xml.html rules', () => {
  it('primitive extensions: _status gives the id attribute and extension children (json.html 2.6.2.1)', () => {
    const xml = xmlOf({
      resourceType: 'Basic', code: { text: 'x' },
      language: 'en-GB', _language: { id: 'l1', extension: [{ url: 'https://example.org/why', valueString: 'asserted' }] },
    });
    expect(xml).toBe(
      '<Basic xmlns="http://hl7.org/fhir"><language id="l1" value="en-GB"><extension url="https://example.org/why"><valueString value="asserted"/></extension></language><code><text value="x"/></code></Basic>',
    );
  });

  it('repeating primitives keep their null placeholders both ways (json.html 2.6.2.1)', () => {
    const xml = xmlOf({
      resourceType: 'Patient',
      name: [{ given: ['Jane', null, 'Anne'], _given: [null, { extension: [{ url: 'https://example.org/x', valueCode: 'masked' }] }, { id: 'g3' }] }],
    });
    expect(xml).toBe(
      '<Patient xmlns="http://hl7.org/fhir"><name><given value="Jane"/><given><extension url="https://example.org/x"><valueCode value="masked"/></extension></given><given id="g3" value="Anne"/></name></Patient>',
    );
  });

  it('contained resources and the XHTML narrative div (narrative.html; div re-serialised, escaped)', () => {
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p class="a">Scan &amp; report &lt;final&gt;<br/></p></div>';
    const xml = xmlOf({
      resourceType: 'DocumentReference',
      text: { status: 'generated', div },
      contained: [{ resourceType: 'Patient', id: 'p1', active: true }],
      status: 'current',
      subject: { reference: '#p1' },
      content: [{ attachment: { contentType: 'text/plain', data: 'aGVsbG8gd29ybGQ=' } }],
    });
    expect(xml).toBe(
      '<DocumentReference xmlns="http://hl7.org/fhir"><text><status value="generated"/>' +
        '<div xmlns="http://www.w3.org/1999/xhtml"><p class="a">Scan &amp; report &lt;final&gt;<br/></p></div></text>' +
        '<contained><Patient><id value="p1"/><active value="true"/></Patient></contained><status value="current"/>' +
        '<subject><reference value="#p1"/></subject><content><attachment><contentType value="text/plain"/><data value="aGVsbG8gd29ybGQ="/></attachment></content></DocumentReference>',
    );
  });

  it('choice types value[x] by type name, Element.id and Extension.url as attributes, nested extensions', () => {
    const xml = xmlOf({
      resourceType: 'Basic',
      extension: [
        { url: 'https://example.org/uuid', valueUuid: 'urn:uuid:6b3e2a1c-0d4f-4e5a-9b7c-1a2b3c4d5e6f' },
        { id: 'e2', url: 'https://example.org/complex', extension: [{ url: 'part', valueCodeableConcept: { coding: [{ id: 'c1', system: 'http://snomed.info/sct', code: '77477000' }] } }] },
        { url: 'https://example.org/flags', valueBoolean: false },
      ],
      code: { text: 'x' },
    });
    expect(xml).toBe(
      '<Basic xmlns="http://hl7.org/fhir">' +
        '<extension url="https://example.org/uuid"><valueUuid value="urn:uuid:6b3e2a1c-0d4f-4e5a-9b7c-1a2b3c4d5e6f"/></extension>' +
        '<extension id="e2" url="https://example.org/complex"><extension url="part"><valueCodeableConcept><coding id="c1"><system value="http://snomed.info/sct"/><code value="77477000"/></coding></valueCodeableConcept></extension></extension>' +
        '<extension url="https://example.org/flags"><valueBoolean value="false"/></extension><code><text value="x"/></code></Basic>',
    );
  });

  it('numbers: integers, unsignedInt 0 and decimals as JSON numbers (R4 decimal precision is that of JSON)', () => {
    const xml = xmlOf({
      resourceType: 'Observation', status: 'final', code: { text: 'dose' },
      valueQuantity: { value: 0.25, unit: 'mSv' },
      component: [{ code: { text: 'n' }, valueInteger: -3 }, { code: { text: 'big' }, valueQuantity: { value: 1.5e-7 } }],
    });
    expect(xml).toContain('<valueQuantity><value value="0.25"/><unit value="mSv"/></valueQuantity>');
    expect(xml).toContain('<valueInteger value="-3"/>');
    expect(xml).toContain('<value value="1.5e-7"/>');
    const study = xmlOf({ resourceType: 'ImagingStudy', status: 'available', subject: { reference: 'Patient/p1' }, numberOfSeries: 0 });
    expect(study).toContain('<numberOfSeries value="0"/>');
    // A JSON number cannot carry "1.50": XML -> JSON reads it as 1.5 (json.html 2.6.2: precision is preserved only
    // by parsers that keep decimals as text; none of our resources carries a decimal).
    const read = fromFhirXml('<Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="d"/></code><valueQuantity><value value="1.50"/></valueQuantity></Observation>');
    expect(read).toEqual({ resourceType: 'Observation', status: 'final', code: { text: 'd' }, valueQuantity: { value: 1.5 } });
  });

  it('elements in R4 definition order whatever the JSON key order', () => {
    const xml = xmlOf({ content: [{ attachment: { title: 't', contentType: 'application/pdf' } }], status: 'current', id: 'd1', resourceType: 'DocumentReference' });
    expect(xml).toBe(
      '<DocumentReference xmlns="http://hl7.org/fhir"><id value="d1"/><status value="current"/><content><attachment><contentType value="application/pdf"/><title value="t"/></attachment></content></DocumentReference>',
    );
  });

  it('escapes attribute values so that they read back exactly (XML 1.0 3.3.3 normalisation)', () => {
    const text = 'a "quoted" & <tagged> value\nline two\ttab\r end — é 🙂';
    const xml = xmlOf({ resourceType: 'Basic', code: { text } });
    expect(xml).toContain('<text value="a &quot;quoted&quot; &amp; &lt;tagged&gt; value&#10;line two&#9;tab&#13; end — é 🙂"/>');
  });
});

describe('toFhirXml refuses what R4 cannot represent, naming the element', () => {
  const doc = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'application/pdf' } }] };

  it.each([
    ['an element R4 does not define', { ...doc, content: [{ attachment: { contentType: 'x', bogus: 1 } }] }, "DocumentReference.content[0].attachment: 'bogus' is not an element of this R4 type"],
    ['a wrong JSON type', { ...doc, content: [{ attachment: { size: '12' } }] }, 'DocumentReference.content[0].attachment.size: a unsignedInt must be a JSON number, found string'],
    ['_x on a complex element', { ...doc, _subject: { id: 'x' } }, "DocumentReference: '_subject' is not an element of this R4 type"],
    ['an object for a repeating element', { ...doc, category: { text: 'x' } }, 'DocumentReference.category: repeats: an array is required'],
    ['an array for a single element', { ...doc, status: ['current'] }, 'DocumentReference.status: does not repeat: an array is not allowed'],
    ['misaligned _x arrays', { resourceType: 'Patient', name: [{ given: ['a', 'b'], _given: [null] }] }, 'Patient.name[0].given: given and _given must have the same length'],
    ['an unknown resource type', { resourceType: 'DocumentManifestX' }, 'DocumentManifestX: not an R4 resource (resourceType "DocumentManifestX")'],
    ['an abstract resource type in contained', { ...doc, contained: [{ resourceType: 'DomainResource' }] }, 'DocumentReference.contained[0]: not an R4 resource (resourceType "DomainResource")'],
    ['a narrative that is not an XHTML div', { resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div: '<p>hi</p>' } }, 'Basic.text.div: Narrative.div must be an XHTML div element'],
    ['a narrative that is not well-formed', { resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p></div>' } }, 'Basic.text.div: Narrative.div is not well-formed XHTML'],
    ['a character XML 1.0 forbids', { resourceType: 'Basic', code: { text: 'bell\u0007' } }, 'Basic.code.text: value contains a character that XML 1.0 does not allow'],
    ['a null for a single element', { ...doc, description: null }, 'DocumentReference.description: null is not allowed here'],
  ])('%s', (_what, json, message) => {
    expect(errorOf(json as Record<string, unknown>).message.startsWith(message)).toBe(true);
  });
});
