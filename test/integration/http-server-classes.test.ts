import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import express from 'express';
import { expressServerClasses } from '../../src/http/server-classes';
import { startTestFacade } from '../support/facade';

/*
 * Requests and responses are born with Express's prototypes, so Express's per-request Object.setPrototypeOf changes
 * nothing. A changed prototype made V8 keep every request's objects through young-generation collections and promote
 * them (src/http/server-classes.ts has the figures). What is checked here is the prototype a request and its response
 * have when the server hands them over, before Express runs.
 */

interface Arrival {
  readonly request: object;
  readonly response: object;
}

/** The request and response of the next request any server in this process takes, as the server made them. */
function nextArrival(): Promise<Arrival> {
  const channel = diagnosticsChannel.channel('http.server.request.start');
  return new Promise((resolve) => {
    const onStart = (message: unknown): void => {
      channel.unsubscribe(onStart);
      const { request, response } = message as { request: object; response: object };
      resolve({ request: Object.getPrototypeOf(request) as object, response: Object.getPrototypeOf(response) as object });
    };
    channel.subscribe(onStart);
  });
}

describe("the HTTP server's request and response classes", () => {
  it("make requests and responses with the app's own prototypes, and Express still works on them", async () => {
    const app = express();
    app.get('/echo', (req, res) => {
      res.json({ query: req.query, host: req.get('host') !== undefined });
    });
    const server = http.createServer(expressServerClasses(app), app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const arrival = nextArrival();
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/echo?a=1`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ query: { a: '1' }, host: true });
      const { request, response } = await arrival;
      expect(request).toBe(app.request);
      expect(response).toBe(app.response);
    } finally {
      server.close();
    }
  });

  it('are what the service serves with', async () => {
    const facade = await startTestFacade();
    try {
      const arrival = nextArrival();
      expect((await fetch(`${facade.url}/_ping`)).status).toBe(200);
      const { request, response } = await arrival;
      expect(request).not.toBe(http.IncomingMessage.prototype);
      expect(response).not.toBe(http.ServerResponse.prototype);
      // Express's request and response methods are there from the start.
      expect(typeof (request as { get?: unknown }).get).toBe('function');
      expect(typeof (response as { json?: unknown }).json).toBe('function');
    } finally {
      await facade.close();
    }
  });
});
