import { syntheticLeads } from '@/ml/setup/__tests__/setup-fixtures.factory';
import { profileDataset } from '@/ml/setup/profile-dataset.util';
import { recommendSetup } from '@/ml/setup/recommend-setup.util';
import { screenLeakage } from '@/ml/setup/screen-leakage.util';

import { chooseSetup } from './apply-setup.util';

describe('chooseSetup: the recommendation with the admin’s changes', () => {
  const profile = profileDataset(syntheticLeads({ rows: 600, seed: 3, leak: true }));
  const flags = screenLeakage(profile);
  const base = recommendSetup(profile, flags);

  it('takes the recommendation as it is', () => {
    const sut = chooseSetup({ profile, flags, base, adjustments: {} });
    if (!sut.ok) throw new Error(JSON.stringify(sut.problems));
    expect(sut.value.transformation).toEqual(base.transformation);
    expect(sut.value).toMatchObject({ modelType: base.model!.type, keptFlagged: [], seed: 42 });
  });

  it('keeps a flagged column knowingly, leaves another out, and changes the model', () => {
    const sut = chooseSetup({
      profile,
      flags,
      base,
      adjustments: {
        keepColumns: ['closedValue'],
        excludeColumns: ['noise'],
        modelType: 'NAIVE_BAYES',
        params: { alpha: 2 },
      },
    });
    if (!sut.ok) throw new Error(JSON.stringify(sut.problems));
    expect(sut.value.transformation.features).toContain('closedValue');
    expect(sut.value.transformation.features).not.toContain('noise');
    expect(sut.value.transformation.exclude).toEqual(['noise']);
    expect(sut.value).toMatchObject({
      modelType: 'NAIVE_BAYES',
      params: { alpha: 2, bins: 10 },
      keptFlagged: ['closedValue'],
    });
  });

  it('names every bad field', () => {
    const sut = chooseSetup({
      profile,
      flags,
      base,
      adjustments: {
        keepColumns: ['nope', 'noise'],
        excludeColumns: ['noise', 'gone'],
        modelType: 'LOGISTIC_REGRESSION',
        params: { l2: -1 },
      },
    });
    expect(sut.ok ? [] : sut.problems.map((p) => p.path)).toEqual([
      'input.keepColumns.0',
      'input.keepColumns.1',
      'input.excludeColumns.1',
      'input.params.l2',
    ]);
  });

  it('refuses to leave nothing to train on', () => {
    const sut = chooseSetup({
      profile,
      flags,
      base,
      adjustments: { excludeColumns: base.transformation!.features! },
    });
    expect(sut.ok ? [] : sut.problems).toEqual([
      {
        path: 'input',
        messages: ['no column is left to train on: keep at least one with keepColumns'],
      },
    ]);
  });
});
