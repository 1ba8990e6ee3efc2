import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import {
  buildSchema,
  execute,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  Kind,
  parse,
} from 'graphql';

import {
  CompiledExecutionGateway,
  CompiledOperations,
  jitCoercesLikeGraphqlJs,
} from './compiled-execution';

const SDL = `
  enum Tier { HOT WARM COLD }
  input Note { text: String! tier: Tier = WARM }
  input Ack { mode: String! = "LOGGED" }
  input Batch { ack: Ack, size: Int }
  type Lead { id: ID! name: String score: Float! tier: Tier! }
  type Page { items: [Lead!]! total: Int! }
  type Query {
    leads(limit: Int = 2): Page!
    failing: Lead
    coded: Lead
    nonNull: Lead!
    echo(note: Note!): String!
    batch(input: Batch!): String!
  }
  type Mutation { first: Int! second: Int! }
  type Subscription { ticks: Int! }
`;

const DateScalar = new GraphQLScalarType<Date, string>({
  name: 'Date',
  serialize: (value) => (value as Date).toISOString(),
  parseValue: (value) => new Date(value as string),
});

interface Built {
  readonly schema: GraphQLSchema;
  readonly calls: string[];
}

function buildTestSchema(): Built {
  const schema = buildSchema(SDL);
  const calls: string[] = [];
  const leads = [
    { id: 'a', name: 'Ann', score: 12.5, tier: 'HOT' },
    { id: 'b', name: null, score: 3, tier: 'COLD' },
  ];
  const query = schema.getQueryType()!.getFields();
  query.leads.resolve = (_root, args: { limit: number }) =>
    Promise.resolve({ items: leads.slice(0, args.limit), total: leads.length });
  query.failing.resolve = () => {
    throw new Error('no such lead');
  };
  query.coded.resolve = () => {
    throw new GraphQLError('not yours', { extensions: { code: 'FORBIDDEN' } });
  };
  query.nonNull.resolve = () => null;
  query.echo.resolve = (_root, args: { note: { text: string; tier?: string } }) =>
    `${args.note.text}:${args.note.tier}`;
  query.batch.resolve = (_root, args: { input: { ack?: { mode: string } } }) =>
    args.input.ack?.mode ?? 'none';
  const mutation = schema.getMutationType()!.getFields();
  const slow = (name: string, ms: number, value: number) => async () => {
    calls.push(`${name} start`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    calls.push(`${name} end`);
    return value;
  };
  mutation.first.resolve = slow('first', 20, 1);
  mutation.second.resolve = slow('second', 1, 2);
  return { schema, calls };
}

describe('CompiledOperations', () => {
  const LEADS = parse('{ leads { total items { id name score tier } } }');

  it('executes a document with graphql-js the first time and compiled from the second, with the same result', async () => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema);

    const first = await operations.execute(LEADS, undefined, undefined, {});
    expect(operations.compiledCount).toBe(0);
    const second = await operations.execute(LEADS, undefined, undefined, {});
    const third = await operations.execute(LEADS, undefined, undefined, {});

    expect(operations.compiledCount).toBe(1);
    const expected = {
      data: {
        leads: {
          total: 2,
          items: [
            { id: 'a', name: 'Ann', score: 12.5, tier: 'HOT' },
            { id: 'b', name: null, score: 3, tier: 'COLD' },
          ],
        },
      },
    };
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(third).toEqual(expected);
  });

  it('keeps compiled operations per parsed document and per operation name', async () => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);
    const document = parse(
      'query A { leads { total } } query B { leads(limit: 1) { items { id } } }',
    );

    expect(await operations.execute(document, 'A', undefined, {})).toEqual({
      data: { leads: { total: 2 } },
    });
    expect(await operations.execute(document, 'B', undefined, {})).toEqual({
      data: { leads: { items: [{ id: 'a' }] } },
    });
    // The same text parsed again is another document (Apollo's store hands back the same one).
    await operations.execute(parse('query A { leads { total } }'), 'A', undefined, {});
    expect(operations.compiledCount).toBe(3);
  });

  it("runs a mutation's root fields one after another, in order", async () => {
    const { schema, calls } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);

    const result = await operations.execute(parse('mutation { first second }'), undefined, {}, {});

    expect(operations.compiledCount).toBe(1);
    expect(result).toEqual({ data: { first: 1, second: 2 } });
    expect(calls).toEqual(['first start', 'first end', 'second start', 'second end']);
  });

  it("gives errors as graphql-js does: GraphQLErrors at the field's path and location, the resolver's error as originalError, its extensions kept", async () => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);

    const result = await operations.execute(
      parse('{ failing { id } coded { id } }'),
      undefined,
      {},
      {},
    );

    expect(operations.compiledCount).toBe(1);
    expect(result.data).toEqual({ failing: null, coded: null });
    const [failing, coded] = result.errors!;
    expect(failing).toBeInstanceOf(GraphQLError);
    expect(failing.message).toBe('no such lead');
    expect(failing.path).toEqual(['failing']);
    expect(failing.locations).toEqual([{ line: 1, column: 3 }]);
    expect(failing.originalError?.message).toBe('no such lead');
    expect(failing.extensions).toEqual({});
    expect(coded).toBeInstanceOf(GraphQLError);
    expect(coded.path).toEqual(['coded']);
    expect(coded.extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('propagates a null from a non-null field to its parent', async () => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);

    const result = await operations.execute(parse('{ nonNull { id } }'), undefined, {}, {});

    expect(result.data).toBeNull();
    expect(result.errors?.[0].message).toBe(
      'Cannot return null for non-nullable field Query.nonNull.',
    );
    expect(result.errors?.[0].path).toEqual(['nonNull']);
  });

  it("answers a bad variable with graphql-js' error, naming the variable's definition", async () => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);
    const document = parse('query($note: Note!) { echo(note: $note) }');

    const good = await operations.execute(document, undefined, { note: { text: 'hi' } }, {});
    const bad = await operations.execute(
      document,
      undefined,
      { note: { text: 7, tier: 'HOTTER' } },
      {},
    );

    expect(operations.compiledCount).toBe(1);
    expect(good).toEqual({ data: { echo: 'hi:WARM' } });
    expect(bad.data).toBeUndefined();
    expect(bad.errors?.map((error) => error.message)).toEqual([
      'Variable "$note" got invalid value 7 at "note.text"; String cannot represent a non string value: 7',
      'Variable "$note" got invalid value "HOTTER" at "note.tier"; Value "HOTTER" does not exist in "Tier" enum. Did you mean the enum value "HOT"?',
    ]);
    expect(bad.errors?.[0].nodes?.[0].kind).toBe(Kind.VARIABLE_DEFINITION);
  });

  it("fills a left-out non-null input field's default before graphql-jit coerces the variables", async () => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);
    const document = parse('query($input: Batch!) { batch(input: $input) }');
    const variables = { input: { ack: {} } };

    const result = await operations.execute(document, undefined, variables, {});
    const given = await operations.execute(
      document,
      undefined,
      { input: { ack: { mode: 'APPLIED' } } },
      {},
    );

    expect(operations.compiledCount).toBe(1);
    expect(result).toEqual({ data: { batch: 'LOGGED' } });
    expect(given).toEqual({ data: { batch: 'APPLIED' } });
    expect(variables).toEqual({ input: { ack: {} } }); // the caller's object, untouched
  });

  it('tells its observer what executed each operation, and each compilation done or refused', async () => {
    const { schema } = buildTestSchema();
    const heard: string[] = [];
    const operations = new CompiledOperations(schema, 2, {
      executed: (engine) => heard.push(engine),
      compiled: (outcome) => heard.push(`compilation ${outcome}`),
    });
    const echo = parse('query($note: Note!) { echo(note: $note) }');

    await operations.execute(LEADS, undefined, undefined, {});
    await operations.execute(LEADS, undefined, undefined, {});
    await operations.execute(LEADS, undefined, undefined, {});
    await operations.execute(echo, undefined, { note: { text: 'hi' } }, {});
    await operations.execute(echo, undefined, { note: { text: 7 } }, {}); // refused variables
    // Compiled, answered at once (no promise: a synchronous resolver).
    expect(operations.execute(echo, undefined, { note: { text: 'hi' } }, {})).toEqual({
      data: { echo: 'hi:WARM' },
    });
    await operations.execute(parse('subscription { ticks }'), undefined, {}, {});
    const ticks = parse('subscription { ticks }');
    await operations.execute(ticks, undefined, {}, {});
    await operations.execute(ticks, undefined, {}, {});

    expect(heard).toEqual([
      'graphql-js',
      'compilation compiled',
      'compiled',
      'compiled',
      'graphql-js',
      'compilation compiled',
      'graphql-js', // compiled, but its variables refused: graphql-js answers with its errors
      'compiled',
      'graphql-js',
      'graphql-js',
      'compilation refused',
      'graphql-js',
    ]);
  });

  it('leaves subscriptions to graphql-js', async () => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);

    const result = await operations.execute(parse('subscription { ticks }'), undefined, {}, {});

    expect(operations.compiledCount).toBe(0);
    expect(result.errors?.[0].message).toMatch(/subscription/i);
  });
});

describe('CompiledOperations against graphql-js, side by side', () => {
  // Each document run by graphql-js and compiled, with each set of variables: the same answers.
  const cases: { name: string; text: string; variables: Record<string, unknown>[] }[] = [
    {
      name: '@include and @skip on fields, fragment spreads and inline fragments',
      text: `query($a: Boolean!, $b: Boolean!) {
        leads {
          total @skip(if: $a)
          items {
            id @include(if: $a)
            ...Named @include(if: $b)
            ... on Lead @skip(if: $b) { score tier }
            ... on Lead { name @include(if: $b) }
          }
        }
      }
      fragment Named on Lead { name score @skip(if: $a) }`,
      variables: [
        { a: true, b: true },
        { a: true, b: false },
        { a: false, b: true },
        { a: false, b: false },
      ],
    },
    {
      name: 'aliases, the same field twice with other arguments, __typename',
      text: `{ one: leads(limit: 1) { total items { key: id __typename } }
               all: leads { items { id name } } __typename }`,
      variables: [{}],
    },
    {
      name: 'variables with defaults, enums inside input objects',
      text: `query($limit: Int = 1, $note: Note = { text: "x" }) {
        leads(limit: $limit) { items { id } }
        echo(note: $note)
      }`,
      variables: [{}, { limit: 2 }, { note: { text: 'y', tier: 'COLD' } }, { note: null }],
    },
    {
      name: 'variables good and bad, defaults of non-null fields left out or given',
      text: `query($input: Batch!, $note: Note!) { batch(input: $input) echo(note: $note) }`,
      variables: [
        { input: { ack: {} }, note: { text: 'a' } },
        { input: { size: 3 }, note: { text: 'b', tier: 'HOT' } },
        { input: { ack: { mode: 'X' } }, note: { text: 'c', tier: null } },
        { input: { ack: { mode: null } }, note: { text: 'd' } },
        { input: { ack: {}, size: 1.5 }, note: { text: 'e' } },
        { input: { ack: {}, extra: 1 }, note: { text: 'f' } },
        { input: null, note: { text: 'g' } },
        { note: { text: 'h' } },
        { input: { ack: 'LOGGED' }, note: { text: 7, tier: 'HOTTER' } },
      ],
    },
    {
      name: 'errors and nulls mixed with data',
      text: '{ failing { id } coded { name } leads { total } }',
      variables: [{}],
    },
  ];

  it.each(cases)('$name', async ({ text, variables }) => {
    const { schema } = buildTestSchema();
    const operations = new CompiledOperations(schema, 1);
    const document = parse(text);
    for (const values of variables) {
      const expected = await execute({
        schema,
        document,
        variableValues: values,
        contextValue: {},
      });
      const actual = await operations.execute(document, undefined, values, {});
      expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    expect(operations.compiledCount).toBe(1);
  });
});

describe('jitCoercesLikeGraphqlJs', () => {
  const { schema } = buildTestSchema();
  const operationOf = (text: string) => {
    const [definition] = parse(text).definitions;
    if (definition.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
    return definition;
  };

  it('accepts scalars, enums and input objects whose defaults are nullable and plain', () => {
    expect(jitCoercesLikeGraphqlJs(schema, operationOf('{ leads { total } }'))).toBe(true);
    expect(
      jitCoercesLikeGraphqlJs(schema, operationOf('query($n: Note!, $l: Int) { echo(note: $n) }')),
    ).toBe(true);
  });

  it('accepts non-null fields with defaults (filled before coercion), at any depth', () => {
    expect(
      jitCoercesLikeGraphqlJs(schema, operationOf('query($i: Batch!) { batch(input: $i) }')),
    ).toBe(true);
    expect(
      jitCoercesLikeGraphqlJs(schema, operationOf('query($a: [Ack]) { leads { total } }')),
    ).toBe(true);
  });

  it('refuses a nullable field whose default JSON would not keep (graphql-jit writes it as JSON)', () => {
    const Window = new GraphQLInputObjectType({
      name: 'Window',
      fields: { since: { type: DateScalar, defaultValue: new Date(0) } },
    });
    const dated = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: { count: { type: GraphQLInt, args: { window: { type: Window } } } },
      }),
    });
    expect(
      jitCoercesLikeGraphqlJs(dated, operationOf('query($w: Window) { count(window: $w) }')),
    ).toBe(false);
  });

  it('refuses a variable of an unknown type (graphql-js reports it)', () => {
    expect(
      jitCoercesLikeGraphqlJs(schema, operationOf('query($x: Nope) { leads { total } }')),
    ).toBe(false);
  });
});

describe('CompiledExecutionGateway', () => {
  it('hands Apollo the schema Nest built and an executor over it; refuses to load before it', async () => {
    const { schema } = buildTestSchema();
    const gateway = new CompiledExecutionGateway(1);
    await expect(gateway.load()).rejects.toThrow(/schema was not built/);

    expect(gateway.useSchema(schema)).toBe(schema);
    const heard: GraphQLSchema[] = [];
    const unsubscribe = gateway.onSchemaLoadOrUpdate(({ apiSchema }) => heard.push(apiSchema));
    const { schema: loaded, executor } = await gateway.load();
    unsubscribe();

    expect(loaded).toBe(schema);
    expect(heard).toEqual([schema]);
    const document = parse('query Total { leads { total } }');
    const request = {
      document,
      operationName: 'Total',
      request: { operationName: 'Total', variables: {} },
      context: {},
    } as unknown as GatewayGraphQLRequestContext;
    expect(await executor(request)).toEqual({ data: { leads: { total: 2 } } });
    expect(gateway.compiled?.compiledCount).toBe(1);
    await gateway.stop();
  });
});
