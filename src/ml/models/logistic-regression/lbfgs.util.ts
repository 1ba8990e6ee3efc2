/** The last few curvature pairs (s, y) of L-BFGS, and the two-loop recursion over them. */
export interface LbfgsMemory {
  readonly size: number;
  readonly s: Float64Array[];
  readonly y: Float64Array[];
  readonly rho: number[];
}

export const LBFGS_MEMORY = 10;

export function lbfgsMemory(size = LBFGS_MEMORY): LbfgsMemory {
  return { size, s: [], y: [], rho: [] };
}

/**
 * Keeps (s, y) when its curvature sᵀy is clearly positive; a pair without it would make the
 * implied inverse Hessian indefinite. The oldest pair goes when the memory is full.
 */
export function rememberPair(memory: LbfgsMemory, s: Float64Array, y: Float64Array): boolean {
  let sy = 0;
  let ss = 0;
  let yy = 0;
  for (let i = 0; i < s.length; i++) {
    sy += s[i] * y[i];
    ss += s[i] * s[i];
    yy += y[i] * y[i];
  }
  if (!(sy > 1e-10 * Math.sqrt(ss * yy))) return false;
  if (memory.s.length === memory.size) {
    memory.s.shift();
    memory.y.shift();
    memory.rho.shift();
  }
  memory.s.push(s);
  memory.y.push(y);
  memory.rho.push(1 / sy);
  return true;
}

export function forgetPairs(memory: LbfgsMemory): void {
  memory.s.length = 0;
  memory.y.length = 0;
  memory.rho.length = 0;
}

/**
 * −H·g by the two-loop recursion. H₀ is diag(1 / diagonal) when given (the inverse diagonal of the
 * Hessian: one-hot levels of very different frequencies make the plain (sᵀy / yᵀy)·I a poor
 * guess), else (sᵀy / yᵀy)·I from the newest pair, I when there is none.
 */
export function lbfgsDirection(
  memory: LbfgsMemory,
  gradient: Float64Array,
  out: Float64Array,
  diagonal?: Float64Array,
): void {
  const n = gradient.length;
  const k = memory.s.length;
  const alpha = new Float64Array(k);
  for (let i = 0; i < n; i++) out[i] = -gradient[i];
  for (let j = k - 1; j >= 0; j--) {
    const s = memory.s[j];
    const y = memory.y[j];
    let dot = 0;
    for (let i = 0; i < n; i++) dot += s[i] * out[i];
    alpha[j] = memory.rho[j] * dot;
    for (let i = 0; i < n; i++) out[i] -= alpha[j] * y[i];
  }
  if (diagonal) {
    for (let i = 0; i < n; i++) if (diagonal[i] > 0) out[i] /= diagonal[i];
  } else if (k > 0) {
    const y = memory.y[k - 1];
    let yy = 0;
    for (let i = 0; i < n; i++) yy += y[i] * y[i];
    const gamma = 1 / (memory.rho[k - 1] * yy);
    for (let i = 0; i < n; i++) out[i] *= gamma;
  }
  for (let j = 0; j < k; j++) {
    const s = memory.s[j];
    const y = memory.y[j];
    let dot = 0;
    for (let i = 0; i < n; i++) dot += y[i] * out[i];
    const beta = memory.rho[j] * dot;
    for (let i = 0; i < n; i++) out[i] += (alpha[j] - beta) * s[i];
  }
}
