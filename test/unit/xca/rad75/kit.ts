/**
 * Helpers for the RAD-75 tests: a study request, RAD-75 answers written by hand (root part, DICOM-like binary
 * attachments full of boundary look-alikes), and a server that writes a package with back-pressure.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Community } from '../../../../src/xca/model';
import type { Rad75Request } from '../../../../src/xca/rad75';
import { buildBody, type PartSpec } from '../mtom/mtom-kit';
import { binaryPart, BOUNDARY, RS, rootPart, SOAP, XDSB } from '../iti39/kit';

export { BOUNDARY, collect, mtomContentType, readOurRequest, rejectionOf, send, sha256, SOAP, XDSB, FAILURE, PARTIAL, SUCCESS } from '../iti39/kit';

export const XDSI = 'urn:ihe:rad:xdsi-b:2009';
export const HOME = 'urn:oid:1.2.826.0.1.999.2';
export const REPOSITORY = '1.2.826.0.1.999.2.20';
const STUDY = '1.2.826.0.1.3680043.10.543.1';

/** A study of 2 series × 3 instances. */
export const STUDY_REQUEST: Rad75Request = {
  homeCommunityId: HOME,
  studyInstanceUid: STUDY,
  series: [1, 2].map((s) => ({
    seriesInstanceUid: `${STUDY}.${s}`,
    instances: [1, 2, 3].map((i) => ({ sopInstanceUid: `${STUDY}.${s}.${i}`, repositoryUniqueId: REPOSITORY })),
  })),
  transferSyntaxUids: ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2.4.70'],
};

/** Every SOP Instance UID of STUDY_REQUEST, in request order. */
export const STUDY_UIDS: readonly string[] = STUDY_REQUEST.series.flatMap((s) => s.instances.map((i) => i.sopInstanceUid));

export function community(url: string | undefined, timeoutMs = 3000): Community {
  return { homeCommunityId: HOME, name: 'Imaging Community B', iti38Url: 'http://127.0.0.1:9/unused', ...(url ? { rad75Url: url } : {}), timeoutMs, key: 'b' };
}

/** One DocumentResponse of a handwritten answer. */
export interface InstanceSpec {
  readonly uid: string;
  readonly repository?: string;
  /** undefined: no mimeType element. */
  readonly mimeType?: string | undefined;
  /** Content-ID of the attachment (xop:Include href="cid:..."); default `<uid>@ids.example`. */
  readonly cid?: string;
  /** Inline base64 text instead of an attachment. */
  readonly base64?: string;
}

export const cidOf = (uid: string): string => `${uid}@ids.example`;

function documentResponse(spec: InstanceSpec): string {
  const content = spec.base64 ?? `<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:${encodeURIComponent(spec.cid ?? cidOf(spec.uid))}"/>`;
  const mime = 'mimeType' in spec ? spec.mimeType : 'application/dicom';
  return (
    `<x:DocumentResponse><x:HomeCommunityId>${HOME}</x:HomeCommunityId><x:RepositoryUniqueId>${spec.repository ?? REPOSITORY}</x:RepositoryUniqueId>` +
    `<x:DocumentUniqueId>${spec.uid}</x:DocumentUniqueId>${mime === undefined ? '' : `<x:mimeType>${mime}</x:mimeType>`}<x:Document>${content}</x:Document></x:DocumentResponse>`
  );
}

/** A RegistryError element (location: the responding community, RAD TF-3 4.75). */
export function registryError(code: string, context: string): string {
  return `<rs:RegistryError errorCode="${code}" codeContext="${context}" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error" location="${HOME}"/>`;
}

/** A whole SOAP 1.2 RAD-75 answer. */
export function imagingXml(instances: readonly InstanceSpec[], options: { status?: string; errors?: readonly string[] } = {}): string {
  const errors = options.errors?.length ? `<rs:RegistryErrorList>${options.errors.join('')}</rs:RegistryErrorList>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${SOAP}" xmlns:a="http://www.w3.org/2005/08/addressing">` +
    `<s:Header><a:Action s:mustUnderstand="1">urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSetResponse</a:Action></s:Header>` +
    `<s:Body><x:RetrieveDocumentSetResponse xmlns:x="${XDSB}" xmlns:rs="${RS}"><rs:RegistryResponse status="${options.status ?? 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success'}">${errors}</rs:RegistryResponse>` +
    `${instances.map(documentResponse).join('')}</x:RetrieveDocumentSetResponse></s:Body></s:Envelope>`
  );
}

/** A DICOM-like file: 128-byte preamble, `DICM`, then bytes with CRLFs, `--` and boundary look-alikes. */
export function dicomLike(size: number): Buffer {
  const body = crypto.randomBytes(size);
  body.fill(0, 0, 128);
  body.write('DICM', 128, 'latin1');
  const traps = ['\r\n--', `\r\n--${BOUNDARY.slice(0, -2)}`, `\n--${BOUNDARY}X`, `--${BOUNDARY}-`, '\r\n\r\n'];
  traps.forEach((trap, i) => body.write(trap, 200 + i * Math.floor((size - 400) / traps.length), 'latin1'));
  return body;
}

/** An MTOM answer: the root part, then (or, with rootLast, before it) one attachment per instance. */
export function imagingPackage(xml: string, files: ReadonlyArray<readonly [string, Buffer]>, options: { rootLast?: boolean; close?: boolean } = {}): Buffer {
  const attachments: PartSpec[] = files.map(([uid, bytes]) => binaryPart(cidOf(uid), bytes, 'application/dicom'));
  const parts = options.rootLast === true ? [...attachments, rootPart(xml)] : [rootPart(xml), ...attachments];
  return buildBody({ boundary: BOUNDARY, parts, close: options.close ?? true });
}

/** Write `chunks` honouring back-pressure; `onWritten` sees the running byte count. */
export async function writeWithBackPressure(res: http.ServerResponse, chunks: Iterable<Buffer>, onWritten: (bytes: number) => void = () => undefined): Promise<void> {
  let written = 0;
  for (const chunk of chunks) {
    if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
    written += chunk.length;
    onWritten(written);
  }
}
