/**
 * `@Transform` functions for query-string parameters, which arrive as text: each turns the text of
 * a well-formed value into the value and leaves anything else as it came, for class-validator to
 * refuse with the field's own message.
 */
type TransformInput = { value: unknown };

/** Whole numbers (`"42"`, `"-1"`) become numbers. */
export const toInt = ({ value }: TransformInput) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** Numbers as JavaScript reads them (`"2.5"`, `"1e3"`) become numbers; NaN is left to fail. */
export const toNumber = ({ value }: TransformInput) =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value;

/** `"true"` and `"false"` become booleans. */
export const toBool = ({ value }: TransformInput) =>
  value === 'true' ? true : value === 'false' ? false : value;
