import { SoapFault } from './fault';

/**
 * Reads the HTTP Content-Type of a SOAP 1.2 request (SOAP 1.2 Part 2, 7.1.4; RFC 3902 `application/soap+xml`
 * with its optional `action` parameter, which this sandbox requires so that a missing one shows up here).
 */
export interface SoapContentType {
  readonly action: string;
}

interface MediaType {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

/** RFC 9110 8.3.1: type/subtype *( ";" parameter ), parameter values token or quoted-string. */
export function parseMediaType(header: string): MediaType | undefined {
  const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*/.exec(header);
  if (match === null) return undefined;
  const params = new Map<string, string>();
  const param = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~0-9A-Za-z-]+))\s*/y;
  let pos = match[0].length;
  while (pos < header.length) {
    param.lastIndex = pos;
    const p = param.exec(header);
    if (p === null) return undefined;
    params.set((p[1] as string).toLowerCase(), p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] as string));
    pos = param.lastIndex;
  }
  return { type: (match[1] as string).toLowerCase(), params };
}

/** Validate the Content-Type of a SOAP 1.2 request; throws a SoapFault (HTTP 415) when it is not usable. */
export function readSoapContentType(header: string | undefined): SoapContentType {
  const media = header === undefined ? undefined : parseMediaType(header);
  if (media === undefined) throw SoapFault.unsupportedMedia('missing or malformed Content-Type; expected application/soap+xml');
  if (media.type === 'text/xml') throw SoapFault.unsupportedMedia('SOAP 1.1 (text/xml) is not supported: IHE XCA uses SOAP 1.2 (application/soap+xml)');
  if (media.type === 'multipart/related') throw SoapFault.unsupportedMedia('MTOM/XOP requests are not accepted on this endpoint; send a plain application/soap+xml message');
  if (media.type !== 'application/soap+xml') throw SoapFault.unsupportedMedia(`unsupported media type ${media.type}; expected application/soap+xml`);
  const charset = media.params.get('charset');
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw SoapFault.unsupportedMedia(`unsupported charset ${charset}; only UTF-8 is accepted`);
  const action = media.params.get('action');
  if (action === undefined || action.trim() === '') throw SoapFault.sender('Content-Type lacks the action parameter (RFC 3902); it must carry the WS-Addressing Action');
  return { action: action.trim() };
}
