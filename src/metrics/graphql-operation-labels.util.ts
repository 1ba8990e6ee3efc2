import { DocumentNode, getOperationAST, OperationDefinitionNode } from 'graphql';

import { ErrorCode } from '@/common/errors/error-code';

/** `unknown` when no operation could be read: unparsable, invalid without one, or refused first. */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

export interface OperationLabels {
  /** From the parsed document only, never what the request claims; undefined when unnamed. */
  readonly name: string | undefined;
  readonly type: OperationType;
}

/**
 * The operation a request ran, or would have run: Apollo resolves it only once the document is
 * valid, so an invalid document is searched here for the operation it names.
 */
export function describeOperation({
  operation,
  document,
  operationName,
}: {
  operation?: OperationDefinitionNode | null;
  document?: DocumentNode;
  operationName?: string | null;
}): OperationLabels {
  const found =
    operation ?? (document ? getOperationAST(document, operationName ?? undefined) : null);
  if (!found) return { name: undefined, type: 'unknown' };
  return { name: found.name?.value, type: found.operation };
}

const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * `ok`, or the first error's `extensions.code`; `error` for a code outside our stable set (so a
 * label never takes a value the errors module does not define).
 */
export function operationOutcome(
  errors: readonly { readonly extensions?: Readonly<Record<string, unknown>> }[] | undefined,
): string {
  if (!errors || errors.length === 0) return 'ok';
  const code = errors[0].extensions?.code;
  return typeof code === 'string' && ERROR_CODES.has(code) ? code : 'error';
}
