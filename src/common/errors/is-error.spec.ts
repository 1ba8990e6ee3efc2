import { runInNewContext } from 'node:vm';

import { asError, isError } from './is-error';

/** An error made in another realm, as Node's core makes them for code running under Jest. */
function foreignError(message: string, fields: Record<string, unknown> = {}): Error {
  return runInNewContext('Object.assign(new Error(message), fields)', { message, fields }) as Error;
}

describe('isError', () => {
  it('knows errors of this realm and of another one, and nothing else', () => {
    const foreign = foreignError('write ECONNRESET', { code: 'ECONNRESET' });
    expect(foreign instanceof Error).toBe(false);

    expect(isError(new TypeError('x'))).toBe(true);
    expect(isError(foreign)).toBe(true);
    expect(isError({ name: 'Error', message: 'looks like one' })).toBe(false);
    expect(isError('boom')).toBe(false);
    expect(isError(undefined)).toBe(false);
  });
});

describe('asError', () => {
  it('gives an error of this realm as it is', () => {
    const error = new RangeError('out');
    expect(asError(error)).toBe(error);
  });

  it("copies another realm's error: name, message, stack, own fields, the original as cause", () => {
    const foreign = foreignError('write ECONNRESET', { code: 'ECONNRESET', syscall: 'write' });
    foreign.name = 'SystemError';

    const copy = asError(foreign);

    expect(copy).toBeInstanceOf(Error);
    expect(copy).toMatchObject({
      name: 'SystemError',
      message: 'write ECONNRESET',
      code: 'ECONNRESET',
      syscall: 'write',
      stack: foreign.stack,
    });
    expect(copy.cause).toBe(foreign);
  });

  it('describes any other thrown value in a new error', () => {
    const thrown = { reason: 'not an error' };
    const error = asError(thrown);

    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("non-Error thrown: { reason: 'not an error' }");
    expect(error.cause).toBe(thrown);
    expect(asError('boom').message).toBe("non-Error thrown: 'boom'");
  });
});
