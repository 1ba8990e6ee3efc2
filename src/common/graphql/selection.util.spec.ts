import {
  buildSchema,
  execute,
  GraphQLResolveInfo,
  parse,
  validate,
  type ExecutionArgs,
} from 'graphql';

import { selectedFieldNames } from './selection.util';

const schema = buildSchema(`
  type Engagement { emailOpens: Int lastActivityAt: String }
  type Lead { id: ID name: String score: Float breakdown: String engagement: Engagement }
  type LeadPage { total: Int items: [Lead] }
  type Query { leads: LeadPage }
`);

/** The names selected under `leads.items` by a query, as the `leads` resolver sees them. */
function itemsOf(query: string, variableValues?: Record<string, unknown>): string[] | null {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  let seen: Set<string> | null | undefined;
  const args: ExecutionArgs = {
    schema,
    document,
    variableValues,
    rootValue: {
      leads: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        seen = selectedFieldNames(info, ['items']);
        return { total: 0, items: [] };
      },
    },
  };
  const result = execute(args) as { errors?: unknown };
  expect(result.errors).toBeUndefined();
  return seen ? [...seen].sort() : null;
}

describe('selectedFieldNames', () => {
  it('gives the field names under a path, not their aliases, nor what lies deeper', () => {
    expect(
      itemsOf('{ leads { total items { id top: score engagement { emailOpens } } } }'),
    ).toEqual(['engagement', 'id', 'score']);
  });

  it('follows named and inline fragments, at any level', () => {
    const query = `
      query { leads { ...Page } }
      fragment Page on LeadPage { items { ...Row ... on Lead { breakdown } } }
      fragment Row on Lead { id name }
    `;
    expect(itemsOf(query)).toEqual(['breakdown', 'id', 'name']);
  });

  it('merges the same field selected twice under different aliases', () => {
    expect(itemsOf('{ leads { a: items { id } b: items { breakdown } } }')).toEqual([
      'breakdown',
      'id',
    ]);
  });

  it('leaves out what @skip or @include rule out, by the request variables', () => {
    const query = `query($detail: Boolean!) { leads { items { id breakdown @include(if: $detail) } } }`;
    expect(itemsOf(query, { detail: false })).toEqual(['id']);
    expect(itemsOf(query, { detail: true })).toEqual(['breakdown', 'id']);
  });

  it('gives nothing under a path the request does not select', () => {
    expect(itemsOf('{ leads { total } }')).toEqual([]);
  });
});
