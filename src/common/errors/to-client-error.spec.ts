import { runInNewContext } from 'node:vm';

import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';

import { AppException } from './app.exception';
import { ErrorCode } from './error-code';
import { toClientError } from './to-client-error';

describe('toClientError', () => {
  it('keeps the code, message and details of an AppException', () => {
    const error = new AppException(ErrorCode.RATE_LIMITED, 'Too many requests', {
      retryAfterSeconds: 12,
    });

    expect(toClientError(error)).toEqual({
      code: ErrorCode.RATE_LIMITED,
      message: 'Too many requests',
      details: { retryAfterSeconds: 12 },
      expected: true,
    });
  });

  it.each([
    [
      new BadRequestException(['limit must not be greater than 200', 'page must be positive']),
      ErrorCode.BAD_USER_INPUT,
      'limit must not be greater than 200; page must be positive',
    ],
    [new NotFoundException('Lead not found'), ErrorCode.NOT_FOUND, 'Lead not found'],
    [new PayloadTooLargeException(), ErrorCode.BAD_USER_INPUT, 'Payload Too Large'],
  ])('maps Nest HTTP exceptions to stable codes (%#)', (error, code, message) => {
    expect(toClientError(error)).toMatchObject({ code, message, expected: true });
  });

  it('hides the message of unexpected errors', () => {
    expect(toClientError(new Error('E11000 duplicate key in leads at mongodb://secret'))).toEqual({
      code: ErrorCode.INTERNAL,
      message: 'Internal server error',
      details: {},
      expected: false,
    });
  });
});

describe('toClientError with http-errors', () => {
  it('keeps the status and message of errors marked safe to expose', () => {
    const error = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
    });

    expect(toClientError(error)).toEqual({
      code: ErrorCode.BAD_USER_INPUT,
      message: 'request entity too large',
      details: {},
      expected: true,
      httpStatus: 413,
    });
  });

  it('hides errors with a status that are not marked safe', () => {
    const error = Object.assign(new Error('socket hang up'), { status: 500, expose: false });

    expect(toClientError(error).code).toBe(ErrorCode.INTERNAL);
  });
});

describe('toClientError for outages', () => {
  it.each([
    Object.assign(new Error('Reached the max retries per request limit'), {
      name: 'MaxRetriesPerRequestError',
    }),
    Object.assign(new Error('Server selection timed out'), { name: 'MongoServerSelectionError' }),
    new Error('Command timed out'),
    Object.assign(new Error('Connection pool was cleared'), { name: 'MongoPoolClearedError' }),
    Object.assign(new Error('interrupted at shutdown'), { name: 'MongoServerError', code: 11600 }),
    Object.assign(new Error('write failed'), {
      name: 'MongoServerError',
      code: 1,
      errorLabels: ['RetryableWriteError'],
    }),
    new Error('Unknown error: This store is closed'),
    // An engine killed mid-answer: the socket's own error (seen as a REST read's 500 before).
    Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' }),
    // The same made by Node's core in its own realm, as code under Jest receives it.
    runInNewContext("Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })"),
  ])('answers UNAVAILABLE (503) without internals (%#)', (error) => {
    expect(toClientError(error)).toMatchObject({
      code: ErrorCode.UNAVAILABLE,
      message: 'a backing service is unavailable; retry shortly',
      httpStatus: 503,
    });
  });

  it('keeps a server error that is about the request an internal error', () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key'), {
      name: 'MongoServerError',
      code: 11000,
    });
    expect(toClientError(duplicate)).toMatchObject({ code: ErrorCode.INTERNAL, expected: false });
  });
});
