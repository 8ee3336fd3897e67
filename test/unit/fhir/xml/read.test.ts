import { FhirXmlError, fromFhirXml, toFhirXml, type XmlLimits } from '../../../../src/fhir/xml';

/** XML -> JSON: XML as other FHIR servers write it, hostile XML, and XML that is not R4. */

function errorOf(xml: string | Buffer, limits?: XmlLimits): string {
  try {
    fromFhirXml(xml, limits);
  } catch (err) {
    if (err instanceof FhirXmlError) return err.message;
    throw err;
  }
  throw new Error('expected a FhirXmlError');
}

const F = 'xmlns="http://hl7.org/fhir"';

describe('fromFhirXml reads FHIR XML as other servers write it', () => {
  it('pretty-printed, with comments, xsi:schemaLocation and a prefixed FHIR namespace; written back canonical', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a DocumentReference as a hand-written example -->
<f:DocumentReference xmlns:f="http://hl7.org/fhir" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://hl7.org/fhir ../../schema/documentreference.xsd">
  <f:id value="d1"/>
  <f:status value="current"/>  <!-- current -->
  <f:content>
    <f:attachment>
      <f:contentType value="application/pdf"/>
      <f:size value="12345"/>
    </f:attachment>
  </f:content>
</f:DocumentReference>
`;
    const json = fromFhirXml(xml);
    expect(json).toEqual({ resourceType: 'DocumentReference', id: 'd1', status: 'current', content: [{ attachment: { contentType: 'application/pdf', size: 12345 } }] });
    expect(toFhirXml(json)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><DocumentReference ${F}><id value="d1"/><status value="current"/><content><attachment><contentType value="application/pdf"/><size value="12345"/></attachment></content></DocumentReference>`,
    );
  });

  it('accepts elements out of order and gives them back in R4 order', () => {
    const json = fromFhirXml(`<Bundle ${F}><entry><fullUrl value="urn:uuid:1"/><resource><Basic><code><text value="x"/></code></Basic></resource></entry><type value="searchset"/><total value="1"/></Bundle>`);
    expect(Object.keys(json)).toEqual(['resourceType', 'type', 'total', 'entry']);
    expect(json).toEqual({ resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Basic', code: { text: 'x' } } }] });
  });

  it('character references and entities in values; CDATA and entities inside the narrative', () => {
    const json = fromFhirXml(`<Basic ${F}><text><status value="additional"/><div xmlns="http://www.w3.org/1999/xhtml"><![CDATA[a<b]]> &amp; &#233;</div></text><code><text value="&quot;x&quot;&#10;&lt;y&gt;"/></code></Basic>`);
    expect(json).toEqual({
      resourceType: 'Basic',
      text: { status: 'additional', div: '<div xmlns="http://www.w3.org/1999/xhtml">a&lt;b &amp; é</div>' },
      code: { text: '"x"\n<y>' },
    });
  });

  it('a large Binary (2 MiB of base64) reads and writes back', () => {
    const data = Buffer.alloc(1536 * 1024, 7).toString('base64');
    const xml = `<Binary ${F}><contentType value="application/pdf"/><data value="${data}"/></Binary>`;
    expect(fromFhirXml(xml)).toEqual({ resourceType: 'Binary', contentType: 'application/pdf', data });
  });
});

describe('fromFhirXml is safe and bounded', () => {
  it.each([
    ['a billion-laughs DTD', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><Basic xmlns="http://hl7.org/fhir"><code><text value="&lol2;"/></code></Basic>', 'DOCTYPE declarations are not accepted'],
    ['an external entity', '<!DOCTYPE Basic [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Basic xmlns="http://hl7.org/fhir"><code><text value="&xxe;"/></code></Basic>', 'DOCTYPE declarations are not accepted'],
    ['an undeclared entity', `<Basic ${F}><code><text value="&xxe;"/></code></Basic>`, 'not well-formed XML'],
    ['a processing instruction', `<?xml-stylesheet href="x.xsl"?><Basic ${F}/>`, 'processing instruction <?xml-stylesheet?> is not accepted'],
    ['a truncated document', `<Basic ${F}><code>`, 'not well-formed XML'],
    ['another encoding', `<?xml version="1.0" encoding="ISO-8859-1"?><Basic ${F}/>`, 'only UTF-8 encoded XML is accepted'],
    ['an empty document', '', 'not well-formed XML'],
  ])('refuses %s', (_what, xml, message) => {
    expect(errorOf(xml)).toContain(message);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(errorOf(Buffer.from([0x3c, 0x42, 0xff, 0x3e]))).toBe('the document is not valid UTF-8');
  });

  it('refuses documents over the size limit and nesting over the depth limit', () => {
    const big = `<Binary ${F}><data value="${'A'.repeat(2000)}"/></Binary>`;
    expect(errorOf(big, { maxChars: 1000 })).toBe('the document is larger than 1000 characters');
    expect(errorOf(Buffer.from(big), { maxChars: 500 })).toBe('the document is larger than 500 characters');
    const deep = `<Basic ${F}>${'<extension url="u">'.repeat(40)}${'</extension>'.repeat(40)}</Basic>`;
    expect(errorOf(deep, { maxDepth: 30 })).toBe('elements are nested deeper than 30');
    expect(() => fromFhirXml(deep.replace('<extension url="u"></extension>', '<extension url="u"><valueBoolean value="true"/></extension>'))).not.toThrow();
  });
});

describe('fromFhirXml refuses what is not R4 FHIR XML, naming where', () => {
  it.each([
    ['a root outside the FHIR namespace', '<Basic><code><text value="x"/></code></Basic>', 'Basic: {}Basic is not in the FHIR namespace http://hl7.org/fhir'],
    ['an unknown resource type', `<Foo ${F}/>`, 'Foo: Foo is not an R4 resource type'],
    ['an unknown element', `<Basic ${F}><colour value="red"/></Basic>`, 'Basic.colour: {http://hl7.org/fhir}colour is not an element of this R4 type'],
    ['an element from another namespace', `<Basic ${F}><x:code xmlns:x="urn:other"/></Basic>`, 'Basic.code: {urn:other}code is not an element of this R4 type'],
    ['text content', `<Basic ${F}><code><text value="x"/>stray</code></Basic>`, 'Basic.code: FHIR elements carry no text content'],
    ['a non-repeating element twice', `<Basic ${F}><code><text value="x"/></code><code><text value="y"/></code></Basic>`, 'Basic.code: does not repeat but appears more than once'],
    ['a bad boolean', `<Patient ${F}><active value="yes"/></Patient>`, "Patient.active: 'yes' is not a boolean"],
    ['a decimal where an integer belongs', `<Patient ${F}><multipleBirthInteger value="1.0"/></Patient>`, "Patient.multipleBirthInteger: '1.0' is not a integer"],
    ['a negative unsignedInt', `<ImagingStudy ${F}><numberOfSeries value="-1"/></ImagingStudy>`, "ImagingStudy.numberOfSeries: '-1' is not a unsignedInt"],
    ['an integer beyond 32 bits', `<Patient ${F}><multipleBirthInteger value="2147483648"/></Patient>`, 'Patient.multipleBirthInteger: 2147483648 is out of range for integer'],
    ['an unknown attribute', `<Patient ${F}><active value="true" colour="red"/></Patient>`, "Patient.active: attribute 'colour' is not allowed on active"],
    ['a primitive with nothing in it', `<Patient ${F}><active/></Patient>`, 'Patient.active: a primitive needs a value, an id or an extension'],
    ['two resources in one contained', `<Basic ${F}><contained><Patient/><Patient/></contained></Basic>`, 'Basic.contained[0]: must hold exactly one resource'],
    ['a non-XHTML element in the narrative', `<Basic ${F}><text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><svg xmlns="http://www.w3.org/2000/svg"/></div></text></Basic>`, 'Basic.text.div: narrative element {http://www.w3.org/2000/svg}svg is not XHTML'],
  ])('%s', (_what, xml, message) => {
    expect(errorOf(xml).startsWith(message)).toBe(true);
  });
});
