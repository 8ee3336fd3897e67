/** One part of a multipart body: its headers (lower-case names) and bytes. */
export interface BodyPart {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** The boundary parameter of a multipart Content-Type. */
export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary="?([^";]+)"?/i.exec(contentType);
  if (!m?.[1]) throw new Error(`no boundary in ${contentType}`);
  return m[1];
}

/**
 * Split a complete multipart/related body (RFC 2046 5.1.1) into its parts. Throws when the close delimiter is
 * missing: a short body must not pass for a complete one.
 */
export function parseMultipart(body: Buffer, boundary: string): BodyPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: BodyPart[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0) throw new Error('the body does not start with the boundary');
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const headEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    if (headEnd < 0) throw new Error('a part has no header end');
    const headers: Record<string, string> = {};
    for (const line of body.subarray(afterDelimiter + 2, headEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next < 0) throw new Error('a part is not closed by a delimiter');
    parts.push({ headers, body: body.subarray(headEnd + 4, next) });
    at = next + 2;
  }
}
