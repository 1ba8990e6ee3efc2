import { applyKeys, clearKeys, needsRebuild, rankingKeys } from './score-ranking.index';

/** The part of a key Redis Cluster hashes: the first non-empty {...}, else the whole key. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('ranking index keys (Redis Cluster)', () => {
  const tenantId = '65f0c0ffee0000000000beef';
  const base = `t_prefix:ranking:{${tenantId}}`;

  it('declares the base keys and both keys of every owner, all hashed on the tenant', () => {
    const keys = applyKeys(base, ['owner-a', 'owner-b']);
    const names = rankingKeys(base);
    expect(keys).toEqual([
      names.docs,
      names.owners,
      names.dir,
      names.order,
      names.ready,
      names.generation,
      names.building,
      names.pending,
      names.ownerDir('owner-a'),
      names.ownerOrder('owner-a'),
      names.ownerDir('owner-b'),
      names.ownerOrder('owner-b'),
    ]);
    for (const key of [...keys, names.ready, names.generation])
      expect(hashedPart(key)).toBe(tenantId);
  });

  it('keeps an owner id with braces inside the tenant slot', () => {
    for (const key of applyKeys(base, ['{other}', 'a}b{c'])) expect(hashedPart(key)).toBe(tenantId);
  });

  it('clears the ready flag with the orderings, and never the generation', () => {
    const names = rankingKeys(base);
    const keys = clearKeys(base, ['owner-a']);
    expect(keys).toContain(names.ready);
    expect(keys).toContain(names.ownerOrder('owner-a'));
    // What an index of an earlier layout may still have: sorted sets, the `meta` hash.
    expect(keys).toEqual(
      expect.arrayContaining([...names.legacy, ...names.legacyOwner('owner-a')]),
    );
    expect(names.legacy).toEqual(
      expect.arrayContaining([`${base}:score`, `${base}:docs`, `${base}:ready`, `${base}:meta`]),
    );
    // v2's, and its owners' orderings.
    expect(names.legacy).toEqual(expect.arrayContaining([`${base}:v2:docs`, `${base}:v2:dir`]));
    expect(names.legacyOwner('owner-a')).toContain(`${base}:v2:owner:owner-a:order`);
    // A rebuild's keys: what it held back goes with it.
    expect(keys).toEqual(expect.arrayContaining([names.building, names.pending, names.draining]));
    for (const key of keys) expect(hashedPart(key)).toBe(tenantId);
    expect(keys).not.toContain(names.generation);
  });

  it('names every key of the layout under it, never as a key of the layout before', () => {
    const names = rankingKeys(base);
    const current = [
      names.docs,
      names.owners,
      names.ready,
      names.dir,
      names.order,
      names.building,
      names.pending,
      names.draining,
    ];
    for (const key of [...current, names.ownerDir('a'), names.ownerOrder('a')])
      expect(key.startsWith(`${base}:v3:`)).toBe(true);
    for (const key of [...names.legacy, ...names.legacyOwners, ...names.legacyOwner('a')])
      expect(current).not.toContain(key);
    // The invalidation counter is shared: a rebuild of either layout sees the other's invalidations.
    expect(names.generation).toBe(`${base}:generation`);
  });

  it('asks for a rebuild only when the index is not complete', () => {
    expect(needsRebuild('missing')).toBe(true);
    expect(needsRebuild('incomplete')).toBe(true);
    expect(needsRebuild('unservable')).toBe(false);
    expect(needsRebuild('disabled')).toBe(false);
  });
});
