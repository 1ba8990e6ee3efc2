/**
 * The keys of a tenant's index. Every name carries the tenant in a hash tag (`{tenantId}`), so
 * Redis Cluster puts all of them, the owners' keys included, in one slot: a script may touch any of
 * them as long as it declares them in KEYS.
 *
 * The orderings of a group of leads (the tenant's, or one owner's) are two keys: `dir`, the bounds
 * of its buckets, and `order`, the buckets themselves (ranking-scripts.ts).
 *
 * The keys are named under the layout (`RANKING_LAYOUT`): a process never takes another layout's
 * keys for its own. Right after a deploy that changes it, no tenant's index of the new layout is
 * `ready`, so pages come from MongoDB and ask for a rebuild, whose clear also drops the earlier
 * layout's keys; during a rolling deploy each version keeps and serves its own.
 */
export const RANKING_LAYOUT = 'v2';

export interface RankingKeys {
  /** What the scripts build an owner's keys from (`<layout>:owner:<id>:dir`). */
  readonly layout: string;
  readonly docs: string;
  readonly owners: string;
  readonly ready: string;
  /**
   * Counts invalidations (shared by the layouts): a rebuild started before one is not marked ready.
   */
  readonly generation: string;
  /** The tenant's orderings (by score and by last activity). */
  readonly dir: string;
  readonly order: string;
  ownerDir(ownerId: string): string;
  ownerOrder(ownerId: string): string;
  /** Keys of earlier layouts: only deleted (CLEAR), never written. */
  readonly legacy: readonly string[];
  /** The owners set of the layout before (sorted sets), whose owners' keys CLEAR drops too. */
  readonly legacyOwners: string;
  legacyOwner(ownerId: string): readonly string[];
}

export function rankingKeys(base: string): RankingKeys {
  const layout = `${base}:${RANKING_LAYOUT}`;
  return {
    layout,
    docs: `${layout}:docs`,
    owners: `${layout}:owners`,
    ready: `${layout}:ready`,
    generation: `${base}:generation`,
    dir: `${layout}:dir`,
    order: `${layout}:order`,
    ownerDir: (ownerId) => `${layout}:owner:${ownerId}:dir`,
    ownerOrder: (ownerId) => `${layout}:owner:${ownerId}:order`,
    // Layout 1 (until 2026-12-05): a sorted set by score and one by activity, the docs hash, the
    // owners set, the ready flag, and the `meta` hash of before the docs held versions and owners.
    legacy: [
      `${base}:score`,
      `${base}:activity`,
      `${base}:docs`,
      `${base}:owners`,
      `${base}:ready`,
      `${base}:meta`,
    ],
    legacyOwners: `${base}:owners`,
    legacyOwner: (ownerId) => [
      `${base}:owner:${ownerId}:score`,
      `${base}:owner:${ownerId}:activity`,
    ],
  };
}

/**
 * KEYS of one APPLY call: the tenant's keys (`ready` and `generation` too: a call that finds the
 * index out of step invalidates it itself), then both keys of each owner the call may touch (the
 * entries' owners, plus the previous owners the script reported in an earlier attempt).
 */
export function applyKeys(base: string, owners: Iterable<string>): string[] {
  const keys = rankingKeys(base);
  const list = [keys.docs, keys.owners, keys.dir, keys.order, keys.ready, keys.generation];
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
