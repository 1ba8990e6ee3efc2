/**
 * Cholesky factorization of a symmetric m×m matrix (row-major, both triangles filled), in place:
 * afterwards the lower triangle holds L with A = L·Lᵀ. False when A is not positive definite,
 * or so close to singular that a pivot keeps less than `relativePivot` of its diagonal (a column
 * that is, to rounding, a combination of the ones before it): the solve would be noise.
 */
export function choleskyInPlace(a: Float64Array, m: number, relativePivot = 1e-12): boolean {
  for (let j = 0; j < m; j++) {
    const rowJ = j * m;
    let pivot = a[rowJ + j];
    const diagonal = pivot;
    for (let k = 0; k < j; k++) pivot -= a[rowJ + k] * a[rowJ + k];
    // `!(… > …)` rather than `≤`, so that a NaN pivot fails too.
    if (!(pivot > relativePivot * diagonal) || !(pivot > 0)) return false;
    const root = Math.sqrt(pivot);
    a[rowJ + j] = root;
    for (let i = j + 1; i < m; i++) {
      const rowI = i * m;
      let sum = a[rowI + j];
      for (let k = 0; k < j; k++) sum -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = sum / root;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b for the factor left by `choleskyInPlace`; b is overwritten with x. */
export function choleskySolveInPlace(l: Float64Array, m: number, b: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * m + k] * b[k];
    b[i] = sum / l[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let sum = b[i];
    for (let k = i + 1; k < m; k++) sum -= l[k * m + i] * b[k];
    b[i] = sum / l[i * m + i];
  }
}
