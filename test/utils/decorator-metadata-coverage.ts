import * as ts from 'typescript';

/**
 * A ts-jest AST transformer (`after` phase) that keeps TypeScript's decorator metadata out of the
 * branch coverage. Compiled file by file (`isolatedModules`), TypeScript cannot tell whether a
 * parameter's or property's type is a value at run time, so for `emitDecoratorMetadata` it emits
 *
 *   __metadata("design:type", typeof (_a = typeof Foo !== "undefined" && Foo) === "function" ? _a : Object)
 *
 * for every decorated member typed with a class, an enum, a generic or an imported type. Istanbul
 * counts that conditional as a branch mapped onto the type annotation, and one side of it can never
 * be taken (an enum is an object, a class is a function): each constructor parameter, decorated
 * property and resolver return type of a Nest class would add an uncoverable branch to the
 * coverage gate. This transformer puts `/* istanbul ignore next *\/` before exactly that
 * emitted shape, and nothing else: code written by hand keeps all its branches. It changes no
 * behaviour (only a comment is added), so it runs with or without --coverage.
 *
 * jest.config.js compiles this file to `.data/jest/` (ts-jest loads AST transformers with a plain
 * `require`, or through esbuild, which this project does not install).
 */

/** ts-jest keys its cache on `name` and `version`; jest.config.js sets `version` to this file's hash. */
export const name = 'decorator-metadata-coverage';

const IGNORE_HINT = ' istanbul ignore next ';

/**
 * Whether `node` is the guarded type reference of decorator metadata:
 * `typeof (<tmp> = typeof <E> !== "undefined" && <E>) === "function" ? <tmp> : Object`.
 */
export function isDecoratorMetadataGuard(node: ts.Node): node is ts.ConditionalExpression {
  if (!ts.isConditionalExpression(node)) return false;
  const { condition, whenTrue, whenFalse } = node;
  if (!ts.isIdentifier(whenFalse) || ts.idText(whenFalse) !== 'Object') return false;
  if (!ts.isIdentifier(whenTrue)) return false;
  if (!ts.isBinaryExpression(condition)) return false;
  if (condition.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken) return false;
  if (!ts.isStringLiteral(condition.right) || condition.right.text !== 'function') return false;
  if (!ts.isTypeOfExpression(condition.left)) return false;
  const operand = condition.left.expression;
  if (!ts.isParenthesizedExpression(operand)) return false;
  const assignment = operand.expression;
  return (
    ts.isBinaryExpression(assignment) &&
    assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(assignment.left) &&
    ts.idText(assignment.left) === ts.idText(whenTrue) &&
    ts.isBinaryExpression(assignment.right) &&
    assignment.right.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken
  );
}

/** The transformer itself: marks every decorator-metadata guard with an istanbul ignore hint. */
export function markDecoratorMetadata(context: ts.TransformationContext) {
  return (sourceFile: ts.SourceFile): ts.SourceFile => {
    const visit = (node: ts.Node): ts.Node => {
      if (isDecoratorMetadataGuard(node)) {
        // Only the conditional itself: everything inside it is compiler output too.
        return ts.addSyntheticLeadingComment(
          node,
          ts.SyntaxKind.MultiLineCommentTrivia,
          IGNORE_HINT,
          false,
        );
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sourceFile, visit, ts.isSourceFile);
  };
}

/** ts-jest's entry point (`astTransformers.after`). */
export function factory(): ts.TransformerFactory<ts.SourceFile> {
  return markDecoratorMetadata;
}
