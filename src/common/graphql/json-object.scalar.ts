import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

import { describeJsonProblems, findJsonProblems } from '@/common/validation/json-bounds.util';
import { jsonInputLimits } from '@/common/validation/json-input-limits';

/**
 * A JSON object (free-form details, lead attributes). Output as-is; input must be an object within
 * the JSON_MAX_* bounds, checked here, before class-transformer copies it (recursively) and long
 * before it reaches the database. graphql-js names the variable and the path in the error.
 */
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
    const problems = findJsonProblems(value, jsonInputLimits());
    if (problems.length > 0) {
      throw new GraphQLError(`invalid JSON object: ${describeJsonProblems('value', problems)}`, {
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
