import { TrainingData } from './model.types';
import { checkTrainingData } from './training-data.util';

/** Two columns, four rows, labels 1 0 1 0. */
const DATA: TrainingData = {
  x: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
  rows: 4,
  cols: 2,
  y: Uint8Array.from([1, 0, 1, 0]),
};

describe('checkTrainingData', () => {
  it('counts the positive rows of good data', () => {
    expect(checkTrainingData(DATA, 'model')).toEqual({ positives: 2 });
    const oneNegative = { ...DATA, y: Uint8Array.from([1, 1, 1, 0]) };
    expect(checkTrainingData(oneNegative, 'model')).toEqual({ positives: 3 });
  });

  it('leaves the values of x to the trainer', () => {
    const odd = { ...DATA, x: Float64Array.from([NaN, Infinity, -Infinity, 0, 0, 0, 0, 0]) };
    expect(checkTrainingData(odd, 'model')).toEqual({ positives: 2 });
  });

  it.each([
    [{ rows: 4.5 }, 'rows and cols must be non-negative integers (got 4.5 × 2)'],
    [{ cols: -1 }, 'rows and cols must be non-negative integers (got 4 × -1)'],
    [{ rows: NaN }, 'rows and cols must be non-negative integers (got NaN × 2)'],
    [{ rows: 5 }, 'x has 8 values, not rows × cols = 10'],
    [{ x: new Float64Array(6) }, 'x has 6 values, not rows × cols = 8'],
    [{ y: Uint8Array.from([1, 0, 1]) }, 'y has 3 labels, not 4'],
  ])('refuses a misshapen %p', (change, message) => {
    expect(() => checkTrainingData({ ...DATA, ...change }, 'model')).toThrow(
      new RangeError(message),
    );
  });

  it('refuses a label other than 0 or 1, naming the first', () => {
    const bad = { ...DATA, y: Uint8Array.from([1, 2, 0, 3]) };
    expect(() => checkTrainingData(bad, 'model')).toThrow(
      new RangeError('y[1] is 2: labels are 0 or 1'),
    );
  });

  it('refuses a missing class, naming the trainer', () => {
    const positive = { ...DATA, y: new Uint8Array(4).fill(1) };
    expect(() => checkTrainingData(positive, 'naive Bayes')).toThrow(
      new RangeError('naive Bayes needs rows of both classes (4 positive of 4)'),
    );
    const negative = { ...DATA, y: new Uint8Array(4) };
    expect(() => checkTrainingData(negative, 'logistic regression')).toThrow(
      new RangeError('logistic regression needs rows of both classes (0 positive of 4)'),
    );
    const empty = { x: new Float64Array(0), rows: 0, cols: 3, y: new Uint8Array(0) };
    expect(() => checkTrainingData(empty, 'model')).toThrow(/both classes \(0 positive of 0\)/);
  });
});
