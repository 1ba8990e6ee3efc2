import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** A JSON object (free-form details, lead attributes). Output as-is; input must be an object. */
export const GraphQLJSONObject = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object with free-form keys.',
  serialize: (value) => value,
  parseValue: (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new GraphQLError('JSONObject must be an object', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.OBJECT) {
      throw new GraphQLError('JSONObject must be an object', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    throw new GraphQLError('JSONObject literals are not supported: pass it as a variable', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  },
});
