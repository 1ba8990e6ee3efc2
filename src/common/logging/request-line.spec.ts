import { once } from 'node:events';
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { anonymisedUserRef } from './http-log-fields';
import { createRequestLineLogger } from './logger-options';
import { requestLineMiddleware } from './request-line';

const TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJ0ZW5hbnRJZCI6InQtMSJ9.c2lnbmF0dXJl';

describe('requestLineMiddleware', () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // The production line's logger: no redaction, so the token must stay out by the fields alone.
  const logger = createRequestLineLogger({
    level: 'log',
    base: { instanceId: 'i-1', role: 'api' },
    destination,
  });
  const middleware = requestLineMiddleware(logger);
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      middleware(req, res, () => {
        Object.assign(req, {
          user: { tenantId: 't-1', userId: 'u-1' },
          body: { operationName: 'Leads' },
        });
        if (req.url === '/emits-error') {
          res.statusCode = 500;
          res.emit('error', new Error('the stream broke'));
          res.end();
          return;
        }
        if (req.url === '/hangs') return;
        res.statusCode = req.url?.startsWith('/fail') ? 500 : req.url === '/busy' ? 503 : 200;
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  function get(path: string, headers: Record<string, string> = {}) {
    const { port } = server.address() as AddressInfo;
    return new Promise<{ requestId: string | undefined }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ requestId: res.headers['x-request-id'] as string }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('logs one line per response with the request id, who, what and how long; never the token', async () => {
    lines.length = 0;
    const { requestId } = await get('/graphql?token=abc', {
      authorization: `Bearer ${TOKEN}`,
      'x-request-id': 'trace-42',
    });
    await settle();

    expect(requestId).toBe('trace-42');
    expect(lines).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        instanceId: 'i-1',
        role: 'api',
        msg: 'request finished',
        requestId: 'trace-42',
        method: 'GET',
        path: '/graphql',
        status: 200,
        tenantId: 't-1',
        user: anonymisedUserRef('t-1', 'u-1'),
        operation: 'Leads',
        durationMs: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
    expect(JSON.stringify(lines)).not.toContain('u-1');
  });

  it('names a request without a sane id of its own, and echoes the id', async () => {
    lines.length = 0;
    const { requestId } = await get('/x', { 'x-request-id': 'no spaces <allowed>' });
    await settle();

    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([expect.objectContaining({ requestId })]);
  });

  it('logs a 500 as an error, a 503 as a warning, and a successful probe not at all', async () => {
    lines.length = 0;
    await get('/fail');
    await get('/busy');
    await get('/health/live');
    await settle();

    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', msg: 'request failed', status: 500 }),
      expect.objectContaining({ level: 'warn', msg: 'request failed', status: 503 }),
    ]);
    // No stand-in error with a stack for a status that says it all.
    expect(lines[0]).not.toHaveProperty('err');
  });

  it('logs the error a response emits, once', async () => {
    lines.length = 0;
    await get('/emits-error');
    await settle();

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'request failed',
        status: 500,
        err: expect.objectContaining({ message: 'the stream broke' }),
      }),
    ]);
  });

  it('logs a request whose client went away before the answer, once', async () => {
    lines.length = 0;
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({ host: '127.0.0.1', port, path: '/hangs' });
    req.on('error', () => undefined);
    req.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request finished', path: '/hangs', status: 200 }),
    ]);
  });
});
