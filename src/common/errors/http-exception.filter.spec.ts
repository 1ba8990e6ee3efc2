import { runInNewContext } from 'node:vm';

import type { ArgumentsHost } from '@nestjs/common';

import { AppException } from './app.exception';
import { ErrorCode } from './error-code';
import { HttpExceptionFilter } from './http-exception.filter';

function graphqlHost(): ArgumentsHost {
  return { getType: () => 'graphql' } as unknown as ArgumentsHost;
}

function httpHost() {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
    headers: {},
  };
  const response = {
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

/** A socket's error as Node's core makes it, seen from code under Jest: another realm's Error. */
const foreignReset = (): unknown =>
  runInNewContext("Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET' })");

describe('HttpExceptionFilter', () => {
  const filter = new HttpExceptionFilter();

  it('throws GraphQL errors on for Apollo to format, never returns them as a result', () => {
    const error = new AppException(ErrorCode.NOT_FOUND, 'no lead L-1');
    expect(() => filter.catch(error, graphqlHost())).toThrow(error);
  });

  it("throws another realm's error on as an Error of this one, its code kept", () => {
    let thrown: unknown;
    try {
      filter.catch(foreignReset(), graphqlHost());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ message: 'write ECONNRESET', code: 'ECONNRESET' });
  });

  it("answers REST 503 UNAVAILABLE for another realm's socket reset", () => {
    const { host, sent } = httpHost();
    jest.spyOn(filter['logger'], 'error').mockImplementation(() => undefined);

    filter.catch(foreignReset(), host);

    expect(sent.status).toBe(503);
    expect(sent.body).toEqual({
      error: {
        code: ErrorCode.UNAVAILABLE,
        message: 'a backing service is unavailable; retry shortly',
      },
    });
  });
});
