import { once } from 'node:events';
import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { PinoLogger } from 'nestjs-pino';

import { anonymisedUserRef } from './http-log-fields';
import { REDACTED } from './log-redaction';
import { createLogging } from './logging';

/**
 * The HTTP hook of `createLogging`: the request line comes from a logger without redaction (its
 * fields are fixed), while everything logged while serving the request — through `req.log` or
 * Nest's loggers — is redacted and names the request id.
 */
describe('createLogging: the HTTP hook', () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logging = createLogging({ level: 'log', base: { role: 'api' }, destination });
  const inside = new PinoLogger({});
  let server: Server;

  beforeAll(async () => {
    server = createServer((req, res) => {
      logging.http(req, res, () => {
        (req as unknown as { log: PinoLogger['logger'] }).log.info(
          { input: { email: 'ada@example.com', password: 'Sup3r-secret!' } },
          'through req.log',
        );
        inside.info({ authorization: 'Bearer abc' }, 'through a Nest logger');
        Object.assign(req, {
          user: { tenantId: 't-1', userId: 'u-1' },
          body: { operationName: 'Leads' },
        });
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('redacts what the request logs, and ends it with one line naming it', async () => {
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/graphql?token=abc', headers: { 'x-request-id': 'r-7' } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end();
    });
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines).toEqual([
      expect.objectContaining({
        requestId: 'r-7',
        msg: 'through req.log',
        input: { email: REDACTED, password: REDACTED },
      }),
      expect.objectContaining({
        requestId: 'r-7',
        msg: 'through a Nest logger',
        authorization: REDACTED,
      }),
      {
        time: expect.any(String),
        level: 'info',
        role: 'api',
        requestId: 'r-7',
        method: 'GET',
        path: '/graphql',
        status: 200,
        tenantId: 't-1',
        user: anonymisedUserRef('t-1', 'u-1'),
        operation: 'Leads',
        durationMs: expect.any(Number),
        msg: 'request finished',
      },
    ]);
  });
});
