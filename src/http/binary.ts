import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { Binary } from 'fhir/r4';
import { FacadeError } from '../errors/facade-error';
import type { RetrievedDocument } from '../xca/iti39';
import { FHIR_JSON, FHIR_XML } from './negotiation';
import { sendResource } from './respond';

/**
 * ITI-68 content negotiation (MHD ITI-68 2:3.68.4.1.2, FHIR R4 http 3.1.0.1.10): Accept absent, `*\/*` or the
 * document's own type → the bytes as they are; `application/fhir+json` → a Binary resource (base64, bounded);
 * anything else → 406. Decided once the responder has said what the document is.
 */
export type BinaryRepresentation = 'raw' | 'resource';

export function chooseRepresentation(req: Request, res: Response, mimeType: string): BinaryRepresentation {
  const choice = req.accepts([mimeType, FHIR_JSON, 'application/json', FHIR_XML]);
  if (choice === false) throw new FacadeError('NOT_ACCEPTABLE', `The document is ${mimeType}; Accept '${req.get('Accept') ?? ''}' cannot be satisfied`, { expression: 'Accept' });
  if (choice === mimeType) return 'raw';
  res.locals.fhirFormat = choice === FHIR_XML ? 'xml' : 'json';
  return 'resource';
}

/**
 * Send the document bytes as they arrive. If the upstream breaks after bytes were sent, the connection is destroyed
 * so the client sees a broken transfer, never a short body passed off as complete.
 */
export async function streamDocument(res: Response, doc: RetrievedDocument): Promise<void> {
  res.status(200).type(doc.mimeType);
  if (doc.size !== undefined) res.set('Content-Length', String(doc.size));
  try {
    await pipeline(doc.body, res);
  } catch (err) {
    if (!res.headersSent) throw err;
    res.destroy(err instanceof Error ? err : undefined);
  }
}

/** Read the document into a Binary resource, refusing (422) above `maxBytes` without reading further. */
export async function sendBinaryResource(res: Response, doc: RetrievedDocument, id: string, maxBytes: number): Promise<void> {
  if (doc.size !== undefined && doc.size > maxBytes) {
    doc.body.destroy();
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of doc.body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) {
      doc.body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(buf);
  }
  const binary: Binary = { resourceType: 'Binary', id, contentType: doc.mimeType, data: Buffer.concat(chunks).toString('base64') };
  sendResource(res, 200, binary);
}

function tooLarge(maxBytes: number): FacadeError {
  return new FacadeError('BINARY_TOO_LARGE', `The document is larger than ${maxBytes} bytes: ask for it without Accept: ${FHIR_JSON} to receive its bytes`);
}
