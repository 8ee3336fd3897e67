import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server that misbehaves as XCA responders do: POST /{behaviour}. Used to prove that one bad
 * community never breaks the answer of the others, and that hostile XML never hurts the service.
 */
export type Behaviour = 'http500' | 'soap-fault' | 'garbage' | 'xxe' | 'entity-bomb' | 'truncated' | 'slow' | 'oversize' | 'reset' | 'mtom-cut';

const SOAP = 'application/soap+xml; charset=UTF-8';

const FAULT = `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
<env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text xml:lang="en">Registry is on fire</env:Text></env:Reason>
</env:Fault></env:Body></env:Envelope>`;

const XXE = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>
<query:AdhocQueryResponse xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success">&xxe;</query:AdhocQueryResponse>
</env:Body></env:Envelope>`;

const BOMB = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><r>&lol9;</r></env:Body></env:Envelope>`;

const TRUNCATED = `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>
<query:AdhocQueryResponse xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success">
<rim:RegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:ExtrinsicObject id="urn:uuid:`;

/** An ITI-39 MTOM answer whose document part stops after 64 KiB: the connection is then destroyed. */
function mtomCut(res: http.ServerResponse): void {
  const boundary = 'cutboundary';
  const root = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action>urn:ihe:iti:2007:CrossGatewayRetrieveResponse</a:Action></s:Header><s:Body>
<xdsb:RetrieveDocumentSetResponse xmlns:xdsb="urn:ihe:iti:xds-b:2007" xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"><rs:RegistryResponse status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/>
<xdsb:DocumentResponse><xdsb:HomeCommunityId>urn:oid:2.999.66.1</xdsb:HomeCommunityId><xdsb:RepositoryUniqueId>2.999.66.1.1</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>2.999.66.1.1.1</xdsb:DocumentUniqueId><xdsb:mimeType>application/pdf</xdsb:mimeType>
<xdsb:Document><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:doc1@example"/></xdsb:Document></xdsb:DocumentResponse></xdsb:RetrieveDocumentSetResponse></s:Body></s:Envelope>`;
  res.writeHead(200, { 'Content-Type': `multipart/related; type="application/xop+xml"; boundary="${boundary}"; start="<root@example>"; start-info="application/soap+xml"` });
  res.write(`--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <root@example>\r\n\r\n${root}\r\n`);
  res.write(`--${boundary}\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc1@example>\r\n\r\n%PDF-1.4\n`);
  res.write(Buffer.alloc(64 * 1024, 0x41));
  setTimeout(() => res.socket?.destroy(), 50).unref();
}

function answer(behaviour: string, res: http.ServerResponse): void {
  switch (behaviour as Behaviour) {
    case 'http500':
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal Server Error');
      return;
    case 'soap-fault':
      res.writeHead(500, { 'Content-Type': SOAP }).end(FAULT);
      return;
    case 'garbage':
      res.writeHead(200, { 'Content-Type': SOAP }).end('this is not XML at all {"json": true}');
      return;
    case 'xxe':
      res.writeHead(200, { 'Content-Type': SOAP }).end(XXE);
      return;
    case 'entity-bomb':
      res.writeHead(200, { 'Content-Type': SOAP }).end(BOMB);
      return;
    case 'truncated':
      res.writeHead(200, { 'Content-Type': SOAP }).end(TRUNCATED);
      return;
    case 'slow':
      setTimeout(() => res.writeHead(500).end(), 10_000).unref();
      return;
    case 'oversize': {
      res.writeHead(200, { 'Content-Type': SOAP });
      res.write('<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><x>');
      const chunk = `<y>${'z'.repeat(1000)}</y>`;
      let sent = 0;
      const pump = (): void => {
        while (sent < 20_000) {
          sent += 1;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end('</x></env:Body></env:Envelope>');
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    case 'reset':
      res.socket?.destroy();
      return;
    case 'mtom-cut':
      mtomCut(res);
      return;
    default:
      res.writeHead(404).end();
  }
}

export async function startMisbehavingGateway(): Promise<{
  url: (b: Behaviour) => string;
  requests: () => number;
  /** Headers of the last request received (e.g. to see the propagated traceparent). */
  lastHeaders: () => http.IncomingHttpHeaders;
  close: () => Promise<void>;
}> {
  let requests = 0;
  let lastHeaders: http.IncomingHttpHeaders = {};
  const server = http.createServer((req, res) => {
    requests += 1;
    lastHeaders = req.headers;
    req.resume();
    req.on('end', () => answer((req.url ?? '/').slice(1), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (b) => `http://127.0.0.1:${port}/${b}`,
    requests: () => requests,
    lastHeaders: () => lastHeaders,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
