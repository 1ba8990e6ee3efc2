import { ASTVisitor, FieldNode, ValidationContext, ValidationRule } from 'graphql';

import { queryLimitError } from './query-limit.error';

/** Refuses documents with more than `maxAliases` aliased fields (the cheap way to multiply work). */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let reported = false;
    return {
      Field(node: FieldNode) {
        if (!node.alias) return;
        aliases += 1;
        if (aliases > maxAliases && !reported) {
          reported = true;
          context.reportError(
            queryLimitError(
              'MAX_ALIASES',
              `the query uses more than ${maxAliases} aliases`,
              aliases,
              maxAliases,
            ),
          );
        }
      },
    };
  };
}
