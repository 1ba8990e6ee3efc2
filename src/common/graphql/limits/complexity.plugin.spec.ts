import type {
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestListener,
} from '@apollo/server';
import { buildSchema, DocumentNode, getOperationAST, GraphQLError, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';

import { complexityPlugin } from './complexity.plugin';

// Counted to see the walks of schemas whose costs are all numbers (no function to count there).
jest.mock('graphql-query-complexity', () => {
  const actual = jest.requireActual<typeof import('graphql-query-complexity')>(
    'graphql-query-complexity',
  );
  return { ...actual, getComplexity: jest.fn(actual.getComplexity) };
});
const walks = jest.mocked(getComplexity);

const schema = buildSchema(`
  type Item { a: Int b: Int }
  type Query { items(limit: Int): [Item!]! }
`);
// `items` costs its limit, children included (fieldExtensionsEstimator); counted to see the walks.
const itemsCost = jest.fn(({ args }: { args: { limit?: number } }) => args.limit ?? 1);
Object.assign(schema.getQueryType()!.getFields().items.extensions, { complexity: itemsCost });

async function listenerOf(maxComplexity: number): Promise<GraphQLRequestListener<BaseContext>> {
  const plugin = complexityPlugin(maxComplexity);
  return (await plugin.requestDidStart!({} as never)) as GraphQLRequestListener<BaseContext>;
}

/** What the plugin sees of one request: Apollo hands the same document for the same query. */
function requestOf(
  document: DocumentNode,
  variables?: Record<string, unknown>,
  on: typeof schema = schema,
) {
  return {
    schema: on,
    document,
    operation: getOperationAST(document)!,
    request: { variables },
  } as unknown as GraphQLRequestContextDidResolveOperation<BaseContext>;
}

async function verdict(
  maxComplexity: number,
  document: DocumentNode,
  variables?: Record<string, unknown>,
  on: typeof schema = schema,
): Promise<GraphQLError | undefined> {
  const listener = await listenerOf(maxComplexity);
  try {
    await listener.didResolveOperation!(requestOf(document, variables, on));
    return undefined;
  } catch (error) {
    return error as GraphQLError;
  }
}

// Every cost a number, as in the app's schema: only @include/@skip variables can change a cost.
const fixedCosts = buildSchema(`
  type Lead { a: Int b: Int }
  type Query { lead(id: ID!): Lead }
`);
Object.assign(fixedCosts.getQueryType()!.getFields().lead.extensions, { complexity: 5 });

describe('complexityPlugin', () => {
  beforeEach(() => {
    itemsCost.mockClear();
    walks.mockClear();
  });

  it('walks a document once per operation and variables, and refuses it every time', async () => {
    const document = parse('query Items($n: Int) { items(limit: $n) { a b } }');

    const first = await verdict(10, document, { n: 20 });
    const second = await verdict(10, document, { n: 20 });

    expect(first?.extensions).toMatchObject({ limit: 'MAX_COMPLEXITY', actual: 20, max: 10 });
    expect(second?.extensions).toMatchObject({ limit: 'MAX_COMPLEXITY', actual: 20, max: 10 });
    // A fresh error per request: Apollo and the plugins after it may add to it.
    expect(second).not.toBe(first);
    expect(itemsCost).toHaveBeenCalledTimes(1);
  });

  it('tells variables apart', async () => {
    const document = parse('query Items($n: Int) { items(limit: $n) { a } }');

    expect(await verdict(10, document, { n: 5 })).toBeUndefined();
    expect(await verdict(10, document, { n: 50 })).toBeDefined();
    expect(await verdict(10, document, { n: 5 })).toBeUndefined();
    expect(itemsCost).toHaveBeenCalledTimes(2);
  });

  it('applies each plugin its own maximum to a remembered figure', async () => {
    const document = parse('{ items(limit: 8) { a } }');

    expect(await verdict(100, document)).toBeUndefined();
    expect(await verdict(5, document)).toBeDefined();
    expect(itemsCost).toHaveBeenCalledTimes(1);
  });

  it('leaves variables that do not fit their types to execution, without estimating', async () => {
    const document = parse('query Items($n: Int) { items(limit: $n) { a } }');

    expect(await verdict(1, document, { n: 'many' })).toBeUndefined();
    expect(await verdict(1, document, { n: 'many' })).toBeUndefined();
    expect(itemsCost).not.toHaveBeenCalled();
  });

  it('does not remember long variables', async () => {
    const document = parse('query Items($n: Int, $s: String) { items(limit: $n) { a } }');
    const long = { n: 2, s: 'x'.repeat(2_000) };

    await verdict(10, document, long);
    await verdict(10, document, long);
    expect(itemsCost).toHaveBeenCalledTimes(2);
  });

  describe('on a schema whose costs are all numbers', () => {
    it('shares one figure among requests that differ only in variables no cost reads', async () => {
      const document = parse('query Lead($id: ID!) { lead(id: $id) { a b } }');

      for (const id of ['1', '2', '3']) {
        expect(await verdict(100, document, { id }, fixedCosts)).toBeUndefined();
      }
      expect((await verdict(6, document, { id: '4' }, fixedCosts))?.extensions).toMatchObject({
        actual: 7,
      });
      expect(walks).toHaveBeenCalledTimes(1);
    });

    it('still tells @include and @skip conditions apart', async () => {
      const document = parse(
        'query Lead($id: ID!, $more: Boolean!) { lead(id: $id) { a b @include(if: $more) } }',
      );

      expect(await verdict(6, document, { id: '1', more: false }, fixedCosts)).toBeUndefined();
      expect(await verdict(6, document, { id: '2', more: true }, fixedCosts)).toBeDefined();
      expect(await verdict(6, document, { id: '3', more: false }, fixedCosts)).toBeUndefined();
      expect(await verdict(6, document, { id: '4', more: true }, fixedCosts)).toBeDefined();
      expect(walks).toHaveBeenCalledTimes(2);
    });

    it('measures fitting variables after ones that did not fit under the same key', async () => {
      const document = parse('query Lead($id: ID!) { lead(id: $id) { a b } }');

      expect(await verdict(6, document, { id: { not: 'an id' } }, fixedCosts)).toBeUndefined();
      expect(await verdict(6, document, { id: '1' }, fixedCosts)).toBeDefined();
      expect(walks).toHaveBeenCalledTimes(1);
    });
  });
});
