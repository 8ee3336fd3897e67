import path from 'node:path';
import { fromRoot } from '../../config/paths';
import { loadMappingTable, MappingTableError } from '../../mappings/load';
import { findRule } from '../../mappings/search-parameters';

/**
 * mappings/imaging.json: what the imaging interactions need as data (the KOS format token of the ImagingStudy
 * search, MIME types, the RAD-75 transfer syntax list, manifest bounds). Loaded once, validated against
 * mappings/schemas/imaging.schema.json.
 */
export interface ImagingTable {
  /** The KOS SOP Class as a FHIR Coding (MADO MadoDicomKosDocumentReference content.format). */
  readonly kosFormat: { readonly system: string; readonly code: string };
  /** DocumentEntry.mimeType of a KOS manifest (MADO contentType). */
  readonly kosMimeType: string;
  /** Content-Type of each part of a WADO-RS multipart answer. */
  readonly instanceMimeType: string;
  /** RAD-75 TransferSyntaxUIDList, preferred first. */
  readonly transferSyntaxUids: readonly string[];
  readonly maxManifestBytes: number;
  readonly maxManifestsPerSearch: number;
  readonly manifestFetchConcurrency: number;
  /** ITI-67 parameters an ImagingStudy search passes through (names of search-parameters.json rules). */
  readonly searchParameters: readonly string[];
}

let table: ImagingTable | undefined;

/** Load and check the table (or the copy in `dir`): every pass-through parameter must be an ITI-67 rule. */
export function loadImagingTable(dir?: string): ImagingTable {
  const loaded = loadMappingTable<ImagingTable>('imaging', dir);
  const unknown = loaded.searchParameters.filter((name) => findRule(name) === undefined);
  if (unknown.length > 0) {
    throw new MappingTableError(path.join(dir ?? fromRoot('mappings'), 'imaging.json'), `/searchParameters names no rule of search-parameters.json: ${unknown.join(', ')}`);
  }
  return loaded;
}

/** The validated imaging table (loaded once). */
export function imagingTable(): ImagingTable {
  table ??= loadImagingTable();
  return table;
}
