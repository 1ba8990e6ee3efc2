import type {
  BaseContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestListener,
} from '@apollo/server';
import { buildSchema, DocumentNode, getOperationAST, GraphQLError, parse } from 'graphql';

import { complexityPlugin } from './complexity.plugin';

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
function requestOf(document: DocumentNode, variables?: Record<string, unknown>) {
  return {
    schema,
    document,
    operation: getOperationAST(document)!,
    request: { variables },
  } as unknown as GraphQLRequestContextDidResolveOperation<BaseContext>;
}

async function verdict(
  maxComplexity: number,
  document: DocumentNode,
  variables?: Record<string, unknown>,
): Promise<GraphQLError | undefined> {
  const listener = await listenerOf(maxComplexity);
  try {
    await listener.didResolveOperation!(requestOf(document, variables));
    return undefined;
  } catch (error) {
    return error as GraphQLError;
  }
}

describe('complexityPlugin', () => {
  beforeEach(() => itemsCost.mockClear());

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
});
