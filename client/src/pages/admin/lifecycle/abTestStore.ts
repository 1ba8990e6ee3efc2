/**
 * The API has no query for "the A/B test running now": abTest needs its id. The id is known when
 * this browser starts a test, and the API names it in the CONFLICT that startAbTest, deployModel
 * and rollbackModel answer while one runs (extensions.abTestId). It is remembered here.
 */
const KEY = 'lead-scoring.admin.abTestId';

export function rememberedAbTestId(storage: Storage = localStorage): string | null {
  try {
    return storage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberAbTestId(id: string | null, storage: Storage = localStorage): void {
  try {
    if (id) storage.setItem(KEY, id);
    else storage.removeItem(KEY);
  } catch {
    // Storage unavailable (private mode): the id is simply not remembered.
  }
}

/** The running test's id an API error names, if any. */
export function abTestIdOf(extensions: Record<string, unknown>): string | null {
  const id = extensions.abTestId;
  return typeof id === 'string' && id !== '' && id !== 'another' ? id : null;
}
