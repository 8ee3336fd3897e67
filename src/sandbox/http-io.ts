import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';

/**
 * Small node:http helpers for the sandbox gateways: bounded body reading and answer writing. Requests to a
 * responding gateway are small, so bodies are capped (1 MiB) rather than streamed; answers with documents are
 * streamed (sendStream), following the socket's back-pressure.
 */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** The request body, or undefined when it exceeded `limit` (the rest is drained and discarded). */
export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Write a complete answer unless the client has gone away (or a streamed answer already started: then cut it off). */
export function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(bytes.length), ...headers });
  res.end(bytes);
}

/** A JSON answer. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

/** A plain-text answer (for requests that are not SOAP at all: unknown path, wrong method). */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  send(res, status, 'text/plain; charset=utf-8', text, headers);
}

/**
 * Stream an answer whose length is not announced (chunked). Bytes are pulled from `body` only as fast as the
 * client reads; if the client goes away the source is closed, and if the source fails the response is cut off
 * (the client sees a truncated body, never a clean end).
 */
export function sendStream(res: ServerResponse, status: number, contentType: string, body: AsyncIterable<Buffer>): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'Content-Type': contentType });
  pipeline(Readable.from(body, { objectMode: false }), res, () => undefined);
}
