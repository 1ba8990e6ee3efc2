import type { LookupAddress } from 'node:dns';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebhookSender } from './webhook-sender';
import { compileUrlPolicy } from './webhook-url.util';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('WebhookSender (against a local HTTP server)', () => {
  let server: Server;
  let port: number;
  let handler: Handler;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const senders: WebhookSender[] = [];
  const loopbackAllowed = compileUrlPolicy({ allowHttp: true, allowedPrivateHosts: ['127.0.0.1'] });
  const nothingAllowed = compileUrlPolicy({ allowHttp: true, allowedPrivateHosts: [] });

  function makeSender(policy = loopbackAllowed, timeoutMs = 2_000, resolve?: unknown) {
    const sut = new WebhookSender(policy, timeoutMs, resolve as never);
    senders.push(sut);
    return sut;
  }

  /** A resolver that answers every name with these addresses. */
  function resolvingTo(...addresses: string[]) {
    return (
      _name: string,
      _options: unknown,
      callback: (error: null, found: LookupAddress[]) => void,
    ) =>
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        handler(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    received.length = 0;
    handler = (_req, res) => res.writeHead(204).end();
  });

  afterAll(async () => {
    senders.forEach((sender) => sender.close());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the body with the headers and reports a 2xx as delivered', async () => {
    handler = (_req, res) => res.writeHead(200).end('thanks');

    const result = await makeSender().send(
      `http://127.0.0.1:${port}/hook`,
      { 'content-type': 'application/json', 'x-webhook-event': 'lead.score_changed' },
      '{"a":1}',
    );

    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null, refused: false });
    expect(result.responseSnippet).toBe('thanks');
    expect(received).toHaveLength(1);
    expect(received[0].body).toBe('{"a":1}');
    expect(received[0].headers['x-webhook-event']).toBe('lead.score_changed');
  });

  it('reports a 500 with its status and a 429 with its Retry-After', async () => {
    handler = (_req, res) => res.writeHead(500).end('boom');
    const failed = await makeSender().send(`http://127.0.0.1:${port}/`, {}, '{}');
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end();
    const limited = await makeSender().send(`http://127.0.0.1:${port}/`, {}, '{}');

    expect(failed).toMatchObject({ ok: false, statusCode: 500, responseSnippet: 'boom' });
    expect(limited).toMatchObject({ ok: false, statusCode: 429, retryAfterMs: 7_000 });
  });

  it('does not follow a redirect', async () => {
    handler = (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end();

    const result = await makeSender().send(`http://127.0.0.1:${port}/`, {}, '{}');

    expect(result).toMatchObject({ ok: false, statusCode: 302 });
    expect(received).toHaveLength(1);
  });

  it('gives up on a receiver slower than the timeout', async () => {
    handler = (_req, res) => setTimeout(() => res.writeHead(200).end(), 1_000);

    const result = await makeSender(loopbackAllowed, 150).send(
      `http://127.0.0.1:${port}/`,
      {},
      '{}',
    );

    expect(result).toMatchObject({ ok: false, statusCode: null, refused: false });
    expect(result.error).toContain('timed out after 150 ms');
    expect(result.durationMs).toBeLessThan(900);
  });

  it('refuses http:// when the policy wants https, without connecting', async () => {
    const httpsOnly = compileUrlPolicy({ allowHttp: false, allowedPrivateHosts: ['127.0.0.1'] });

    const result = await makeSender(httpsOnly).send(`http://127.0.0.1:${port}/`, {}, '{}');

    expect(result).toMatchObject({
      refused: true,
      error: 'refused: http:// is not allowed (https only)',
    });
    expect(received).toHaveLength(0);
  });

  it('refuses a private literal address without connecting', async () => {
    const result = await makeSender(nothingAllowed).send(`http://127.0.0.1:${port}/`, {}, '{}');

    expect(result).toMatchObject({
      ok: false,
      refused: true,
      error: 'refused: 127.0.0.1 is not a public address (loopback)',
    });
    expect(received).toHaveLength(0);
  });

  it('refuses a name that resolves to a private address, checked where the socket connects', async () => {
    const result = await makeSender(nothingAllowed).send(`http://localhost:${port}/`, {}, '{}');

    expect(result.refused).toBe(true);
    expect(result.error).toMatch(/^refused: localhost resolves to .*, not a public address/);
    expect(received).toHaveLength(0);
  });

  it('refuses a name when any of its addresses is private (a public one beside it or not)', async () => {
    const sut = makeSender(nothingAllowed, 2_000, resolvingTo('93.184.216.34', '10.0.0.7'));

    const result = await sut.send(`http://hooks.example.test:${port}/`, {}, '{}');

    expect(result).toMatchObject({
      refused: true,
      error: 'refused: hooks.example.test resolves to 10.0.0.7, not a public address (private)',
    });
  });

  it('connects to the address it checked (a name allowed to resolve to loopback)', async () => {
    const sut = makeSender(
      compileUrlPolicy({ allowHttp: true, allowedPrivateHosts: ['receiver.internal'] }),
      2_000,
      resolvingTo('127.0.0.1'),
    );

    const result = await sut.send(`http://receiver.internal:${port}/x`, {}, '{"b":2}');

    expect(result).toMatchObject({ ok: true, statusCode: 204 });
    expect(received[0].headers.host).toBe(`receiver.internal:${port}`);
  });
});
