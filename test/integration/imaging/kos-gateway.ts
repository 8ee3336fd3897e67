import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real XCA responding gateway for the imaging tests, misbehaving on demand:
 * - POST /iti38: forwarded as it is to a real (sandbox) gateway, so searches find its KOS entries;
 * - POST /iti39: answers the DocumentUniqueId asked for with the bytes and MIME type registered for it (`documents`),
 *   else with `fallback`; unknown -> XDSDocumentUniqueIdError;
 * - POST /rad75: answers from `instances` (SOP Instance UID -> bytes) as `rad75Mode` says: 'all', 'partial' (the
 *   last two requested are missing, PartialSuccess + XDSDocumentUniqueIdError), 'cut' (the second instance stops
 *   half way and the connection is destroyed), 'none' (Failure, XDSDocumentUniqueIdError for each).
 */
export type Rad75Mode = 'all' | 'partial' | 'cut' | 'none';

export interface StoredDocument {
  readonly mimeType: string;
  readonly bytes: Buffer;
}

export interface KosGateway {
  readonly url: string;
  readonly documents: Map<string, StoredDocument>;
  readonly instances: Map<string, Buffer>;
  fallback: StoredDocument | undefined;
  rad75Mode: Rad75Mode;
  readonly calls: { iti38: number; iti39: number; rad75: number };
  close(): Promise<void>;
}

const ACTIONS = {
  iti39: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse',
  rad75: 'urn:ihe:rad:2011:CrossGatewayRetrieveImagingDocumentSetResponse',
};
const STATUS = {
  Success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  PartialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
  Failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
};

interface Part {
  readonly home: string;
  readonly repository: string;
  readonly uid: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

function valuesOf(body: string, element: string): string[] {
  return [...body.matchAll(new RegExp(`<(?:\\w+:)?${element}>\\s*([^<]*?)\\s*</`, 'g'))].map((m) => m[1] as string);
}

function rootXml(action: string, status: keyof typeof STATUS, missing: readonly string[], parts: readonly Part[]): string {
  const errors = missing
    .map((uid) => `<rs:RegistryError errorCode="XDSDocumentUniqueIdError" codeContext="${uid} not found" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error" location="test"/>`)
    .join('');
  const docs = parts
    .map(
      (p, i) =>
        `<xdsb:DocumentResponse><xdsb:HomeCommunityId>${p.home}</xdsb:HomeCommunityId><xdsb:RepositoryUniqueId>${p.repository}</xdsb:RepositoryUniqueId>` +
        `<xdsb:DocumentUniqueId>${p.uid}</xdsb:DocumentUniqueId><xdsb:mimeType>${p.mimeType}</xdsb:mimeType>` +
        `<xdsb:Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc${i}@test"/></xdsb:Document></xdsb:DocumentResponse>`,
    )
    .join('');
  return (
    `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">` +
    `<s:Header><a:Action>${action}</a:Action></s:Header><s:Body><xdsb:RetrieveDocumentSetResponse xmlns:xdsb="urn:ihe:iti:xds-b:2007" ` +
    `xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"><rs:RegistryResponse status="${STATUS[status]}">` +
    `${errors === '' ? '' : `<rs:RegistryErrorList>${errors}</rs:RegistryErrorList>`}</rs:RegistryResponse>${docs}` +
    `</xdsb:RetrieveDocumentSetResponse></s:Body></s:Envelope>`
  );
}

/** Write an MTOM answer; `cutAt` (part index) sends half of that part and destroys the connection. */
function sendMtom(res: http.ServerResponse, action: string, status: keyof typeof STATUS, missing: readonly string[], parts: readonly Part[], cutAt?: number): void {
  const boundary = 'kosgatewayboundary';
  res.writeHead(200, {
    'Content-Type': `multipart/related; type="application/xop+xml"; boundary="${boundary}"; start="<root@test>"; start-info="application/soap+xml"`,
  });
  res.write(`--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <root@test>\r\n\r\n${rootXml(action, status, missing, parts)}`);
  for (const [i, part] of parts.entries()) {
    res.write(`\r\n--${boundary}\r\nContent-Type: ${part.mimeType}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc${i}@test>\r\n\r\n`);
    if (i === cutAt) {
      res.write(part.bytes.subarray(0, part.bytes.length >> 1));
      setTimeout(() => res.socket?.destroy(), 50).unref();
      return;
    }
    res.write(part.bytes);
  }
  res.end(`\r\n--${boundary}--\r\n`);
}

function answerIti39(gw: KosGateway, body: string, res: http.ServerResponse): void {
  const uid = valuesOf(body, 'DocumentUniqueId')[0] ?? '';
  const doc = gw.documents.get(uid) ?? gw.fallback;
  const [home = '', repository = ''] = [valuesOf(body, 'HomeCommunityId')[0], valuesOf(body, 'RepositoryUniqueId')[0]];
  if (doc === undefined) return sendMtom(res, ACTIONS.iti39, 'Failure', [uid], []);
  sendMtom(res, ACTIONS.iti39, 'Success', [], [{ home, repository, uid, ...doc }]);
}

function answerRad75(gw: KosGateway, body: string, res: http.ServerResponse): void {
  const uids = valuesOf(body, 'DocumentUniqueId');
  const [home = '', repository = ''] = [valuesOf(body, 'HomeCommunityId')[0], valuesOf(body, 'RepositoryUniqueId')[0]];
  const served = gw.rad75Mode === 'none' ? [] : gw.rad75Mode === 'partial' ? uids.slice(0, Math.max(0, uids.length - 2)) : uids;
  const missing = uids.filter((u) => !served.includes(u) || !gw.instances.has(u));
  const parts = served.flatMap((uid) => {
    const bytes = gw.instances.get(uid);
    return bytes === undefined ? [] : [{ home, repository, uid, mimeType: 'application/dicom', bytes }];
  });
  const status = parts.length === 0 ? 'Failure' : missing.length > 0 ? 'PartialSuccess' : 'Success';
  sendMtom(res, ACTIONS.rad75, status, missing, parts, gw.rad75Mode === 'cut' ? 1 : undefined);
}

async function forward(target: string, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
  const upstream = await fetch(target, { method: 'POST', headers: { 'Content-Type': req.headers['content-type'] ?? '' }, body });
  res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/soap+xml' });
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

/** Start the gateway; `iti38Upstream` is where searches are forwarded. */
export async function startKosGateway(iti38Upstream: string): Promise<KosGateway> {
  const gw: Omit<KosGateway, 'url' | 'close'> = { documents: new Map(), instances: new Map(), fallback: undefined, rad75Mode: 'all', calls: { iti38: 0, iti39: 0, rad75: 0 } };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').slice(1) as keyof KosGateway['calls'];
      if (path in gw.calls) gw.calls[path] += 1;
      if (path === 'iti38') forward(iti38Upstream, req, body, res).catch(() => res.socket?.destroy());
      else if (path === 'iti39') answerIti39(self, body.toString('latin1'), res);
      else if (path === 'rad75') answerRad75(self, body.toString('latin1'), res);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const self: KosGateway = Object.assign(gw, {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return self;
}
