import { Writable } from 'node:stream';

import { anonymisedUserRef, graphqlOperationName, requestIdFor } from './http-log-fields';
import { REDACTED, scrubText, serializeError } from './log-redaction';
import { createRootLogger } from './logger-options';
import { requestLogContext } from './request-context';

const TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJ0ZW5hbnRJZCI6InQtMSJ9.c2lnbmF0dXJl';

function capture(level: 'log' | 'debug' | 'error' = 'log') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createRootLogger({ level, base: { instanceId: 'i-1', role: 'api' }, destination });
  return { logger, lines };
}

describe('root logger', () => {
  it('writes one JSON object per line: ISO time, level name, base fields, msg', () => {
    const { logger, lines } = capture();

    logger.child({ context: 'Bootstrap' }).info('hello');

    expect(lines).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        level: 'info',
        instanceId: 'i-1',
        role: 'api',
        context: 'Bootstrap',
        msg: 'hello',
      },
    ]);
  });

  it('names the request being served on the lines logged in its context, and only there', async () => {
    const { logger, lines } = capture();

    await requestLogContext.run({ requestId: 'r-1' }, async () => {
      logger.info('before a turn');
      await new Promise((resolve) => setImmediate(resolve));
      logger.child({ context: 'Leads' }).warn({ requestId: 'own' }, 'own field wins');
    });
    logger.info('outside');

    expect(lines.map(({ requestId, msg }) => ({ requestId, msg }))).toEqual([
      { requestId: 'r-1', msg: 'before a turn' },
      { requestId: 'own', msg: 'own field wins' },
      { requestId: undefined, msg: 'outside' },
    ]);
  });

  it('maps LOG_LEVEL onto pino levels (log = info; debug lines dropped at log)', () => {
    const { logger, lines } = capture('log');
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines.map((line) => line.level)).toEqual(['warn']);
    expect(capture('debug').logger.isLevelEnabled('debug')).toBe(true);
    expect(capture('error').logger.isLevelEnabled('warn')).toBe(false);
  });

  it('redacts authorization headers, passwords, tokens and emails in logged objects', () => {
    const { logger, lines } = capture();

    logger.info(
      {
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        input: { email: 'ada@example.com', password: 'Sup3r-secret!', name: 'Ada' },
        refreshToken: 'r-123',
        accessToken: TOKEN,
      },
      'login attempt',
    );

    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('Sup3r-secret!');
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('r-123');
    expect(lines[0]).toMatchObject({
      headers: { authorization: REDACTED, 'content-type': 'application/json' },
      input: { email: REDACTED, password: REDACTED, name: 'Ada' },
      refreshToken: REDACTED,
      accessToken: REDACTED,
    });
  });

  it('scrubs tokens, passwords and emails out of messages and errors', () => {
    const { logger, lines } = capture();

    logger.warn(`refused Bearer ${TOKEN} for bob@example.org`);
    logger.error(
      {
        err: new Error(
          'E11000 duplicate key error collection: users index: email dup key: { email: "eve@example.net" }',
        ),
      },
      'register failed',
    );

    const text = JSON.stringify(lines);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('bob@example.org');
    expect(text).not.toContain('eve@example.net');
    expect(lines[0].msg).toBe(`refused Bearer ${REDACTED} for ${REDACTED}`);
    expect(lines[1]).toMatchObject({
      msg: 'register failed',
      err: { type: 'Error', message: expect.stringContaining('dup key') },
    });
  });
});

describe('scrubText', () => {
  it.each([
    ['password=hunter2&x=1', `password=${REDACTED}&x=1`],
    ['{"password":"hunter2"}', `{"password":"${REDACTED}"}`],
    ['api_key: sk-abc123', `api_key: ${REDACTED}`],
    ['mongodb://app:pw123@mongo:27017/db', `mongodb://${REDACTED}@mongo:27017/db`],
    [`token ${TOKEN}`, `token ${REDACTED}`],
    ['nothing to hide here', 'nothing to hide here'],
  ])('%s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it('serializes a non-error as scrubbed text and keeps an error code', () => {
    expect(serializeError('user x@y.io failed')).toBe(`user ${REDACTED} failed`);
    const error = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    expect(serializeError(error)).toMatchObject({ type: 'Error', message: 'boom', code: 'E_BOOM' });
  });
});

describe('request fields', () => {
  it('keeps a sane caller request id and replaces anything else', () => {
    expect(requestIdFor('trace-123')).toBe('trace-123');
    expect(requestIdFor(['a.b:c-1', 'x'])).toBe('a.b:c-1');
    for (const bad of [undefined, '', 'has space', '<script>', 'x'.repeat(129)])
      expect(requestIdFor(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('anonymises a user as a stable reference that is not the id', () => {
    const ref = anonymisedUserRef('t-1', 'u-1');
    expect(ref).toMatch(/^[0-9a-f]{16}$/);
    expect(anonymisedUserRef('t-1', 'u-1')).toBe(ref);
    expect(anonymisedUserRef('t-1', 'u-2')).not.toBe(ref);
    expect(ref).not.toContain('u-1');
  });

  it('names the GraphQL operation from operationName, the document, or a batch', () => {
    expect(graphqlOperationName({ operationName: 'Leads', query: 'query X { a }' })).toBe('Leads');
    expect(graphqlOperationName({ query: '  mutation Login($i: X!) { login }' })).toBe('Login');
    expect(graphqlOperationName({ query: '{ health { status } }' })).toBeUndefined();
    expect(graphqlOperationName([{ operationName: 'A' }, { query: '{ b }' }])).toBe('A,anonymous');
    expect(graphqlOperationName('not json')).toBeUndefined();
  });
});
