import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, ResolveTree } from 'graphql-parse-resolve-info';

/**
 * The names of the fields a request selects at `path` below the field being resolved (for
 * `leads { items { id score } }` resolved at `leads`, path ['items'] gives id and score): aliases,
 * fragments, inline fragments and @include/@skip (with the request's variables) resolved by
 * graphql-parse-resolve-info. Null when the selection cannot be read, which callers take as
 * "anything may be asked".
 */
export function selectedFieldNames(
  info: GraphQLResolveInfo,
  path: readonly string[],
): Set<string> | null {
  const root = parseResolveInfo(info) as ResolveTree | null | undefined;
  if (!root || !('fieldsByTypeName' in root)) return null;
  let trees: ResolveTree[] = [root];
  for (const name of path) trees = trees.flatMap((tree) => childrenOf(tree, name));
  const names = new Set<string>();
  for (const tree of trees) for (const child of childrenOf(tree)) names.add(child.name);
  return names;
}

/** The fields selected under `tree` (named `name` only, when given), for every possible type. */
function childrenOf(tree: ResolveTree, name?: string): ResolveTree[] {
  return Object.values(tree.fieldsByTypeName).flatMap((fields) =>
    Object.values(fields).filter((child) => name === undefined || child.name === name),
  );
}
