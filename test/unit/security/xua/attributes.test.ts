import { MappingTableError } from '../../../../src/mappings/load';
import {
  XUA_ATTRIBUTE_FIELDS,
  codeSystemName,
  codeSystemOid,
  defaultPurposeOfUse,
  fieldOfAttributeName,
  loadXuaAttributesTable,
  xuaAttributes,
  type XuaAttributesTable,
} from '../../../../src/security/xua/attributes';
import { XuaError } from '../../../../src/security/xua/errors';
import { brokenCopy } from '../../mappings/broken-copy';

describe('mappings/xua-attributes.json', () => {
  it('loads and names the XSPA / XCA attributes of ITI TF-2 3.40.4.1.2', () => {
    const { attributes } = xuaAttributes();
    expect(XUA_ATTRIBUTE_FIELDS.map((field) => attributes[field].name)).toEqual([
      'urn:oasis:names:tc:xspa:1.0:subject:subject-id',
      'urn:oasis:names:tc:xspa:1.0:subject:organization',
      'urn:oasis:names:tc:xspa:1.0:subject:organization-id',
      'urn:ihe:iti:xca:2010:homeCommunityId',
      'urn:oasis:names:tc:xacml:2.0:subject:role',
      'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse',
    ]);
    expect([attributes.role.element, attributes.purposeOfUse.element]).toEqual(['Role', 'PurposeOfUse']);
  });

  it('defaults the purpose of use to TREATMENT', () => {
    expect(defaultPurposeOfUse()).toEqual({ code: 'TREATMENT', system: '2.16.840.1.113883.3.18.7.1', display: 'Treatment' });
  });

  it('maps attribute names (and read-only aliases) back to fields', () => {
    expect(fieldOfAttributeName('urn:oasis:names:tc:xacml:2.0:subject:role')).toBe('role');
    expect(fieldOfAttributeName('urn:nhin:names:saml:homeCommunityId')).toBe('homeCommunityId');
    expect(fieldOfAttributeName('urn:oasis:names:tc:xacml:2.0:resource:resource-id')).toBeUndefined();
  });

  it('turns code systems into OIDs and knows the names of the table systems per use', () => {
    expect(codeSystemOid('role', 'urn:oid:2.16.840.1.113883.6.96')).toBe('2.16.840.1.113883.6.96');
    expect(codeSystemOid('role', 'http://snomed.info/sct')).toBe('2.16.840.1.113883.6.96');
    expect(() => codeSystemOid('purposeOfUse', 'https://example.org/unknown')).toThrow(XuaError);
    expect(codeSystemName('purposeOfUse', '2.16.840.1.113883.5.8')).toBe('ActReason');
    expect(codeSystemName('role', '2.16.840.1.113883.5.8')).toBeUndefined();
  });

  it('refuses a broken table (unknown kind, missing attribute, bad OID)', () => {
    const badKind = brokenCopy<XuaAttributesTable>('xua-attributes', (t) => {
      (t.attributes.role as { kind: string }).kind = 'text';
    });
    expect(() => loadXuaAttributesTable(badKind.dir)).toThrow(MappingTableError);
    const missing = brokenCopy<XuaAttributesTable>('xua-attributes', (t) => {
      delete (t.attributes as Partial<typeof t.attributes>).homeCommunityId;
    });
    expect(() => loadXuaAttributesTable(missing.dir)).toThrow(/homeCommunityId/);
    const badOid = brokenCopy<XuaAttributesTable>('xua-attributes', (t) => {
      t.defaults.purposeOfUse.system = 'nhin-purpose';
    });
    expect(() => loadXuaAttributesTable(badOid.dir)).toThrow(/purposeOfUse\/system/);
  });
});
