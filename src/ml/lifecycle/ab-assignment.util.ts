/**
 * A/B arms by a stable hash of the test and the lead: the same lead is in the same arm on every
 * process and every call, and arms are independent between tests. FNV-1a over the UTF-16 code
 * units, then MurmurHash3's 32-bit finaliser (FNV alone maps ids that differ in their last
 * character to neighbouring values, which would split `L-1`, `L-2`, … in runs).
 */
export function stableUnitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}

export type AbArm = 'A' | 'B';

/** Arm A for a share `shareA` (strictly between 0 and 1) of the leads, B for the rest. */
export function abArmOf(testId: string, leadId: string, shareA: number): AbArm {
  if (!(shareA > 0 && shareA < 1)) throw new RangeError('shareA must be strictly between 0 and 1');
  return stableUnitHash(`${testId}\u0000${leadId}`) < shareA ? 'A' : 'B';
}
