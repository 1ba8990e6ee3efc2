import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DatasetRowInput, DatasetTable, tableFromRows } from '../dataset/dataset-table.util';
import { describeTable } from '../dataset/feature-stats.util';
import { modelParams } from '../train/model-params.util';
import { validateTransformation } from '../transform/transformation.util';
import { profileDataset } from './profile-dataset.util';
import { recommendSetup } from './recommend-setup.util';
import { LEAKAGE_MESSAGE, screenLeakage } from './screen-leakage.util';

// Every fifth row of the UCI bank-marketing file (9,043 of 45,211; see test/fixtures/README.md):
// `y` is the label, `duration` the known leak (the call's length, known only once it has ended).
const BANK_CSV = join(
  __dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'bank-marketing-every-5th.csv',
);

/** Quoted cells are text, the others numbers; one event time, so splits are stratified. */
function readBank(): DatasetTable {
  const lines = readFileSync(BANK_CSV, 'utf8').trim().split('\n');
  const header = lines[0].split(';').map((cell) => cell.replace(/"/g, '').trim());
  const rows: DatasetRowInput[] = lines.slice(1).map((line, i) => {
    const cells = line.split(';').map((cell) => cell.trim());
    const features: Record<string, string | number> = {};
    header.forEach((name, c) => {
      const cell = cells[c];
      features[name] = cell.startsWith('"') ? cell.slice(1, -1) : Number(cell);
    });
    const { y, ...attributes } = features;
    return {
      leadId: `BANK-${String(i).padStart(5, '0')}`,
      label: y === 'yes' ? 1 : 0,
      eventTime: Date.UTC(2026, 0, 1),
      features: attributes,
    };
  });
  return tableFromRows(rows);
}

describe('the setup on the bank data (a seeded 8,000-row sample, for speed)', () => {
  const table = readBank();
  const profile = profileDataset(table, { labelName: 'y', maxRows: 8000 });
  const flags = screenLeakage(profile);
  const duration = profile.columns.find((column) => column.name === 'duration')!;

  it('reads 9,043 rows, 1,055 of them converted, and every column as numeric or categorical', () => {
    expect(profile).toMatchObject({ rows: 9043, positives: 1055, sample: { rows: 8000 } });
    expect(profile.columns.filter((c) => c.kind === 'FEATURE').map((c) => c.role)).toEqual(
      profile.columns
        .filter((c) => c.kind === 'FEATURE')
        .map((c) => (c.numeric ? 'NUMERIC' : 'CATEGORICAL')),
    );
  });

  it('flags duration as possible leakage, and nothing else', () => {
    // On all 45,211 rows: duration alone 0.808; the quick model 0.907 with it, 0.762 without.
    expect(duration.singleFeatureAuc).toBeGreaterThan(0.78);
    expect(duration.orientation).toBe('HIGHER_IS_POSITIVE');
    expect(flags.map((flag) => [flag.column, flag.kind, flag.message])).toEqual([
      ['duration', 'POSSIBLE_LEAKAGE', LEAKAGE_MESSAGE],
    ]);
    expect(flags[0].evidence!.aloneShareOfLift).toBeGreaterThan(0.6);
    expect(flags[0].evidence!.dropShareOfLift).toBeGreaterThan(0.25);
  });

  it('flags nothing once duration is gone', () => {
    const honest = { ...table, columns: table.columns.filter((c) => c.name !== 'duration') };
    expect(screenLeakage(profileDataset(honest, { labelName: 'y', maxRows: 8000 }))).toEqual([]);
  });

  it('recommends every column but duration, gradient boosting, and the project accepts both', () => {
    const sut = recommendSetup(profile, flags);
    expect(sut.excluded.map((feature) => feature.name)).toEqual(['duration']);
    expect(sut.transformation!.features).toHaveLength(15);
    expect(sut.transformation!.numeric.log1p).toEqual(['balance', 'campaign', 'pdays', 'previous']);
    expect(validateTransformation(sut.transformation!, describeTable(table))).toEqual([]);
    expect(sut.model!.type).toBe('GRADIENT_BOOSTING');
    expect(modelParams(sut.model!.type, sut.model!.params).problems).toEqual([]);
  });
});
