import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';

import type { AdminDatasetBuildFragment } from '../../../gql/graphql';
import { errorMessage } from '../../../ui/ErrorState';
import { fieldErrors } from '../components/apiErrors';
import { CheckboxField, Field } from '../components/Field';
import { buttonPrimary } from '../components/styles';
import {
  EMPTY_DATASET_FORM,
  toCreateInput,
  type DatasetFormErrors,
  type DatasetFormState,
} from './datasetForm';
import { CREATE_DATASET_VERSION } from './operations';

/** Snapshot the closed leads into a new version: name, parent, outcome dates, transformation. */
export function CreateDatasetVersionForm({
  parents,
  onCreated,
}: {
  parents: readonly { id: string; name: string }[];
  onCreated: (build: AdminDatasetBuildFragment) => void;
}) {
  const [form, setForm] = useState<DatasetFormState>(EMPTY_DATASET_FORM);
  const [errors, setErrors] = useState<DatasetFormErrors>({});
  const [create, { loading, error }] = useMutation(CREATE_DATASET_VERSION);
  const set = <K extends keyof DatasetFormState>(key: K, value: DatasetFormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const server = fieldErrors(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = toCreateInput(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const result = await create({ variables: { input: checked.input } }).catch(() => null);
    const build = result?.data?.createDatasetVersion;
    if (build) {
      setForm(EMPTY_DATASET_FORM);
      onCreated(build);
    }
  };

  return (
    <form aria-label="Create a dataset version" noValidate onSubmit={(e) => void submit(e)}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" error={errors.name ?? server.name} hint="1 to 200 characters.">
          {(p) => <input {...p} value={form.name} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Derives from" hint="The parent in the lineage.">
          {(p) => (
            <select {...p} value={form.parentId} onChange={(e) => set('parentId', e.target.value)}>
              <option value="">The latest version</option>
              {parents.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Outcomes from"
          hint="Optional: outcomes dated on or after this day (UTC)."
          error={errors.outcomeFrom ?? server['filter.outcomeFrom']}
        >
          {(p) => (
            <input
              {...p}
              type="date"
              value={form.outcomeFrom}
              onChange={(e) => set('outcomeFrom', e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Outcomes before"
          hint="Optional: outcomes dated before this day (UTC)."
          error={errors.outcomeTo ?? server['filter.outcomeTo']}
        >
          {(p) => (
            <input
              {...p}
              type="date"
              value={form.outcomeTo}
              onChange={(e) => set('outcomeTo', e.target.value)}
            />
          )}
        </Field>
      </div>
      <details className="mt-4 rounded-md border border-slate-200 p-3">
        <summary className="cursor-pointer text-sm font-medium text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
          Transformation (optional; defaults otherwise)
        </summary>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <Field
            label="Excluded features"
            hint="Comma-separated feature names."
            error={server['transformation.exclude']}
          >
            {(p) => (
              <input {...p} value={form.exclude} onChange={(e) => set('exclude', e.target.value)} />
            )}
          </Field>
          <Field label="log1p features" hint="Comma-separated numeric features with long tails.">
            {(p) => (
              <input {...p} value={form.log1p} onChange={(e) => set('log1p', e.target.value)} />
            )}
          </Field>
          <Field label="Missing numeric values become">
            {(p) => (
              <select
                {...p}
                value={form.fill}
                onChange={(e) => set('fill', e.target.value as DatasetFormState['fill'])}
              >
                <option value="">The median (default)</option>
                <option value="MEAN">The mean</option>
                <option value="ZERO">Zero</option>
              </select>
            )}
          </Field>
          <div className="space-y-2 pt-6">
            <CheckboxField
              label="Add a missing-value indicator"
              checked={form.missingIndicator}
              onChange={(v) => set('missingIndicator', v)}
            />
            <CheckboxField
              label="Standardize numeric features"
              checked={form.standardize}
              onChange={(v) => set('standardize', v)}
            />
          </div>
          <Field
            label="Minimum rows per category"
            hint="Default 5; rarer categories share “(other)”."
            error={errors.minFrequency ?? server['transformation.categorical.minFrequency']}
          >
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={form.minFrequency}
                onChange={(e) => set('minFrequency', e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Categories per feature at most"
            hint="Default 50; 1 to 1000."
            error={errors.maxLevels ?? server['transformation.categorical.maxLevels']}
          >
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                value={form.maxLevels}
                onChange={(e) => set('maxLevels', e.target.value)}
              />
            )}
          </Field>
        </div>
      </details>
      {error && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
          {errorMessage(error)}
        </p>
      )}
      <button type="submit" className={`${buttonPrimary} mt-4`} disabled={loading}>
        {loading ? 'Creating…' : 'Create version'}
      </button>
    </form>
  );
}
