import { createHash } from 'node:crypto';
import type { SlotMap, XdsRegistryProtocol } from '../protocol';
import type { SandboxDocument, SeedAuthor, SeedCode } from '../seed-types';
import { el, type XmlNode } from '../xml/write';
import { codesOf } from './filter';

/**
 * Writes one DocumentEntry as the ebRIM ExtrinsicObject an XDS registry returns for LeafClass (ITI TF-3 4.2.3.2
 * and Table 4.3.1-3): Slots, Name, Description, VersionInfo, then author and coded Classifications, then the
 * patientId and uniqueId ExternalIdentifiers, in the element order rim.xsd requires. Slot names and scheme UUIDs
 * come from the protocol table. Child object ids are name-based UUIDs derived from the entryUUID, so a document
 * reads the same on every query.
 */
export function derivedUuid(base: string, name: string): string {
  const h = createHash('sha1').update(`${base}#${name}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function slot(name: string, values: readonly string[]): XmlNode {
  return el('rim:Slot', { name }, [el('rim:ValueList', undefined, values.map((v) => el('rim:Value', undefined, undefined, v)))]);
}

function valuesOf(source: object, field: string): string[] {
  const value = (source as Record<string, unknown>)[field];
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function slotsFor(source: object, maps: readonly SlotMap[]): XmlNode[] {
  return maps.flatMap((m) => {
    const values = valuesOf(source, m.field);
    return values.length === 0 ? [] : [slot(m.slot, values)];
  });
}

function localized(lang: string, value: string): XmlNode {
  return el('rim:LocalizedString', { 'xml:lang': lang, charset: 'UTF-8', value });
}

interface Ctx {
  readonly doc: SandboxDocument;
  readonly protocol: XdsRegistryProtocol;
}

function classification(ctx: Ctx, key: string, scheme: string, node: string, slots: XmlNode[], name?: string): XmlNode {
  const id = derivedUuid(ctx.doc.entryUUID, key);
  const attrs = { id, objectType: ctx.protocol.ebrs.classificationObjectType, classificationScheme: scheme, classifiedObject: ctx.doc.entryUUID, nodeRepresentation: node };
  const nameNode = el('rim:Name', undefined, name === undefined ? [] : [localized(ctx.doc.languageCode, name)]);
  return el('rim:Classification', attrs, [...slots, nameNode]);
}

function authorClassification(ctx: Ctx, author: SeedAuthor, index: number): XmlNode {
  const { scheme, slots } = ctx.protocol.documentEntry.author;
  return classification(ctx, `author-${index}`, scheme, '', slotsFor(author, slots));
}

function codedClassification(ctx: Ctx, field: string, scheme: string, code: SeedCode, index: number): XmlNode {
  const schemeSlot = slot(ctx.protocol.documentEntry.codingSchemeSlot, [code.scheme]);
  return classification(ctx, `${field}-${index}`, scheme, code.code, [schemeSlot], code.display);
}

function externalIdentifier(ctx: Ctx, key: 'patientId' | 'uniqueId', value: string): XmlNode {
  const { scheme, name } = ctx.protocol.documentEntry.externalIdentifiers[key];
  const attrs = {
    id: derivedUuid(ctx.doc.entryUUID, key),
    objectType: ctx.protocol.ebrs.externalIdentifierObjectType,
    registryObject: ctx.doc.entryUUID,
    identificationScheme: scheme,
    value,
  };
  return el('rim:ExternalIdentifier', attrs, [el('rim:Name', undefined, [localized('en', name)])]);
}

/** The ExtrinsicObject of `doc` (patient `nhsNumber`) as community `home` returns it. */
export function extrinsicObject(doc: SandboxDocument, nhsNumber: string, home: string, repositoryUniqueId: string, protocol: XdsRegistryProtocol): XmlNode {
  const ctx: Ctx = { doc, protocol };
  const de = protocol.documentEntry;
  const patientId = `${nhsNumber}^^^&${protocol.patientIdAssigningAuthority}&ISO`;
  const attrs = { id: doc.entryUUID, lid: doc.entryUUID, home, objectType: doc.objectType ?? de.objectTypes.stable, status: doc.availabilityStatus, mimeType: doc.mimeType, isOpaque: 'false' };
  const coded = de.classifications.flatMap((c) => codesOf(doc, c.field).map((code, i) => codedClassification(ctx, c.field, c.scheme, code, i)));
  return el('rim:ExtrinsicObject', attrs, [
    ...slotsFor({ ...doc, repositoryUniqueId }, de.slots),
    el('rim:Name', undefined, [localized(doc.languageCode, doc.title)]),
    el('rim:Description', undefined, doc.comments === undefined ? [] : [localized(doc.languageCode, doc.comments)]),
    el('rim:VersionInfo', { versionName: '1' }),
    ...doc.authors.map((a, i) => authorClassification(ctx, a, i)),
    ...coded,
    externalIdentifier(ctx, 'patientId', patientId),
    externalIdentifier(ctx, 'uniqueId', doc.uniqueId),
  ]);
}
