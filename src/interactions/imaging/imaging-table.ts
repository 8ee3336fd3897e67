import path from 'node:path';
import { fromRoot } from '../../config/paths';
import { loadMappingTable, MappingTableError } from '../../mappings/load';
import { findRule } from '../../mappings/search-parameters';

/**
 * mappings/imaging.json: what the imaging interactions need as data (the KOS format token of the ImagingStudy
 * search, MIME types, the RAD-75 transfer syntaxes, manifest bounds). Loaded once, validated against
 * mappings/schemas/imaging.schema.json.
 */

/** One DICOM transfer syntax a RAD-75 request offers (DICOM PS3.6 Annex A). */
export interface TransferSyntax {
  readonly uid: string;
  /** DICOM PS3.6 name. */
  readonly name: string;
  /** The pixel data may have lost information (clinically relevant: a lossy image is not the acquired one). */
  readonly lossy: boolean;
}

export interface ImagingTable {
  /** The KOS SOP Class as a FHIR Coding (MADO MadoDicomKosDocumentReference content.format). */
  readonly kosFormat: { readonly system: string; readonly code: string };
  /** DocumentEntry.mimeType of a KOS manifest (MADO contentType). */
  readonly kosMimeType: string;
  /** Content-Type of each part of a WADO-RS multipart answer. */
  readonly instanceMimeType: string;
  /** The transfer syntaxes of every RAD-75 request, preferred first (their UIDs are the TransferSyntaxUIDList). */
  readonly transferSyntaxes: readonly TransferSyntax[];
  readonly maxManifestBytes: number;
  readonly maxManifestsPerSearch: number;
  readonly manifestFetchConcurrency: number;
  /** Largest instance read into memory to cut frames from (WADO-RS Retrieve Frames). */
  readonly maxFrameSourceBytes: number;
  /** ITI-67 parameters an ImagingStudy search passes through (names of search-parameters.json rules). */
  readonly searchParameters: readonly string[];
}

let table: ImagingTable | undefined;

/** What the schema cannot say: the UIDs are unique, and every pass-through parameter is an ITI-67 rule. */
function check(loaded: ImagingTable, file: string): void {
  const seen = new Map<string, number>();
  loaded.transferSyntaxes.forEach((syntax, i) => {
    const first = seen.get(syntax.uid);
    if (first !== undefined) throw new MappingTableError(file, `/transferSyntaxes/${i}/uid duplicates /transferSyntaxes/${first}/uid`);
    seen.set(syntax.uid, i);
  });
  const unknown = loaded.searchParameters.filter((name) => findRule(name) === undefined);
  if (unknown.length > 0) throw new MappingTableError(file, `/searchParameters names no rule of search-parameters.json: ${unknown.join(', ')}`);
}

/** Load and check the table (or the copy in `dir`). Throws MappingTableError when broken. */
export function loadImagingTable(dir?: string): ImagingTable {
  const loaded = loadMappingTable<ImagingTable>('imaging', dir);
  check(loaded, path.join(dir ?? fromRoot('mappings'), 'imaging.json'));
  return loaded;
}

/** The validated imaging table (loaded once). */
export function imagingTable(): ImagingTable {
  table ??= loadImagingTable();
  return table;
}

/** The TransferSyntaxUIDList of a RAD-75 request (Rad75Request.transferSyntaxUids): the table's UIDs, in its order. */
export function offeredTransferSyntaxUids(from: ImagingTable = imagingTable()): readonly string[] {
  return from.transferSyntaxes.map((syntax) => syntax.uid);
}

/** The offered UIDs without the lossy syntaxes, for consumers that must receive the pixel data as acquired. */
export function losslessTransferSyntaxUids(from: ImagingTable = imagingTable()): readonly string[] {
  return from.transferSyntaxes.filter((syntax) => !syntax.lossy).map((syntax) => syntax.uid);
}
