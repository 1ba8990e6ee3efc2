import { buildSchema, Kind, OperationDefinitionNode, parse } from 'graphql';

import { nonNullDefaultsFiller } from './input-defaults';

const schema = buildSchema(`
  enum Ack { APPLIED LOGGED }
  input Event { id: String! kind: String! = "VISIT" }
  input Record { events: [Event!]! ack: Ack! = APPLIED note: String = "n" }
  input Plain { a: Int b: String = "x" }
  input Tree { label: String! weight: Int! = 1 children: [Tree!] }
  type Query {
    record(input: Record!): Int
    plain(input: Plain): Int
    tree(root: Tree): Int
  }
`);

function operationOf(text: string): OperationDefinitionNode {
  const [definition] = parse(text).definitions;
  if (definition.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
  return definition;
}

describe('nonNullDefaultsFiller', () => {
  it('is undefined when the variables reach no non-null field with a default', () => {
    expect(nonNullDefaultsFiller(schema, operationOf('{ plain }'))).toBeUndefined();
    expect(
      nonNullDefaultsFiller(schema, operationOf('query($p: Plain, $n: Int) { plain(input: $p) }')),
    ).toBeUndefined();
  });

  it("fills left-out non-null fields with their default's external value, in lists too, and copies only what it fills", () => {
    const fill = nonNullDefaultsFiller(
      schema,
      operationOf('query($r: Record!) { record(input: $r) }'),
    )!;
    const kept = { id: 'b', kind: 'OPEN' };
    const variables = { r: { events: [{ id: 'a' }, kept] } };

    const filled = fill(variables);

    expect(filled).toEqual({
      r: {
        events: [
          { id: 'a', kind: 'VISIT' },
          { id: 'b', kind: 'OPEN' },
        ],
        ack: 'APPLIED',
      },
    });
    // The caller's object untouched; what needed nothing is the same object.
    expect(variables).toEqual({ r: { events: [{ id: 'a' }, kept] } });
    expect((filled.r as { events: unknown[] }).events[1]).toBe(kept);
    // A nullable field's default is left to coercion.
    expect(filled.r).not.toHaveProperty('note');
  });

  it('leaves what is given, null included, and values of the wrong shape, to coercion', () => {
    const fill = nonNullDefaultsFiller(
      schema,
      operationOf('query($r: Record!) { record(input: $r) }'),
    )!;
    const given = { r: { events: [], ack: 'LOGGED' } };
    expect(fill(given)).toBe(given);
    expect(fill({ r: { events: [], ack: null } })).toEqual({ r: { events: [], ack: null } });
    expect(fill({ r: 'not an object' })).toEqual({ r: 'not an object' });
    expect(fill({ r: null })).toEqual({ r: null });
    expect(fill({})).toEqual({});
    // A single value where a list is expected is coerced as a list of one.
    expect(fill({ r: { events: { id: 'a' }, ack: 'LOGGED' } })).toEqual({
      r: { events: { id: 'a', kind: 'VISIT' }, ack: 'LOGGED' },
    });
  });

  it('fills a type inside itself at every depth', () => {
    const fill = nonNullDefaultsFiller(schema, operationOf('query($t: Tree) { tree(root: $t) }'))!;

    expect(
      fill({ t: { label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }] } }),
    ).toEqual({
      t: {
        label: 'a',
        weight: 1,
        children: [{ label: 'b', weight: 1, children: [{ label: 'c', weight: 1 }] }],
      },
    });
  });

  it('is null when a variable has a type the schema does not know', () => {
    expect(nonNullDefaultsFiller(schema, operationOf('query($x: Nope) { plain }'))).toBeNull();
  });
});
