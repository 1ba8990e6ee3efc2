import { buildSchema, ExecutionArgs, GraphQLError } from 'graphql';

import { aliasLimitRule } from '@/common/graphql/limits/alias-limit.rule';
import { depthLimitRule } from '@/common/graphql/limits/depth-limit.rule';

import { prepareOperation } from './prepare-operation';

const schema = buildSchema(`
  type Node { id: ID! child: Node name: String }
  type Query { node: Node }
  type Subscription { changed(minScore: Float): Node }
`);

const limits = {
  validationRules: [depthLimitRule(3), aliasLimitRule(2)],
  maxComplexity: 5,
};

function refusal(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const result = prepareOperation(schema, { query, variables, operationName }, limits);
  if (!Array.isArray(result)) throw new Error('expected a refusal');
  return (result as readonly GraphQLError[]).map((error) => ({
    message: error.message,
    extensions: error.extensions,
  }));
}

describe('prepareOperation', () => {
  it('answers the execution arguments of an acceptable operation', () => {
    const result = prepareOperation(
      schema,
      { query: 'subscription($m: Float) { changed(minScore: $m) { id } }', variables: { m: 40 } },
      limits,
    ) as ExecutionArgs;

    expect(Array.isArray(result)).toBe(false);
    expect(result.schema).toBe(schema);
    expect(result.variableValues).toEqual({ m: 40 });
    expect(result.document.definitions).toHaveLength(1);
  });

  it('refuses a syntax error as bad input', () => {
    expect(refusal('subscription { changed {')).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Syntax Error/),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  it("refuses what graphql's own rules refuse (an unknown field) as bad input", () => {
    expect(refusal('subscription { changed { unknownField } }')).toEqual([
      {
        message: 'Cannot query field "unknownField" on type "Node".',
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
  });

  it('applies our validation rules with their own codes and details', () => {
    expect(refusal('subscription { changed { child { child { id } } } }')).toEqual([
      {
        message: 'query depth 4 exceeds the maximum of 3',
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          limit: 'MAX_DEPTH',
          actual: 4,
          max: 3,
        }),
      },
    ]);
    expect(refusal('subscription { changed { a: id b: id c: id } }')).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', limit: 'MAX_ALIASES' }),
      }),
    ]);
  });

  it('refuses an operation costlier than the maximum, counted with its variables known', () => {
    expect(refusal('subscription { changed { id name child { id name } } }')).toEqual([
      {
        message: 'query complexity 6 exceeds the maximum of 5',
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          limit: 'MAX_COMPLEXITY',
          actual: 6,
          max: 5,
        }),
      },
    ]);
  });

  it('refuses variables of the wrong type as bad input, naming the variable', () => {
    expect(
      refusal('subscription($m: Float) { changed(minScore: $m) { id } }', { m: 'abc' }),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('$m'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  it('refuses an operation name the document does not hold', () => {
    expect(refusal('subscription A { changed { id } }', undefined, 'B')).toEqual([
      { message: 'Unknown operation named "B".', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
  });
});
