import fs from 'node:fs';
import { fromRoot } from '../../../src/config/paths';
import { TRANSFORMS } from '../../../src/fhir/transforms';
import { KEY_NAMES, loadDocumentEntryTable, type DocumentEntryTable } from '../../../src/mappings/document-entry';
import { MappingTableError } from '../../../src/mappings/load';
import { brokenCopy } from './broken-copy';

describe('mappings/document-entry.json', () => {
  const table = loadDocumentEntryTable();

  it('loads, and every rule and key names the spec it implements', () => {
    expect(table.rules.length).toBeGreaterThan(20);
    for (const rule of table.rules) expect(rule.$comment.length).toBeGreaterThan(10);
    expect(Object.keys(table.keys).filter((k) => k !== '$comment').sort()).toEqual([...KEY_NAMES].sort());
  });

  it('maps every element MHD maps from a DocumentEntry (DocumentEntry-Mapping, minus relatesTo/encounter)', () => {
    const targets = new Set(table.rules.map((r) => r.target.replace(/\[\d*\]/g, '')));
    for (const path of [
      'masterIdentifier', 'identifier', 'status', 'type', 'category', 'subject', 'author', 'authenticator', 'description',
      'securityLabel', 'content.attachment.contentType', 'content.attachment.language', 'content.attachment.url',
      'content.attachment.size', 'content.attachment.hash', 'content.attachment.title', 'content.attachment.creation',
      'content.format', 'context.event', 'context.period.start', 'context.period.end', 'context.facilityType',
      'context.practiceSetting', 'context.sourcePatientInfo', 'context.sourcePatientInfo.identifier', 'context.related',
    ]) {
      expect(targets).toContain(path);
    }
  });

  it("lists in its schema exactly the transforms src/fhir/transforms.ts implements", () => {
    const schema = JSON.parse(fs.readFileSync(fromRoot('mappings', 'schemas', 'document-entry.schema.json'), 'utf8')) as {
      definitions: { rule: { properties: { transform: { enum: string[] } } } };
    };
    expect([...schema.definitions.rule.properties.transform.enum].sort()).toEqual(Object.keys(TRANSFORMS).sort());
  });

  it('refuses a copy with an unknown transform, naming the file and the JSON path', () => {
    const { dir, file } = brokenCopy<DocumentEntryTable>('document-entry', (t) => {
      t.rules[3]!.transform = 'magic' as never;
    });
    expect(() => loadDocumentEntryTable(dir)).toThrow(MappingTableError);
    expect(() => loadDocumentEntryTable(dir)).toThrow(new RegExp(`${file}.*/rules/3/transform`));
  });

  it('refuses a copy with a malformed target path', () => {
    const { dir } = brokenCopy<DocumentEntryTable>('document-entry', (t) => {
      t.rules[0]!.target = 'content[].attachment';
    });
    expect(() => loadDocumentEntryTable(dir)).toThrow(/\/rules\/0\/target must match pattern/);
  });

  it('refuses a copy whose rule names a condition that does not exist', () => {
    const { dir, file } = brokenCopy<DocumentEntryTable>('document-entry', (t) => {
      t.rules[1]!.when = 'nonesuch';
    });
    expect(() => loadDocumentEntryTable(dir)).toThrow(`mapping table ${file} is invalid: /rules/1/when names no condition 'nonesuch'`);
  });

  it('refuses a copy whose valueMap rule names no map', () => {
    const { dir } = brokenCopy<DocumentEntryTable>('document-entry', (t) => {
      const rule = t.rules.find((r) => r.transform === 'valueMap');
      if (rule) rule.params = { map: 'nonesuch' };
    });
    expect(() => loadDocumentEntryTable(dir)).toThrow(/params\/map must name a valueMap/);
  });

  it('refuses a copy that is not JSON at all', () => {
    const { dir, file } = brokenCopy<DocumentEntryTable>('document-entry', () => undefined);
    fs.writeFileSync(file, '{ "rules": [');
    expect(() => loadDocumentEntryTable(dir)).toThrow(new RegExp(`mapping table ${file} is invalid`));
  });
});
