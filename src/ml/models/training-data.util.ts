import { TrainingData } from './model.types';

/**
 * Checks what a trainer that needs both classes takes: rows and cols non-negative integers, x of
 * rows × cols values, one label per row, every label 0 or 1, and at least one row of each class
 * (`model` names the trainer in that message). Returns the number of positive rows.
 * Throws RangeError otherwise; the values of x are the trainer's to check.
 */
export function checkTrainingData(data: TrainingData, model: string): { positives: number } {
  const { x, rows, cols, y } = data;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`rows and cols must be non-negative integers (got ${rows} × ${cols})`);
  }
  if (x.length !== rows * cols) {
    throw new RangeError(`x has ${x.length} values, not rows × cols = ${rows * cols}`);
  }
  if (y.length !== rows) throw new RangeError(`y has ${y.length} labels, not ${rows}`);
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    if (y[i] > 1) throw new RangeError(`y[${i}] is ${y[i]}: labels are 0 or 1`);
    positives += y[i];
  }
  if (positives === 0 || positives === rows) {
    throw new RangeError(`${model} needs rows of both classes (${positives} positive of ${rows})`);
  }
  return { positives };
}
