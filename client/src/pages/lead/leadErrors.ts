import { CombinedGraphQLErrors } from '@apollo/client';

/**
 * Whether the lead query failed because there is no such lead: NOT_FOUND, or an id that cannot
 * be a lead id at all (the API answers BAD_USER_INPUT on the `id` argument for those).
 */
export function isLeadNotFound(error: unknown): boolean {
  if (!CombinedGraphQLErrors.is(error)) return false;
  return error.errors.some((e) => {
    const code = e.extensions?.code;
    if (code === 'NOT_FOUND') return true;
    if (code !== 'BAD_USER_INPUT') return false;
    const fields = e.extensions?.fields;
    return (
      Array.isArray(fields) && fields.some((f) => (f as { path?: unknown } | null)?.path === 'id')
    );
  });
}
