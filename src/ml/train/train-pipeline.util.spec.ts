import { DatasetRowInput, tableFromRows } from '../dataset/dataset-table.util';
import { modelLogit } from '../models/trained-model';
import { normalizeTransformation, transformTable } from '../transform/transformation.util';
import { modelParams } from './model-params.util';
import { TrainingOutcome, trainPipeline, uninformativeFeatures } from './train-pipeline.util';

/** 400 leads: `signal` decides the label (with a few exceptions), `noise` does not. */
function rows({ distinctTimes }: { distinctTimes: boolean }): DatasetRowInput[] {
  return Array.from({ length: 400 }, (_, i) => {
    const signal = (i * 37) % 100;
    return {
      leadId: `L-${String(i).padStart(3, '0')}`,
      label: signal > 60 !== (i % 17 === 0) ? 1 : 0,
      eventTime: distinctTimes ? Date.UTC(2026, 0, 1) + i * 3_600_000 : Date.UTC(2026, 0, 1),
      features: {
        signal,
        noise: (i * 53) % 7,
        segment: ['a', 'b'][i % 2],
        constant: 5,
        empty: null,
      },
    };
  });
}

function run(
  type: 'LOGISTIC_REGRESSION' | 'GRADIENT_BOOSTING' | 'NAIVE_BAYES',
  distinctTimes = false,
): TrainingOutcome {
  const table = tableFromRows(rows({ distinctTimes }));
  const pipeline = trainPipeline({
    table,
    modelType: type,
    params: modelParams(type, {}).params,
    transformation: normalizeTransformation({ categorical: { minFrequency: 1 } }),
    seed: 7,
  });
  const stages = new Set<string>();
  for (;;) {
    const step = pipeline.next();
    if (step.done) {
      expect([...stages]).toEqual(['BUILDING_FEATURES', 'FITTING', 'EVALUATING']);
      return step.value;
    }
    stages.add(step.value.stage);
  }
}

describe('trainPipeline', () => {
  it.each(['LOGISTIC_REGRESSION', 'GRADIENT_BOOSTING', 'NAIVE_BAYES'] as const)(
    '%s learns the signal, drops constant and empty features with a note, and is deterministic',
    (type) => {
      const outcome = run(type);
      expect(outcome.dropped).toEqual(['constant', 'empty']);
      expect(outcome.notes).toEqual(
        expect.arrayContaining([
          'constant dropped: constant or missing on every training row',
          'empty dropped: constant or missing on every training row',
        ]),
      );
      expect(outcome.fitted.features.map((f) => f.name)).not.toContain('constant');
      expect(outcome.metrics.auc).toBeGreaterThan(0.85);
      expect(outcome.split).toMatchObject({ method: 'STRATIFIED', trainRows: 320, testRows: 80 });
      expect(outcome.importance[0].feature).toBe('signal');
      expect(JSON.stringify(run(type).model)).toBe(JSON.stringify(outcome.model));
    },
  );

  it('holds out the most recent fifth when outcome times are distinct', () => {
    const outcome = run('LOGISTIC_REGRESSION', true);
    // Rows are an hour apart from 2026-01-01: the last 80 (from hour 320) are the test rows.
    expect(outcome.split).toMatchObject({
      method: 'TIME',
      trainRows: 320,
      testRows: 80,
      cutoff: Date.UTC(2026, 0, 1) + 320 * 3_600_000,
    });
  });

  it('scores a training row with the fitted model as the pipeline evaluated it', () => {
    const table = tableFromRows(rows({ distinctTimes: false }));
    const outcome = run('GRADIENT_BOOSTING');
    const { matrix, cols } = transformTable(outcome.fitted, table, [0]);
    expect(Number.isFinite(modelLogit(outcome.model, matrix, 0))).toBe(true);
    expect(cols).toBe(outcome.fitted.outputNames.length);
  });

  it('finds features that never vary on the rows given', () => {
    const table = tableFromRows(rows({ distinctTimes: false }));
    expect(
      uninformativeFeatures(table, [0, 1, 2], ['signal', 'constant', 'empty', 'segment']),
    ).toEqual(['constant', 'empty']);
    expect(uninformativeFeatures(table, [0, 2], ['segment'])).toEqual(['segment']);
  });
});
