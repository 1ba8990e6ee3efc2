import { buildSchema, parse, validate } from 'graphql';

import { aliasLimitRule } from './alias-limit.rule';
import { depthLimitRule } from './depth-limit.rule';

const schema = buildSchema(`
  type Node { id: ID! child: Node name: String }
  type Query { node: Node nodes: [Node!]! }
`);

function errorsOf(query: string, rule: ReturnType<typeof depthLimitRule>) {
  return validate(schema, parse(query), [rule]).map((error) => ({
    message: error.message,
    extensions: error.extensions,
  }));
}

describe('depthLimitRule', () => {
  it('accepts a query at the limit', () => {
    expect(errorsOf('{ node { child { name } } }', depthLimitRule(3))).toEqual([]);
  });

  it('refuses one field deeper, naming both numbers', () => {
    expect(errorsOf('{ node { child { child { name } } } }', depthLimitRule(3))).toEqual([
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
  });

  it('follows fragments and inline fragments', () => {
    const query = `
      { node { ...A } }
      fragment A on Node { child { ... on Node { child { name } } } }
    `;
    expect(errorsOf(query, depthLimitRule(3))).toHaveLength(1);
    expect(errorsOf(query, depthLimitRule(4))).toEqual([]);
  });

  it('does not count introspection fields', () => {
    expect(
      errorsOf('{ __schema { types { fields { type { ofType { name } } } } } }', depthLimitRule(2)),
    ).toEqual([]);
  });

  it('survives a fragment cycle (reported by graphql itself, not looped on)', () => {
    const query =
      '{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }';
    expect(() => errorsOf(query, depthLimitRule(5))).not.toThrow();
  });
});

describe('aliasLimitRule', () => {
  it('accepts up to the limit and refuses one more, once', () => {
    expect(errorsOf('{ a: node { id } b: node { id } }', aliasLimitRule(2))).toEqual([]);
    expect(
      errorsOf('{ a: node { id } b: node { id } c: node { x: id y: id } }', aliasLimitRule(2)),
    ).toEqual([
      {
        message: 'the query uses more than 2 aliases',
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          limit: 'MAX_ALIASES',
          max: 2,
        }),
      },
    ]);
  });
});
