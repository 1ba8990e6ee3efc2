import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import express from 'express';

import { graphqlAnswerMiddleware } from './graphql-answer.middleware';

describe('graphqlAnswerMiddleware', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    app.use('/graphql', graphqlAnswerMiddleware);
    app.get('/graphql', (req, res) => {
      if (req.query.typed === '1') res.setHeader('content-type', 'application/json; charset=utf-8');
      res.send(JSON.stringify({ data: { name: 'Zoë' } }));
    });
    app.get('/other', (_req, res) => {
      res.send('<p>other</p>');
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('ends a typed answer as it is: its bytes counted, no ETag', async () => {
    const response = await fetch(`${url}/graphql?typed=1`);
    const text = await response.text();

    expect(text).toBe('{"data":{"name":"Zoë"}}');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(response.headers.get('etag')).toBeNull();
  });

  it("leaves an answer without a content type, and other paths, to express's send", async () => {
    const untyped = await fetch(`${url}/graphql`);
    expect(untyped.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(untyped.headers.get('etag')).not.toBeNull();

    const other = await fetch(`${url}/other`);
    expect(await other.text()).toBe('<p>other</p>');
    expect(other.headers.get('etag')).not.toBeNull();
  });
});
