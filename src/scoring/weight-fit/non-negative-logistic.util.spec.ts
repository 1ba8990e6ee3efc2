import { fitNonNegativeLogistic, solve } from './non-negative-logistic.util';

const column = (values: number[]) => Float64Array.from(values);
const labels = (values: number[]) => Uint8Array.from(values);
/** Small enough that the fits below are the plain maximum-likelihood ones to 1e-6. */
const NO_RIDGE = 1e-12;

describe('fitNonNegativeLogistic', () => {
  it('fits one positive feature to its maximum likelihood (hand-worked)', () => {
    // x = 0: 1 of 4 converted; x = 1: 3 of 4. So b0 = logit(1/4) = −ln 3, β = 2·ln 3.
    const sut = fitNonNegativeLogistic({
      columns: [column([0, 0, 0, 0, 1, 1, 1, 1])],
      labels: labels([1, 0, 0, 0, 1, 1, 1, 0]),
      ridge: NO_RIDGE,
    });
    expect(sut.intercept).toBeCloseTo(-Math.log(3), 6);
    expect(sut.coefficients[0]).toBeCloseTo(2 * Math.log(3), 6);
    // (2·ln ¼ + 6·ln ¾) / 8
    expect(sut.meanLogLikelihood).toBeCloseTo((Math.log(0.25) + 3 * Math.log(0.75)) / 4, 9);
  });

  it('holds a negatively associated feature at 0, leaving the base rate', () => {
    const sut = fitNonNegativeLogistic({
      columns: [column([0, 0, 0, 0, 1, 1, 1, 1])],
      labels: labels([1, 1, 1, 0, 1, 0, 0, 0]),
      ridge: NO_RIDGE,
    });
    expect(sut.coefficients).toEqual([0]);
    expect(sut.intercept).toBeCloseTo(0, 9);
    expect(sut.meanLogLikelihood).toBeCloseTo(Math.log(0.5), 9);
  });

  it('drops the negative feature and refits the other alone (hand-worked)', () => {
    // Four rows per cell (x1, x2); converted 2, 3, 1, 2 of them: exactly b0 = 0, β1 = ln 3,
    // β2 = −ln 3 unconstrained. With β2 ≥ 0 the optimum is x1 alone: 3 of 8 converted at x1 = 0,
    // 5 of 8 at x1 = 1, so b0 = ln(3/5) and β1 = 2·ln(5/3).
    const x1 = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1];
    const x2 = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
    const y = [1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0];
    const sut = fitNonNegativeLogistic({
      columns: [column(x1), column(x2)],
      labels: labels(y),
      ridge: NO_RIDGE,
    });
    expect(sut.intercept).toBeCloseTo(Math.log(3 / 5), 6);
    expect(sut.coefficients[0]).toBeCloseTo(2 * Math.log(5 / 3), 6);
    expect(sut.coefficients[1]).toBe(0);
  });

  it('stays finite when a feature separates the classes', () => {
    const sut = fitNonNegativeLogistic({
      columns: [column([0, 0, 0, 1, 1, 1])],
      labels: labels([0, 0, 0, 1, 1, 1]),
    });
    expect(Number.isFinite(sut.coefficients[0])).toBe(true);
    expect(sut.coefficients[0]).toBeGreaterThan(10);
    expect(sut.intercept).toBeCloseTo(-sut.coefficients[0] / 2, 6);
    expect(sut.meanLogLikelihood).toBeGreaterThan(-0.01);
  });

  it('meets the optimality conditions where a full Newton step overshoots', () => {
    // Found by a search: the first Newton step from the base rate lowers the likelihood here,
    // so the step is halved. At the constrained optimum the gradient is 0 in the intercept and
    // in each positive coefficient, and ≤ 0 in each coefficient held at 0.
    const columns = [
      column([1, 1, 1, 1, 0.00012026303714378984, 1]),
      column([1, 1, 0.07666721846754913, 1, 0, 0]),
      column([0.08760680552077448, 1, 1, 0.0020667180397145276, 1, 0.05004257695284639]),
    ];
    const y = labels([0, 0, 0, 1, 0, 1]);
    const ridge = 1e-12;
    const sut = fitNonNegativeLogistic({ columns, labels: y, ridge });
    const eta = (i: number) =>
      sut.intercept + sut.coefficients.reduce((sum, beta, j) => sum + beta * columns[j][i], 0);
    const p = Array.from(y, (_, i) => 1 / (1 + Math.exp(-eta(i))));
    const gradient = (x: (i: number) => number) =>
      Array.from(y).reduce((s, label, i) => s + ((label - p[i]) * x(i)) / y.length, 0);
    expect(Math.abs(gradient(() => 1))).toBeLessThan(1e-6);
    sut.coefficients.forEach((beta, j) => {
      const g = gradient((i) => columns[j][i]) - ridge * beta;
      if (beta > 0) expect(Math.abs(g)).toBeLessThan(1e-6);
      else expect(g).toBeLessThan(1e-6);
    });
  });

  it('gives the same fit twice', () => {
    const input = {
      columns: [column([0.1, 0.5, 0.9, 0.3, 0.7]), column([0.2, 0.2, 0.8, 0.9, 0.1])],
      labels: labels([0, 1, 1, 0, 1]),
    };
    expect(fitNonNegativeLogistic(input)).toEqual(fitNonNegativeLogistic(input));
  });

  it('refuses empty, mismatched or unpenalised input', () => {
    expect(() => fitNonNegativeLogistic({ columns: [], labels: labels([]) })).toThrow(
      'no rows to fit',
    );
    expect(() =>
      fitNonNegativeLogistic({ columns: [column([1, 2])], labels: labels([0, 1, 1]) }),
    ).toThrow('a column of 2 for 3 labels');
    expect(() =>
      fitNonNegativeLogistic({ columns: [column([1])], labels: labels([1]), ridge: 0 }),
    ).toThrow('ridge must be > 0, not 0');
  });
});

describe('solve', () => {
  it('solves a system whose first pivot is 0', () => {
    const matrix = [column([0, 2, 1]), column([1, 1, 1]), column([2, 1, 0])];
    const x = solve(matrix, column([7, 6, 4]));
    expect(Array.from(x).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3]);
  });
});
