import { Split, splitRows } from '../eval/split.util';
import { modelParams } from '../train/model-params.util';
import { trainPipeline } from '../train/train-pipeline.util';
import { normalizeTransformation } from '../transform/transformation.util';
import { dropColumnImportance, quickModelAuc } from './drop-column.util';
import { makeTable, syntheticLeads } from './__tests__/setup-fixtures.factory';

const table = syntheticLeads({ rows: 2000, seed: 3, leak: false });
const split = splitRows({ eventTimes: table.eventTimes, labels: table.labels, seed: 42 });
const input = { table, split };

describe('quickModelAuc', () => {
  it('is the AUC the training pipeline reports for logistic regression with its defaults', () => {
    const features = ['noise', 'segment', 'signal1', 'signal2'];
    const pipeline = trainPipeline({
      table,
      modelType: 'LOGISTIC_REGRESSION',
      params: modelParams('LOGISTIC_REGRESSION', {}).params,
      transformation: normalizeTransformation({ features }),
      seed: 42,
    });
    let step = pipeline.next();
    while (!step.done) step = pipeline.next();
    expect(quickModelAuc(input, features)).toBe(step.value.metrics.auc);
  });

  it('is null when the transformation refuses the features', () => {
    expect(quickModelAuc(input, ['nowhere'])).toBeNull();
  });
});

describe('dropColumnImportance', () => {
  const features = ['noise', 'segment', 'signal1', 'signal2', 'signal3', 'signal4', 'signal5'];
  const sut = dropColumnImportance(input, features);

  it('is the AUC lost without each feature: the signals lose some, the noise next to none', () => {
    expect(sut.auc).toBe(quickModelAuc(input, features));
    // Seeded data, so fixed numbers: the signals lose 0.005 to 0.036, the noise 0.0003.
    const noise = sut.importance.get('noise')!;
    expect(Math.abs(noise)).toBeLessThan(0.001);
    for (const name of ['segment', 'signal1', 'signal2', 'signal3', 'signal4', 'signal5']) {
      expect(sut.importance.get(name)).toBeGreaterThan(noise + 0.004);
    }
    expect(sut.importance.get('signal1')).toBeCloseTo(
      sut.auc! -
        quickModelAuc(
          input,
          features.filter((name) => name !== 'signal1'),
        )!,
      12,
    );
    expect(sut.notes).toEqual([]);
  });

  it('measures a lone feature against 0.5: no model at all', () => {
    const alone = dropColumnImportance(input, ['signal1']);
    expect(alone.importance.get('signal1')).toBeCloseTo(alone.auc! - 0.5, 12);
  });

  it('says why when there is no AUC: the test rows lack a class', () => {
    const oneClassTest: Pick<Split, 'train' | 'test'> = {
      train: split.train,
      test: split.test.filter((row) => table.labels[row] === 0),
    };
    expect(dropColumnImportance({ table, split: oneClassTest }, ['signal1', 'noise'])).toEqual({
      auc: null,
      importance: new Map([
        ['signal1', null],
        ['noise', null],
      ]),
      notes: ['quick model not measured: its test rows lack a class, so there is no AUC'],
    });
  });

  it("passes on the transformation's refusal as a note", () => {
    const text = makeTable(
      Array.from({ length: 40 }, (_, i) => (i % 2) as 0 | 1),
      (i) => ({ comment: `said thing number ${i}` }),
    );
    const textSplit = splitRows({ eventTimes: text.eventTimes, labels: text.labels });
    const result = dropColumnImportance({ table: text, split: textSplit }, ['comment']);
    expect(result.auc).toBeNull();
    expect(result.notes[0]).toMatch(
      /^quick model not measured: invalid transformation: features\.0/,
    );
  });

  it('lets any other failure through', () => {
    const broken = { table, split: { train: [10_000], test: split.test } };
    expect(() => dropColumnImportance(broken, ['signal1'])).toThrow(RangeError);
  });
});
