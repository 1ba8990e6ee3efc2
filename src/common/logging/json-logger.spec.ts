import { JsonLogger } from './json-logger';
import { requestContext } from './request-context';

function capture(level: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log') {
  const lines: Record<string, unknown>[] = [];
  const sut = new JsonLogger({
    level,
    base: { instanceId: 'i-1' },
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { sut, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line with level, context and base fields', () => {
    const { sut, lines } = capture();

    sut.log('hello', 'Bootstrap');

    expect(lines).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        instanceId: 'i-1',
        context: 'Bootstrap',
        msg: 'hello',
      },
    ]);
  });

  it('adds the request id of the current request', () => {
    const { sut, lines } = capture();

    requestContext.run({ requestId: 'req-42' }, () =>
      sut.warn({ msg: 'slow', durationMs: 900 }, 'HTTP'),
    );

    expect(lines[0]).toMatchObject({
      level: 'warn',
      requestId: 'req-42',
      msg: 'slow',
      durationMs: 900,
    });
  });

  it('keeps the stack of errors', () => {
    const { sut, lines } = capture();

    sut.error('boom', 'Error: boom\n    at here', 'Worker');
    sut.error(new Error('kaput'));

    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'boom',
      stack: 'Error: boom\n    at here',
      context: 'Worker',
    });
    expect(lines[1]).toMatchObject({
      level: 'error',
      msg: 'kaput',
      stack: expect.stringContaining('kaput'),
    });
  });

  it('drops lines below its level', () => {
    const { sut, lines } = capture('warn');

    sut.log('info');
    sut.debug('debug');
    sut.warn('warn');

    expect(lines.map((line) => line.msg)).toEqual(['warn']);
  });

  it('survives values JSON cannot encode', () => {
    const { sut, lines } = capture();
    const circular: Record<string, unknown> = { msg: 'loop' };
    circular.self = circular;

    sut.log(circular);

    expect(lines[0]).toMatchObject({ level: 'info' });
  });
});
