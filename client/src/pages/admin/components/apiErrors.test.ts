import { CombinedGraphQLErrors } from '@apollo/client';
import { GraphQLError } from 'graphql';

import { apiError, fieldErrors } from './apiErrors';

function graphQLErrors(message: string, extensions: Record<string, unknown>) {
  return new CombinedGraphQLErrors({ errors: [new GraphQLError(message, { extensions })] });
}

describe('apiError', () => {
  it('reads the code and details of a GraphQL error', () => {
    const info = apiError(
      graphQLErrors('an A/B test is running', { code: 'CONFLICT', abTestId: 'x' }),
    );
    expect(info).toEqual({
      code: 'CONFLICT',
      message: 'an A/B test is running',
      extensions: { code: 'CONFLICT', abTestId: 'x' },
    });
  });

  it('falls back to the message of any error', () => {
    expect(apiError(new Error('offline'))).toEqual({
      code: null,
      message: 'offline',
      extensions: {},
    });
    expect(apiError('nope').message).toBe('Something went wrong.');
  });
});

describe('fieldErrors', () => {
  it('names each bad field without the input prefix', () => {
    const error = graphQLErrors('invalid input', {
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.params.learningRate', messages: ['must be > 0'] },
        { path: 'name', messages: ['too long', 'bad'] },
        { nope: true },
      ],
    });
    expect(fieldErrors(error)).toEqual({
      'params.learningRate': 'must be > 0',
      name: 'too long, bad',
    });
  });

  it('is empty without fields', () => {
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});
