/**
 * The keys of a tenant's index. Every name carries the tenant in a hash tag (`{tenantId}`), so
 * Redis Cluster puts all of them, the owners' sets included, in one slot: a script may touch any of
 * them as long as it declares them in KEYS.
 */
export interface RankingKeys {
  readonly score: string;
  readonly activity: string;
  /** Before the docs held each lead's version and owner: only deleted (CLEAR), never written. */
  readonly meta: string;
  readonly docs: string;
  readonly owners: string;
  readonly ready: string;
  readonly generation: string;
  ownerScore(ownerId: string): string;
  ownerActivity(ownerId: string): string;
}

export function rankingKeys(base: string): RankingKeys {
  return {
    score: `${base}:score`,
    activity: `${base}:activity`,
    meta: `${base}:meta`,
    docs: `${base}:docs`,
    owners: `${base}:owners`,
    ready: `${base}:ready`,
    generation: `${base}:generation`,
    ownerScore: (ownerId) => `${base}:owner:${ownerId}:score`,
    ownerActivity: (ownerId) => `${base}:owner:${ownerId}:activity`,
  };
}

/**
 * KEYS of one APPLY call: the tenant's four base keys, then both sets of each owner the call may
 * touch (the entries' owners, plus the previous owners the script reported in an earlier attempt).
 */
export function applyKeys(base: string, owners: Iterable<string>): string[] {
  const keys = rankingKeys(base);
  const list = [keys.score, keys.activity, keys.docs, keys.owners];
  for (const owner of owners) list.push(keys.ownerScore(owner), keys.ownerActivity(owner));
  return list;
}

/**
 * KEYS of one CLEAR call: the tenant's base keys and both sets of each owner it lists (and the
 * `meta` hash an index written before the docs held versions may still have).
 */
export function clearKeys(base: string, owners: Iterable<string>): string[] {
  const keys = rankingKeys(base);
  const list = [keys.score, keys.activity, keys.meta, keys.docs, keys.owners, keys.ready];
  for (const owner of owners) list.push(keys.ownerScore(owner), keys.ownerActivity(owner));
  return list;
}
