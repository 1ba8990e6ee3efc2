import { seededRandom } from '../../common/random.util';
import { DatasetRowInput, DatasetTable, tableFromRows } from '../../dataset/dataset-table.util';
import { RawFeatures } from '../../features/raw-features.util';
import { ColumnRole } from '../column-role.util';
import { ColumnProfile, DatasetProfile } from '../profile-dataset.util';

/** Rows `L-0000`, `L-0001`…, one event time (so splits are stratified), features as given. */
export function makeTable(
  labels: readonly (0 | 1)[],
  features: (i: number) => RawFeatures,
): DatasetTable {
  const rows: DatasetRowInput[] = labels.map((label, i) => ({
    leadId: `L-${String(i).padStart(4, '0')}`,
    label,
    eventTime: Date.UTC(2026, 0, 1),
    features: features(i),
  }));
  return tableFromRows(rows);
}

/**
 * Synthetic leads: five independent standard-normal signals of equal weight and a three-level
 * segment decide the label through a logistic link; `noise` decides nothing. With `leak`, a
 * `closedValue` column is the label plus a little noise: what a field filled in after the outcome
 * looks like.
 */
export function syntheticLeads({
  rows,
  seed,
  leak,
}: {
  rows: number;
  seed: number;
  leak: boolean;
}) {
  const random = seededRandom(seed);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const features: RawFeatures[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < rows; i++) {
    const signals = [normal(), normal(), normal(), normal(), normal()];
    const segment = ['north', 'south', 'west'][i % 3];
    const logit =
      -1 + 0.45 * signals.reduce((sum, x) => sum + x, 0) + (segment === 'west' ? 0.6 : 0);
    const label: 0 | 1 = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    labels.push(label);
    features.push({
      ...Object.fromEntries(signals.map((x, k) => [`signal${k + 1}`, Math.round(x * 100) / 100])),
      segment,
      noise: Math.round(normal() * 100) / 100,
      ...(leak ? { closedValue: Math.round((label + 0.3 * normal()) * 100) / 100 } : {}),
    });
  }
  return makeTable(labels, (i) => features[i]);
}

/** A feature column's profile: NUMERIC, nothing measured, unless told otherwise. */
export function makeColumnProfile(
  partial: Partial<ColumnProfile> & { name: string },
): ColumnProfile {
  return {
    kind: 'FEATURE',
    role: ColumnRole.NUMERIC,
    roleReason: 'numbers, 10 distinct',
    missingShare: 0,
    distinct: 10,
    distinctCapped: false,
    numeric: null,
    singleFeatureAuc: null,
    aucMethod: null,
    orientation: null,
    dropColumnImportance: null,
    ...partial,
  };
}

/** A profile as `profileDataset` shapes it, from its columns and a few counts. */
export function makeProfile({
  columns,
  rows = 1000,
  positives = 200,
  quickModelAuc = 0.8,
}: {
  columns: ColumnProfile[];
  rows?: number;
  positives?: number;
  quickModelAuc?: number | null;
}): DatasetProfile {
  return {
    rows,
    positives,
    sample: { rows, seed: 42, sampled: false },
    split: null,
    quickModel: {
      type: 'LOGISTIC_REGRESSION',
      features: columns.map((column) => column.name),
      auc: quickModelAuc,
    },
    columns: [
      makeColumnProfile({ name: 'label', kind: 'LABEL', role: ColumnRole.LABEL }),
      ...columns,
    ],
    notes: [],
  };
}
