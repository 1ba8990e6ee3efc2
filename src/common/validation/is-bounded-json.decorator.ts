import { ValidateBy, ValidationOptions } from 'class-validator';

import { describeJsonProblems, findJsonProblems } from './json-bounds.util';
import { jsonInputLimits } from './json-input-limits';

/**
 * A free-form JSON object within the JSON_MAX_* bounds and MongoDB's field-name rules, for inputs
 * that do not pass through the GraphQL JSONObject scalar (REST bodies, CSV rows).
 */
export function IsBoundedJsonObject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBoundedJsonObject',
      validator: {
        validate: (value: unknown) =>
          value !== null &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          findJsonProblems(value, jsonInputLimits(), 1).length === 0,
        defaultMessage: (args) => {
          const value = args?.value as unknown;
          if (value === null || typeof value !== 'object' || Array.isArray(value))
            return `${args?.property} must be a JSON object`;
          return describeJsonProblems(args!.property, findJsonProblems(value, jsonInputLimits()));
        },
      },
    },
    options,
  );
}
