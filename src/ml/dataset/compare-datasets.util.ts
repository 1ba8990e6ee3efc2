import { categoricalPsi, numericPsi, PsiBin } from '../drift/psi.util';
import { RawValue } from '../features/raw-features.util';
import { DatasetTable } from './dataset-table.util';
import { FeatureType, inferFeatureType } from './feature-stats.util';

export interface FeatureDrift {
  readonly name: string;
  /** B's type (the current dataset's): NUMERIC only when numeric in both. */
  readonly type: FeatureType;
  readonly psi: number;
  readonly bins: readonly PsiBin[];
  readonly newCategories: readonly string[];
  readonly vanishedCategories: readonly string[];
}

export interface DatasetComparison {
  readonly rowsA: number;
  readonly rowsB: number;
  /** Lead ids in B only. */
  readonly added: number;
  /** Lead ids in A only. */
  readonly removed: number;
  /** In both, with a different label, eventTime or value of a feature both schemas have. */
  readonly changed: number;
  readonly unchanged: number;
  /** The first SAMPLE_SIZE lead ids of each kind, sorted. */
  readonly sampleAdded: readonly string[];
  readonly sampleRemoved: readonly string[];
  readonly sampleChanged: readonly string[];
  /** Share of converted rows; 0 for no rows. */
  readonly labelRateA: number;
  readonly labelRateB: number;
  /** B − A. */
  readonly labelRateChange: number;
  readonly schema: {
    readonly added: readonly { name: string; type: FeatureType }[];
    readonly removed: readonly { name: string; type: FeatureType }[];
    readonly retyped: readonly { name: string; from: FeatureType; to: FeatureType }[];
  };
  /** Every feature in both, by name: numericPsi when NUMERIC in both (A the baseline), else categoricalPsi. */
  readonly features: readonly FeatureDrift[];
}

export const SAMPLE_SIZE = 20;

/**
 * What changed from dataset A to dataset B. Both tables are sorted by lead id, so rows are matched
 * by one merge walk; each feature's values are read straight from the columns.
 */
export function compareDatasets(a: DatasetTable, b: DatasetTable): DatasetComparison {
  const typesA = new Map(a.columns.map((column) => [column.name, inferFeatureType(column.values)]));
  const typesB = new Map(b.columns.map((column) => [column.name, inferFeatureType(column.values)]));
  const valuesB = new Map(b.columns.map((column) => [column.name, column.values]));
  const shared = a.columns.flatMap((column): SharedColumn[] => {
    const values = valuesB.get(column.name);
    return values ? [{ name: column.name, a: column.values, b: values }] : [];
  });

  const rows = compareRows(a, b, shared);

  const schema = {
    added: b.columns
      .filter((column) => !typesA.has(column.name))
      .map((column) => ({ name: column.name, type: typesB.get(column.name)! })),
    removed: a.columns
      .filter((column) => !typesB.has(column.name))
      .map((column) => ({ name: column.name, type: typesA.get(column.name)! })),
    retyped: shared
      .map(({ name }) => ({ name, from: typesA.get(name)!, to: typesB.get(name)! }))
      .filter((change) => change.from !== change.to),
  };

  const features = shared.map(({ name, a: valuesA, b: valuesB }): FeatureDrift => {
    const typeA = typesA.get(name)!;
    const typeB = typesB.get(name)!;
    if (typeA === FeatureType.NUMERIC && typeB === FeatureType.NUMERIC) {
      // inferFeatureType said every non-missing value is a number.
      const result = numericPsi(valuesA as (number | null)[], valuesB as (number | null)[]);
      return { name, type: typeB, ...result, newCategories: [], vanishedCategories: [] };
    }
    return { name, type: typeB, ...categoricalPsi(valuesA, valuesB) };
  });

  const labelRateA = labelRate(a);
  const labelRateB = labelRate(b);
  return {
    rowsA: a.leadIds.length,
    rowsB: b.leadIds.length,
    ...rows,
    labelRateA,
    labelRateB,
    labelRateChange: labelRateB - labelRateA,
    schema,
    features,
  };
}

interface SharedColumn {
  readonly name: string;
  readonly a: readonly RawValue[];
  readonly b: readonly RawValue[];
}

function compareRows(a: DatasetTable, b: DatasetTable, shared: readonly SharedColumn[]) {
  const sampleAdded: string[] = [];
  const sampleRemoved: string[] = [];
  const sampleChanged: string[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  let unchanged = 0;
  const sample = (list: string[], id: string) => {
    if (list.length < SAMPLE_SIZE) list.push(id);
  };

  let i = 0;
  let j = 0;
  while (i < a.leadIds.length || j < b.leadIds.length) {
    const idA = a.leadIds[i];
    const idB = b.leadIds[j];
    if (j >= b.leadIds.length || (i < a.leadIds.length && idA < idB)) {
      removed++;
      sample(sampleRemoved, idA);
      i++;
    } else if (i >= a.leadIds.length || idB < idA) {
      added++;
      sample(sampleAdded, idB);
      j++;
    } else {
      if (sameRow(a, i, b, j, shared)) unchanged++;
      else {
        changed++;
        sample(sampleChanged, idA);
      }
      i++;
      j++;
    }
  }
  return { added, removed, changed, unchanged, sampleAdded, sampleRemoved, sampleChanged };
}

function sameRow(
  a: DatasetTable,
  i: number,
  b: DatasetTable,
  j: number,
  shared: readonly SharedColumn[],
): boolean {
  if (a.labels[i] !== b.labels[j] || a.eventTimes[i] !== b.eventTimes[j]) return false;
  for (const column of shared) {
    // Values are scalars, so === is value equality; undefined in a hand-built table is null.
    if ((column.a[i] ?? null) !== (column.b[j] ?? null)) return false;
  }
  return true;
}

function labelRate(table: DatasetTable): number {
  const n = table.labels.length;
  if (n === 0) return 0;
  let converted = 0;
  for (let i = 0; i < n; i++) converted += table.labels[i];
  return converted / n;
}
