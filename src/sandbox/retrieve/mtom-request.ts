import { isMtomError, readMtom, type MtomMessage } from '../../xca/mtom';
import { MAX_REQUEST_BYTES } from '../http-io';
import { parseMediaType } from '../soap/content-type';
import { readSoapEnvelope, type SoapRequest } from '../soap/envelope-in';
import { SoapFault } from '../soap/fault';

/**
 * Reads an MTOM/XOP-packaged SOAP 1.2 request, the only form a retrieve (ITI-39, RAD-75) may take here: ITI TF-2
 * Appendix V.3.3 has Retrieve Document Set and Cross Gateway Retrieve requests and responses MTOM-encoded, so a
 * plain application/soap+xml request is refused (415). The package is checked the way W3C SOAP MTOM 1.0 (4.3) and
 * XOP 1.0 (4.1) describe it: multipart/related with type="application/xop+xml" and a boundary, start-info (when
 * given) application/soap+xml, and a root part of type application/xop+xml; type="application/soap+xml". The body
 * is already bounded (1 MiB, http-io.ts); the project's MTOM reader parses it with tight limits of its own.
 */
const LIMITS = { maxRootBytes: MAX_REQUEST_BYTES, maxHeaderBytes: 16 * 1024, maxBufferedAttachmentBytes: MAX_REQUEST_BYTES };
const XOP = 'application/xop+xml';
const SOAP12 = 'application/soap+xml';

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

interface Package {
  /** The SOAP action the packaging names (multipart action, start-info action, or the root part's), if any. */
  readonly action: string | undefined;
}

function mediaParam(header: string | undefined, name: string): string | undefined {
  return header === undefined ? undefined : parseMediaType(header)?.params.get(name);
}

/** The outer Content-Type: an MTOM package, or a 415 fault saying what was sent instead. */
function checkPackage(header: string | undefined, transaction: string): Package {
  const media = header === undefined ? undefined : parseMediaType(header);
  if (media === undefined) throw SoapFault.unsupportedMedia(`missing or malformed Content-Type; ${transaction} requests are MTOM/XOP packages (multipart/related)`);
  if (media.type === SOAP12 || media.type === 'text/xml') {
    throw SoapFault.unsupportedMedia(`${transaction} requests must be MTOM/XOP encoded (ITI TF-2 Appendix V.3.3): multipart/related; type="${XOP}", not a plain ${media.type} message`);
  }
  if (media.type !== 'multipart/related') throw SoapFault.unsupportedMedia(`unsupported media type ${media.type}; ${transaction} requests are multipart/related MTOM/XOP packages`);
  if (media.params.get('type')?.toLowerCase() !== XOP) throw SoapFault.unsupportedMedia(`an MTOM package has type="${XOP}" (SOAP MTOM 1.0 4.3); found type="${media.params.get('type') ?? ''}"`);
  if ((media.params.get('boundary') ?? '') === '') throw SoapFault.sender('multipart/related Content-Type without a boundary parameter (RFC 2046 5.1.1)');
  const startInfo = media.params.get('start-info');
  const startInfoType = startInfo === undefined ? undefined : parseMediaType(startInfo)?.type;
  if (startInfo !== undefined && startInfoType !== SOAP12) throw SoapFault.unsupportedMedia(`start-info must name ${SOAP12} (SOAP 1.2 over MTOM); found "${startInfo}"`);
  return { action: media.params.get('action') ?? mediaParam(startInfo, 'action') };
}

/** The root part must be the XOP form of a SOAP 1.2 envelope, in UTF-8. */
function checkRoot(message: MtomMessage): string | undefined {
  const header = message.root.contentType;
  const media = header === undefined ? undefined : parseMediaType(header);
  if (media?.type !== XOP || media.params.get('type')?.toLowerCase() !== SOAP12) {
    throw SoapFault.sender(`the MTOM root part must be ${XOP}; type="${SOAP12}" (SOAP MTOM 1.0 4.3); found "${header ?? '(none)'}"`);
  }
  const charset = media.params.get('charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw SoapFault.unsupportedMedia(`unsupported charset ${charset} on the MTOM root part; only UTF-8 is accepted`);
  return media.params.get('action');
}

async function readPackage(body: Buffer, header: string): Promise<MtomMessage> {
  try {
    const message = await readMtom(once(body), header, LIMITS);
    // Read on to the close delimiter: a truncated or malformed package is refused, not half-read.
    await message.drain();
    return message;
  } catch (err) {
    if (isMtomError(err)) throw SoapFault.sender(`malformed MTOM/XOP package: ${err.message}`);
    throw err;
  }
}

/**
 * Read one MTOM-packaged SOAP 1.2 request for `expectedAction` (`transaction` names it in fault reasons). Throws
 * SoapFault for anything a strict responder refuses: packaging, envelope, WS-Addressing (envelope-in.ts).
 */
export async function readMtomSoapRequest(header: string | undefined, body: Buffer, expectedAction: string, transaction: string): Promise<SoapRequest> {
  const outer = checkPackage(header, transaction);
  const message = await readPackage(body, header as string);
  const rootAction = checkRoot(message);
  return readSoapEnvelope(message.root.xml, expectedAction, rootAction ?? outer.action);
}
