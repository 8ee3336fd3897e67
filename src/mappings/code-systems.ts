import path from 'node:path';
import { fromRoot } from '../config/paths';
import { loadMappingTable, MappingTableError } from './load';

/**
 * OID <-> FHIR URI lookups over mappings/code-systems.json (FHIR R4 terminologies-systems; IHE ITI TF-2
 * Appendix Z.9.1: an OID with no FHIR URI is written `urn:oid:<oid>`). Pure lookups; the table is loaded once.
 */

/** One entry of mappings/code-systems.json. */
export interface CodeSystemEntry {
  readonly key: string;
  readonly name: string;
  readonly kind: 'code-system' | 'identifier-system';
  readonly oid: string;
  readonly uri: string;
  readonly source: string;
}

export interface CodeSystemsTable {
  readonly systems: readonly CodeSystemEntry[];
}

const URN_OID = 'urn:oid:';
const OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;
/** RFC 3986 scheme followed by something: enough to tell a URI from a bare OID or a free-text scheme name. */
const URI_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

interface Index {
  readonly byOid: ReadonlyMap<string, CodeSystemEntry>;
  readonly byUri: ReadonlyMap<string, CodeSystemEntry>;
  readonly byKey: ReadonlyMap<string, CodeSystemEntry>;
}

let index: Index | undefined;

/** Index a table, refusing duplicate keys, OIDs or URIs (the schema cannot say "unique by property"). */
function buildIndex(table: CodeSystemsTable, file: string): Index {
  const maps = { key: new Map<string, CodeSystemEntry>(), oid: new Map<string, CodeSystemEntry>(), uri: new Map<string, CodeSystemEntry>() };
  table.systems.forEach((entry, i) => {
    for (const field of ['key', 'oid', 'uri'] as const) {
      const map = maps[field];
      const seen = map.get(entry[field]);
      if (seen) throw new MappingTableError(file, `/systems/${i}/${field} duplicates /systems/${table.systems.indexOf(seen)}/${field}`);
      map.set(entry[field], entry);
    }
  });
  return { byKey: maps.key, byOid: maps.oid, byUri: maps.uri };
}

/** Load and check mappings/code-systems.json (or the copy in `dir`). Throws MappingTableError when broken. */
export function loadCodeSystemsTable(dir?: string): CodeSystemsTable {
  const table = loadMappingTable<CodeSystemsTable>('code-systems', dir);
  buildIndex(table, path.join(dir ?? fromRoot('mappings'), 'code-systems.json'));
  return table;
}

function current(): Index {
  index ??= buildIndex(loadMappingTable<CodeSystemsTable>('code-systems'), fromRoot('mappings', 'code-systems.json'));
  return index;
}

/** True when `value` is a bare ISO OID (dotted decimal, no leading zeros). */
export function isOid(value: string): boolean {
  return OID.test(value);
}

/** True when `value` looks like an absolute URI (has a scheme). */
export function isUri(value: string): boolean {
  return URI_LIKE.test(value);
}

/**
 * The FHIR system URI for an OID (bare or `urn:oid:`-prefixed): the table's URI when known, else `urn:oid:<oid>`.
 * A value that is already a URI (and not urn:oid:) passes through unchanged, as does anything that is neither
 * (callers decide whether such a value may stand as a FHIR system).
 */
export function oidToUri(oidOrUrn: string): string {
  const value = oidOrUrn.trim();
  const bare = value.toLowerCase().startsWith(URN_OID) ? value.slice(URN_OID.length) : value;
  if (!isOid(bare)) return value;
  return current().byOid.get(bare)?.uri ?? `${URN_OID}${bare}`;
}

/**
 * A value as a URI: a bare OID becomes `urn:oid:<oid>` (RFC 3061), a URI passes through, anything else is
 * undefined. For values that must stay URNs (homeCommunityId, uniqueId), unlike oidToUri which prefers FHIR URIs.
 */
export function oidToUrn(oidOrUri: string): string | undefined {
  const value = oidOrUri.trim();
  if (isOid(value)) return `${URN_OID}${value}`;
  return isUri(value) ? value : undefined;
}

/** The OID behind a FHIR system URI: `urn:oid:X` gives X, a known URI gives its OID, anything else undefined. */
export function uriToOid(uri: string): string | undefined {
  const value = uri.trim();
  if (value.toLowerCase().startsWith(URN_OID)) {
    const bare = value.slice(URN_OID.length);
    return isOid(bare) ? bare : undefined;
  }
  return current().byUri.get(value)?.oid;
}

/** A table entry by its key (e.g. 'nhs-number'); throws when the table lacks it, which is a deployment error. */
export function codeSystemByKey(key: string): CodeSystemEntry {
  const entry = current().byKey.get(key);
  if (!entry) throw new MappingTableError(fromRoot('mappings', 'code-systems.json'), `no entry with key '${key}'`);
  return entry;
}

/** The NHS number identifier system (OID for CX assigning authorities, URI for FHIR identifiers). */
export function nhsNumberSystem(): CodeSystemEntry {
  return codeSystemByKey('nhs-number');
}

/** The ODS organisation code identifier system (XON assigning authority OID, FHIR identifier URI). */
export function odsOrganizationSystem(): CodeSystemEntry {
  return codeSystemByKey('ods-organization-code');
}
