import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import type { AdminTrainingJobFragment, TrainableModelType } from '../../../gql/graphql';
import { errorMessage } from '../../../ui/ErrorState';
import { formatInteger } from '../../../ui/format';
import { fieldErrors } from '../components/apiErrors';
import { Field } from '../components/Field';
import { buttonPrimary, linkClass } from '../components/styles';
import { modelTypeLabel } from './modelLabels';
import { TRAIN_MODEL } from './operations';
import { ParamFields } from './ParamFields';
import { TRAINABLE_TYPES } from './paramSpecs';
import { DEFAULT_SEED, toTrainInput, type TrainFormErrors, type TrainFormState } from './trainForm';

export interface TrainableVersion {
  id: string;
  name: string;
  rowCount: number;
  converted: number;
  lost: number;
}

const INITIAL: TrainFormState = {
  modelType: 'LOGISTIC_REGRESSION',
  datasetVersionId: '',
  seed: DEFAULT_SEED,
  params: {},
};

/** Model type, dataset version (the newest by default), seed and hyper-parameters → trainModel. */
export function TrainModelForm({
  versions,
  onStarted,
}: {
  versions: readonly TrainableVersion[];
  onStarted: (job: AdminTrainingJobFragment) => void;
}) {
  const [form, setForm] = useState<TrainFormState>(INITIAL);
  const [errors, setErrors] = useState<TrainFormErrors>({});
  const [train, { loading, error }] = useMutation(TRAIN_MODEL);
  const datasetVersionId = form.datasetVersionId || versions[0]?.id || '';
  const server = fieldErrors(error);
  const errorOf = (key: string) => errors[key] ?? server[key];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = toTrainInput({ ...form, datasetVersionId });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const result = await train({ variables: { input: checked.input } }).catch(() => null);
    const job = result?.data?.trainModel;
    if (job) onStarted(job);
  };

  const paramErrors: Record<string, string | undefined> = {};
  if (form.modelType)
    for (const key of Object.keys({ ...errors, ...server }))
      if (key.startsWith('params.')) paramErrors[key.slice(7)] = errorOf(key);

  return (
    <form
      aria-label="Train a model"
      noValidate
      onSubmit={(e) => void submit(e)}
      className="space-y-4"
    >
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Model type" error={errorOf('modelType')}>
          {(p) => (
            <select
              {...p}
              value={form.modelType}
              onChange={(e) =>
                setForm((f) => ({
                  ...f,
                  modelType: e.target.value as TrainableModelType | '',
                  params: {},
                }))
              }
            >
              <option value="">Choose a model type</option>
              {TRAINABLE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {modelTypeLabel(t)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Dataset version"
          error={errorOf('datasetVersionId')}
          hint={
            versions.length === 0 ? (
              <>
                No version yet:{' '}
                <Link to="/admin/datasets" className={linkClass}>
                  create one
                </Link>
                .
              </>
            ) : undefined
          }
        >
          {(p) => (
            <select
              {...p}
              value={datasetVersionId}
              onChange={(e) => setForm((f) => ({ ...f, datasetVersionId: e.target.value }))}
            >
              {versions.length === 0 && <option value="">No dataset version</option>}
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name} ({formatInteger(v.converted)} converted, {formatInteger(v.lost)} lost)
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Seed"
          error={errorOf('seed')}
          hint="The same seed, data and params give the same model."
        >
          {(p) => (
            <input
              {...p}
              inputMode="numeric"
              value={form.seed}
              onChange={(e) => setForm((f) => ({ ...f, seed: e.target.value }))}
            />
          )}
        </Field>
      </div>
      {form.modelType && (
        <ParamFields
          modelType={form.modelType}
          values={form.params}
          errors={paramErrors}
          onChange={(name, value) =>
            setForm((f) => ({ ...f, params: { ...f.params, [name]: value } }))
          }
        />
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {errorMessage(error)}
        </p>
      )}
      <button type="submit" className={buttonPrimary} disabled={loading}>
        Start training
      </button>
    </form>
  );
}
