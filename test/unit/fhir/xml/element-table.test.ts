import fs from 'node:fs';
import { fromRoot } from '../../../../src/config/paths';
import { elementIndex, elementsOf, isResourceType, primitiveKind, TABLE_FHIR_VERSION } from '../../../../src/fhir/xml/element-table';
import { buildElementTable, TABLE_FILE } from './element-table-source';

/** The committed element table is exactly what the R4 StructureDefinitions give (STYLE: generated files checked). */

const file = fromRoot(TABLE_FILE);
const render = (): string => `${JSON.stringify(buildElementTable())}\n`;

describe('r4-elements.json', () => {
  if (process.env.UPDATE_R4_ELEMENTS === '1') fs.writeFileSync(file, render());

  it('regenerating from the R4 StructureDefinitions changes nothing', () => {
    expect(fs.readFileSync(file, 'utf8') === render()).toBe(true);
  });

  it('is built from FHIR 4.0.1 with every concrete resource type', () => {
    expect(TABLE_FHIR_VERSION).toBe('4.0.1');
    for (const name of ['DocumentReference', 'Bundle', 'OperationOutcome', 'CapabilityStatement', 'Binary', 'ImagingStudy', 'Endpoint', 'AuditEvent', 'Patient']) {
      expect(isResourceType(name)).toBe(true);
    }
    expect(isResourceType('DomainResource')).toBe(false);
    expect(isResourceType('Coding')).toBe(false);
  });

  it('knows the JSON kind of each primitive (R4 json.html: integers, decimals and booleans unquoted)', () => {
    expect(primitiveKind('decimal')).toBe('number');
    expect(primitiveKind('unsignedInt')).toBe('number');
    expect(primitiveKind('boolean')).toBe('boolean');
    expect(primitiveKind('uuid')).toBe('string');
    expect(primitiveKind('xhtml')).toBe('string');
    expect(primitiveKind('Coding')).toBeUndefined();
  });

  it('expands choice elements per type and marks XML attributes', () => {
    const ext = elementsOf('Extension') ?? [];
    expect(ext.slice(0, 3)).toEqual([
      { name: 'id', extraKey: '_id', type: 'string', repeats: false, attribute: true },
      { name: 'extension', extraKey: '_extension', type: 'Extension', repeats: true, attribute: false },
      { name: 'url', extraKey: '_url', type: 'uri', repeats: false, attribute: true },
    ]);
    expect(ext.find((e) => e.name === 'valueUuid')).toEqual({ name: 'valueUuid', extraKey: '_valueUuid', type: 'uuid', repeats: false, attribute: false });
    expect(elementIndex('Extension')?.get('valueUuid')?.type).toBe('uuid');
    expect(elementIndex('NoSuchType')).toBeUndefined();
    expect(ext.find((e) => e.name === 'valueBase64Binary')?.type).toBe('base64Binary');
  });

  it('resolves contentReference (Bundle.entry.link is a Bundle.link) and backbone elements', () => {
    expect(elementsOf('Bundle.entry')?.find((e) => e.name === 'link')).toMatchObject({ type: 'Bundle.link', repeats: true });
    expect(elementsOf('DocumentReference')?.find((e) => e.name === 'content')).toMatchObject({ type: 'DocumentReference.content', repeats: true });
    expect(elementsOf('Narrative')?.map((e) => `${e.name}:${e.type}`)).toEqual(['id:string', 'extension:Extension', 'status:code', 'div:xhtml']);
    expect(elementsOf('Resource')).toBeDefined();
    expect(elementsOf('NoSuchType')).toBeUndefined();
  });
});
