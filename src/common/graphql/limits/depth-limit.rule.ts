import {
  ASTVisitor,
  FragmentDefinitionNode,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';

import { queryLimitError } from './query-limit.error';

/**
 * Refuses operations nested deeper than `maxDepth` fields (fragments followed, introspection's
 * `__` fields not counted). Runs during validation, so resolvers never see such a query.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION)
        fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        const depth = measure(operation.selectionSet, fragments, new Set(), maxDepth + 1);
        if (depth > maxDepth) {
          context.reportError(
            queryLimitError(
              'MAX_DEPTH',
              `query depth ${depth} exceeds the maximum of ${maxDepth}`,
              depth,
              maxDepth,
            ),
          );
        }
      },
    };
  };
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
  stopAt: number,
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth: number;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth =
        1 +
        (selection.selectionSet
          ? measure(selection.selectionSet, fragments, visiting, stopAt - 1)
          : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = measure(selection.selectionSet, fragments, visiting, stopAt);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // Fragment cycles are reported by graphql's own NoFragmentCycles rule.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      depth = measure(fragment.selectionSet, fragments, visiting, stopAt);
      visiting.delete(name);
    }
    deepest = Math.max(deepest, depth);
    if (deepest >= stopAt) break;
  }
  return deepest;
}
