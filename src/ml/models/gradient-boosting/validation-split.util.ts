import { seededRandom, shuffleInPlace } from '../../common/random.util';

export interface ValidationSplit {
  /** Ascending row indexes. */
  readonly train: Uint32Array;
  readonly validation: Uint32Array;
}

/**
 * A seeded slice of the rows, stratified by label: round(fraction · n_c) rows of each class c,
 * but never a class's last training row. Row order is kept on both sides.
 */
export function stratifiedValidationSplit(
  y: Uint8Array,
  fraction: number,
  seed: number,
): ValidationSplit {
  const random = seededRandom(seed);
  const byClass: number[][] = [[], []];
  for (let i = 0; i < y.length; i++) byClass[y[i] === 1 ? 1 : 0].push(i);
  const held = new Uint8Array(y.length);
  let heldCount = 0;
  for (const rows of byClass) {
    shuffleInPlace(rows, random);
    const take = Math.min(rows.length - 1, Math.round(fraction * rows.length));
    for (let k = 0; k < take; k++) held[rows[k]] = 1;
    heldCount += Math.max(0, take);
  }
  const train = new Uint32Array(y.length - heldCount);
  const validation = new Uint32Array(heldCount);
  let t = 0;
  let v = 0;
  for (let i = 0; i < y.length; i++) {
    if (held[i] === 1) validation[v++] = i;
    else train[t++] = i;
  }
  return { train, validation };
}
