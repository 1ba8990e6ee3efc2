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
 *
 * v3 (2026-12-06): the orderings as v2's, but a rebuild lays them out whole while APPLY holds live
 * entries back (`building`); a v2 process, whose APPLY does not know that, must not write them.
 */
export const RANKING_LAYOUT = 'v3';

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
  /**
   * Set while a rebuild lays out the orderings whole (its token): live entries wait in `pending`
   * meanwhile, then in `draining` while the rebuild applies them (ranking-rebuild.ts).
   */
  readonly building: string;
  readonly pending: string;
  readonly draining: string;
  /**
   * The token of the rebuild that owns the keys (set with `building`, kept until it marks the index
   * ready): a rebuild begun later takes them over, and the earlier one may no longer drop
   * `draining` or mark the index ready.
   */
  readonly rebuilder: string;
  /** The tenant's orderings (by score and by last activity). */
  readonly dir: string;
  readonly order: string;
  ownerDir(ownerId: string): string;
  ownerOrder(ownerId: string): string;
  /** Keys of earlier layouts: only deleted (CLEAR), never written. */
  readonly legacy: readonly string[];
  /** The owners sets of the earlier layouts, whose owners' keys CLEAR drops too. */
  readonly legacyOwners: readonly string[];
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
    building: `${layout}:building`,
    pending: `${layout}:pending`,
    draining: `${layout}:draining`,
    rebuilder: `${layout}:rebuilder`,
    dir: `${layout}:dir`,
    order: `${layout}:order`,
    ownerDir: (ownerId) => `${layout}:owner:${ownerId}:dir`,
    ownerOrder: (ownerId) => `${layout}:owner:${ownerId}:order`,
    // Layout 1 (until 2026-12-05): a sorted set by score and one by activity, the docs hash, the
    // owners set, the ready flag, and the `meta` hash of before the docs held versions and owners.
    // Layout v2 (until 2026-12-06): v3's keys without the rebuild's.
    legacy: [
      `${base}:score`,
      `${base}:activity`,
      `${base}:docs`,
      `${base}:owners`,
      `${base}:ready`,
      `${base}:meta`,
      ...['docs', 'owners', 'ready', 'dir', 'order'].map((name) => `${base}:v2:${name}`),
    ],
    legacyOwners: [`${base}:owners`, `${base}:v2:owners`],
    legacyOwner: (ownerId) => [
      `${base}:owner:${ownerId}:score`,
      `${base}:owner:${ownerId}:activity`,
      `${base}:v2:owner:${ownerId}:dir`,
      `${base}:v2:owner:${ownerId}:order`,
    ],
  };
}

/**
 * KEYS of one APPLY call: the tenant's keys (`ready` and `generation` too: a call that finds the
 * index out of step invalidates it itself; `building` and `pending`: a rebuild's), then both keys
 * of each owner the call may touch (the entries' owners, plus the previous owners the script
 * reported in an earlier attempt).
 */
export function applyKeys(base: string, owners: Iterable<string>): string[] {
  const keys = rankingKeys(base);
  const list = [
    keys.docs,
    keys.owners,
    keys.dir,
    keys.order,
    keys.ready,
    keys.generation,
    keys.building,
    keys.pending,
  ];
  for (const owner of owners) list.push(keys.ownerDir(owner), keys.ownerOrder(owner));
  return list;
}

/**
 * KEYS of one CLEAR call: `building` and `rebuilder` (which it sets), the tenant's keys and those of every owner it
 * lists, with the keys of earlier layouts (an index written by an earlier version is cleared whole
 * by its first rebuild).
 */
export function clearKeys(base: string, owners: Iterable<string>): string[] {
  const keys = rankingKeys(base);
  const list = [
    keys.building,
    keys.rebuilder,
    keys.docs,
    keys.owners,
    keys.ready,
    keys.dir,
    keys.order,
    keys.pending,
    keys.draining,
    ...keys.legacy,
  ];
  for (const owner of owners)
    list.push(keys.ownerDir(owner), keys.ownerOrder(owner), ...keys.legacyOwner(owner));
  return list;
}
