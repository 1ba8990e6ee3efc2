import type { ReactNode } from 'react';

import {
  FEATURE_LABELS,
  FEATURES,
  getValue,
  type ConfigErrors,
  type ConfigFormValues,
  type FieldKey,
} from './formValues';
import { NumberField } from './NumberField';

const ID = 'scoring-config';

const fieldId = (key: FieldKey) => `${ID}-${key.replace('.', '-')}`;
const groupErrorId = (group: FieldKey) => `${ID}-${group}-error`;

function Group({
  legend,
  description,
  error,
  errorId,
  children,
}: {
  legend: string;
  description: string;
  error?: string;
  errorId: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="rounded-md border border-slate-200 p-4">
      <legend className="px-1 text-base font-semibold text-slate-900">{legend}</legend>
      <p className="text-sm text-slate-600">{description}</p>
      {error && (
        <p id={errorId} className="mt-2 text-sm font-medium text-red-800">
          {error}
        </p>
      )}
      <div className="mt-3 grid gap-4 sm:grid-cols-3">{children}</div>
    </fieldset>
  );
}

/**
 * The fields of a scoring configuration, each with its problems; the values and errors come from
 * the page (validateConfig and the server), changes go back to it.
 */
export function ConfigForm({
  values,
  errors,
  onChange,
}: {
  values: ConfigFormValues;
  errors: ConfigErrors;
  onChange: (key: FieldKey, value: string) => void;
}) {
  const field = (
    key: FieldKey,
    label: string,
    group: FieldKey | null,
    extra: { hint?: string; min?: number; max?: number } = {},
  ) => (
    <NumberField
      key={key}
      id={fieldId(key)}
      label={label}
      value={getValue(values, key)}
      onChange={(value) => onChange(key, value)}
      error={errors[key]}
      groupErrorId={group && errors[group] ? groupErrorId(group) : undefined}
      {...extra}
    />
  );

  return (
    <div className="space-y-4">
      <Group
        legend="Weights"
        description="How much each feature counts. Each 0 or more; together more than 0."
        error={errors.weights}
        errorId={groupErrorId('weights')}
      >
        {FEATURES.map((f) =>
          field(`weights.${f}`, `${FEATURE_LABELS[f]} weight`, 'weights', { min: 0 }),
        )}
      </Group>
      <Group
        legend="Caps"
        description="The value at which a feature counts in full. Each greater than 0."
        error={errors.caps}
        errorId={groupErrorId('caps')}
      >
        {FEATURES.map((f) =>
          field(`caps.${f}`, `${FEATURE_LABELS[f]} cap`, 'caps', {
            min: 0,
            hint: f === 'timeSpent' ? 'In seconds.' : 'A count.',
          }),
        )}
      </Group>
      <Group
        legend="Decay and tiers"
        description="Scores halve every half-life without activity. Scores at or above the hot threshold are hot; at or above the warm one, warm. 0 ≤ warm < hot ≤ 100."
        error={errors.thresholds}
        errorId={groupErrorId('thresholds')}
      >
        {field('halfLifeDays', 'Half-life (days)', null, { min: 0 })}
        {field('thresholds.hot', 'Hot threshold', 'thresholds', { min: 0, max: 100 })}
        {field('thresholds.warm', 'Warm threshold', 'thresholds', { min: 0, max: 100 })}
      </Group>
    </div>
  );
}
