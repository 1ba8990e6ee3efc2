/**
 * The keys of a tenant's index. Every name carries the tenant in a hash tag (`{tenantId}`), so
 * Redis Cluster puts all of them, the owners' keys included, in one slot: a script may touch any of
 * them as long as it declares them in KEYS.
 *
 * The orderings of a group of leads (the tenant's, or one owner's) are two keys: `dir`, the bounds
 * of its buckets, and `order`, the buckets themselves (ranking-scripts.ts).
 */
export interface RankingKeys {
  readonly docs: string;
  readonly owners: string;
  readonly ready: string;
  readonly generation: string;
  /** The tenant's orderings (by score and by last activity). */
  readonly dir: string;
  readonly order: string;
  ownerDir(ownerId: string): string;
  ownerOrder(ownerId: string): string;
  /** Keys of earlier layouts: only deleted (CLEAR), never written. */
  readonly legacy: readonly string[];
  legacyOwner(ownerId: string): readonly string[];
}

export function rankingKeys(base: string): RankingKeys {
  return {
    docs: `${base}:docs`,
    owners: `${base}:owners`,
    ready: `${base}:ready`,
    generation: `${base}:generation`,
    dir: `${base}:dir`,
    order: `${base}:order`,
    ownerDir: (ownerId) => `${base}:owner:${ownerId}:dir`,
    ownerOrder: (ownerId) => `${base}:owner:${ownerId}:order`,
    // One sorted set by score and one by activity (before 2026-12-05), and the `meta` hash
    // (before the docs held each lead's version and owner).
    legacy: [`${base}:score`, `${base}:activity`, `${base}:meta`],
    legacyOwner: (ownerId) => [
      `${base}:owner:${ownerId}:score`,
      `${base}:owner:${ownerId}:activity`,
    ],
  };
}

/**
 * KEYS of one APPLY call: the tenant's four keys, then both keys of each owner the call may touch
 * (the entries' owners, plus the previous owners the script reported in an earlier attempt).
 */
export function applyKeys(base: string, owners: Iterable<string>): string[] {
  const keys = rankingKeys(base);
  const list = [keys.docs, keys.owners, keys.dir, keys.order];
  for (const owner of owners) list.push(keys.ownerDir(owner), keys.ownerOrder(owner));
  return list;
}

/**
 * KEYS of one CLEAR call: the tenant's keys and those of every owner it lists, with the keys of
 * earlier layouts (an index written by an earlier version is cleared whole by its first rebuild).
 */
export function clearKeys(base: string, owners: Iterable<string>): string[] {
  const keys = rankingKeys(base);
  const list = [keys.docs, keys.owners, keys.ready, keys.dir, keys.order, ...keys.legacy];
  for (const owner of owners)
    list.push(keys.ownerDir(owner), keys.ownerOrder(owner), ...keys.legacyOwner(owner));
  return list;
}
