import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';

import { describeJsonProblems, findJsonProblems } from './json-bounds.util';
import { jsonInputLimits } from './json-input-limits';

/**
 * A free-form JSON object within the JSON_MAX_* bounds and MongoDB's field-name rules, for inputs
 * that do not pass through the GraphQL JSONObject scalar (REST bodies, CSV rows).
 */
export function IsBoundedJsonObject(options?: ValidationOptions): PropertyDecorator {
  // The value as received: class-transformer's copy drops keys such as `constructor` and
  // `__proto__`, which must be seen to be refused.
  const keepRaw = Transform(
    ({ obj, key }: { obj: Record<string, unknown>; key: string }) => obj[key],
  );
  const validate = ValidateBy(
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
  return (target, propertyKey) => {
    keepRaw(target, propertyKey);
    validate(target, propertyKey);
  };
}
