import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { KeepAliveGraphql } from './keep-alive-client.util';

/** A stand-in GraphQL endpoint: answers by the query's text, and notes each request's socket. */
function standIn(): { server: Server; sockets: Set<unknown>; seen: IncomingMessage[] } {
  const sockets = new Set<unknown>();
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    sockets.add(req.socket);
    seen.push(req);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString()) as {
        query: string;
        variables: { n?: number };
      };
      if (query === 'slow') return; // never answered
      if (query === 'html') {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>bad gateway</h1>');
        return;
      }
      const body =
        query === 'fails'
          ? { data: null, errors: [{ message: 'nope', extensions: { code: 'FORBIDDEN' } }] }
          : { data: { echo: variables.n, auth: req.headers.authorization ?? null } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  return { server, sockets, seen };
}

describe('KeepAliveGraphql', () => {
  const endpoint = standIn();
  let url: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    endpoint.server.closeAllConnections();
    await new Promise((resolve) => endpoint.server.close(resolve));
  });

  it('sends sequential requests over one kept-alive socket, with the token, to /graphql', async () => {
    const client = new KeepAliveGraphql(url, 'the-token');
    endpoint.sockets.clear();
    endpoint.seen.length = 0;
    const answers: unknown[] = [];
    for (let n = 0; n < 5; n++) answers.push(await client.request('echo', { n }));
    client.close();
    expect(answers).toEqual([0, 1, 2, 3, 4].map((n) => ({ echo: n, auth: 'Bearer the-token' })));
    expect(endpoint.sockets.size).toBe(1);
    expect(endpoint.seen.map((req) => [req.method, req.url])).toEqual(
      Array.from({ length: 5 }, () => ['POST', '/graphql']),
    );
  });

  it('rejects GraphQL errors, an answer that is not JSON, and no answer within the timeout', async () => {
    const client = new KeepAliveGraphql(url, undefined, 200);
    await expect(client.request('fails')).rejects.toThrow(/GraphQL error \(200\).*FORBIDDEN/);
    await expect(client.request('html')).rejects.toThrow(/not a GraphQL answer \(502\): <h1>/);
    await expect(client.request('slow')).rejects.toThrow('no answer within 200 ms');
    // Still usable after each failure.
    await expect(client.request('echo', { n: 7 })).resolves.toEqual({ echo: 7, auth: null });
    client.close();
  });
});
