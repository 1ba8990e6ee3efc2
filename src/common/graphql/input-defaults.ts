import {
  astFromValue,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  OperationDefinitionNode,
  typeFromAST,
  valueFromASTUntyped,
} from 'graphql';

/** A variables object with the left-out defaults filled in (a copy when anything was filled). */
export type VariablesFiller = (
  variables: Readonly<Record<string, unknown>>,
) => Readonly<Record<string, unknown>>;

type ValueFiller = (value: unknown) => unknown;

/** undefined: nothing to fill; null: a default that cannot be written as a variable's value. */
type Found = ValueFiller | null | undefined;

/**
 * What graphql-jit 0.8 leaves out of variable coercion: an input field that is non-null with a
 * default, left out of the value, is refused where graphql-js takes the default
 * (`recordInteractions`' `acknowledge`). This fills such fields in the variables as a client could
 * have sent them (the default written as its external value: an enum's name, a scalar serialized),
 * before graphql-jit coerces them; a value already there, or null, is left to coercion.
 *
 * Returns undefined when the operation's variables reach no such field, null when a default cannot
 * be written as a value (the operation is then left to graphql-js). The caller's object is never
 * changed: what is filled is filled in copies, and only along the paths that needed it.
 */
export function nonNullDefaultsFiller(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): VariablesFiller | null | undefined {
  const memo = new Map<string, Found | 'pending'>();
  const fillers: [name: string, fill: ValueFiller][] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) return null;
    const fill = fillerOf(type, memo);
    if (fill === null) return null;
    if (fill) fillers.push([definition.variable.name.value, fill]);
  }
  if (fillers.length === 0) return undefined;
  return (variables) => {
    let out = variables;
    for (const [name, fill] of fillers) {
      const value = variables[name];
      if (value === undefined || value === null) continue;
      const filled = fill(value);
      if (filled !== value) {
        if (out === variables) out = { ...variables };
        (out as Record<string, unknown>)[name] = filled;
      }
    }
    return out;
  };
}

const NOTHING = Symbol('no default to fill');

interface FieldPart {
  readonly name: string;
  /** The default's external value for a non-null field with a default, else NOTHING. */
  readonly fill: unknown;
  /** What to fill inside the field's value, if anything. */
  readonly inner: ValueFiller | undefined;
}

function fillerOf(type: GraphQLInputType, memo: Map<string, Found | 'pending'>): Found {
  if (isNonNullType(type)) return fillerOf(type.ofType, memo);
  if (isListType(type)) {
    const item = fillerOf(type.ofType, memo);
    if (!item) return item;
    // A single value where a list is expected is coerced as a list of one.
    return (value) => (Array.isArray(value) ? mapIfChanged(value, item) : item(value));
  }
  if (!isInputObjectType(type)) return undefined;
  const known = memo.get(type.name);
  if (known === 'pending') {
    // A type inside itself: its filler, once known (nothing to fill if it has none).
    return (value) => {
      const found = memo.get(type.name);
      return typeof found === 'function' ? found(value) : value;
    };
  }
  if (memo.has(type.name)) return known;
  memo.set(type.name, 'pending');
  const parts: FieldPart[] = [];
  for (const field of Object.values(type.getFields())) {
    let fill: unknown = NOTHING;
    if (isNonNullType(field.type) && field.defaultValue !== undefined) {
      const literal = astFromValue(field.defaultValue, field.type);
      if (!literal) {
        memo.set(type.name, null);
        return null;
      }
      fill = valueFromASTUntyped(literal);
    }
    const inner = fillerOf(field.type, memo);
    if (inner === null) {
      memo.set(type.name, null);
      return null;
    }
    if (fill !== NOTHING || inner) parts.push({ name: field.name, fill, inner });
  }
  if (parts.length === 0) {
    memo.set(type.name, undefined);
    return undefined;
  }
  const filler: ValueFiller = (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const input = value as Record<string, unknown>;
    let out = input;
    for (const { name, fill, inner } of parts) {
      const current = input[name];
      let next = current;
      // graphql-js takes a field's default when its value is undefined (left out).
      if (current === undefined) {
        if (fill !== NOTHING) next = fill;
      } else if (inner && current !== null) next = inner(current);
      if (next !== current) {
        if (out === input) out = { ...input };
        out[name] = next;
      }
    }
    return out;
  };
  memo.set(type.name, filler);
  return filler;
}

function mapIfChanged(values: readonly unknown[], fill: ValueFiller): readonly unknown[] {
  let out: unknown[] | undefined;
  values.forEach((value, i) => {
    const filled = fill(value);
    if (filled !== value) {
      out ??= [...values];
      out[i] = filled;
    }
  });
  return out ?? values;
}
