import { seededRandom, shuffleInPlace } from '../common/random.util';

export type SplitMethod = 'TIME' | 'STRATIFIED';

export interface Split {
  readonly method: SplitMethod;
  /** Row indexes, ascending. */
  readonly train: readonly number[];
  /** Row indexes, ascending. */
  readonly test: readonly number[];
  /** TIME: the first test event time (every test row is at or after it, every train row before). */
  readonly cutoff: number | null;
  /** Why this method, in a sentence for people. */
  readonly reason: string;
}

/**
 * Splits rows into train and test, Dynamics 365 style.
 *
 * TIME, when the rows are time-ordered enough to mean it: at least half as many distinct event
 * times as rows. Rows sorted by (event time, index); the latest ceil(testFraction·n) are test,
 * widened back to take the whole group of rows sharing the cutoff time, so no time is on both
 * sides. Testing on the future is what the model will face; a shuffled split would leak it.
 *
 * STRATIFIED otherwise, or when the time split leaves train or test without both classes (a
 * metric on one class is meaningless), or when an event time is missing (NaN): per class
 * (0 then 1, one seeded generator for both), shuffle its row indexes and take the first
 * round(testFraction·count) as test (halves round up), at least 1 and at most count − 1 when the
 * class has ≥ 2 rows. A class of one row keeps it in train, where the model can at least see it;
 * with one row of each class (n = 2) the later row is test, as test must not be empty.
 *
 * Throws a RangeError for testFraction outside (0, 1), fewer than 2 rows, lengths that differ,
 * or a label other than 0 or 1.
 */
export function splitRows({
  eventTimes,
  labels,
  testFraction = 0.2,
  seed = 42,
}: {
  eventTimes: Float64Array;
  labels: Uint8Array;
  testFraction?: number;
  seed?: number;
}): Split {
  const n = labels.length;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be in (0, 1), not ${testFraction}`);
  }
  if (eventTimes.length !== n) {
    throw new RangeError(`${eventTimes.length} event times but ${n} labels`);
  }
  if (n < 2) throw new RangeError(`cannot split ${n} row${n === 1 ? '' : 's'}`);
  for (let i = 0; i < n; i++) {
    if (labels[i] > 1) throw new RangeError(`label ${labels[i]} at row ${i} is neither 0 nor 1`);
  }

  let missingTimes = 0;
  for (const time of eventTimes) if (Number.isNaN(time)) missingTimes++;
  if (missingTimes > 0) {
    return stratified(
      labels,
      testFraction,
      seed,
      `${missingTimes} of ${n} rows have no event time, so they cannot be ordered in time`,
    );
  }
  const distinct = new Set(eventTimes).size;
  if (distinct < n / 2) {
    return stratified(
      labels,
      testFraction,
      seed,
      `only ${distinct} distinct event times for ${n} rows (fewer than half), so the rows are not time-ordered`,
    );
  }

  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => eventTimes[a] - eventTimes[b] || a - b,
  );
  const wanted = Math.ceil(snap(testFraction * n));
  let start = n - wanted;
  const cutoff = eventTimes[order[start]];
  while (start > 0 && eventTimes[order[start - 1]] === cutoff) start--;
  const train = order.slice(0, start).sort(ascending);
  const test = order.slice(start).sort(ascending);

  const trainClasses = classesIn(labels, train);
  const testClasses = classesIn(labels, test);
  if (trainClasses.length < 2 || testClasses.length < 2) {
    const side =
      testClasses.length < 2
        ? `its test rows (${test.length}) have ${describe(testClasses)}`
        : `its train rows (${train.length}) have ${describe(trainClasses)}`;
    return stratified(labels, testFraction, seed, `a time split was possible but ${side}`);
  }
  const widened =
    test.length > wanted ? `, widened from ${wanted} to keep tied times together` : '';
  return {
    method: 'TIME',
    train,
    test,
    cutoff,
    reason: `time-ordered (${distinct} distinct event times for ${n} rows): the latest ${test.length} rows, from time ${cutoff} on, are test${widened}`,
  };
}

function stratified(labels: Uint8Array, testFraction: number, seed: number, why: string): Split {
  const byClass: number[][] = [[], []];
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const random = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byClass) {
    shuffleInPlace(rows, random);
    let take = Math.round(snap(testFraction * rows.length));
    if (rows.length >= 2) take = Math.min(Math.max(take, 1), rows.length - 1);
    else take = 0;
    test.push(...rows.slice(0, take));
    train.push(...rows.slice(take));
  }
  train.sort(ascending);
  test.sort(ascending);
  // Only n = 2 with one row per class gets here empty: move the later row.
  const last = test.length === 0 ? train.pop() : undefined;
  if (last !== undefined) test.push(last);
  return {
    method: 'STRATIFIED',
    train,
    test,
    cutoff: null,
    reason: `stratified random split (seed ${seed}): ${why}`,
  };
}

/** testFraction·n can land a hair off an integer (0.1·3 = 0.30000000000000004); take the integer. */
function snap(x: number): number {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) < 1e-9 ? nearest : x;
}

function ascending(a: number, b: number): number {
  return a - b;
}

function classesIn(labels: Uint8Array, rows: readonly number[]): number[] {
  const seen = new Set<number>();
  for (const row of rows) seen.add(labels[row]);
  return [...seen].sort(ascending);
}

function describe(classes: readonly number[]): string {
  return classes.length === 0 ? 'no rows' : `only class ${classes[0]}`;
}
