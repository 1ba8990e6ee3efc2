import { describeTable } from '../dataset/feature-stats.util';
import { modelParams } from '../train/model-params.util';
import { normalizeTransformation, validateTransformation } from '../transform/transformation.util';
import { ColumnRole } from './column-role.util';
import { profileDataset } from './profile-dataset.util';
import { recommendModel } from './recommend-model.util';
import { recommendSetup } from './recommend-setup.util';
import { screenLeakage } from './screen-leakage.util';
import {
  makeColumnProfile,
  makeProfile,
  makeTable,
  syntheticLeads,
} from './__tests__/setup-fixtures.factory';

describe('recommendSetup on synthetic leads with a leak, an id, a constant, notes and a date', () => {
  const leads = syntheticLeads({ rows: 1200, seed: 11, leak: true });
  const extra = (i: number) => ({
    leadCode: `LC-${i}`,
    source: 'web',
    notes: `met at the fair, table ${i}`,
    closedOn: `2026-03-${String((i % 28) + 1).padStart(2, '0')}`,
    revenue: i % 50 === 0 ? null : Math.round(Math.exp((i % 97) / 9)),
  });
  const table = makeTable([...leads.labels] as (0 | 1)[], (i) => ({
    ...Object.fromEntries(leads.columns.map((column) => [column.name, column.values[i]])),
    ...extra(i),
  }));
  const profile = profileDataset(table);
  const flags = screenLeakage(profile);
  const sut = recommendSetup(profile, flags);

  it('leaves out the leak, the identifier, the constant, the free text and the date, each with its reason', () => {
    expect(sut.excluded.map((feature) => [feature.name, feature.role])).toEqual([
      ['closedOn', ColumnRole.DATE],
      ['closedValue', ColumnRole.NUMERIC],
      ['leadCode', ColumnRole.IDENTIFIER],
      ['notes', ColumnRole.FREE_TEXT],
      ['source', ColumnRole.CONSTANT],
    ]);
    const reasons = Object.fromEntries(
      sut.excluded.map((feature) => [feature.name, feature.reason]),
    );
    expect(reasons.closedValue).toMatch(
      /^possible leakage — recorded after the outcome\? \(its AUC alone is/,
    );
    expect(reasons.leadCode).toMatch(
      /^identifier: remove from the model inputs \(1200 distinct values/,
    );
    expect(reasons.notes).toMatch(
      /^free text: the transformation has no encoding for it \(text with/,
    );
    expect(reasons.closedOn).toMatch(/^a date, read as text/);
  });

  it('proposes a normalized config that the project validates and trains with', () => {
    const config = sut.transformation!;
    expect(config.features).toEqual([
      'noise',
      'revenue',
      'segment',
      'signal1',
      'signal2',
      'signal3',
      'signal4',
      'signal5',
    ]);
    expect(config.exclude).toEqual(['closedOn', 'closedValue', 'leadCode', 'notes', 'source']);
    expect(config.numeric.log1p).toEqual(['revenue']);
    expect(normalizeTransformation(config)).toEqual(config);
    expect(validateTransformation(config, describeTable(table))).toEqual([]);
    expect(sut.included.find((feature) => feature.name === 'segment')!.reason).toMatch(
      /^categorical \(3 levels in 1200 values\), AUC alone 0\.\d{3}, the quick model loses/,
    );
  });

  it('says why for each transformation field', () => {
    expect(sut.transformationChoices.map((choice) => choice.field)).toEqual([
      'numeric.log1p',
      'numeric.fill',
      'numeric.missingIndicator',
      'numeric.standardize',
      'categorical.minFrequency',
      'categorical.maxLevels',
    ]);
    const reason = (field: string) =>
      sut.transformationChoices.find((c) => c.field === field)!.reason;
    expect(reason('numeric.log1p')).toMatch(/^long tails \(\|skewness\| ≥ 2\): revenue \d+\.\d;/);
    expect(reason('numeric.missingIndicator')).toBe(
      'missing values in revenue: whether a value is missing can itself tell',
    );
    expect(reason('categorical.maxLevels')).toBe(
      'the most levels of any feature is 3 (segment), within 50: every frequent level kept',
    );
  });

  it('picks logistic regression for 1,200 rows, with params its trainer accepts', () => {
    const model = sut.model!;
    expect(model.type).toBe('LOGISTIC_REGRESSION');
    expect(model.params).toMatchObject({ classWeight: 'NONE', l2: 1, solver: 'AUTO' });
    expect(modelParams(model.type, model.params).problems).toEqual([]);
    expect(model.reason).toMatch(
      /^\d+ positives in 1,200 rows \(\d+(\.\d)? %\): under 500 of the rarer class/,
    );
  });

  it('is deterministic: the same input gives the same proposal, to the byte', () => {
    expect(JSON.stringify(recommendSetup(profile, flags))).toBe(JSON.stringify(sut));
    const again = profileDataset(table);
    expect(JSON.stringify(recommendSetup(again, screenLeakage(again)))).toBe(JSON.stringify(sut));
  });
});

describe('recommendSetup on hand-made profiles', () => {
  const numeric = (name: string, skewness: number) =>
    makeColumnProfile({ name, numeric: { min: 0, median: 1, max: 9, skewness } });

  it('proposes nothing when no column is left', () => {
    const profile = makeProfile({
      columns: [makeColumnProfile({ name: 'id', role: ColumnRole.IDENTIFIER })],
    });
    const sut = recommendSetup(profile, screenLeakage(profile));
    expect(sut).toMatchObject({ transformation: null, model: null, included: [] });
    expect(sut.notes).toEqual([
      'no column is left to train on: every one is flagged, an identifier, a constant, free text or a date',
    ]);
  });

  it('keeps the level cap when a feature has more levels, and says which', () => {
    const profile = makeProfile({
      columns: [
        numeric('age', 0.3),
        makeColumnProfile({
          name: 'city',
          role: ColumnRole.CATEGORICAL,
          distinct: 1000,
          distinctCapped: true,
        }),
      ],
    });
    const sut = recommendSetup(profile, []);
    const choice = (field: string) => sut.transformationChoices.find((c) => c.field === field)!;
    expect(choice('categorical.maxLevels')).toEqual({
      field: 'categorical.maxLevels',
      value: 50,
      reason: 'city has over 1000 levels: the 50 most frequent kept, the rest join (other)',
    });
    expect(choice('numeric.log1p').reason).toBe(
      'no numeric feature has a long tail (|skewness| ≥ 2 with 10+ values)',
    );
    expect(choice('numeric.missingIndicator').reason).toMatch(/^no numeric feature has missing/);
  });

  it('says when there is no categorical feature, and notes a sampled profile', () => {
    const profile = {
      ...makeProfile({ columns: [numeric('age', 3)] }),
      sample: { rows: 20_000, seed: 42, sampled: true },
      rows: 45_211,
    };
    const sut = recommendSetup(profile, []);
    expect(sut.transformationChoices.at(-1)!.reason).toBe('no categorical feature');
    expect(sut.notes).toEqual([
      "measured on a sample of 20,000 of 45,211 rows; the counts behind each choice are the whole table's",
    ]);
  });
});

describe('recommendModel', () => {
  const profile = (rows: number, positives: number) =>
    makeProfile({ rows, positives, columns: [] });

  it.each([
    [400, 30, 'NAIVE_BAYES'],
    [4000, 600, 'LOGISTIC_REGRESSION'],
    [20_000, 300, 'LOGISTIC_REGRESSION'],
    [8000, 800, 'GRADIENT_BOOSTING'],
    [45_211, 5289, 'GRADIENT_BOOSTING'],
  ] as const)(
    '%i rows with %i positives → %s, with params its trainer accepts',
    (rows, positives, type) => {
      const sut = recommendModel(profile(rows, positives), 0);
      expect(sut.type).toBe(type);
      expect(modelParams(sut.type, sut.params).problems).toEqual([]);
    },
  );

  it('stops boosting early only with rows to spare, and names the levels it saw', () => {
    expect(recommendModel(profile(8000, 800), 0).params).toMatchObject({
      earlyStopping: 'OFF',
      seed: 42,
    });
    const big = recommendModel(profile(45_211, 5289), 12);
    expect(big.params).toMatchObject({ earlyStopping: 'ON' });
    expect(big.reason).toBe(
      '5,289 positives in 45,211 rows (11.7 %), categorical features with up to 12 levels: enough of both classes for trees to learn thresholds and interactions a linear model cannot',
    );
  });

  it('reads an empty table as having nothing to learn from', () => {
    expect(recommendModel(profile(0, 0), 0).type).toBe('NAIVE_BAYES');
  });
});
